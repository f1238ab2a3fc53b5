"""Re-score the answer-scope gate (rag/answer_scope.py) on stored eval reports, with no model.

    python bench/answer_scope.py REPORT.json QUESTIONS.jsonl [REPORT2.json QUESTIONS2.jsonl ...]

Reads ``attest eval --report`` files written with per-question ``cited`` quotes (3472274 or
later) and asks :func:`rag.answer_scope.off_topic` of each answered question: would the gate
withhold this answer, given the articles it cites (found in the corpus by title) and its short
answer? Both parts of a report count: the gold-article questions and the abstention questions
(gold article removed). An answer is right when it contains the gold answer or shares half its
words (F1 >= 0.5).

Prints each answer the gate would withhold, a table of (set, part, right/wrong, withheld/kept),
and what each set's "not in the corpus" count would become. Run a live ``attest eval`` to confirm:
the gate here sees the answer's text, the live one the model's own reply (the same for a
one-sentence answer). The corpus is read
from ../shared/eval at run time.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.answer_scope import CitedArticle, off_topic  # noqa: E402

CORPUS = ROOT.parent / "shared" / "eval" / "realtimeqa" / "corpus.jsonl.gz"
_MARKERS = re.compile(r"\s*\[\d+\]")


def main() -> None:
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit("usage: python bench/answer_scope.py REPORT.json QUESTIONS.jsonl [REPORT QUESTIONS ...]")
    by_title: dict[str, list[dict]] = {}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            by_title.setdefault(doc.get("title") or "", []).append(doc)
    counts: Counter[tuple[str, str, str, str]] = Counter()
    not_found: Counter[tuple[str, str]] = Counter()
    for report_path, questions_path in zip(args[::2], args[1::2]):
        name = Path(questions_path).stem
        report = json.loads(Path(report_path).read_text())
        lines = Path(questions_path).read_text(encoding="utf-8").splitlines()
        asked = {str(q["id"]): q["question"] for q in map(json.loads, filter(str.strip, lines))}
        for part, key in (("gold article", "answers"), ("gold removed", "abstention")):
            for row in (report.get(key) or {}).get("per_question", []):
                if row["status"] != "answered":
                    not_found[(name, part)] += 1
                    continue
                if "cited" not in row and part == "gold article":
                    sys.exit(f"{report_path} has no cited quotes per question: re-run attest eval (3472274 or later)")
                reason = off_topic(asked[str(row["id"])], _short(row), _articles(row, by_title))
                right = row.get("str_em", 0) > 0 or row.get("f1", 0) >= 0.5
                counts[(name, part, "right" if right else "wrong", "withheld" if reason else "kept")] += 1
                if reason:
                    not_found[(name, part)] += 1
                    print(f"{name}, {part}, {'right' if right else 'wrong'}: {row['answer'][:50]!r} -- {reason}")
    print("\n| set | part | answer | withheld | kept |")
    print("| --- | --- | --- | --- | --- |")
    for k in sorted({k[:3] for k in counts}):
        print(f"| {' | '.join(k)} | {counts[(*k, 'withheld')]} | {counts[(*k, 'kept')]} |")
    print("\n| set | part | not in the corpus with the gate |")
    print("| --- | --- | --- |")
    for (name, part), n in sorted(not_found.items()):
        print(f"| {name} | {part} | {n} |")


def _short(row: dict) -> str:
    """The model's answer as the live gate sees it: the answer's text without its markers (the
    report's short answer may be one the eval's LLM took from a sentence)."""
    return _MARKERS.sub("", row.get("answer", "")).strip()


def _articles(row: dict, by_title: dict[str, list[dict]]) -> list[CitedArticle]:
    articles: dict[str, CitedArticle] = {}
    for cited in row["cited"]:
        title = cited.get("title") or ""
        found = by_title.get(title) or [{"text": cited.get("quote", "")}]
        for doc in found:
            articles.setdefault(doc["text"][:200], CitedArticle(title, doc["text"], cited.get("outlet") or ""))
    return list(articles.values())


if __name__ == "__main__":
    main()
