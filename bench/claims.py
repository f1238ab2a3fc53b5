"""Claim-checking accuracy, confusion matrix, false "supported" rate and seconds per claim.

    python bench/claims.py [--sets team,written] [--judge nli|llm] [--distractors 150]
                           [--eval-dir ../shared/eval/realtimeqa]

Claim sets (labels: supported / contradicted / not_found):
- ``team``: bench/data/claims_seeds.jsonl and claims_realtimeqa.jsonl (48; the set the old guards
  were refined on);
- ``written``: bench/data/claims_written.jsonl (181, written before the checker was run on them,
  each with a ``kind`` and a ``split``: ``tune`` is what thresholds were set on, ``test`` is held out);
- ``fresh``: bench/data/claims_fresh.jsonl (122, written on 2026-11-25 before the checker was run
  on them, in two batches, over nine RealTime QA articles no other set is about; split by SHA-1
  of the claim).
- ``fresh3``: bench/data/claims_fresh3.jsonl (109, a third batch written on 2026-11-25 in a later session, before the
  checker was run on them, over five other RealTime QA articles; split the same way).
- ``fresh4``: bench/data/claims_fresh4.jsonl (179, a fourth batch written on 2026-11-25 in yet another session,
  before the checker was run on them, over five more RealTime QA articles that had been distractors in
  the index: the Patriot Front arrests in Coeur d'Alene, the Chinese police database leak, the
  Colorado River Tier 2 cuts, the Paul Pelosi attack, Olivia Newton-John's death; split the same way).
- ``fresh5``: bench/data/claims_fresh5.jsonl (186, written on 2026-12-06 by a helper that never ran the
  checker, over six more RealTime QA articles that had been distractors: Boris Johnson's resignation,
  the Jackson water crisis, Brazil's first round, the pound's record low, Brittney Griner's plea,
  Sunny Balwani's conviction; split the same way).
- ``fresh6`` .. ``fresh11``: bench/data/claims_fresh6.jsonl .. claims_fresh11.jsonl (186 each, written the
  same way by helpers over six more RealTime QA articles each; docs/benchmarks.md names the articles).

``--splits tune,all`` checks only the tuning halves and the team set (the index is the same).

The index holds seeds/, the RealTime QA articles the claims name and ``--distractors`` other
articles of that corpus (the gold articles of the dev questions first, then corpus order), read
from --eval-dir, never copied here. Writes bench/results/claims-<judge>.json and prints Markdown.
"""

from __future__ import annotations

import argparse
import contextlib
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
from rag.check import split_claims  # noqa: E402
from rag.eval_data import doc_key  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402

LABELS = ("supported", "contradicted", "not_found")
SETS = {
    "team": ("claims_seeds.jsonl", "claims_realtimeqa.jsonl"),
    "written": ("claims_written.jsonl",),
    "fresh": ("claims_fresh.jsonl",),
    "fresh3": ("claims_fresh3.jsonl",),
    "fresh4": ("claims_fresh4.jsonl",),
    "fresh5": ("claims_fresh5.jsonl",),
    "fresh6": ("claims_fresh6.jsonl",),
    "fresh7": ("claims_fresh7.jsonl",),
    "fresh8": ("claims_fresh8.jsonl",),
    "fresh9": ("claims_fresh9.jsonl",),
    "fresh10": ("claims_fresh10.jsonl",),
    "fresh11": ("claims_fresh11.jsonl",),
}


def load_claims(eval_dir: Path, sets: list[str]) -> list[dict[str, str]]:
    have_corpus = (eval_dir / "corpus.jsonl.gz").exists()
    claims = []
    for name in sets:
        for file in SETS[name]:
            for line in (ROOT / "bench/data" / file).open():
                claim = json.loads(line)
                if claim.get("doc_id") and not have_corpus:
                    continue
                claims.append({**claim, "set": name, "split": claim.get("split", "all")})
    return claims


def write_eval_subset(eval_dir: Path, claims: list[dict[str, str]], distractors: int, target: Path) -> int:
    wanted = {c["doc_id"] for c in claims if c.get("doc_id")}
    questions = [json.loads(line) for line in (eval_dir / "dev.jsonl").open()]
    extra = list(dict.fromkeys(doc for q in questions if q["evidence_type"] == "gold_doc" for doc in q["doc_ids"]))
    count = 0
    with gzip.open(eval_dir / "corpus.jsonl.gz", "rt", encoding="utf-8") as source:
        lines = {json.loads(line)["doc_id"]: line for line in source}
    chosen = [d for d in wanted if d in lines]
    chosen += [d for d in dict.fromkeys([*extra, *lines]) if d not in wanted and d in lines][:distractors]
    with target.open("w") as out:
        for doc_id in chosen:
            out.write(lines[doc_id])
            count += 1
    return count


def metrics(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    per_class = {}
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted))
        n_pred = sum(p == label for p in predicted)
        n_gold = sum(g == label for g in gold)
        per_class[label] = {"precision": tp / n_pred if n_pred else 0.0, "recall": tp / n_gold if n_gold else 0.0}
    false_supported = sum(p == "supported" and g != "supported" for g, p in zip(gold, predicted))
    return {
        "n": len(gold),
        "accuracy": sum(g == p for g, p in zip(gold, predicted)) / max(1, len(gold)),
        "false_supported_rate": false_supported / max(1, len(gold)),
        "per_class": per_class,
        "confusion": {g: {p: sum(x == g and y == p for x, y in zip(gold, predicted)) for p in LABELS} for g in LABELS},
    }


def table(name: str, result: dict[str, Any]) -> str:
    lines = [
        f"**{name}**: n={result['n']}, accuracy {result['accuracy']:.3f}, "
        f"false supported {result['false_supported_rate']:.3f}",
        "",
        "| gold \\ predicted | supported | contradicted | not_found |",
        "| --- | --- | --- | --- |",
    ]
    for gold in LABELS:
        row = result["confusion"][gold]
        lines.append(f"| {gold} | {row['supported']} | {row['contradicted']} | {row['not_found']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="team,written")
    parser.add_argument("--judge", choices=("nli", "llm"), default="nli")
    parser.add_argument("--distractors", type=int, default=150)
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared/eval/realtimeqa")
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the index here and reuse it next run")
    parser.add_argument("--show-errors", action="store_true", help="print the misjudged claims (tuning split only)")
    parser.add_argument(
        "--splits",
        default="",
        help="check only the claims of these splits (e.g. tune,all); the index is built from every claim "
        "of --sets, so it is the same index as a full run's",
    )
    args = parser.parse_args()
    claims = load_claims(args.eval_dir, args.sets.split(","))
    results: dict[str, Any] = {"claims": len(claims), "judge_setting": args.judge}
    with tempfile.TemporaryDirectory() as tmp:
        paths = [ROOT / "seeds"]
        if (args.eval_dir / "corpus.jsonl.gz").exists():
            subset = (args.data_dir.parent if args.data_dir else Path(tmp)) / "realtimeqa-subset.jsonl"
            results["eval_articles"] = write_eval_subset(args.eval_dir, claims, args.distractors, subset)
            paths.append(subset)
        settings = Settings(data_dir=args.data_dir or Path(tmp) / "data", judge=args.judge)
        Pipeline(settings).ingest(paths)
        pipeline = Pipeline(settings)
        pipeline.check("Warm up the models.")
        seconds = []
        from tqdm import tqdm

        checker = pipeline.checker
        outlets = sorted({d.meta.outlet for d in pipeline.store.documents() if d.meta.outlet})
        if args.splits:
            claims = [c for c in claims if c["split"] in args.splits.split(",")]
            results["claims"] = len(claims)
        for claim in tqdm(claims, desc="check", file=sys.stderr, mininterval=10):
            started = time.perf_counter()
            # what ClaimChecker.iter_check does, keeping the evidence for bench/claims_tune.py; in the
            # foreground of the machine's CPU budget, as `attest check` is (index/cpu.py)
            budget = getattr(pipeline, "budget", None)
            with budget.foreground() if budget is not None else contextlib.nullcontext():
                parts = split_claims(claim["claim"], outlets)
                quotes, aliases = checker._evidence(parts[0], None) if parts else ([], {})
                judged = checker.judge.judge([checker.case(parts[0], quotes, aliases)])[0] if quotes else None
                result = checker._result(parts[0], quotes, judged, aliases) if parts else None
            seconds.append(time.perf_counter() - started)
            model = getattr(checker.judge, "model", None)
            scored: dict[str, Any] = {}  # quote -> rag.nli.PairScore
            if model is not None and quotes:  # every pair, for re-judging under other thresholds (not timed)
                scored = dict(zip([q.text for q in quotes], model.scores([(q.text, parts[0].clean) for q in quotes])))
            claim["predicted"] = result.verdict if result else "not_found"
            claim["quotes"] = [f"{q.stance}: {q.text}" for q in result.quotes] if result else []
            claim["notes"] = result.notes if result else []
            claim["reported_differently"] = [d["quote"] for d in result.reported_differently] if result else []
            if claim.get("doc_id"):  # is a window of the article the claim was written from among the evidence?
                claim["article_in_evidence"] = any(doc_key(q.article) == claim["doc_id"] for q in quotes)
            claim["evidence"] = [
                {
                    "text": q.text,
                    "score": q.score,
                    "contradiction": scored[q.text].contradiction if scored else None,
                    "states": scored[q.text].states if scored else None,
                    "contradicts": scored[q.text].contradicts if scored else None,
                    "published": q.article.published_at,
                    "title": q.article.title,
                }
                for q in quotes
            ]
            claim["clean"] = parts[0].clean if parts else claim["claim"]
            claim["aliases"] = aliases
        results["judge"] = pipeline.judge.name
    results["seconds_per_claim"] = sum(seconds) / len(seconds)
    groups: dict[str, list[dict[str, str]]] = {}
    for claim in claims:
        groups.setdefault(f"{claim['set']}/{claim['split']}", []).append(claim)
    results["groups"] = {
        name: metrics([c["label"] for c in group], [c["predicted"] for c in group])
        for name, group in sorted(groups.items())
    }
    kinds = Counter((c["kind"], c["label"] == c["predicted"]) for c in claims if c.get("kind") and c["split"] == "test")
    results["test_by_kind"] = {
        k: f"{kinds[(k, True)]}/{kinds[(k, True)] + kinds[(k, False)]}" for k in sorted({k for k, _ in kinds})
    }
    results["predictions"] = claims
    out_dir = ROOT / "bench/results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"claims-{args.judge}.json").write_text(json.dumps(results, indent=2))
    print(f"{len(claims)} claims; index: seeds + {results.get('eval_articles', 0)} RealTime QA articles")
    print(f"judge: {results['judge']}; {results['seconds_per_claim']:.2f} s per claim\n")
    for name, result in results["groups"].items():
        print(table(name, result) + "\n")
    print("test split, right by kind:", results["test_by_kind"])
    named = [c for c in claims if "article_in_evidence" in c]
    inside = sum(c["article_in_evidence"] for c in named)
    print(f"a window of the claim's own article among the evidence: {inside} of {len(named)} claims that name it")
    flagged = [c for c in claims if c["reported_differently"]]
    print(
        f"'reported differently' beside a support: {len(flagged)} of {len(claims)} claims "
        f"({sum(c['label'] == 'supported' for c in flagged)} of them true claims)"
    )
    if args.show_errors:
        for claim in claims:
            if claim["split"] != "test" and claim["label"] != claim["predicted"]:
                print(f"\n[{claim['label']} -> {claim['predicted']}] {claim['claim']}")
                for line in [*claim["quotes"], *claim["notes"]]:
                    print("   ", line[:300])


if __name__ == "__main__":
    main()
