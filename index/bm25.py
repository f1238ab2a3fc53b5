"""BM25 over the same chunks as the Chroma collection (bm25s), kept in step with ingest.

Each chunk's tokens (lower-cased words, English stop words removed, Snowball-stemmed; the
article's title and the words of its URL path are added to every chunk of it: a chunk often never
names the story it belongs to, and some news pages hold little more than a title and a URL) live
in a SQLite table beside the Chroma data (``<data_dir>/bm25/<collection>.sqlite``), with the
acronyms each chunk defines ("Shanghai Cooperation Organization (SCO)"): a query's "SCO" also
searches the long form, so an article that never writes "SCO" is still found. Ingest writes that
table in the same flushes that write Chroma, before an article is marked complete, so adds,
updates, deletions and a crashed run behave as they do in Chroma; :meth:`LexicalIndex.sync`
repairs any remaining difference (an index built before BM25 existed, a crash between the two
writes) by comparing chunk ids.

Every write bumps a generation number. The BM25 matrix (bm25s' sparse CSC arrays) is built from
the table for one generation and saved as ``<collection>-g<generation>/``; a search loads the
saved matrix, or builds it once when the table has changed since.

With a Chroma server (``ATTEST_CHROMA_URL``) nothing is written locally: the table and matrix
live in memory and are filled from the server on first use in each process.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from index.acronyms import acronyms, used
from index.store import Store, date_number
from index.types import Chunk, SourceDocument

TOKENIZER_VERSION = 2  # bump when tokens() or the rows change: the table is refilled from Chroma
_WORD = re.compile(r"[a-z0-9]+")
K1, B = 1.2, 0.75  # Lucene's BM25 defaults


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


@dataclass(frozen=True)
class Row:
    """What BM25 keeps of one chunk: its ids, the filterable metadata and the text to tokenize."""

    chunk_id: str
    doc_id: str
    outlet: str
    published_day: int
    text: str
    title: str = ""
    url: str = ""

    def terms(self) -> list[str]:
        return tokens(f"{self.title}\n{url_words(self.url)}\n{self.text}")

    def acronyms(self) -> dict[str, str]:
        return acronyms([self.title, self.text])


def url_words(url: str) -> str:
    """``https://www.cnn.com/2022/10/25/world/diwali-2022/index.html`` -> ``"world diwali"``."""
    path = urlparse(url).path if url else ""
    words = re.findall(r"[A-Za-z]+", path)
    return " ".join(w for w in words if w.lower() not in _URL_NOISE)


_URL_NOISE = frozenset({"index", "html", "htm", "php", "aspx", "story", "amp", "www", "com"})


def rows_for(doc: SourceDocument, chunks: Sequence[Chunk]) -> list[Row]:
    day = date_number(doc.meta.published_at)
    meta = doc.meta
    return [Row(c.chunk_id, doc.doc_id, meta.outlet, day, c.text, meta.title, meta.url) for c in chunks]


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


class LexicalIndex:
    """The BM25 side of one Attest index. Use :meth:`for_store` to share one per process."""

    _shared: dict[tuple[str, str], LexicalIndex] = {}
    _shared_lock = threading.Lock()

    def __init__(self, path: Path | None, name: str) -> None:
        self.path = path  # the SQLite file, or None for memory only
        self.name = name
        self._memory: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self._view: Bm25View | None = None

    @classmethod
    def for_store(cls, store: Store) -> LexicalIndex:
        settings = store.settings
        key = (store.location, settings.collection)
        with cls._shared_lock:
            if key not in cls._shared:
                path = None if settings.chroma_url else settings.data_dir / "bm25" / f"{settings.collection}.sqlite"
                cls._shared[key] = cls(path, settings.collection)
            return cls._shared[key]

    # -- the table --------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self.path is None:
            if self._memory is None:
                self._memory = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
                self._schema(self._memory)
            return self._memory
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._schema(connection)
        return connection

    def _close(self, connection: sqlite3.Connection) -> None:
        if connection is not self._memory:
            connection.close()

    @staticmethod
    def _schema(connection: sqlite3.Connection) -> None:
        connection.executescript(
            """
            CREATE TABLE IF NOT EXISTS chunks (
                chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, outlet TEXT NOT NULL,
                published_day INTEGER NOT NULL, tokens TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
            CREATE TABLE IF NOT EXISTS acronyms (
                chunk_id TEXT NOT NULL, doc_id TEXT NOT NULL, short TEXT NOT NULL, long TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS acronyms_by_chunk ON acronyms(chunk_id);
            CREATE INDEX IF NOT EXISTS acronyms_by_doc ON acronyms(doc_id);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """
        )
        found = connection.execute("SELECT value FROM meta WHERE key = 'tokenizer'").fetchone()
        if found is None or int(found[0]) != TOKENIZER_VERSION:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("DELETE FROM chunks")  # tokens of another tokenizer: sync() refills
            connection.execute("DELETE FROM acronyms")
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('tokenizer', ?)", (str(TOKENIZER_VERSION),))
            _bump(connection)
            connection.execute("COMMIT")

    def _write(self, deletes: Iterable[str], rows: Sequence[Row], by: str = "doc_id") -> None:
        prepared = [(r.chunk_id, r.doc_id, r.outlet, r.published_day, " ".join(r.terms())) for r in rows]
        defined = [(r.chunk_id, r.doc_id, short, long) for r in rows for short, long in r.acronyms().items()]
        with self._lock:
            connection = self._connect()
            try:
                connection.execute("BEGIN IMMEDIATE")
                gone = [(d,) for d in deletes]
                connection.executemany(f"DELETE FROM chunks WHERE {by} = ?", gone)
                connection.executemany(f"DELETE FROM acronyms WHERE {by} = ?", gone)
                connection.executemany("DELETE FROM acronyms WHERE chunk_id = ?", [(r.chunk_id,) for r in rows])
                connection.executemany("INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?)", prepared)
                connection.executemany("INSERT INTO acronyms VALUES (?, ?, ?, ?)", defined)
                _bump(connection)
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            finally:
                self._close(connection)

    def replace_documents(self, doc_ids: Iterable[str], rows: Sequence[Row]) -> None:
        """Drop every chunk of ``doc_ids``, then add ``rows``: one transaction."""
        self._write(list(doc_ids), rows)

    def delete_document(self, doc_id: str) -> None:
        self._write([doc_id], [])

    def generation(self) -> int:
        with self._lock:
            connection = self._connect()
            try:
                return _generation(connection)
            finally:
                self._close(connection)

    def count(self) -> int:
        with self._lock:
            connection = self._connect()
            try:
                return int(connection.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
            finally:
                self._close(connection)

    def chunk_ids(self) -> set[str]:
        with self._lock:
            connection = self._connect()
            try:
                return {row[0] for row in connection.execute("SELECT chunk_id FROM chunks")}
            finally:
                self._close(connection)

    def sync(self, store: Store, batch: int = 500) -> tuple[int, int]:
        """Make the table hold exactly Chroma's chunks: add the missing ones (text and metadata
        read back from Chroma, nothing re-embedded), drop the extra ones. Returns (added, dropped)."""
        in_chroma = set(store.chunk_ids())
        here = self.chunk_ids()
        extra = sorted(here - in_chroma)
        missing = sorted(in_chroma - here)
        if extra:
            self._write(extra, [], by="chunk_id")
        for first in range(0, len(missing), batch):
            rows = [
                Row(
                    chunk_id,
                    str(meta.get("doc_id", "")),
                    str(meta.get("outlet", "")),
                    int(meta.get("published_day", 0) or 0),
                    text,
                    str(meta.get("title", "")),
                    str(meta.get("url", "")),
                )
                for chunk_id, text, meta in store.chunk_records(missing[first : first + batch], complete_only=False)
            ]
            self._write([], rows)
        return len(missing), len(extra)

    # -- the matrix -------------------------------------------------------------------------
    def _matrix_dir(self, generation: int) -> Path | None:
        if self.path is None:
            return None
        return self.path.parent / f"{self.name}-g{generation}"

    def view(self) -> Bm25View:
        """The BM25 matrix for the table as it is now (loaded, or built and saved once)."""
        with self._lock:
            generation = self.generation()
            if self._view is not None and self._view.generation == generation:
                return self._view
            folder = self._matrix_dir(generation)
            view = _load(folder, generation) if folder is not None and folder.is_dir() else None
            if view is None:
                view = self._build()
                if folder is not None and view.generation == generation:
                    _save(view, folder)
                    self._remove_old(keep=folder)
            self._view = view
            return view

    def build(self) -> Bm25View:
        """Build (or load) the matrix now, so the first search does not wait for it."""
        return self.view()

    def _build(self) -> Bm25View:
        import bm25s

        with self._lock:
            connection = self._connect()
            try:
                connection.execute("BEGIN")  # one snapshot: the rows and their generation agree
                generation = _generation(connection)
                rows = connection.execute(
                    "SELECT chunk_id, doc_id, outlet, published_day, tokens FROM chunks ORDER BY chunk_id"
                ).fetchall()
                defined = connection.execute(
                    "SELECT short, long, COUNT(DISTINCT doc_id) AS n FROM acronyms GROUP BY short, long "
                    "ORDER BY short, n DESC, long"
                ).fetchall()
                connection.execute("COMMIT")
            finally:
                self._close(connection)
        chunk_ids = np.array([r[0] for r in rows], dtype=str)
        doc_ids = np.array([r[1] for r in rows], dtype=str)
        outlets = np.array([r[2] for r in rows], dtype=str)
        days = np.array([r[3] for r in rows], dtype=np.int64)
        aliases: dict[str, str] = {}
        for short, long, _ in defined:
            aliases.setdefault(short, long)  # the long form most articles give
        if not rows:
            return Bm25View(generation, chunk_ids, doc_ids, outlets, days, None, aliases)
        model = bm25s.BM25(k1=K1, b=B)
        model.index([r[4].split() for r in rows], show_progress=False)
        return Bm25View(generation, chunk_ids, doc_ids, outlets, days, model, aliases)

    def _remove_old(self, keep: Path) -> None:
        for folder in keep.parent.glob(f"{self.name}-g*"):
            if folder != keep and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)


def _generation(connection: sqlite3.Connection) -> int:
    found = connection.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(found[0]) if found else 0


def _bump(connection: sqlite3.Connection) -> None:
    connection.execute(
        "INSERT INTO meta VALUES ('generation', '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
    )


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
        model = bm25s.BM25.load(str(folder), mmap=False, show_progress=False) if stamp["rows"] else None
        aliases = {str(k): str(v) for k, v in dict(stamp.get("aliases") or {}).items()}
        return Bm25View(
            generation, arrays["chunk_ids"], arrays["doc_ids"], arrays["outlets"], arrays["days"], model, aliases
        )
    except (OSError, ValueError, KeyError):
        return None  # missing or damaged: rebuilt from the table
