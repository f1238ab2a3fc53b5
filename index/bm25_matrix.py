"""The BM25 matrix built from token strings in batches, with numpy arrays only.

bm25s's own ``BM25.index`` wants every chunk's tokens as Python lists at once: at 1M chunks that
took about 10 GB (docs/benchmarks.md, "1M chunks"). This builds the same Lucene-variant scores
(idf = ln(1 + (N - df + 0.5) / (df + 0.5)); tf / (tf + k1 (1 - b + b len / avg len))) into the same
sparse CSC arrays, token by column, keeping only int32/float32 arrays of the non-zero entries, and
returns a ``bm25s.BM25`` whose ``get_scores``, ``save`` and ``load`` work as if it had indexed them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


class MatrixBuilder:
    """Feed it each chunk's space-separated tokens in row order, then call :meth:`model`."""

    def __init__(self, k1: float, b: float) -> None:
        self.k1, self.b = k1, b
        self.vocab: dict[str, int] = {}
        self._tokens: list[np.ndarray] = []  # per batch: token ids of the non-zero entries
        self._rows: list[np.ndarray] = []  # per batch: their row (chunk) numbers
        self._counts: list[np.ndarray] = []  # per batch: the token's count in that row
        self._lengths: list[int] = []  # tokens per row
        self._pending: tuple[list[int], list[int], list[int]] = ([], [], [])

    def add(self, texts: Iterable[str]) -> None:
        vocab = self.vocab
        for text in texts:
            if len(self._pending[0]) >= 1_000_000:
                self._flush()
            tokens, rows, counts = self._pending
            row = len(self._lengths)
            words = text.split()
            self._lengths.append(len(words))
            seen: dict[int, int] = {}
            for word in words:
                token = vocab.setdefault(word, len(vocab))
                seen[token] = seen.get(token, 0) + 1
            tokens.extend(seen)
            counts.extend(seen.values())
            rows.extend([row] * len(seen))

    def _flush(self) -> None:
        tokens, rows, counts = self._pending
        if tokens:
            self._tokens.append(np.array(tokens, dtype=np.int32))
            self._rows.append(np.array(rows, dtype=np.int32))
            self._counts.append(np.array(counts, dtype=np.float32))
        self._pending = ([], [], [])

    def model(self) -> Any:
        """A ``bm25s.BM25`` holding the matrix of every row added (None when there are none)."""
        import bm25s

        self._flush()
        n_rows, n_vocab = len(self._lengths), len(self.vocab)
        if not n_rows:
            return None
        tokens = np.concatenate(self._tokens) if self._tokens else np.zeros(0, dtype=np.int32)
        self._tokens = []
        per_token = np.bincount(tokens, minlength=n_vocab)  # document frequency: one entry per row
        order = np.argsort(tokens, kind="stable")  # rows were added in order: they stay sorted per token
        del tokens
        rows = np.concatenate(self._rows)[order] if self._rows else np.zeros(0, dtype=np.int32)
        self._rows = []
        counts = np.concatenate(self._counts)[order] if self._counts else np.zeros(0, dtype=np.float32)
        self._counts = []
        lengths = np.asarray(self._lengths, dtype=np.float32)
        idf = np.log1p((n_rows - per_token + 0.5) / (per_token + 0.5)).astype(np.float32)
        norm = (self.k1 * ((1 - self.b) + self.b * lengths / np.float32(lengths.mean()))).astype(np.float32)
        column = np.repeat(np.arange(n_vocab, dtype=np.int32), per_token)
        data = (idf[column] * counts / (counts + norm[rows])).astype(np.float32)
        del column, counts
        indptr = np.zeros(n_vocab + 1, dtype=np.int64)
        np.cumsum(per_token, out=indptr[1:])
        model = bm25s.BM25(k1=self.k1, b=self.b)
        model.scores = {"data": data, "indices": rows, "indptr": indptr, "num_docs": n_rows}
        vocab = dict(self.vocab)
        vocab.setdefault("", n_vocab)  # as bm25s.BM25.index adds it (never queried: tokens() yields no "")
        model.vocab_dict = vocab
        model.unique_token_ids_set = set(vocab.values())
        model.nonoccurrence_array = None
        return model
