"""The first question a new server answers: with the model loaded at start (what ``attest serve``
does, Pipeline.warm_up) against loading it on that question, in the same run.

    python bench/first_question.py --index-dir DIR [--rounds 3] [--pause 5]

``DIR`` is an index of seeds/ (``ATTEST_DATA_DIR=DIR attest ingest seeds``). Each round starts two
fresh processes, one per mode, in turn: "warm-up" calls ``warm_up()`` as the server does, waits
``--pause`` seconds (someone opening the page), then asks; "on demand" asks at once. Seconds are
from the question to the complete answer. Writes bench/results/first_question.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "What did the Kremlin say about the SCO?"

CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
import index  # noqa: F401
from pathlib import Path
from index.settings import Settings
from rag.engine import build_pipeline
pipeline = build_pipeline(Settings(data_dir=Path({index!r})))
if {warm}:
    pipeline.warm_up()
    time.sleep({pause})
started = time.perf_counter()
answer = pipeline.ask({question!r})
print(json.dumps({{"seconds": time.perf_counter() - started, "status": answer.status}}))
"""


def ask(index_dir: Path, warm: bool, pause: float) -> dict[str, float | str]:
    code = CHILD.format(root=str(ROOT), index=str(index_dir), warm=warm, pause=pause, question=QUESTION)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pause", type=float, default=5.0)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float | str]]] = {"warm-up": [], "on demand": []}
    for _ in range(args.rounds):
        runs["warm-up"].append(ask(args.index_dir, True, args.pause))
        runs["on demand"].append(ask(args.index_dir, False, args.pause))
    p50 = {mode: statistics.median(float(r["seconds"]) for r in rows) for mode, rows in runs.items()}
    out = ROOT / "bench" / "results" / "first_question.json"
    out.write_text(json.dumps({"question": QUESTION, "pause": args.pause, "runs": runs, "p50": p50}, indent=2))
    print("| first question in a new process | p50 s | runs | / warm-up |")
    print("| --- | --- | --- | --- |")
    for mode, rows in runs.items():
        seconds = ", ".join(f"{float(r['seconds']):.1f}" for r in rows)
        print(f"| {mode} | {p50[mode]:.1f} | {seconds} | {p50[mode] / p50['warm-up']:.2f}x |")


if __name__ == "__main__":
    main()
