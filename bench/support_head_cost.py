"""What the support and contradiction heads (rag/support_head.py) cost the claim judge: loading
the contradiction model with and without them (the graph edited in memory to expose the pooled
vector), and the time per pair of each, the two taking turns, on pairs of the evidence
bench/claims.py kept. Take several rounds: on a quiet machine 3 rounds gave 1.33x where 5 gave 0.98x.

    python bench/claims.py --sets written,team --data-dir DIR   # writes bench/results/claims-nli.json
    python bench/support_head_cost.py [--pairs 120] [--rounds 3]
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

from rag.nli import ContradictionModel  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/claims-nli.json")
    parser.add_argument("--pairs", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    claims = json.loads(args.results.read_text())["predictions"]
    pairs = list(dict.fromkeys((e["text"], c["clean"]) for c in claims for e in c["evidence"]))[: args.pairs]
    load: dict[str, list[float]] = {"with head": [], "without": []}
    per_pair: dict[str, list[float]] = {"with head": [], "without": []}
    for _ in range(args.rounds):
        for name, head in (("with head", True), ("without", False)):
            model = ContradictionModel(threads=2, head=head)
            started = time.perf_counter()
            model.contradiction(pairs[:1])  # loads the model, then scores one pair
            load[name].append(time.perf_counter() - started)
            started = time.perf_counter()
            model.contradiction(pairs[1:])
            per_pair[name].append((time.perf_counter() - started) / (len(pairs) - 1))
    print(f"{len(pairs)} pairs, {args.rounds} rounds, medians:")
    for name in load:
        ms = statistics.median(per_pair[name]) * 1000
        print(f"  {name}: load {statistics.median(load[name]):.2f} s, {ms:.0f} ms a pair")
    ratio = statistics.median(per_pair["with head"]) / statistics.median(per_pair["without"])
    extra = statistics.median(load["with head"]) - statistics.median(load["without"])
    print(f"with head / without, per pair: {ratio:.2f}x; load: {extra:+.2f} s")


if __name__ == "__main__":
    main()
