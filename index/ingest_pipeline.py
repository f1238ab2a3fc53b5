"""Embedding overlapped with the rest of an ingest.

The embedder is the slow part of an ingest. While one worker thread embeds a batch, the calling
thread reads, extracts and chunks the next articles and writes the vectors of the batch before
to Chroma and its rows to BM25. The worker only embeds: every read and write of the index stays
on the calling thread, in the order the batches were made, so an article is still marked
complete only after its chunks and BM25 rows are stored, and a crash at any point leaves an
index that the next run completes without duplicates.

Back-pressure: at most ``AHEAD`` batches wait for or are in embedding; when another one is
ready, the calling thread first writes the oldest (waiting for its vectors if need be), so at
most ``AHEAD + 1`` batches of texts and vectors are held. onnxruntime releases the GIL while a
batch runs, and so does the tokenizer while it encodes, so the calling thread's Python work goes
on meanwhile.

An error in the worker (an embedder that fails) is raised on the calling thread as it was, when
the batch it hit is due to be written; the batches behind it are cancelled, and the worker is
stopped and waited for (see :class:`EmbedWorker`) before the error goes on. ``overlap=False``
embeds each part of a batch on the calling thread just before writing it: the serial ingest, kept
so that bench/ingest_speed.py can compare the two in one run.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from index.bm25 import rows_for
from index.embedding import Embedder, normalise
from index.types import Chunk, SourceDocument

if TYPE_CHECKING:
    from index.ingest import Ingestor

AHEAD = 2  # batches embedded or queued while the calling thread reads and writes

Pending = list[tuple[SourceDocument, list[Chunk]]]


def embedding_text(doc: SourceDocument, chunk: Chunk) -> str:
    """What is embedded for a chunk: the article's title, then the chunk (a news chunk often never
    names the story it belongs to; the title does). The stored text and its offsets stay the
    chunk's own."""
    title = doc.meta.title.strip()
    return f"{title}\n{chunk.text}" if title and not chunk.text.startswith(title) else chunk.text


class _Vectors(Protocol):
    def result(self) -> np.ndarray: ...

    def cancel(self) -> bool: ...


class _Later:
    """The serial path's vectors: embedded on the calling thread when they are asked for."""

    def __init__(self, embedder: Embedder, texts: list[str]) -> None:
        self.embedder, self.texts = embedder, texts

    def result(self) -> np.ndarray:
        return self.embedder.embed(self.texts)

    def cancel(self) -> bool:
        return True


class EmbedWorker:
    """One daemon thread that embeds texts in the order they were submitted.

    A long batch is embedded a few of the embedder's own batches at a time (sorted by length
    first, as the packaged embedder sorts them itself, so its batches and vectors are the same as
    in one call), and :meth:`close` stops it between two of them: after an error or Ctrl-C the
    calling thread waits a second or two for the worker, never for a whole batch, and never leaves
    the process while onnxruntime is still running (exiting then can abort the interpreter)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        size = getattr(embedder, "batch_size", 0)
        self._group = 2 * size * max(1, getattr(embedder, "concurrency", 1)) if isinstance(size, int) else 0
        self._stop = threading.Event()
        self._jobs: queue.SimpleQueue[tuple[Future[np.ndarray], list[str]] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="attest-embed", daemon=True)
        self._thread.start()

    def submit(self, texts: list[str]) -> Future[np.ndarray]:
        future: Future[np.ndarray] = Future()
        self._jobs.put((future, texts))
        return future

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, texts = job
            if not future.set_running_or_notify_cancel():
                continue  # cancelled while it waited
            try:
                future.set_result(self._embed(texts))
            except BaseException as exc:  # handed to the calling thread, raised there as it was
                future.set_exception(exc)

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self._group < 1 or len(texts) <= self._group:
            return self.embedder.embed(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: np.ndarray | None = None
        for first in range(0, len(order), self._group):
            if self._stop.is_set():
                raise WorkerStopped()
            group = order[first : first + self._group]
            vectors = self.embedder.embed([texts[i] for i in group])
            if out is None:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=vectors.dtype)
            out[group] = vectors
        assert out is not None
        return out

    def close(self) -> None:
        """Stop after the embedder's batch in progress and wait for it (a Ctrl-C pressed again
        meanwhile does not cut the wait short: the wait is short, an abort is not)."""
        self._stop.set()
        self._jobs.put(None)
        while self._thread.is_alive():
            try:
                self._thread.join()
            except KeyboardInterrupt:
                continue


class WorkerStopped(Exception):
    """The worker was closed while it embedded: the batch is abandoned, nothing of it is written."""


@dataclass
class _Batch:
    pending: Pending
    versions: dict[str, str]
    vectors: dict[str, np.ndarray]  # of every chunk of the batch, once written (stored ones first)
    parts: list[tuple[list[tuple[SourceDocument, Chunk]], _Vectors]]

    def ready(self) -> bool:
        return all(isinstance(v, Future) and v.done() for _, v in self.parts)


class Batches:
    """Articles on their way into the index: embedded (on the worker, or inline), then written in
    the order they came. ``embedded(chunks)`` after each part is stored, ``stored(articles)``
    after a batch's articles are marked complete."""

    def __init__(
        self,
        ingestor: Ingestor,
        embedded: Callable[[int], None],
        stored: Callable[[int], None],
        overlap: bool = True,
    ) -> None:
        self.ingestor = ingestor
        self._embedded, self._stored = embedded, stored
        self._worker = EmbedWorker(ingestor.embedder) if overlap else None
        self._ahead = AHEAD if overlap else 0
        self._queue: deque[_Batch] = deque()

    def add(self, pending: Pending) -> None:
        if not pending:
            return
        self._queue.append(self._prepare(pending))
        while len(self._queue) > self._ahead or (self._queue and self._queue[0].ready()):
            self._write(self._queue.popleft())

    def finish(self) -> None:
        """Write every batch still on its way, then stop the worker."""
        while self._queue:
            self._write(self._queue.popleft())
        self.close()

    def close(self) -> None:
        """Cancel what was not written (after an error or Ctrl-C) and stop the worker."""
        for batch in self._queue:
            for _, vectors in batch.parts:
                vectors.cancel()
        self._queue.clear()
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def _prepare(self, pending: Pending) -> _Batch:
        """Chunks already stored for the same version of an article (an interrupted run's) are
        kept and not embedded again; other stored chunks of these articles (an older version) are
        deleted first. The rest is sent to be embedded ``write_batch`` chunks at a time."""
        ingestor, store = self.ingestor, self.ingestor.store
        versions = {doc.doc_id: ingestor.version(doc) for doc, _ in pending}
        stored = store.chunk_versions(list(versions))
        wanted = {(doc.doc_id, c.chunk_id) for doc, chunks in pending for c in chunks}
        stale = [cid for cid, (did, v) in stored.items() if (did, cid) not in wanted or v != versions[did]]
        store.delete_chunk_ids(stale)
        reused = {cid for cid, (did, v) in stored.items() if v == versions[did] and (did, cid) in wanted}
        vectors: dict[str, np.ndarray] = store.chunk_embeddings(sorted(reused))
        lost = sorted(reused - set(vectors))  # a record whose vector a kill -9 lost: store it again
        store.delete_chunk_ids(lost)
        reused -= set(lost)
        todo = [(doc, c) for doc, chunks in pending for c in chunks if c.chunk_id not in reused]
        parts: list[tuple[list[tuple[SourceDocument, Chunk]], _Vectors]] = []
        for first in range(0, len(todo), ingestor.write_batch):
            part = todo[first : first + ingestor.write_batch]
            texts = [embedding_text(doc, chunk) for doc, chunk in part]
            vectors_of: _Vectors = self._worker.submit(texts) if self._worker else _Later(ingestor.embedder, texts)
            parts.append((part, vectors_of))
        return _Batch(pending, versions, vectors, parts)

    def _write(self, batch: _Batch) -> None:
        """Each part's chunks and vectors as it is embedded, then the BM25 rows, and last the
        records that mark the articles complete: until then search ignores the chunks."""
        ingestor, store = self.ingestor, self.ingestor.store
        vectors = batch.vectors
        for part, embedding in batch.parts:
            embedded = embedding.result()
            by_doc: dict[str, tuple[SourceDocument, list[Chunk], list[np.ndarray]]] = {}
            for (doc, chunk), vector in zip(part, embedded):
                by_doc.setdefault(doc.doc_id, (doc, [], []))[1].append(chunk)
                by_doc[doc.doc_id][2].append(vector)
                vectors[chunk.chunk_id] = vector
            store.add_chunks_of(
                [(doc, chunks, np.asarray(vs)) for doc, chunks, vs in by_doc.values()], versions=batch.versions
            )
            self._embedded(len(part))
        completed: list[tuple[SourceDocument, int, np.ndarray]] = []
        for doc, chunks in batch.pending:
            if chunks:
                mean = normalise(np.mean([vectors[c.chunk_id] for c in chunks], axis=0, keepdims=True))[0]
            else:
                mean = np.zeros(ingestor.embedder.dimension, dtype=np.float32)
            completed.append((doc, len(chunks), mean))
        rows = [row for doc, chunks in batch.pending for row in rows_for(doc, chunks)]
        ingestor.lexical.replace_documents(list(batch.versions), rows)
        store.put_documents(completed, ingestor.index_key)
        self._stored(len(batch.pending))
