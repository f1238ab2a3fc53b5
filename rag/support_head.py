"""Scores read from the contradiction model's own representation: "does this evidence state the
claim" (the support head) and "does it contradict it" (the contradiction head).

The contradiction model (:mod:`rag.nli`) has no "entails" output, and its P(contradiction) is
high for many true paraphrases, so a sentence that states a claim in other words was vetoed. This
head is a logistic regression on the model's pooled vector (the 384 numbers its classifier reads,
plus its P): P(the evidence states the claim). It was trained by ``bench/claims_synthetic.py``
only on claims the local LLM wrote from RealTime QA sentences that no labelled claim is about
(restated -> states it; a plausible unstated claim, or the restated claim against another
sentence of the article -> does not), and it is used only to overrule the model's veto on a
sentence that already passes every other support check (:mod:`rag.nli_judge`).

The contradiction head is the same kind of regression, trained by the same script on claims the
LLM wrote to contradict a sentence (-> contradicts) against the restated and unstated ones and
against other sentences of the article (-> does not). The model's own P(contradiction) is near 1.0
for many sentences that merely share a topic, so it decides alone only at 0.99 and misses
contradictions of meaning ("met heavy resistance" against "without encountering any resistance");
the head backs such a contradiction on a same-topic sentence (:mod:`rag.nli_judge`).

The weights ship in ``rag/assets/support_head.json`` and ``rag/assets/contradiction_head.json``
(about 400 numbers each, no corpus text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

ASSET = "assets/support_head.json"
CONTRADICTION_ASSET = "assets/contradiction_head.json"
#: Graph tensor the head reads: the pooled, activated [CLS] vector the model's classifier reads.
POOLED_OUTPUT = "/m/pooler/Mul_1_output_0"


class HeadUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class SupportHead:
    """``score(pooled, contradiction)`` -> P(the evidence states the claim), or, loaded from
    ``CONTRADICTION_ASSET``, P(the claim contradicts the evidence)."""

    weights: np.ndarray  # one per pooled value, then one for P(contradiction)
    bias: float
    source: str  # how it was trained (rag.nli_judge.STATES and CONTRADICTS_HEAD are where it decides)

    @classmethod
    def load(cls, path: Path | None = None, asset: str = ASSET) -> SupportHead:
        try:
            raw = json.loads((path or Path(str(resources.files("rag") / asset))).read_text())
            return cls(np.array(raw["weights"], dtype=np.float64), float(raw["bias"]), str(raw["source"]))
        except (OSError, ValueError, KeyError) as error:
            raise HeadUnavailable(f"cannot read {path or asset} ({error}); reinstall attest") from None

    def score(self, pooled: np.ndarray, contradiction: float) -> float:
        features = np.append(np.asarray(pooled, dtype=np.float64), contradiction)
        if features.shape != self.weights.shape:
            raise HeadUnavailable(f"the head expects {self.weights.size} features, got {features.size}")
        return float(1 / (1 + np.exp(-(features @ self.weights + self.bias))))


def with_pooled_output(model_file: Path) -> bytes:
    """The model graph with the pooled vector as a second output, edited in memory (``onnx``);
    the installed file is not changed."""
    try:
        import onnx
    except ModuleNotFoundError as error:
        raise HeadUnavailable(f"the onnx package is missing (pip install onnx): {error}") from None
    graph = onnx.load(str(model_file))
    if POOLED_OUTPUT not in {node_output for node in graph.graph.node for node_output in node.output}:
        raise HeadUnavailable(f"{model_file} has no tensor {POOLED_OUTPUT}: not the graph the head was trained on")
    graph.graph.output.append(onnx.helper.make_empty_tensor_value_info(POOLED_OUTPUT))
    return bytes(graph.SerializeToString())
