"""How far the ALCE citation judge of ``attest eval`` can be trusted: the configured judge
(``ATTEST_EVAL_JUDGE_*``, default the local LLM; ``rag.eval_judges.LLMEntailment``) on pairs
whose answer is known.

    python bench/alce_judge.py --index-dir ~/.attest/eval/full --limit 60 [--report full-answers.json]

For each dev question with a gold article (the first ``--limit`` whose gold answer occurs in one
of its gold article's chunks, chunked as ``attest ingest`` chunks it), three pairs are judged, in
the form ``attest eval`` judges a short answer (``as_claim``: 'The answer to the question "..."
is: X.'), against a premise in the form it cites (``as_premise``: title and chunk):

- stated: the gold answer against the chunk that states it (should be entailed);
- not stated: the gold answer against the passage Attest retrieves first for the question (from
  ``--index-dir``, at the question's date) that does not hold the answer (should not: a passage
  on the question's topic that does not say it);
- wrong answer: another of the question's multiple-choice options, absent from the chunk,
  against the chunk that states the gold answer (should not).

Accuracy per kind (its "yes" rate on stated pairs is about what citation recall can reach
with this judge when every citation is right; a "yes" on the others inflates the scores) and
seconds per call are written to bench/results/alce_judge.json. The "not stated" and "wrong answer"
pairs are told by the gold answer's absence from the chunk, so a chunk that states it in other
words counts as not stating it. Questions and articles are read from ../shared/eval at run time.

``--rescore``: no LLM call; re-score the rows of the last run (bench/results/alce_judge.json) as
the reading judge would now: each stored reading against its hypothesis's answer with today's
``rag.metrics.answers_agree`` (how a change of that rule moves the judge; ``--index-dir`` unused).

``--report``: an ``attest eval --report`` file; its citation recall over the answers that contain
the gold answer (STR-EM) is printed beside the judge's "yes" rate on stated pairs, i.e. how a
right answer's citations fare against what this judge accepts of citations known to be right.
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

from index.chunking import chunk_document  # noqa: E402
from index.loaders import load_file  # noqa: E402
from index.settings import Settings  # noqa: E402
from index.types import ArticleRef, SourceDocument  # noqa: E402
from rag import metrics, models  # noqa: E402
from rag.eval_data import EvalQuestion, load_questions  # noqa: E402
from rag.eval_judges import LLMEntailment, as_claim, as_premise  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Filters, Passage  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "realtimeqa"


def gold_documents(corpus: Path, wanted: set[str]) -> dict[str, SourceDocument]:
    """The corpus's articles named in ``wanted``, loaded as ``attest ingest`` loads them."""
    found: dict[str, SourceDocument] = {}
    for doc in load_file(corpus):
        if isinstance(doc, SourceDocument) and doc.source.rsplit("#", 1)[-1] in wanted:
            found[doc.source.rsplit("#", 1)[-1]] = doc
    return found


def premises(doc: SourceDocument) -> list[str]:
    ref = ArticleRef(doc_id=doc.doc_id, title=doc.meta.title)
    return [as_premise(Passage(0, c.chunk_id, ref, c.start, c.end, c.text, 0.0)) for c in chunk_document(doc)]


def pairs(q: EvalQuestion, gold_articles: list[SourceDocument], retrieved: list[str]) -> list[tuple[str, str, str]]:
    """(kind, premise, hypothesis) for one question; [] when no chunk states the gold answer."""
    chunks = [p for doc in gold_articles for p in premises(doc)]
    stating = [p for p in chunks if metrics.contains_answer(p, q.answer)]
    if not stating:
        return []
    stated = stating[0]
    out = [("stated", stated, as_claim(q.question, q.answer))]
    silent = [p for p in retrieved if not metrics.contains_answer(p, q.answer)]
    if silent:
        out.append(("not stated", silent[0], as_claim(q.question, q.answer)))
    wrong = [c for c in q.choices if metrics.normalize_answer(c) != metrics.normalize_answer(q.answer)]
    wrong = [c for c in wrong if not metrics.contains_answer(stated, c)]
    if wrong:
        out.append(("wrong answer", stated, as_claim(q.question, wrong[0])))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=Path, default=EVAL / "dev.jsonl")
    parser.add_argument("--corpus", type=Path, default=EVAL / "corpus.jsonl.gz")
    parser.add_argument("--index-dir", type=Path, help="an index `attest eval` built (required unless --rescore)")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--report", type=Path, help="an `attest eval --report` JSON file")
    parser.add_argument("--rescore", action="store_true", help="re-score the last run's readings; no LLM")
    args = parser.parse_args()
    if args.rescore:
        rescore(ROOT / "bench" / "results" / "alce_judge.json")
        return
    if args.index_dir is None:
        parser.error("--index-dir is required (or use --rescore)")
    questions = [q for q in load_questions(args.questions) if q.has_gold]
    found = gold_documents(args.corpus, {d for q in questions for d in q.doc_ids})
    settings = Settings(data_dir=args.index_dir)
    pipeline = Pipeline(settings)
    judged: list[tuple[EvalQuestion, list[tuple[str, str, str]]]] = []
    for q in questions:
        retrieved = [as_premise(p) for p in pipeline.search(q.question, Filters(as_of=q.question_date or None))]
        made = pairs(q, [found[d] for d in q.doc_ids if d in found], retrieved)
        if made:
            judged.append((q, made))
        if len(judged) >= args.limit:
            break
    llm = models.make_judge_llm(settings) if settings.eval_judge_backend != "local" else pipeline.llm
    label, read = LLMEntailment(llm, "label"), LLMEntailment(llm, "read")
    rows: list[dict[str, Any]] = []
    for q, made in judged:
        for kind, premise, hypothesis in made:
            row: dict[str, Any] = {"id": q.id, "kind": kind}
            for style, judge in (("label", label), ("read", read)):
                start = time.perf_counter()
                row[style] = judge(premise, hypothesis)
                row[f"seconds_{style}"] = round(time.perf_counter() - start, 2)
            row["either"] = row["label"] or row["read"]
            row["read_answer"] = read.read(premise, q.question)
            row["hypothesis"], row["premise"] = hypothesis, premise  # bench/results/ is not committed
            rows.append(row)
            print(q.id, kind, row["label"], row["read"], repr(row["read_answer"]), file=sys.stderr)
    summary = {style: summarize(rows, style) for style in STYLES}
    if args.report:
        right = right_answers(json.loads(args.report.read_text()))
    out = ROOT / "bench" / "results" / "alce_judge.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    results = {"judge": llm.name, "questions": len(judged), "summary": summary, "rows": rows}
    if args.report:
        results["right_answers"] = right
    out.write_text(json.dumps(results, indent=2))
    print(table(summary, len(judged), llm.name, right if args.report else None))


STYLES = ("label", "read", "either")  # rag.eval_judges.JUDGE_STYLES; "either" is read off the other two


def rescore(path: Path) -> None:
    """The stored rows judged again by reading, with today's agreement rule; prints what moved."""
    if not path.exists():
        sys.exit(f"error: {path} not found; run this script once with --index-dir first")
    results = json.loads(path.read_text())
    rows = results["rows"]
    for row in rows:
        answer = row["hypothesis"].rsplit(" is: ", 1)[-1].removesuffix(".")
        agree = metrics.answers_agree(row["read_answer"], answer)
        if agree != row["read"]:
            print(f"{row['id']} {row['kind']}: {row['read_answer']!r} / {answer!r}: {row['read']} -> {agree}")
        row["read"], row["either"] = agree, agree or row["label"]
    summary = {style: summarize(rows, style) for style in STYLES}
    print(table(summary, results["questions"], results["judge"], results.get("right_answers")))


def summarize(rows: list[dict[str, Any]], style: str) -> dict[str, Any]:
    by_kind: dict[str, dict[str, float]] = {}
    for kind in ("stated", "not stated", "wrong answer"):
        mine = [r for r in rows if r["kind"] == kind]
        right = sum(r[style] == (kind == "stated") for r in mine)
        by_kind[kind] = {"pairs": len(mine), "right": right, "accuracy": round(right / len(mine), 3) if mine else 0.0}
    right = sum(k["right"] for k in by_kind.values())
    seconds = [sum(r[f"seconds_{s}"] for s in ("label", "read") if s == style or style == "either") for r in rows]
    return {
        "kinds": by_kind,
        "accuracy": round(right / len(rows), 3) if rows else 0.0,
        "seconds_p50": statistics.median(seconds) if rows else 0.0,
    }


def right_answers(report: dict[str, Any]) -> dict[str, Any]:
    """Citation recall and precision of an eval report's answers that contain the gold answer."""
    right = [r for r in report["answers"]["per_question"] if r.get("status") == "answered" and r.get("str_em")]
    return {
        "answers": len(right),
        "citation_recall": round(statistics.mean(r["citation_recall"] for r in right), 3) if right else 0.0,
        "citation_precision": round(statistics.mean(r["citation_precision"] for r in right), 3) if right else 0.0,
    }


def table(summary: dict[str, Any], questions: int, judge: str, right: dict[str, Any] | None) -> str:
    lines = [
        f"{questions} questions; judge {judge}. Right / pairs per kind.",
        "",
        "| style | stated (yes) | not stated (no) | wrong answer (no) | accuracy | s per pair p50 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for style, s in summary.items():
        cells = " | ".join(f"{k['right']}/{k['pairs']}" for k in s["kinds"].values())
        lines.append(f"| {style} | {cells} | {s['accuracy']:.3f} | {s['seconds_p50']:.2f} |")
    if right:
        lines += [
            "",
            f"Answers of the report that contain the gold answer: {right['answers']}; their citation recall "
            f"{right['citation_recall']:.3f}, precision {right['citation_precision']:.3f} (with the report's judge).",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
