"""Why rag/nli.py scores each (evidence, claim) pair alone: the contradiction model's P for a pair
run alone vs in batches of ``--batch`` (how the judge ran before e6198f4), and the time per pair of
each, alternating, on pairs of the evidence that bench/claims.py kept.

    python bench/claims.py --sets written,team --data-dir DIR   # writes bench/results/claims-nli.json
    python bench/nli_batching.py [--pairs 120] [--batch 8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.nli import CONTRADICTION, ContradictionModel  # noqa: E402


def batched(model: ContradictionModel, pairs: list[tuple[str, str]], size: int) -> list[float]:
    """What ContradictionModel.contradiction computed before e6198f4: ``size`` pairs per run."""
    found: list[float] = []
    for first in range(0, len(pairs), size):
        encoded = model._tokenizer.encode_batch(
            [(" ".join(e.split()), " ".join(c.split())) for e, c in pairs[first : first + size]]
        )
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        logits = model._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        found += [float(p) for p in (shifted / shifted.sum(axis=1, keepdims=True))[:, CONTRADICTION]]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/claims-nli.json")
    parser.add_argument("--pairs", type=int, default=120)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    claims = json.loads(args.results.read_text())["predictions"]
    pairs = list(dict.fromkeys((e["text"], c["clean"]) for c in claims for e in c["evidence"]))[: args.pairs]
    model = ContradictionModel(threads=2)
    model.contradiction(pairs[:1])  # loads the model
    seconds: dict[str, list[float]] = {"alone": [], "batched": []}
    for _ in range(args.rounds):
        model.cache.clear()
        started = time.perf_counter()
        alone = np.array(model.contradiction(pairs))
        seconds["alone"].append(time.perf_counter() - started)
        started = time.perf_counter()
        together = np.array(batched(model, pairs, args.batch))
        seconds["batched"].append(time.perf_counter() - started)
    gap = np.abs(alone - together)
    print(f"{len(pairs)} pairs; P alone vs in batches of {args.batch}: max gap {gap.max():.3f}, mean {gap.mean():.3f}")
    for threshold in (0.85, 0.99):
        print(f"  pairs on other sides of {threshold}: {int(((alone >= threshold) != (together >= threshold)).sum())}")
    per_pair = {name: statistics.median(s) / len(pairs) * 1000 for name, s in seconds.items()}
    print(f"ms per pair (median of {args.rounds}): alone {per_pair['alone']:.0f}, batched {per_pair['batched']:.0f}")
    print(f"alone / batched: {per_pair['alone'] / per_pair['batched']:.2f}x")


if __name__ == "__main__":
    main()
