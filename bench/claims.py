"""Claim-checking accuracy on a labelled set, and the cost of judging claims one by one vs batched.

    python bench/claims.py [--batch-sizes 1,4] [--eval-dir ../shared/eval/realtimeqa]

Claims: bench/data/claims_seeds.jsonl (over seeds/) and bench/data/claims_realtimeqa.jsonl
(over RealTime QA articles, written for this set; labels: supported / contradicted / not_found).
The index holds seeds/ plus the RealTime QA articles the claims name and, as distractors, the
gold articles of the first 40 gold_doc dev questions (read from --eval-dir, never copied here).
Writes bench/results/claims.json and prints Markdown tables.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401
from index.settings import Settings  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402

LABELS = ("supported", "contradicted", "not_found")


def load_claims(eval_dir: Path) -> list[dict[str, str]]:
    claims = [json.loads(line) for line in (ROOT / "bench/data/claims_seeds.jsonl").open()]
    if (eval_dir / "corpus.jsonl.gz").exists():
        claims += [json.loads(line) for line in (ROOT / "bench/data/claims_realtimeqa.jsonl").open()]
    return claims


def write_eval_subset(eval_dir: Path, claims: list[dict[str, str]], target: Path) -> int:
    wanted = {c["doc_id"] for c in claims if c.get("doc_id")}
    questions = [json.loads(line) for line in (eval_dir / "dev.jsonl").open()]
    gold = [q for q in questions if q["evidence_type"] == "gold_doc"][:40]
    wanted |= {doc for q in gold for doc in q["doc_ids"]}
    count = 0
    with gzip.open(eval_dir / "corpus.jsonl.gz", "rt", encoding="utf-8") as source, target.open("w") as out:
        for line in source:
            if json.loads(line)["doc_id"] in wanted:
                out.write(line)
                count += 1
    return count


def metrics(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    per_class = {}
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted))
        n_pred = sum(p == label for p in predicted)
        n_gold = sum(g == label for g in gold)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": precision, "recall": recall, "f1": f1, "n": n_gold}
    return {
        "accuracy": sum(g == p for g, p in zip(gold, predicted)) / len(gold),
        "per_class": per_class,
        "confusion": {f"{g}->{p}": n for (g, p), n in sorted(Counter(zip(gold, predicted)).items())},
    }


def run(pipeline: Pipeline, claims: list[dict[str, str]], batch: int) -> tuple[list[str], float]:
    from tqdm import tqdm

    predicted: list[str] = []
    started = time.perf_counter()
    for first in tqdm(range(0, len(claims), batch), desc=f"check (batch {batch})", file=sys.stderr):
        group = claims[first : first + batch]
        report = pipeline.check(" ".join(c["claim"] for c in group))
        if len(report.claims) != len(group):  # the splitter disagreed: check one by one
            report_claims = [pipeline.check(c["claim"]).claims[0] for c in group]
        else:
            report_claims = report.claims
        predicted.extend(r.verdict for r in report_claims)
    return predicted, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-sizes", default="1,4")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared/eval/realtimeqa")
    args = parser.parse_args()
    claims = load_claims(args.eval_dir)
    gold = [c["label"] for c in claims]
    results: dict[str, Any] = {"claims": len(claims), "labels": dict(Counter(gold)), "runs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        paths = [ROOT / "seeds"]
        if (args.eval_dir / "corpus.jsonl.gz").exists():
            subset = Path(tmp) / "realtimeqa-subset.jsonl"
            results["eval_articles"] = write_eval_subset(args.eval_dir, claims, subset)
            paths.append(subset)
        settings = Settings(data_dir=Path(tmp) / "data")
        Pipeline(settings).ingest(paths)
        for batch in (int(b) for b in args.batch_sizes.split(",")):
            pipeline = Pipeline(settings.model_copy(update={"judge_batch_size": batch}))
            pipeline.check("Warm up the model.")
            predicted, seconds = run(pipeline, claims, batch)
            results["runs"][str(batch)] = {
                **metrics(gold, predicted),
                "seconds_per_claim": seconds / len(claims),
                "predicted": predicted,
                "judge": pipeline.llm.name,
            }
    out_dir = ROOT / "bench/results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "claims.json").write_text(json.dumps(results, indent=2))
    print(
        f"{len(claims)} claims {results['labels']}; "
        f"index: seeds + {results.get('eval_articles', 0)} RealTime QA articles"
    )
    print("\n| judge batch | accuracy | supported P/R | contradicted P/R | not found P/R | s per claim |")
    print("| --- | --- | --- | --- | --- | --- |")
    for batch, run_result in results["runs"].items():
        pc = run_result["per_class"]
        cells = [f"{pc[label]['precision']:.2f} / {pc[label]['recall']:.2f}" for label in LABELS]
        print(
            f"| {batch} | {run_result['accuracy']:.2f} | {' | '.join(cells)} | {run_result['seconds_per_claim']:.1f} |"
        )
    runs = results["runs"]
    if "1" in runs and len(runs) > 1:
        for batch, run_result in runs.items():
            if batch != "1":
                ratio = runs["1"]["seconds_per_claim"] / run_result["seconds_per_claim"]
                print(f"\nBatch {batch} vs one claim per call: {ratio:.2f}x faster per claim")


if __name__ == "__main__":
    main()
