"""An answer after another prompt took llama.cpp's context: with the answering prefix put back from
memory (rag/llm.py, the default) and without it, in the same run.

    python bench/prefix_restore.py [--rounds 5]

Over seeds/ with the default local model: each round asks the chat UI's follow-up rewrite (its own
system message: it takes the context), then one of five questions, once with the kept prefix put
back and once without, alternating which goes first. Reports, per mode, the median of the
answer's cached prompt tokens, its prefill seconds and the seconds to its first token, and the
ratio of the medians. Run it on a quiet machine. Writes bench/results/prefix_restore.json.
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
        for round_ in range(args.rounds):
            modes = list(rows) if round_ % 2 == 0 else list(reversed(rows))
            for mode in modes:
                question = QUESTIONS[round_ % len(QUESTIONS)]
                llm.keep_prefix = mode == "kept prefix put back"
                llm.complete(prompt.followup_messages("And what did they say about that?", [], 200), max_tokens=8)
                answer = pipeline.ask(question)
                g = answer.generation
                rows[mode].append(
                    {
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
        "prefill_ratio": round(kept["prefill_seconds"] / again["prefill_seconds"], 3),
        "first_token_ratio": round(kept["first_token_seconds"] / again["first_token_seconds"], 3),
        "runs": rows,
    }
    out = ROOT / "bench/results/prefix_restore.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print("| after a follow-up rewrite | cached tokens | prompt tokens | prefill s | first token s |")
    print("| --- | --- | --- | --- | --- |")
    for mode, m in summary.items():
        print(
            f"| {mode} | {m['cached_tokens']:.0f} | {m['prompt_tokens']:.0f} | {m['prefill_seconds']:.2f} "
            f"| {m['first_token_seconds']:.2f} |"
        )
    print(f"kept / prefilled again: prefill {result['prefill_ratio']}x, first token {result['first_token_ratio']}x")


if __name__ == "__main__":
    main()
