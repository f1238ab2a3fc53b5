"""What the question's time frame (rag/timeframe.py) does to the evidence, without the LLM.

    python bench/timeframe.py --report REPORT.json --index-dir DIR [--eval-dir ../shared/eval/realtimeqa]

REPORT.json is an ``attest eval --json`` report made on the index in DIR. For its abstention
questions (gold articles removed) it counts how many are left with no evidence at all once
passages from before the frame are dropped (they become "not in the corpus" without an LLM call);
for its gold-article questions that name their time, how many lose their gold article (they
should not) or all their evidence.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401
from index.settings import Settings  # noqa: E402
from rag import passages, timeframe  # noqa: E402
from rag.eval_data import doc_key, load_questions  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Filters  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared/eval/realtimeqa")
    args = parser.parse_args()
    report = json.loads(args.report.read_text())
    questions = {q.id: q for q in load_questions(args.eval_dir / "dev.jsonl")}
    pipeline = Pipeline(Settings(data_dir=args.index_dir))
    s = pipeline.settings

    def evidence(retriever, question):  # type: ignore[no-untyped-def]
        filters = Filters(as_of=question.question_date or None)
        window = timeframe.frame(question.question, retriever.reference_date(filters))
        found = retriever.search(question.question, s.top_k * (2 if window else 1), filters)
        hits, older = timeframe.within(found, window)
        hits = hits[: s.top_k]
        aliases = retriever.acronyms([h.text for h in hits])
        scored = passages.score(hits, question.question, pipeline.embedder, aliases)
        shown = passages.select_evidence(scored, s.answer_evidence_sentences, s.answer_evidence_chars, s.min_relevance)
        return window, hits, older, shown

    abstained = emptied = wrong = wrong_emptied = 0
    rows = report["abstention"]["per_question"]
    for row in rows:
        window, _, _, shown = evidence(pipeline.retriever.without(set(row["removed"])), questions[row["id"]])
        was_answer = row["status"] == "answered"
        abstained += not was_answer
        emptied += was_answer and not shown
        is_wrong = was_answer and not row.get("str_em")
        wrong += is_wrong
        wrong_emptied += is_wrong and not shown
    print(f"abstention: {len(rows)} questions; 'not in the corpus' in the report: {abstained}")
    print(f"  answered in the report, left without evidence by the frame: {emptied} ({wrong_emptied} of {wrong} wrong)")
    framed = gold_lost = gold_dropped = 0
    for row in report["answers"]["per_question"]:
        question = questions[row["id"]]
        window, hits, older, shown = evidence(pipeline.retriever, question)
        if window is None:
            continue
        framed += 1
        gold_dropped += any(doc_key(h.article) in question.doc_ids for h in older)
        gold_lost += row["status"] == "answered" and not shown
    print(f"gold-article questions that name their time: {framed}; gold article dropped by the frame: {gold_dropped}")
    print(f"  answered in the report but left without evidence by the frame: {gold_lost}")


if __name__ == "__main__":
    main()
