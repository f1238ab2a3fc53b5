"""Fusion and recency settings swept on a news QA set, over the index `attest eval` built.

    python bench/retrieval_sweep.py --corpus ../shared/eval/realtimeqa/corpus.jsonl.gz \
        --questions ../shared/eval/realtimeqa/dev.jsonl --index-dir ~/.attest/eval/realtimeqa-full

Every run uses each question's date as the as-of date and the same index, so the rows differ
only by the retrieval settings named in them. Writes bench/results/retrieval_sweep.{json,md}.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import index  # noqa: F401  (offline defaults first)
from index.settings import Settings
from rag.eval_data import load_questions
from rag.eval_runner import EvalConfig, Evaluation, RetrievalRun

OUT = Path(__file__).parent / "results"


def variants(rerank: bool) -> list[tuple[str, dict[str, Any]]]:
    base: dict[str, Any] = {"retrieval_mode": "hybrid", "recency_half_life_days": 0.0, "rerank": "none"}
    rows: list[tuple[str, dict[str, Any]]] = [
        ("dense only", {**base, "retrieval_mode": "dense"}),
        ("BM25 only", {**base, "retrieval_mode": "bm25"}),
    ]
    for rrf_k in (10, 30, 60):
        for weight in (0.5, 1.0, 1.5, 2.0):
            rows.append((f"RRF k={rrf_k}, BM25 weight {weight:g}", {**base, "rrf_k": rrf_k, "bm25_weight": weight}))
    rows.append(("RRF k=60, weight 1, 100 candidates", {**base, "retrieval_candidates": 100}))
    for half_life in (7.0, 14.0, 30.0, 180.0):
        rows.append(
            (f"RRF k=60, weight 1, recency half-life {half_life:g} d", {**base, "recency_half_life_days": half_life})
        )
    for rrf_k, weight in ((10, 1.0), (10, 1.5), (30, 1.0), (60, 2.0)):
        name = f"RRF k={rrf_k}, weight {weight:g}, recency half-life 30 d"
        rows.append((name, {**base, "rrf_k": rrf_k, "bm25_weight": weight, "recency_half_life_days": 30.0}))
    if rerank:
        rows.append(("RRF k=60, weight 1, LLM rerank top 10", {**base, "rerank": "llm"}))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, required=True, help="the index `attest eval` built (or builds)")
    parser.add_argument("--rerank", action="store_true", help="also the LLM reranker (minutes per question set)")
    parser.add_argument("--match", default="", help="only the rows whose name contains this (results: *-MATCH.*)")
    args = parser.parse_args()

    config = EvalConfig(args.corpus, args.questions, baselines=False, answers=0, abstention=0, index_dir=args.index_dir)
    evaluation = Evaluation(Settings(), config, progress=True)
    gold = [q for q in load_questions(args.questions) if q.has_gold]
    corpus = evaluation.ingest(gold)
    chosen = [(name, changes) for name, changes in variants(args.rerank) if args.match in name]
    runs = [RetrievalRun(name, changes, as_of=True) for name, changes in chosen]
    evaluation.retrieval(gold, runs)

    lines = [
        f"{len(gold)} gold-article questions; {corpus['articles']:,} articles, {corpus['chunks']:,} chunks; "
        "every row with the question's date as the as-of date.",
        "",
        "| settings | Hits@1 | Hits@4 | Hits@10 | MRR@10 | p50 ms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for run in runs:
        r = run.summary()
        lines.append(
            f"| {run.name} | {r['hits@1']:.3f} | {r['hits@4']:.3f} | {r['hits@10']:.3f} | {r['mrr@10']:.3f} | "
            f"{r['latency_ms_p50']:.0f} |"
        )
    table = "\n".join(lines)
    OUT.mkdir(exist_ok=True)
    stem = "retrieval_sweep" + (f"-{''.join(c if c.isalnum() else '_' for c in args.match)}" if args.match else "")
    (OUT / f"{stem}.md").write_text(table + "\n", encoding="utf-8")
    (OUT / f"{stem}.json").write_text(json.dumps({run.name: run.summary() for run in runs}, indent=2), encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
