"""Would "the cited article leaves out a name the question gives" tell a wrong answer from a right one?

    python bench/question_names.py REPORT.json QUESTIONS.jsonl [REPORT2.json QUESTIONS2.jsonl ...]

Reads ``attest eval --report`` files (no model, no index). For each answered question it asks
``rag.judge.missing_names`` (the claim judge's rule) which of the question's names an article
leaves out:

- gold-article questions: the question's gold article (a right answer is almost always cited
  from it; reports written before the per-question "cited" quotes were kept have no quote);
- abstention (gold article removed): the article the answer cites, found in the corpus by title.

An answer is right when it contains the gold answer or shares half its words (F1 >= 0.5). Prints
each flagged answer and a count of (part, right/wrong, flagged/passed): how many wrong answers a
gate on missing names would turn into "not in the corpus", and how many right ones it would lose.
The corpus is read from ../shared/eval at run time.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.judge import missing_names  # noqa: E402

CORPUS = ROOT.parent / "shared" / "eval" / "realtimeqa" / "corpus.jsonl.gz"


def main() -> None:
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit("usage: python bench/question_names.py REPORT.json QUESTIONS.jsonl [REPORT QUESTIONS ...]")
    articles: dict[str, dict] = {}
    by_title: dict[str, list[dict]] = {}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            articles[doc["doc_id"]] = doc
            by_title.setdefault(doc.get("title") or "", []).append(doc)
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for report_path, questions_path in zip(args[::2], args[1::2]):
        name = Path(questions_path).stem
        lines = Path(questions_path).read_text(encoding="utf-8").splitlines()
        questions = {str(q["id"]): q for q in map(json.loads, filter(str.strip, lines))}
        report = json.loads(Path(report_path).read_text())
        for row in report["answers"]["per_question"]:
            if row["status"] != "answered":
                continue
            gold = articles[questions[row["id"]]["doc_ids"][0]]
            missing = missing_names(row["question"], gold["text"], {}, gold.get("title") or "")
            _count(counts, name, "gold article", row, missing)
        for row in (report.get("abstention") or {}).get("per_question", []):
            if row["status"] != "answered" or not row.get("cited"):
                continue
            question = questions[row["id"]]["question"]
            cited = row["cited"][0]
            found = by_title.get(cited.get("title") or "", [])
            text = " ".join(d["text"] for d in found) or " ".join(c["quote"] for c in row["cited"])
            missing = missing_names(question, text, {}, cited.get("title") or "")
            _count(counts, name, "gold removed", row, missing)
    print("\n| set | questions | answer | flagged (a name missing) | passed |")
    print("| --- | --- | --- | --- | --- |")
    for key in sorted({k[:3] for k in counts}):
        print(f"| {' | '.join(key)} | {counts[(*key, 'flagged')]} | {counts[(*key, 'passed')]} |")


def _count(counts: Counter, name: str, part: str, row: dict, missing: list[str]) -> None:
    right = row.get("str_em", 0) > 0 or row.get("f1", 0) >= 0.5
    counts[(name, part, "right" if right else "wrong", "flagged" if missing else "passed")] += 1
    if missing:
        print(f"{name}, {part}, {'right' if right else 'wrong'}: missing {', '.join(missing)} | {row['answer'][:60]}")


if __name__ == "__main__":
    main()
