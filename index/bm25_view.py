"""The BM25 matrix of one generation (bm25s' sparse CSC arrays) with each row's chunk id, article,
outlet and date; saved to and loaded from a folder (index/bm25.py decides when)."""

from __future__ import annotations

import json
import re
import shutil
import threading
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

from index.acronyms import used

_WORD = re.compile(r"[a-z0-9]+")


def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN_PLUS  # bundled with bm25s; nothing is downloaded

    return frozenset(STOPWORDS_EN_PLUS)


class _Tokenizer:
    def __init__(self) -> None:
        import Stemmer  # PyStemmer: Snowball algorithms compiled in, no data files

        self.stop = _stopwords()
        self.stemmer = Stemmer.Stemmer("english")
        self.lock = threading.Lock()  # a PyStemmer object is not thread-safe

    def __call__(self, text: str) -> list[str]:
        folded = unicodedata.normalize("NFKD", text.lower()).replace("\u2019", "'")
        words = [w for w in _WORD.findall(folded) if w not in self.stop and w not in ("s", "t")]  # it's, don't
        with self.lock:
            return list(self.stemmer.stemWords(words))


_tokenizer: _Tokenizer | None = None


def tokens(text: str) -> list[str]:
    """``"Europe requires USB-C chargers"`` -> ``["europ", "requir", "usb", "c", "charger"]``."""
    global _tokenizer
    if _tokenizer is None:
        _tokenizer = _Tokenizer()
    return _tokenizer(text)


class Bm25View:
    """The BM25 matrix of one generation, with each row's chunk id, article, outlet and date."""

    def __init__(
        self,
        generation: int,
        chunk_ids: np.ndarray,
        doc_ids: np.ndarray,
        outlets: np.ndarray,
        days: np.ndarray,
        model: Any,
        aliases: dict[str, str] | None = None,
    ) -> None:
        self.generation = generation
        self.aliases = aliases or {}  # acronym -> the long form the index defines it as most often
        self.chunk_ids = chunk_ids
        self.doc_ids = doc_ids
        self.outlets = outlets
        self.days = days
        self.model = model  # bm25s.BM25, or None when there are no chunks

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def expand(self, query: str) -> str:
        """The query plus the long form of each acronym it uses that the index defines:
        "What did the Kremlin say about the SCO?" also searches "Shanghai Cooperation Organization"."""
        extra = [self.aliases[word] for word in dict.fromkeys(used(query)) if word in self.aliases]
        return f"{query} {' '.join(extra)}" if extra else query

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for ``query`` (0 where no query word occurs); acronyms expanded."""
        if self.model is None:
            return np.zeros(0, dtype=np.float32)
        vocab = self.model.vocab_dict
        ids = [vocab[t] for t in tokens(self.expand(query)) if t in vocab]
        if not ids:
            return np.zeros(len(self), dtype=np.float32)
        return np.asarray(self.model.get_scores(ids), dtype=np.float32)

    def top(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The ``k`` best rows with a positive score, best first, among ``allowed`` (a boolean mask)."""
        scores = self.scores(query)
        if not len(scores):
            return []
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        k = min(k, int(np.count_nonzero(scores > 0)))
        if k <= 0:
            return []
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.lexsort((self.chunk_ids[best], -scores[best]))]  # ties: stable by chunk id
        return [(int(i), float(scores[i])) for i in best]


_ROWS = "rows.npz"


def _save(view: Bm25View, folder: Path) -> None:
    """Write to a temporary folder, then rename it: a reader never sees half a matrix."""
    partial = folder.with_name(folder.name + f".partial-{threading.get_ident()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    np.savez(partial / _ROWS, chunk_ids=view.chunk_ids, doc_ids=view.doc_ids, outlets=view.outlets, days=view.days)
    if view.model is not None:
        view.model.save(str(partial), show_progress=False)
    stamp = {"generation": view.generation, "rows": len(view), "aliases": view.aliases}
    (partial / "attest.json").write_text(json.dumps(stamp))
    try:
        partial.rename(folder)
    except OSError:  # another process saved the same generation first
        shutil.rmtree(partial, ignore_errors=True)


def _load(folder: Path, generation: int) -> Bm25View | None:
    import bm25s

    try:
        stamp = json.loads((folder / "attest.json").read_text())
        if stamp.get("generation") != generation:
            return None
        arrays = np.load(folder / _ROWS)
        # Memory-mapped: a search reads only its query words' columns, so a new process neither
        # copies the whole matrix in (1.3 s and 0.9 GB at 1M chunks) nor keeps it resident.
        model = bm25s.BM25.load(str(folder), mmap=True, show_progress=False) if stamp["rows"] else None
        aliases = {str(k): str(v) for k, v in dict(stamp.get("aliases") or {}).items()}
        return Bm25View(
            generation, arrays["chunk_ids"], arrays["doc_ids"], arrays["outlets"], arrays["days"], model, aliases
        )
    except (OSError, ValueError, KeyError):
        return None  # missing or damaged: rebuilt from the table
