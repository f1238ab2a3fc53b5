"""Generation speed of schema-constrained answers: llama-cpp-python's grammar sampler against
rag/grammar_sampler.py, on the same answers, in one process.

    python bench/grammar_speed.py [--runs 3] [--index-dir DIR]

The five seeds/ questions of bench/answer_speed.py are answered warm by the default local model
(seeds/ ingested into a temporary index unless ``--index-dir`` holds one): per run, all five
with one sampler, then all five with the other, the first sampler alternating by run. Per
answer: generated tokens, generation seconds (first token to last, from the LLM's own stats),
the complete answer's seconds, and whether both samplers wrote the same reply. Run it on a quiet machine.

Writes bench/results/grammar_speed.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401
from bench.answer_speed import QUESTIONS  # noqa: E402
from index.settings import Settings  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402

OUT = ROOT / "bench" / "results" / "grammar_speed.json"
MODES = ("library", "lazy")  # the library's chain (grammar over the whole vocabulary), ours


def answer(pipeline: Pipeline, question: str, lazy: bool) -> dict[str, Any]:
    llm: Any = pipeline.llm
    llm.fast_grammar = lazy
    replies: list[str] = []
    started = time.perf_counter()
    result = pipeline.ask(question, on_token=replies.append)
    total = time.perf_counter() - started
    stats = result.generation  # the draft's completion (not the judge's)
    return {
        "question": question,
        "sampler": "lazy" if lazy else "library",
        "status": result.status,
        "reply": "".join(replies),
        "total_s": total,
        "generated_tokens": stats.get("generated_tokens", 0.0),
        "generation_s": stats.get("generation_seconds", 0.0),
        "prompt_tokens": stats.get("prompt_tokens", 0.0),
        "prefill_s": stats.get("prefill_seconds", 0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, choices=range(1, 11))
    parser.add_argument("--index-dir", type=Path, default=None, help="an index of seeds/ (default: a new one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.index_dir or Path(tmp) / "data"
        pipeline = Pipeline(Settings(data_dir=data_dir, cpu_lock=None))
        if args.index_dir is None:
            pipeline.ingest([ROOT / "seeds"])
        pipeline.ask("Who is the president of Russia?")  # load the model and the caches
        rows = []
        for run in range(args.runs):
            # All five questions with one sampler, then with the other (the first sampler alternates
            # by run): consecutive prompts always differ, so each answer reuses only the system prefix.
            for lazy in (False, True) if run % 2 == 0 else (True, False):
                for question in QUESTIONS:
                    rows.append(answer(pipeline, question, lazy))
                    rows[-1]["run"] = run
                    print(json.dumps({k: v for k, v in rows[-1].items() if k != "reply"}), flush=True)
    summary: dict[str, Any] = {}
    for mode in MODES:
        mine = [r for r in rows if r["sampler"] == mode]
        rates = [(r["generated_tokens"] - 1) / r["generation_s"] for r in mine if r["generation_s"] > 0]
        summary[mode] = {
            "generation_tokens_per_s_p50": statistics.median(rates),
            "generation_s_p50": statistics.median(r["generation_s"] for r in mine),
            "total_s_p50": statistics.median(r["total_s"] for r in mine),
            "generated_tokens_p50": statistics.median(r["generated_tokens"] for r in mine),
            "answered": sum(r["status"] == "answered" for r in mine),
        }
    pairs: dict[tuple[str, int], list[str]] = {}
    for r in rows:
        pairs.setdefault((r["question"], r["run"]), []).append(r["reply"])
    same = sum(len(set(replies)) == 1 for replies in pairs.values())
    summary["same_reply"] = f"{same}/{len(pairs)}"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"runs": args.runs, "summary": summary, "answers": rows}, indent=2))
    print("| sampler | generation tokens/s p50 | generation s p50 | answer s p50 | answered |")
    print("| --- | --- | --- | --- | --- |")
    for mode in MODES:
        s = summary[mode]
        print(
            f"| {mode} | {s['generation_tokens_per_s_p50']:.1f} | {s['generation_s_p50']:.2f} | "
            f"{s['total_s_p50']:.2f} | {s['answered']}/{len(QUESTIONS) * args.runs} |"
        )
    print(f"same reply from both samplers: {summary['same_reply']}")


if __name__ == "__main__":
    main()
