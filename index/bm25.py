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
writes) article by article, and compares chunk ids only when that leaves a difference.

Every write bumps a generation number. The BM25 matrix (bm25s' sparse CSC arrays) is built from
the table for one generation and saved as ``<collection>-g<generation>/``; a search loads the
saved matrix, or builds it once when the table has changed since.

With a Chroma server (``ATTEST_CHROMA_URL``) several processes share one index, so each keeps its
own copy of the table and matrix as a cache (``<data_dir>/bm25/<server>/``), filled from the
server once, and kept current through the server's change log (:meth:`Store.log_change`): every
write of rows logs the articles it touched, and each search first reads the log entries it has
not seen (one small Chroma call) and re-reads only those articles' chunks. A process that starts
with its cache in place reads what changed since it last ran, not the corpus.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from index.bm25_matrix import MatrixBuilder
from index.bm25_rows import Row, rows_for, stored_row, url_words
from index.bm25_view import Bm25View, _load, _save, tokens
from index.store import Store

__all__ = ["Bm25View", "LexicalIndex", "Row", "rows_for", "tokens", "url_words"]

TOKENIZER_VERSION = 2  # bump when tokens() or the rows change: the table is refilled from Chroma
K1, B = 1.2, 0.75  # Lucene's BM25 defaults
LOG_SKEW = 300.0  # seconds: a shared server's change log is re-read this far back (writers' clocks differ)


class LexicalIndex:
    """The BM25 side of one Attest index. Use :meth:`for_store` to share one per process."""

    _shared: dict[tuple[str, str], LexicalIndex] = {}
    _shared_lock = threading.Lock()

    def __init__(self, path: Path | None, name: str, server: Store | None = None) -> None:
        self.path = path  # the SQLite file, or None for memory only
        self.name = name
        self.server = server  # a Chroma server shared with other processes: follow its change log
        self.writer = uuid.uuid4().hex  # this index's name in that log
        self._memory: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self._view: Bm25View | None = None

    @classmethod
    def for_store(cls, store: Store) -> LexicalIndex:
        settings = store.settings
        key = (store.location, settings.collection)
        with cls._shared_lock:
            if key not in cls._shared:
                folder = settings.data_dir / "bm25"
                if settings.chroma_url:  # a cache of the server's rows, one per server
                    folder = folder / re.sub(r"[^A-Za-z0-9.-]+", "_", settings.chroma_url).strip("_")
                path = folder / f"{settings.collection}.sqlite"
                server = Store(settings) if settings.chroma_url else None
                cls._shared[key] = cls(path, settings.collection, server)
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
        # Write-ahead log: a matrix build reads one snapshot for a minute at 1M chunks, and an
        # ingest in another process must go on writing meanwhile (a rollback journal blocks it).
        connection.execute("PRAGMA journal_mode=WAL")
        self._schema(connection)
        return connection

    def _close(self, connection: sqlite3.Connection) -> None:
        if connection is not self._memory:
            connection.close()

    @contextmanager
    def _open(self, transaction: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection under this index's lock (in one transaction, rolled back on error)."""
        with self._lock:
            connection = self._connect()
            try:
                if transaction:
                    connection.execute("BEGIN IMMEDIATE")
                yield connection
                if transaction:
                    connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            finally:
                self._close(connection)

    def _all(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with self._open() as connection:
            return connection.execute(sql, params).fetchall()

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
            CREATE TABLE IF NOT EXISTS applied (id TEXT PRIMARY KEY, t REAL NOT NULL);
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

    def _write(self, deletes: Iterable[str], rows: Sequence[Row], by: str = "doc_id", log: bool = True) -> None:
        deletes = list(deletes)
        prepared = [(r.chunk_id, r.doc_id, r.outlet, r.published_day, " ".join(r.terms())) for r in rows]
        defined = [(r.chunk_id, r.doc_id, short, long) for r in rows for short, long in r.acronyms().items()]
        with self._open(transaction=True) as connection:
            gone = [(d,) for d in deletes]
            connection.executemany(f"DELETE FROM chunks WHERE {by} = ?", gone)
            connection.executemany(f"DELETE FROM acronyms WHERE {by} = ?", gone)
            connection.executemany("DELETE FROM acronyms WHERE chunk_id = ?", [(r.chunk_id,) for r in rows])
            connection.executemany("INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?)", prepared)
            connection.executemany("INSERT INTO acronyms VALUES (?, ?, ?, ?)", defined)
            _bump(connection)
        if self.server is not None and log and by == "doc_id":
            self.server.log_change(self.writer, sorted(set(deletes) | {r.doc_id for r in rows}))

    def replace_documents(self, doc_ids: Iterable[str], rows: Sequence[Row]) -> None:
        """Drop every chunk of ``doc_ids``, then add ``rows``: one transaction."""
        self._write(list(doc_ids), rows)

    def delete_document(self, doc_id: str) -> None:
        self._write([doc_id], [])

    def generation(self) -> int:
        with self._open() as connection:
            return _generation(connection)

    def count(self) -> int:
        """Rows in the table (after applying other processes' logged writes, on a shared server)."""
        with self._lock:
            self.catch_up()
            return self._rows()

    def chunk_ids(self) -> set[str]:
        return {row[0] for row in self._all("SELECT chunk_id FROM chunks")}

    def sync(self, store: Store, batch: int = 500, articles: int = 500) -> tuple[int, int]:
        """Make the table hold exactly Chroma's chunks: add the missing ones (text and metadata
        read back from Chroma, nothing re-embedded), drop the extra ones. Returns (added, dropped).

        Article by article, ``articles`` per Chroma read: an empty table (a new process's cache
        on a server, an index from before BM25) is filled; otherwise each article whose row
        count differs from its record's chunk count, or that has rows but no record, is read
        again. Only if the counts still differ (chunks of an article never recorded: an
        interrupted ingest's) are all chunk ids compared, which pages through every id and
        grows with the square of the corpus."""
        started = time.time()
        added, dropped = self._refill(store, articles)
        if self._rows() != store.chunk_count():
            in_chroma = set(store.chunk_ids())
            here = self.chunk_ids()
            extra = sorted(here - in_chroma)
            missing = sorted(in_chroma - here)
            if extra:
                self._write(extra, [], by="chunk_id")
            for first in range(0, len(missing), batch):
                chunks = store.chunk_records(missing[first : first + batch], complete_only=False)
                self._write([], [stored_row(chunk) for chunk in chunks], log=False)
            added, dropped = added + len(missing), dropped + len(extra)
        if self.server is not None:  # the log's changes before now are in the rows just read
            self._set_meta("log_cursor", str(max(started - LOG_SKEW, self._log_cursor())))
        return added, dropped

    def _refill(self, store: Store, articles: int) -> tuple[int, int]:
        """Re-read from Chroma the chunks of every article whose rows do not match its record
        (every article, for an empty table). Returns (rows added, rows dropped)."""
        counts = self._counts()
        if counts:
            recorded = {r.doc_id: r.n_chunks for r in store.documents()}
            touched = [d for d, n in recorded.items() if counts.get(d, 0) != n]
            touched += sorted(set(counts) - set(recorded))
        else:
            touched = store.document_ids()
        added = dropped = 0
        for first in range(0, len(touched), articles):
            doc_ids = touched[first : first + articles]
            rows = [stored_row(chunk) for chunk in store.chunk_records_of(doc_ids)]
            self._write(doc_ids if counts else [], rows, log=False)
            added += len(rows)
            dropped += sum(counts.get(d, 0) for d in doc_ids)
        return added, dropped

    def _counts(self) -> dict[str, int]:
        """doc_id -> rows in the table."""
        return dict(self._all("SELECT doc_id, COUNT(*) FROM chunks GROUP BY doc_id"))

    def _rows(self) -> int:
        return int(self._all("SELECT COUNT(*) FROM chunks")[0][0])

    # -- other processes' writes (a shared Chroma server) ---------------------------------------
    def catch_up(self) -> int:
        """Apply the writes other processes logged on the Chroma server since this cache last
        looked: the chunks of each article they touched are read again (nothing else). One small
        Chroma call when nothing changed. A cache that last looked before the log's oldest kept
        entry (``ATTEST_CHANGE_LOG_DAYS``) is refilled. Returns how many articles were refreshed."""
        if self.server is None:
            return 0
        with self._lock:
            if self._get_meta("log_cursor") is None:  # a new cache: sync() fills it from the chunks
                self._set_meta("log_cursor", str(time.time() - LOG_SKEW))
                return 0
            cursor = self._log_cursor()
            changes, pruned = self.server.changes_since(cursor - LOG_SKEW)  # clocks of writers may differ a little
            if pruned > cursor - LOG_SKEW:  # entries this cache never read are gone: start again from the server
                self._clear()
                self.sync(self.server)
                return len(self._counts())
            applied = self._applied()
            fresh = [c for c in changes if c[0] not in applied]
            doc_ids = sorted({d for _, _, writer, docs in fresh if writer != self.writer for d in docs if d})
            if doc_ids:
                rows = [stored_row(chunk) for chunk in self.server.chunk_records_of(doc_ids)]
                self._write(doc_ids, rows, log=False)
            if fresh:
                newest = max(cursor, max(t for _, t, _, _ in fresh))
                self._mark_applied([(i, t) for i, t, _, _ in fresh], newest)
            return len(doc_ids)

    def _clear(self) -> None:
        with self._open(transaction=True) as connection:
            for table in ("chunks", "acronyms", "applied"):
                connection.execute(f"DELETE FROM {table}")
            _bump(connection)

    def _log_cursor(self) -> float:
        return float(self._get_meta("log_cursor") or 0.0)

    def _get_meta(self, key: str) -> str | None:
        found = self._all("SELECT value FROM meta WHERE key = ?", key)
        return str(found[0][0]) if found else None

    def _set_meta(self, key: str, value: str) -> None:
        with self._open() as connection:
            connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _applied(self) -> set[str]:
        return {row[0] for row in self._all("SELECT id FROM applied")}

    def _mark_applied(self, ids: list[tuple[str, float]], cursor: float) -> None:
        with self._open(transaction=True) as connection:
            connection.executemany("INSERT OR IGNORE INTO applied VALUES (?, ?)", ids)
            connection.execute("DELETE FROM applied WHERE t < ?", (cursor - 2 * LOG_SKEW,))
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('log_cursor', ?)", (str(cursor),))

    # -- the matrix -------------------------------------------------------------------------
    def _matrix_dir(self, generation: int) -> Path | None:
        if self.path is None:
            return None
        return self.path.parent / f"{self.name}-g{generation}"

    def view(self) -> Bm25View:
        """The BM25 matrix for the table as it is now (loaded, or built and saved once), after
        applying what other processes wrote to a shared Chroma server since the last look."""
        with self._lock:
            self.catch_up()
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

    def preload(self) -> None:
        """Load the saved matrix of the table's generation, if one is saved: never builds one and
        never reads the server (:meth:`view` does both when it must)."""
        with self._lock:
            generation = self.generation()
            folder = self._matrix_dir(generation)
            current = self._view is not None and self._view.generation == generation
            if not current and folder is not None and folder.is_dir():
                self._view = _load(folder, generation) or self._view

    def build(self) -> Bm25View:
        """Build (or load) the matrix now, so the first search does not wait for it."""
        return self.view()

    def _build(self) -> Bm25View:
        """The matrix of the table as it is now, read in one snapshot and built in batches
        (index/bm25_matrix.py): memory holds the matrix's arrays, not every chunk's tokens."""
        builder = MatrixBuilder(K1, B)
        chunk_ids: list[str] = []
        doc_ids: list[str] = []
        outlets: list[str] = []
        days: list[int] = []
        with self._open() as connection:
            connection.execute("BEGIN")  # one snapshot: the rows and their generation agree
            generation = _generation(connection)
            cursor = connection.execute(
                "SELECT chunk_id, doc_id, outlet, published_day, tokens FROM chunks ORDER BY chunk_id"
            )
            while batch := cursor.fetchmany(5000):
                for chunk_id, doc_id, outlet, day, _ in batch:
                    chunk_ids.append(chunk_id)
                    doc_ids.append(doc_id)
                    outlets.append(outlet)
                    days.append(day)
                builder.add(row[4] for row in batch)
            defined = connection.execute(
                "SELECT short, long, COUNT(DISTINCT doc_id) AS n FROM acronyms GROUP BY short, long "
                "ORDER BY short, n DESC, long"
            ).fetchall()
            connection.execute("COMMIT")
        aliases: dict[str, str] = {}
        for short, long, _ in defined:
            aliases.setdefault(short, long)  # the long form most articles give
        return Bm25View(
            generation,
            np.array(chunk_ids, dtype=str),
            np.array(doc_ids, dtype=str),
            np.array(outlets, dtype=str),
            np.array(days, dtype=np.int64),
            builder.model(),
            aliases,
        )

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
