"""All Chroma code of Attest: the client and the collections.

- ``<name>_chunks``: one record per chunk (text, embedding, and the metadata `index.records.CHUNK_KEYS`),
  written and queried directly (:meth:`Store.add_chunks_of`, :meth:`Store.nearest_chunks`), read
  back as typed :class:`~index.types.StoredChunk` records. Chunks that LlamaIndex's
  ``ChromaVectorStore`` wrote (older indexes) also hold its keys (`index.records.LLAMA_INDEX_KEYS`) in their
  metadata: nothing reads them, and they go when the chunk is rewritten (an update or a move).
- ``<name>_docs``: one record per article (full text, metadata, content hash). It is written
  *after* the article's chunks, so it marks the article as complete: an article whose record is
  missing or stale is re-ingested from scratch (its old chunks deleted first), which makes an
  interrupted ingest resumable without duplicates.

Embedded ``PersistentClient`` under ``settings.data_dir`` by default; ``HttpClient`` to a
``chroma run`` server when ``settings.chroma_url`` is set. Telemetry is off, and collections are
created with ``embedding_function=None`` so Chroma never fetches its default ONNX model.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Collection
from typing import Any
from urllib.parse import urlparse

import numpy as np

from index.chroma_errors import StoreError, server_errors, unreachable
from index.records import DocRecord, chunk_metadata, date_number, doc_version
from index.settings import Settings
from index.types import ArticleRef, Chunk, DocMetadata, SourceDocument, StoredChunk

PRUNED = "pruned-before"  # the change log's marker: entries older than its "before" were dropped
FAR_FUTURE = 1e18  # the marker's "t", so that every read of the log since any time returns it
PRUNE_EVERY_S = 3600.0


class Store:
    """The Chroma collections of one Attest index. Connects on first use."""

    def __init__(self, settings: Settings) -> None:
        if not settings.collection.replace("_", "").replace("-", "").isalnum():
            raise ValueError("ATTEST_COLLECTION may hold only letters, digits, '-' and '_'")
        self.settings = settings
        self._client: Any = None
        self._chunks: Any = None
        self._docs: Any = None
        self._changes: Any = None
        self._pruned_at = 0.0  # when this process last pruned the change log
        self._max_batch: int | None = None

    # -- connection ------------------------------------------------------------------------
    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.chroma_path)

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self._connect()
        return self._client

    def unreachable_message(self, exc: BaseException) -> str:
        return (
            f"cannot reach the Chroma server at {self.settings.chroma_url} ({exc.__class__.__name__}); "
            "start it with 'chroma run --path DIR' or unset ATTEST_CHROMA_URL"
        )

    def _connect(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        url = self.settings.chroma_url
        if url:
            parsed = urlparse(url if "//" in url else "http://" + url)
            try:
                client = chromadb.HttpClient(
                    host=parsed.hostname or "localhost",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
                client.heartbeat()
            except Exception as exc:
                raise StoreError(self.unreachable_message(exc)) from exc
            return client
        self.settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(self.settings.chroma_path), settings=chroma_settings)

    def _collection(self, suffix: str, create: bool) -> Any:
        name = f"{self.settings.collection}_{suffix}"
        if create:
            return self.client.get_or_create_collection(
                name, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
        client = self.client  # connection errors propagate; only "no such collection" means None
        try:
            return client.get_collection(name, embedding_function=None)
        except Exception as exc:  # chromadb raises NotFoundError (or ValueError in older versions)
            if exc.__class__.__name__ == "NotFoundError" or isinstance(exc, ValueError) or "does not exist" in str(exc):
                return None
            raise

    @server_errors
    def exists(self) -> bool:
        """Whether anything was ever written (chunks are written before an article's record)."""
        return (
            self._collection("docs", create=False) is not None or self._collection("chunks", create=False) is not None
        )

    @property
    def chunks(self) -> Any:
        if self._chunks is None:
            self._chunks = self._collection("chunks", create=True)
        return self._chunks

    @property
    def docs(self) -> Any:
        if self._docs is None:
            self._docs = self._collection("docs", create=True)
        return self._docs

    @property
    def max_batch(self) -> int:
        """The most records one Chroma write may hold (asked once: the library's limit, or the server's)."""
        if self._max_batch is None:
            self._max_batch = max(1, int(self.client.get_max_batch_size()))
        return self._max_batch

    @server_errors
    def complete_versions(self, doc_ids: list[str]) -> dict[str, str]:
        """doc_id -> version of those articles that are marked complete (their record exists)."""
        if not doc_ids:
            return {}
        got = self.docs.get(ids=sorted(set(doc_ids)), include=["metadatas"])
        return {
            i: str(m.get("version") or doc_version(str(m.get("content_hash", "")), str(m.get("index_key", ""))))
            for i, m in zip(got["ids"], got["metadatas"])
            if m is not None
        }

    def searchable(self, metadatas: list[dict[str, Any]]) -> list[bool]:
        """Whether each chunk (by its metadata) belongs to the complete version of its article: a
        crash between writing an article's chunks and its record leaves chunks that must not be
        found. Chunks written before versions were recorded count when their article is complete."""
        stamps = [_stamp(m) for m in metadatas]
        complete = self.complete_versions([doc_id for doc_id, _ in stamps])
        return [
            (have := complete.get(doc_id)) is not None and (not version or version == have)
            for doc_id, version in stamps
        ]

    # -- writes -----------------------------------------------------------------------------
    @server_errors
    def add_chunks_of(
        self, items: list[tuple[SourceDocument, list[Chunk], np.ndarray]], versions: dict[str, str] | None = None
    ) -> None:
        """The chunks of several articles in one write (one Chroma call costs ~0.1 s however small;
        more than :attr:`max_batch` chunks take several), each with its text, its vector and
        :func:`chunk_metadata`, nothing else. (Upserting a chunk that exists would keep its other
        keys, such as `LLAMA_INDEX_KEYS`; ingest and moves delete old chunks first.)"""
        versions = versions or {}
        rows = [
            (chunk, vector, chunk_metadata(doc, chunk, versions.get(doc.doc_id, "")))
            for doc, chunks, embeddings in items
            for chunk, vector in zip(chunks, embeddings)
        ]
        if not rows:
            return
        for first in range(0, len(rows), self.max_batch):
            part = rows[first : first + self.max_batch]
            self.chunks.upsert(
                ids=[chunk.chunk_id for chunk, _, _ in part],
                embeddings=[vector.tolist() for _, vector, _ in part],
                documents=[chunk.text for chunk, _, _ in part],
                metadatas=[meta for _, _, meta in part],
            )

    @server_errors
    def put_documents(self, items: list[tuple[SourceDocument, int, np.ndarray]], index_key: str) -> None:
        """Record several articles as complete in one write (call after their chunks are stored)."""
        if not items:
            return
        records = []
        for doc, n_chunks, _ in items:
            record = chunk_metadata(doc, Chunk("", doc.doc_id, 0, 0, 0, ""))
            for key in ("chunk_index", "start", "end"):
                record.pop(key)
            record.update(
                content_hash=doc.content_hash,
                n_chunks=n_chunks,
                index_key=index_key,
                version=doc_version(doc.content_hash, index_key),
                origins="\n".join(doc.meta.origins),
            )
            records.append(record)
        self.docs.upsert(
            ids=[doc.doc_id for doc, _, _ in items],
            documents=[doc.text for doc, _, _ in items],
            embeddings=[embedding.tolist() for _, _, embedding in items],
            metadatas=records,
        )

    @server_errors
    def set_origins(self, doc_id: str, origins: tuple[str, ...]) -> None:
        """Record every place an article arrived from (its one stored copy's metadata only)."""
        self.docs.update(ids=[doc_id], metadatas=[{"origins": "\n".join(origins)}])

    @server_errors
    def delete_document(self, doc_id: str) -> None:
        self.chunks.delete(where={"doc_id": doc_id})
        self.docs.delete(ids=[doc_id])

    @server_errors
    def delete_chunk_ids(self, ids: list[str]) -> None:
        for first in range(0, len(ids), 5000):
            self.chunks.delete(ids=ids[first : first + 5000])

    @server_errors
    def chunk_versions(self, doc_ids: list[str]) -> dict[str, tuple[str, str]]:
        """chunk_id -> (doc_id, version) of every stored chunk of these articles."""
        if not doc_ids:
            return {}
        got = self.chunks.get(where={"doc_id": {"$in": sorted(set(doc_ids))}}, include=["metadatas"])
        return {i: _stamp(m or {}) for i, m in zip(got["ids"], got["metadatas"])}

    @server_errors
    def delete_chunks_of(self, doc_ids: list[str]) -> None:
        """Every chunk of these articles, in one write."""
        if doc_ids:
            self.chunks.delete(where={"doc_id": {"$in": doc_ids}})

    # -- the change log: what every process sharing a Chroma server must re-read -------------
    # ``<name>_changes`` holds one small record per write of BM25 rows (the articles it touched,
    # who wrote it, when), so each process keeps its own BM25 cache current by reading only what
    # changed since it last looked (index/bm25.py), never the whole corpus.
    @property
    def changes(self) -> Any:
        if self._changes is None:
            self._changes = self._collection("changes", create=True)
        return self._changes

    @server_errors
    def log_change(self, writer: str, doc_ids: list[str]) -> None:
        """Record that ``writer`` replaced or deleted the chunks of ``doc_ids``; once an hour, also
        drop the entries older than ``change_log_days``."""
        if not doc_ids:
            return
        now = time.time()
        self.changes.add(
            ids=[f"{time.time_ns():020d}-{uuid.uuid4().hex[:12]}"],
            embeddings=[[1.0]],  # Chroma wants a vector; the log is only ever read by its metadata
            documents=["\n".join(sorted(set(doc_ids)))],
            metadatas=[{"t": now, "writer": writer}],
        )
        if now - self._pruned_at >= PRUNE_EVERY_S:
            self._pruned_at = now
            self.prune_changes(now - self.settings.change_log_days * 86400)

    @server_errors
    def prune_changes(self, before: float) -> None:
        """Drop the change log's entries older than ``before`` and record that the log now starts
        there: a cache that last read it earlier cannot know what it missed, and refills itself."""
        marker = self.changes.get(ids=[PRUNED], include=["metadatas"])["metadatas"]
        before = max(before, float((marker[0] or {}).get("before", 0.0)) if marker else 0.0)
        self.changes.delete(where={"t": {"$lt": before}})
        self.changes.upsert(
            ids=[PRUNED], embeddings=[[1.0]], documents=[""], metadatas=[{"t": FAR_FUTURE, "before": before}]
        )

    @server_errors
    def changes_since(self, since: float) -> tuple[list[tuple[str, float, str, list[str]]], float]:
        """``(change id, time, writer, doc_ids)`` of each change logged at or after ``since``, and
        the time before which the log was pruned (0.0: never). One Chroma read: the marker's time
        is far in the future, so it always comes back with the changes."""
        if self._changes is None and self._collection("changes", create=False) is None:
            return [], 0.0
        got = self.changes.get(where={"t": {"$gte": since}}, include=["metadatas", "documents"])
        out, pruned = [], 0.0
        for i, m, d in zip(got["ids"], got["metadatas"], got["documents"]):
            if i == PRUNED:
                pruned = float((m or {}).get("before", 0.0))
            else:
                out.append((i, float((m or {}).get("t", 0.0)), str((m or {}).get("writer", "")), (d or "").split("\n")))
        return sorted(out, key=lambda c: (c[1], c[0])), pruned

    @server_errors
    def chunk_records_of(self, doc_ids: list[str]) -> list[StoredChunk]:
        """Every stored chunk of these articles."""
        if not doc_ids:
            return []
        got = self.chunks.get(where={"doc_id": {"$in": sorted(set(doc_ids))}}, include=["documents", "metadatas"])
        return [
            StoredChunk.from_record(i, t or "", m or {})
            for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])
        ]

    # -- reads ------------------------------------------------------------------------------
    @server_errors
    def documents(self) -> list[DocRecord]:
        """Every completed article (metadata only), sorted by source."""
        if not self.exists():
            return []
        records: list[DocRecord] = []
        batch = 1000
        offset = 0
        while True:
            got = self.docs.get(include=["metadatas"], limit=batch, offset=offset)
            for doc_id, meta in zip(got["ids"], got["metadatas"]):
                records.append(self._record(doc_id, meta or {}, ""))
            if len(got["ids"]) < batch:
                break
            offset += batch
        return sorted(records, key=lambda r: r.source)

    @server_errors
    def index_keys(self) -> set[str]:
        """The distinct embedder-and-chunking keys the articles were indexed with ("" for a
        record without one). One small query per distinct key plus one, whatever the corpus size:
        each asks Chroma for any record whose key is none of those found so far."""
        if not self.exists():
            return set()
        found: set[str] = set()
        while True:
            where = {"index_key": {"$nin": sorted(found)}} if found else None
            got = self.docs.get(where=where, include=["metadatas"], limit=1)
            if not got["ids"]:
                return found
            key = str((got["metadatas"][0] or {}).get("index_key", ""))
            if key in found:  # a record without the key: Chroma's $nin matches it too
                return found
            found.add(key)

    @server_errors
    def document(self, doc_id: str) -> DocRecord | None:
        got = self.docs.get(ids=[doc_id], include=["metadatas", "documents"])
        if not got["ids"]:
            return None
        return self._record(got["ids"][0], got["metadatas"][0] or {}, got["documents"][0] or "")

    @server_errors
    def article_texts(self, doc_ids: list[str]) -> dict[str, str]:
        """doc_id -> whole text of those articles that are complete (one read)."""
        if not doc_ids:
            return {}
        got = self.docs.get(ids=sorted(set(doc_ids)), include=["documents"])
        return {i: t or "" for i, t in zip(got["ids"], got["documents"])}

    @server_errors
    def document_count(self) -> int:
        return int(self.docs.count()) if self.exists() else 0

    @server_errors
    def chunk_count(self) -> int:
        return int(self.chunks.count()) if self.exists() else 0

    @server_errors
    def chunk_ids(self, batch: int = 5000) -> list[str]:
        """The id of every stored chunk (paged by offset: Chroma's cost per page grows with the
        offset, so at a million chunks this takes minutes; prefer per-article reads)."""
        return self._ids(self.chunks, batch) if self.exists() else []

    @server_errors
    def document_ids(self, batch: int = 5000) -> list[str]:
        """The id of every completed article."""
        return self._ids(self.docs, batch) if self.exists() else []

    @staticmethod
    def _ids(collection: Any, batch: int) -> list[str]:
        ids: list[str] = []
        while True:
            got = collection.get(include=[], limit=batch, offset=len(ids))["ids"]
            ids.extend(got)
            if len(got) < batch:
                return ids

    @server_errors
    def chunk_records(self, ids: list[str], complete_only: bool = True) -> list[StoredChunk]:
        """The given chunks (those that exist and, unless ``complete_only`` is False, belong to
        complete articles), in Chroma's order."""
        if not ids:
            return []
        got = self.chunks.get(ids=ids, include=["documents", "metadatas"])
        records = [(i, t or "", m or {}) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])]
        keep = self.searchable([m for _, _, m in records]) if complete_only else [True] * len(records)
        return [StoredChunk.from_record(i, t, m) for (i, t, m), ok in zip(records, keep) if ok]

    @server_errors
    def chunk_metadatas(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """chunk_id -> the metadata stored with each of the given chunks that exists, every key as
        Chroma holds it (bench/citation_engine.py makes LlamaIndex nodes of them)."""
        if not ids:
            return {}
        got = self.chunks.get(ids=ids, include=["metadatas"])
        return {i: dict(m or {}) for i, m in zip(got["ids"], got["metadatas"])}

    @server_errors
    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """``(chunk_id, cosine)`` of the ``k`` chunks nearest to ``vector``, nearest first, with no
        metadata filter and nothing else read (rag/retrieve.py filters these itself: cheaper than
        Chroma's metadata pre-filter, whose cost grows with the chunks the filter keeps). Chunks of
        incomplete articles are not left out here; :meth:`nearest_chunks` leaves them out."""
        if k < 1:
            return []
        got = self._query(vector, k, None, ["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0])]

    @server_errors
    def nearest_chunks(
        self,
        vector: np.ndarray,
        k: int,
        *,
        outlets: Collection[str] | None = None,
        since: str = "",
        until: str = "",
        excluded: Collection[str] = (),
    ) -> list[tuple[StoredChunk, float]]:
        """``(chunk, cosine)`` of the ``k`` chunks nearest to ``vector`` that the filters allow
        (outlet among ``outlets``; published ``since``..``until``, ISO dates; article not in
        ``excluded``), nearest first. Only chunks of complete articles count (:meth:`searchable`):
        when some are hidden, more neighbours are asked for, twice at most."""
        if k < 1:
            return []
        where = _where(outlets, since, until, excluded)
        n = k
        for attempt in range(3):
            got = self._query(vector, n, where, ["documents", "metadatas", "distances"])
            rows = list(zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0]))
            keep = self.searchable([dict(m or {}) for _, _, m, _ in rows])
            dropped = keep.count(False)
            if not dropped or len(rows) < n or attempt == 2:
                break  # nothing hidden, or the collection is exhausted: no point asking for more
            n += 2 * dropped + k
        picked = [row for row, ok in zip(rows, keep) if ok][:k]
        return [(StoredChunk.from_record(i, t or "", m or {}), 1.0 - float(d)) for i, t, m, d in picked]

    def _query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None, include: list[str]) -> Any:
        if where:
            return self.chunks.query(query_embeddings=[vector.tolist()], n_results=k, where=where, include=include)
        return self.chunks.query(query_embeddings=[vector.tolist()], n_results=k, include=include)

    @server_errors
    def chunk_embeddings(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vector of each of the given chunks that exists. After a kill -9, embedded
        Chroma can hold a chunk's record without its vector ("Error finding id"): such chunks are
        left out (ingest then embeds them again) instead of failing the whole call."""
        if not ids:
            return {}
        try:
            got = self.chunks.get(ids=ids, include=["embeddings"])
        except Exception as exc:
            if self.settings.chroma_url and unreachable(exc):
                raise
            if len(ids) == 1:
                return {}
            middle = len(ids) // 2  # find the missing ones by halving: O(missing x log n) calls
            return {**self.chunk_embeddings(ids[:middle]), **self.chunk_embeddings(ids[middle:])}
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"])}

    @staticmethod
    def _record(doc_id: str, meta: dict[str, Any], text: str) -> DocRecord:
        return DocRecord(
            doc_id=doc_id,
            source=ArticleRef.from_metadata(meta).source,
            meta=DocMetadata.from_metadata(meta),
            content_hash=str(meta.get("content_hash", "")),
            n_chunks=int(meta.get("n_chunks", 0) or 0),
            index_key=str(meta.get("index_key", "")),
            text=text,
        )

    @server_errors
    def describe(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "mode": "server" if self.settings.chroma_url else "embedded",
            "collection": self.settings.collection,
            "documents": self.document_count(),
            "chunks": self.chunk_count(),
            "indexed_with": sorted(key for key in self.index_keys() if key),
        }


def _where(outlets: Collection[str] | None, since: str, until: str, excluded: Collection[str]) -> dict[str, Any] | None:
    """A Chroma ``where`` clause over chunk metadata (``outlet``, ``published_day``, ``doc_id``)."""
    parts: list[dict[str, Any]] = []
    if outlets is not None:
        parts.append({"outlet": {"$in": list(outlets)}})
    if since:
        parts.append({"published_day": {"$gte": date_number(since)}})
    if until:
        parts.append({"published_day": {"$lte": date_number(until)}})
    if excluded:
        parts.append({"doc_id": {"$nin": sorted(excluded)}})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _stamp(metadata: dict[str, Any]) -> tuple[str, str]:
    """``(doc_id, version)`` of a stored chunk: its article, and the version of it the chunk was built from."""
    return ArticleRef.from_metadata(metadata).doc_id, str(metadata.get("version") or "")
