"""Other "does this sentence state the claim" signals for the NLI judge, tried on the evidence that
bench/claims.py kept (no retrieval is re-run): each replaces or overrides the contradiction model's
veto on support, everything else stays as in rag/nli_judge.py.

    python bench/claims.py --sets written,team --data-dir DIR   # writes bench/results/claims-nli.json
    python bench/claims_signals.py            # the tuning claims (written/tune + team) only
    python bench/claims_signals.py --test     # and, once a setting is chosen, the held-out half

Signals:
- ``window``: the judge before the support head (bench/claims_synthetic.py): P(contradiction) of
  the whole evidence window, veto at NO_SUPPORT;
- ``focus``: the model scored on the fewest clauses of the window that hold most of the claim's
  words (the model's P rises with every unrelated figure or name in a long window);
- ``both-orders``: the smaller P of (evidence, claim) and (claim, evidence);
- ``similarity``: the veto is overruled when the packaged MiniLM embedder puts the claim and one
  sentence of the window at cosine >= ``--cosine`` (it was trained on paraphrase and NLI pairs).

Loads the contradiction model and the embedder (both from their PyPI packages; nothing is fetched).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))

from claims_tune import verdict  # noqa: E402

from index.embedding import MiniLMOnnxEmbedder  # noqa: E402
from rag import lexical  # noqa: E402
from rag.nli import ContradictionModel  # noqa: E402

CLAUSE = re.compile(r"(?<=[.!?])\s+|\n+|\s*[;:,\u2014\u2013()]\s*|\s+-\s+")
SENTENCE = re.compile(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"])|\n+")
Veto = Callable[[dict, str], float]  # (claim, evidence text) -> the P kept under NO_SUPPORT for a support


def focus(claim: str, text: str, aliases: dict[str, str]) -> str:
    """The shortest run of clauses of ``text`` with the most of ``claim``'s content words."""
    parts = [p for p in CLAUSE.split(text) if p and p.strip()]
    best: tuple[tuple[float, int, int], str] | None = None
    for i in range(len(parts)):
        for j in range(i, len(parts)):
            span = ", ".join(parts[i : j + 1])
            key = (round(lexical.recall(claim, span, aliases), 3), i - j, -len(span))
            if best is None or key > best[0]:
                best = (key, span)
    return best[1] if best else text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/claims-nli.json")
    parser.add_argument("--test", action="store_true", help="also score the held-out half (read it once)")
    parser.add_argument("--cosine", type=float, default=0.75, help="similarity that overrules the veto")
    args = parser.parse_args()
    splits = ["tune", "all", "test"] if args.test else ["tune", "all"]
    claims = [c for c in json.loads(args.results.read_text())["predictions"] if c["split"] in splits]
    model, embedder = ContradictionModel(threads=2), MiniLMOnnxEmbedder(threads=2)
    window, spans = {}, {}
    for claim in claims:
        for item in claim["evidence"]:
            key = (claim["clean"], item["text"])
            window[key] = item["contradiction"] or 0.0
            spans[key] = focus(claim["clean"], item["text"], claim["aliases"])
    print(f"scoring {len(window)} (claim, evidence) pairs ...", file=sys.stderr)
    focused = dict(zip(window, model.contradiction([(spans[k], k[0]) for k in window])))
    reverse = dict(zip(window, model.contradiction(list(window))))
    cosine = {}
    for key in window:
        sentences = [s for s in SENTENCE.split(key[1]) if s.strip()] or [key[1]]
        vectors = embedder.embed([key[0], *sentences])
        vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        cosine[key] = float((vectors[1:] @ vectors[0]).max())

    signals: dict[str, Veto] = {
        "window": lambda c, t: window[c["clean"], t],
        "focus": lambda c, t: focused[c["clean"], t],
        "both-orders": lambda c, t: min(window[c["clean"], t], reverse[c["clean"], t]),
        "similarity": lambda c, t: window[c["clean"], t] if cosine[c["clean"], t] < args.cosine else 0.0,
    }
    print("| signal | split | n | right | accuracy | false supported |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, veto in signals.items():
        for split, members in (("tune+team", ("tune", "all")), ("test", ("test",))):
            chosen = [c for c in claims if c["split"] in members]
            if not chosen:
                continue
            counts = Counter((c["label"], verdict(c, 0.45, veto, head=False)) for c in chosen)
            right = sum(n for (gold, got), n in counts.items() if gold == got)
            false_supported = sum(n for (gold, got), n in counts.items() if got == "supported" != gold)
            print(f"| {name} | {split} | {len(chosen)} | {right} | {right / len(chosen):.3f} | {false_supported} |")


if __name__ == "__main__":
    main()
