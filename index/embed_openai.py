"""Sentence embeddings from a server: any OpenAI-compatible ``/v1/embeddings`` endpoint (OpenAI,
vLLM, text-embeddings-inference, Infinity, Ollama), through the ``openai`` client.

Texts go in batches of ``batch_size``; up to ``concurrency`` batches are in flight at once (the
server batches and parallelises better than one request at a time). Retries with exponential
backoff and jitter (0.5 s doubling to 8 s, honouring ``Retry-After``) on connection errors,
timeouts, 408/409/429 and 5xx are the ``openai`` client's own (``max_retries``); what still fails
is one :class:`EmbedderError` line naming the server and the setting to fix. Vectors are asked for
as floats (every server above speaks that; base64 is not universal) and L2-normalised here.

The embedder's ``name`` (the model as the server calls it) is what the index records: an index
built with another embedder is refused at search time, as for the packaged one.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from index.embedding import EmbedderError, normalise


class OpenAIEmbedder:
    """An OpenAI-compatible embeddings server; ``dimension`` is learnt from its first reply."""

    def __init__(
        self,
        base_url: str | None,
        model: str,
        api_key: str = "not-needed",
        batch_size: int = 64,
        concurrency: int = 4,
        retries: int = 4,
        timeout: float = 60.0,
    ) -> None:
        if not base_url:
            raise EmbedderError(
                "ATTEST_EMBED_BACKEND=openai needs the server: set ATTEST_EMBED_BASE_URL (e.g. http://localhost:8080/v1)"
            )
        if not model:
            raise EmbedderError("ATTEST_EMBED_BACKEND=openai needs the model the server serves: set ATTEST_EMBED_MODEL")
        if batch_size < 1 or concurrency < 1 or retries < 0:
            raise ValueError("batch_size and concurrency must be at least 1, retries at least 0")
        self.base_url = base_url
        self.model = model
        self.name = f"{model} (OpenAI-compatible embeddings)"
        self.batch_size = batch_size
        self.concurrency = concurrency
        self._api_key = api_key or "not-needed"
        self._retries = retries
        self._timeout = timeout
        self._client: Any = None
        self._dimension: int | None = None
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self.embed(["dimension"])
        assert self._dimension is not None
        return self._dimension

    def _openai(self) -> Any:
        with self._lock:
            if self._client is None:
                import openai

                self._client = openai.OpenAI(
                    base_url=self.base_url, api_key=self._api_key, max_retries=self._retries, timeout=self._timeout
                )
            return self._client

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension or 0), dtype=np.float32)
        batches = [list(texts[i : i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        if len(batches) == 1 or self.concurrency == 1:
            parts = [self._embed_batch(b) for b in batches]
        else:
            with ThreadPoolExecutor(min(self.concurrency, len(batches)), thread_name_prefix="embed") as pool:
                parts = list(pool.map(self._embed_batch, batches))  # input order; the first error is raised
        return np.concatenate(parts)

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        import openai

        try:
            reply = self._openai().embeddings.create(
                model=self.model,
                input=[t if t.strip() else "." for t in texts],  # servers refuse an empty input
                encoding_format="float",
            )
        except openai.APIConnectionError as exc:  # includes timeouts, after the retries
            raise EmbedderError(
                f"cannot reach the embedding server at {self.base_url} ({exc.__class__.__name__}) after "
                f"{self._retries} retries; start it or fix ATTEST_EMBED_BASE_URL"
            ) from exc
        except openai.APIStatusError as exc:
            raise EmbedderError(
                f"the embedding server at {self.base_url} answered HTTP {exc.status_code} for model "
                f"{self.model!r}: {_short(exc.message)}; check ATTEST_EMBED_MODEL and ATTEST_EMBED_API_KEY"
            ) from exc
        except openai.OpenAIError as exc:
            raise EmbedderError(f"the embedding server at {self.base_url} failed: {_short(str(exc))}") from exc
        rows = sorted(reply.data, key=lambda d: d.index)
        if len(rows) != len(texts):
            raise EmbedderError(
                f"the embedding server at {self.base_url} returned {len(rows)} vectors for {len(texts)} texts"
            )
        vectors = np.asarray([row.embedding for row in rows], dtype=np.float32)
        if vectors.ndim != 2 or not vectors.shape[1]:
            raise EmbedderError(f"the embedding server at {self.base_url} returned no usable vectors")
        with self._lock:
            if self._dimension is None:
                self._dimension = int(vectors.shape[1])
            elif vectors.shape[1] != self._dimension:
                raise EmbedderError(
                    f"the embedding server at {self.base_url} changed its vector size "
                    f"({self._dimension} -> {vectors.shape[1]}); is another model behind it?"
                )
        return normalise(vectors)


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
