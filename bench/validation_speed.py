"""How long citation validation takes per answer, with the score blocks embedded lazily (the
default) and all at once (as before 486842a), on the same drafts. No model: each draft is a
question's gold answer citing the evidence sentence that contains it (as the model usually cites),
or evidence [1] when none does (the draft then falls back to the passages' other windows).

    python bench/validation_speed.py --index-dir DIR [--questions FILE] [--limit 40] [--runs 3]

``DIR`` is an index ``attest eval`` built over the whole corpus. Prints seconds per answer for
both ways in the same run, their ratio, and whether every verdict and citation is the same.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401  (offline defaults first)
from index.settings import Settings  # noqa: E402
from rag import citations  # noqa: E402
from rag.answer import Answerer  # noqa: E402
from rag.citations import CitationValidator, Draft  # noqa: E402
from rag.containment import contains  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Filters  # noqa: E402

LAZY = citations._Scores


class Eager(LAZY):
    """Both blocks embedded up front, as one matrix was before."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for start, end in self._bounds:
            if end > start:
                self[0, start]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared/eval/realtimeqa/dev.jsonl")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    settings = Settings(data_dir=args.index_dir)
    pipeline = Pipeline(settings)
    answerer = Answerer(settings, pipeline.retriever, None, pipeline.embedder)  # type: ignore[arg-type]
    validator = CitationValidator(pipeline.embedder, settings.min_support)
    cases = []
    for line in args.questions.read_text().splitlines()[: args.limit]:
        q = json.loads(line)
        gold = q["answer"][0] if isinstance(q["answer"], list) else q["answer"]
        as_of = Filters(as_of=q["question_date"].replace("/", "-"))
        _, _, aliases, _, shown = answerer.evidence(q["question"], as_of, settings.top_k)
        if shown:
            cited = next((e.number for e in shown if contains(e.sentence.text, gold, aliases)), 1)
            cases.append((q["question"], Draft(gold, [cited]), shown, aliases))
    pipeline.embedder.embed(["warm up"])

    def run(scores: type[LAZY]) -> tuple[float, list[tuple[bool, list[int]]]]:
        citations._Scores = scores  # type: ignore[misc]
        started = time.perf_counter()
        out = []
        for question, draft, shown, aliases in cases:
            sentences, _ = validator.validate([draft], shown, aliases, question)
            out.append((sentences[0].supported, [c.number for c in sentences[0].citations]))
        citations._Scores = LAZY  # type: ignore[misc]
        return (time.perf_counter() - started) / len(cases), out

    eager, lazy, same = [], [], True
    for _ in range(args.runs):
        seconds, before = run(Eager)
        eager.append(seconds)
        seconds, after = run(LAZY)
        lazy.append(seconds)
        same = same and before == after
    cited_right = sum(1 for _, d, s, a in cases if d.cited != [1] or contains(s[0].sentence.text, d.text, a))
    e, la = statistics.median(eager), statistics.median(lazy)
    print(f"{len(cases)} answers ({cited_right} citing a sentence that contains the answer), {args.runs} runs")
    print(f"validation per answer: all at once {e:.3f} s, lazy {la:.3f} s (ratio {la / e:.2f}); same verdicts: {same}")


if __name__ == "__main__":
    main()
