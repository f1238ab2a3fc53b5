"""Does the quote behind a short answer address the question? ("Harvard University [2]" quoting
"Ivy League schools like Harvard University and Cornell University have similar programs" to
"Which Ivy League school announced it will eliminate student loans?")

A short answer is stated by a quote that contains it (rag/citations.py); this script measures how
much of the question the cited quote (read after its previous sentence, as the judge reads it)
holds, for right and wrong answers, and what a floor on that share would cost and save.

    python bench/short_answer_quotes.py --index-dir DIR [--limit N] [--abstention 30] [--read]

``DIR`` is an index that ``attest eval`` built over the whole corpus (its questions' gold articles
are in it). Each gold-article question is asked as ``attest eval`` asks it (default settings, at
the question's date); the first ``--abstention`` are asked again with their gold articles left
out. Nothing is written but bench/results/short_answer_quotes.json (gitignored).

``--read``: a gate by reading instead of by words. After all answers are given, the local LLM
reads the answer to the question back from each cited quote alone (``rag.eval_judges``'s reading
judge, the quote as its passage); an answer is kept when one reading agrees with it
(``metrics.answers_agree``). Prints what that gate keeps and the seconds per reading (p50, p95).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.settings import Settings  # noqa: E402
from rag import lexical, metrics  # noqa: E402
from rag.answer import Answerer  # noqa: E402
from rag.citations import in_context  # noqa: E402
from rag.containment import is_short  # noqa: E402
from rag.eval_data import doc_key, load_questions  # noqa: E402
from rag.eval_judges import LLMEntailment  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Answer, Filters  # noqa: E402

FLOORS = (0.0, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def row(answer: Answer, question: str, gold: str) -> dict[str, Any]:
    """The answer's short form, whether it is right (token F1 >= 0.5, or the gold answer in it),
    and the best share of the question's words among its cited quotes."""
    short = answer.short or (answer.sentences[0].text if answer.sentences else "")
    quotes = [in_context(c) for c in answer.citations]
    right = metrics.token_f1(short, gold) >= 0.5 or bool(metrics.contains_answer(short, gold))
    return {
        "status": answer.status,
        "short": short,
        "is_short": is_short(short),
        "right": right,
        "question_share": max((lexical.recall(question, q) for q in quotes), default=0.0),
        "quotes": quotes,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared/eval/realtimeqa/dev.jsonl")
    parser.add_argument("--limit", type=int, default=0, help="only the first N gold-article questions")
    parser.add_argument("--abstention", type=int, default=30)
    parser.add_argument("--read", action="store_true", help="also gate each short answer by reading its quotes")
    args = parser.parse_args()
    settings = Settings(data_dir=args.index_dir)
    pipeline = Pipeline(settings)
    questions = [q for q in load_questions(args.questions) if q.has_gold]
    if args.limit:
        questions = questions[: args.limit]
    by_key = {doc_key(r.article): r.doc_id for r in pipeline.store.documents()}
    rows: list[dict[str, Any]] = []
    for number, q in enumerate(questions, start=1):
        asked = [("gold", pipeline.retriever)]
        if number <= args.abstention:
            removed = {by_key[d] for d in q.doc_ids if d in by_key}
            asked.append(("removed", pipeline.retriever.without(removed)))
        for kind, retriever in asked:
            answerer = Answerer(settings, retriever, pipeline.llm, pipeline.embedder, pipeline.judge)
            answer = answerer.ask(q.question, Filters(as_of=q.question_date or None))
            rows.append(
                {"id": q.id, "kind": kind, "question": q.question, "gold": q.answer} | row(answer, q.question, q.answer)
            )
            print(f"{number}/{len(questions)} {kind}: {rows[-1]['status']} {rows[-1]['short'][:40]!r}", file=sys.stderr)
    if args.read:
        read_back(pipeline, [r for r in rows if r["status"] == Answer.ANSWERED and r["is_short"]])
    out = ROOT / "bench/results/short_answer_quotes.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))
    answered = [r for r in rows if r["status"] == Answer.ANSWERED and r["is_short"]]
    print(f"{len(rows)} answers, {len(answered)} short answers given")
    print(
        "| floor on the question's share | right answers kept (gold in) | wrong answers kept (gold in) "
        "| right kept (gold removed) | wrong kept (gold removed) |"
    )
    print("| --- | --- | --- | --- | --- |")
    for floor in FLOORS:
        cells = []
        for kind in ("gold", "removed"):
            for right in (True, False):
                group = [r for r in answered if r["kind"] == kind and r["right"] == right]
                cells.append(f"{sum(r['question_share'] >= floor for r in group)}/{len(group)}")
        print(f"| {floor:.2f} | " + " | ".join(cells) + " |")
    if args.read:
        cells = []
        for kind in ("gold", "removed"):
            for right in (True, False):
                group = [r for r in answered if r["kind"] == kind and r["right"] == right]
                cells.append(f"{sum(r['read_agrees'] for r in group)}/{len(group)}")
        seconds = sorted(t for r in answered for t in r["read_seconds"])
        print("| read back from a quote | " + " | ".join(cells) + " |")
        print(
            f"reading: {len(seconds)} calls, p50 {metrics.percentile(seconds, 50):.2f} s, "
            f"p95 {metrics.percentile(seconds, 95):.2f} s"
        )


def read_back(pipeline: Pipeline, rows: list[dict[str, Any]]) -> None:
    """Each short answer's readings of its quotes, whether one agrees with it, and their seconds."""
    reader = LLMEntailment(pipeline.llm, "read")
    for r in rows:
        r["readings"], r["read_seconds"] = [], []
        for quote in r["quotes"]:
            start = time.perf_counter()
            r["readings"].append(reader.read(quote, r["question"]))
            r["read_seconds"].append(round(time.perf_counter() - start, 2))
        r["read_agrees"] = any(metrics.answers_agree(reading, r["short"]) for reading in r["readings"])


if __name__ == "__main__":
    main()
