"""How often the evidence the model is shown holds the gold answer: a check of evidence selection
with no model.

    python bench/evidence_recall.py --index-dir DIR QUESTIONS[:SPLIT] [QUESTIONS[:SPLIT] ...] \
        [--sentences 8] [--chars 1400] [--kind-bonus 0.05]

``DIR`` is an index ``attest eval`` built over the whole corpus (``--corpus``, by default
../shared/eval/realtimeqa/corpus.jsonl.gz); questions whose gold article is not in the corpus
are skipped. Each gold-article question is searched as ``attest ask`` searches it (its date as the
as-of date, its time frame, rag.answer.Answerer.retrieve), its evidence sentences selected
(rag.passages.select_evidence with these budgets), and counted as held when the gold answer is
in them (word for word, or as rag.containment.contains reads it). ``:SPLIT`` keeps one split of a
bench/data question set (``tune``/``test``); ``=REPORT`` (an ``attest eval --report`` file of that
set) keeps only the questions it answered "not in the corpus": was the answer in what the model
was shown? (``QUESTIONS[:SPLIT][=REPORT]``) Prints one line per set and the ids not held, each
marked ``*`` when the answer is in a sentence of a retrieved passage that selection left out (the
others were not retrieved, or the answer is not written the way the gold has it).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401  (offline defaults first)
from index.settings import Settings  # noqa: E402
from rag import passages  # noqa: E402
from rag.answer import Answerer  # noqa: E402
from rag.containment import contains  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Filters  # noqa: E402


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="+")
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/eval/realtimeqa/corpus.jsonl.gz")
    parser.add_argument("--sentences", type=int, default=None)
    parser.add_argument("--chars", type=int, default=None)
    parser.add_argument("--kind-bonus", type=float, default=passages.KIND_BONUS)
    args = parser.parse_args()
    settings = Settings(data_dir=args.index_dir)
    settings = settings.model_copy(
        update={
            "answer_evidence_sentences": args.sentences or settings.answer_evidence_sentences,
            "answer_evidence_chars": args.chars or settings.answer_evidence_chars,
        }
    )
    sentences, chars = settings.answer_evidence_sentences, settings.answer_evidence_chars
    passages.KIND_BONUS = args.kind_bonus
    pipeline = Pipeline(settings)
    answerer = Answerer(settings, pipeline.retriever, None, pipeline.embedder)  # type: ignore[arg-type]
    with gzip.open(args.corpus, "rt", encoding="utf-8") as corpus:
        indexed = {json.loads(line)["doc_id"] for line in corpus if line.strip()}
    print(f"evidence: {sentences} sentences, {chars} characters, kind bonus {args.kind_bonus}")
    for spec in args.questions:
        spec, _, report = spec.partition("=")
        path, _, split = spec.partition(":")
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        rows = [r for r in rows if r.get("doc_ids") and (not split or r.get("split") == split)]
        if report:
            answers = json.loads(Path(report).read_text(encoding="utf-8"))["answers"]["per_question"]
            unanswered = {a["id"] for a in answers if a["status"] != "answered"}
            rows = [r for r in rows if r.get("id") in unanswered]
        held, missing = 0, []
        for row in rows:
            if not any(d in indexed for d in row["doc_ids"]):
                continue
            question = row["question"]
            _, _, aliases, scored, shown = answerer.evidence(
                question, Filters(as_of=row["question_date"].replace("/", "-")), settings.top_k
            )
            text = " ".join(e.sentence.text for e in shown)
            gold = row["answer"] if isinstance(row["answer"], str) else row["answer"][0]
            if _holds(text, gold, aliases):
                held += 1
            else:
                retrieved = any(_holds(x.text, gold, aliases) for s in scored for x in s.sentences)
                missing.append(str(row.get("id")) + ("*" if retrieved else ""))
        left_out = sum(m.endswith("*") for m in missing)
        print(
            f"{spec}: gold answer in the evidence for {held} of {held + len(missing)}; not ({left_out} of them"
            f" in a retrieved passage, *): {' '.join(missing)}"
        )


def _holds(text: str, gold: str, aliases: dict[str, str]) -> bool:
    return _plain(gold) in _plain(text) or contains(text, gold, aliases)


if __name__ == "__main__":
    main()
