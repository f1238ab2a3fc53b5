"""A follow-up's rewrite and answer, each after the other took llama.cpp's context: with their fixed
prompt starts put back from memory (rag/llm.py, the default) and without, in the same run.

    python bench/prefix_restore.py [--rounds 5]

Over seeds/ with the default local model: each round asks the chat UI's follow-up rewrite (its own
system message: it takes the context), then one of five questions, once with the kept prefix put
back and once without, alternating which goes first. Both prompts have a fixed start the model
keeps (the rewrite's from the first time it is used). Reports, per mode, the medians of the
rewrite's cached tokens and prefill seconds, and of the answer's cached prompt tokens, prefill
seconds and seconds to its first token, and the ratios of the medians. Run it on a quiet machine.
Writes bench/results/prefix_restore.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401
from bench.answer_speed import QUESTIONS  # noqa: E402
from index.settings import Settings  # noqa: E402
from rag import prompt  # noqa: E402
from rag.followup import Turn  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rows: dict[str, list[dict[str, float]]] = {"kept prefix put back": [], "prefilled again": []}
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = Pipeline(Settings(data_dir=Path(tmp)))
        pipeline.ingest([ROOT / "seeds"])
        llm: Any = pipeline.llm
        pipeline.ask(QUESTIONS[0])  # loads the model and the prefix
        llm.complete(prompt.followup_messages("And then?", [], 200), max_tokens=1)  # keeps the rewrite's prefix
        for round_ in range(args.rounds):
            modes = list(rows) if round_ % 2 == 0 else list(reversed(rows))
            for mode in modes:
                question = QUESTIONS[round_ % len(QUESTIONS)]
                llm.keep_prefix = mode == "kept prefix put back"
                turns = [Turn(QUESTIONS[(round_ + 1) % len(QUESTIONS)], "Pakistan and Russia agreed to cooperate.")]
                llm.complete(prompt.followup_messages("And what did they say about that?", turns, 200), max_tokens=8)
                rewrite = llm.last_stats
                answer = pipeline.ask(question)
                g = answer.generation
                rows[mode].append(
                    {
                        "rewrite_cached_tokens": float(rewrite.cached_tokens),
                        "rewrite_prefill_seconds": rewrite.prefill_seconds,
                        "cached_tokens": g.get("cached_tokens", 0.0),
                        "prompt_tokens": g.get("prompt_tokens", 0.0),
                        "prefill_seconds": g.get("prefill_seconds", 0.0),
                        "first_token_seconds": answer.timings.get("first_token", 0.0),
                    }
                )
                print(f"{mode}: {rows[mode][-1]}", file=sys.stderr)
        llm.keep_prefix = True
    summary = {mode: {key: statistics.median(r[key] for r in runs) for key in runs[0]} for mode, runs in rows.items()}
    kept, again = summary["kept prefix put back"], summary["prefilled again"]
    result = {
        "rounds": args.rounds,
        "median": summary,
        "rewrite_prefill_ratio": round(kept["rewrite_prefill_seconds"] / again["rewrite_prefill_seconds"], 3),
        "prefill_ratio": round(kept["prefill_seconds"] / again["prefill_seconds"], 3),
        "first_token_ratio": round(kept["first_token_seconds"] / again["first_token_seconds"], 3),
        "runs": rows,
    }
    out = ROOT / "bench/results/prefix_restore.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(
        "| mode | rewrite: cached tokens | rewrite: prefill s | answer: cached tokens | answer: prompt tokens "
        "| answer: prefill s | answer: first token s |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for mode, m in summary.items():
        print(
            f"| {mode} | {m['rewrite_cached_tokens']:.0f} | {m['rewrite_prefill_seconds']:.2f} "
            f"| {m['cached_tokens']:.0f} | {m['prompt_tokens']:.0f} | {m['prefill_seconds']:.2f} "
            f"| {m['first_token_seconds']:.2f} |"
        )
    print(
        f"kept / prefilled again: rewrite prefill {result['rewrite_prefill_ratio']}x; answer prefill "
        f"{result['prefill_ratio']}x, first token {result['first_token_ratio']}x"
    )


if __name__ == "__main__":
    main()
