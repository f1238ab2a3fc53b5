"""Attest against LlamaIndex's CitationQueryEngine on the same questions, index, LLM and embedder:
answer F1/EM, ALCE citation recall/precision (the same judge for both), seconds per answer.

    python bench/answer_quality.py --index-dir ~/.attest/eval/after-subset --limit 20

``--index-dir`` is an index that ``attest eval`` built (its questions' gold articles are in it).
The first ``--limit`` questions with gold articles are asked of both, one after the other, in one
process. Attest answers as it does by default, at each question's date (``as_of``);
CitationQueryEngine with LlamaIndex's defaults (bench/citation_engine.py), which know no dates.
Short answers: Attest's own where it gives one, otherwise (and for CitationQueryEngine) the
phrase the LLM takes from the answer (``rag.eval_judges.short_answer``). The citation judge is the
configured eval judge (``ATTEST_EVAL_JUDGE_*``, default the local LLM).

Writes bench/results/answer_quality.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401
from bench.citation_engine import CitationEngine  # noqa: E402
from index.settings import Settings  # noqa: E402
from rag import metrics, models  # noqa: E402
from rag.eval_data import load_questions  # noqa: E402
from rag.eval_judges import LLMEntailment, as_claim, as_premise, short_answer, short_phrase  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Answer, Filters  # noqa: E402


def attest_row(pipeline: Pipeline, judge: LLMEntailment, q: Any) -> dict[str, Any]:
    started = time.perf_counter()
    answer = pipeline.ask(q.question, Filters(as_of=q.question_date or None))
    seconds = time.perf_counter() - started
    short = answer.short or short_answer(pipeline.llm, q.question, answer)
    row: dict[str, Any] = {
        "answer": answer.text,
        "short": short,
        "seconds": seconds,
        "answered": answer.status == Answer.ANSWERED,
    }
    if row["answered"]:
        sentences = [
            metrics.CitedSentence(as_claim(q.question, s.text), tuple(as_premise(c.passage) for c in s.citations))
            for s in answer.sentences
        ]
        score = metrics.citation_scores(sentences, judge)
        row["citation_recall"], row["citation_precision"] = score.recall, score.precision
    return row


def engine_row(engine: CitationEngine, pipeline: Pipeline, judge: LLMEntailment, q: Any) -> dict[str, Any]:
    result = engine.ask(q.question)
    body = " ".join(text for text, _ in result.sentences)
    short = short_phrase(pipeline.llm, q.question, body) if body else ""
    row: dict[str, Any] = {"answer": result.text, "short": short, "seconds": result.seconds, "answered": bool(body)}
    if body:
        sentences = []
        for text, cited in result.sentences:
            premises = tuple(result.sources[n - 1]["text"] for n in cited if 1 <= n <= len(result.sources))
            sentences.append(metrics.CitedSentence(text, premises))
        score = metrics.citation_scores(sentences, judge)
        row["citation_recall"], row["citation_precision"] = score.recall, score.precision
    return row


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answered = [r for r in rows if r["answered"]]
    return {
        "questions": len(rows),
        "answered": len(answered),
        "em": metrics.mean([r["em"] for r in rows]),
        "f1": metrics.mean([r["f1"] for r in rows]),
        "citation_recall": metrics.mean([r.get("citation_recall", 0.0) for r in answered]),
        "citation_precision": metrics.mean([r.get("citation_precision", 0.0) for r in answered]),
        "seconds_p50": statistics.median(r["seconds"] for r in rows),
        "seconds_p95": metrics.percentile([r["seconds"] for r in rows], 95),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared/eval/realtimeqa/dev.jsonl")
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    settings = Settings(data_dir=args.index_dir)
    pipeline = Pipeline(settings)
    judge = LLMEntailment(models.make_judge_llm(settings) if settings.eval_judge_backend != "local" else pipeline.llm)
    engine = CitationEngine(pipeline)
    gold = [q for q in load_questions(args.questions) if q.has_gold][: args.limit]
    rows: dict[str, list[dict[str, Any]]] = {"Attest": [], "LlamaIndex CitationQueryEngine": []}
    for q in gold:
        for name, row in (
            ("Attest", attest_row(pipeline, judge, q)),
            ("LlamaIndex CitationQueryEngine", engine_row(engine, pipeline, judge, q)),
        ):
            row.update(id=q.id, gold=q.answer, em=metrics.exact_match(row["short"], q.answer))
            row["f1"] = metrics.token_f1(row["short"], q.answer)
            rows[name].append(row)
        print(
            f"{q.id}: Attest {rows['Attest'][-1]['short']!r} / engine "
            f"{rows['LlamaIndex CitationQueryEngine'][-1]['short']!r} / gold {q.answer!r}",
            file=sys.stderr,
        )
    results = {
        "index": str(args.index_dir),
        "judge": judge.name,
        "summary": {k: summary(v) for k, v in rows.items()},
        "rows": rows,
    }
    out = ROOT / "bench" / "results" / "answer_quality.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print(table(results))


def table(r: dict[str, Any]) -> str:
    lines = [
        f"Index: {r['index']}; citation judge: {r['judge']}.",
        "",
        "| system | answered | EM | F1 | citation recall | citation precision | seconds p50 / p95 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, s in r["summary"].items():
        lines.append(
            f"| {name} | {s['answered']}/{s['questions']} | {s['em']:.3f} | {s['f1']:.3f} | {s['citation_recall']:.3f} "
            f"| {s['citation_precision']:.3f} | {s['seconds_p50']:.1f} / {s['seconds_p95']:.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
