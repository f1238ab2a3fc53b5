"""Incremental ingestion: files -> documents -> chunks -> embeddings -> Chroma.

Unchanged articles are skipped (content hash), changed ones replace their chunks, articles whose
file is gone from an ingested folder (or line from an ingested .jsonl) are deleted. Chunks are
embedded in large batches across articles; each article is marked complete only after its chunks
are stored, so a crash leaves an index that the next run completes without duplicates.
The BM25 table (index/bm25.py) is written in the same flushes, before that mark, and checked
against Chroma at the end of every run.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import chunking, loaders
from index.bm25 import LexicalIndex, rows_for
from index.embedding import Embedder, normalise
from index.ingest_run import IngestRun
from index.lock import IngestLock
from index.moves import leftovers
from index.settings import Settings
from index.store import Store, doc_version
from index.types import Chunk, SourceDocument

Progress = Callable[[int, int], None]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)  # same text, new file: re-filed, not embedded again
    merged: list[str] = field(default_factory=list)  # a web article stored already: recorded as an origin
    unchanged: int = 0
    chunks_embedded: int = 0
    errors: list[loaders.LoadError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def chunks_per_second(self) -> float:
        return self.chunks_embedded / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {self.unchanged} unchanged, "
            + (f"{len(self.moved)} moved, " if self.moved else "")
            + (f"{len(self.merged)} already indexed from elsewhere, " if self.merged else "")
            + f"{len(self.removed)} removed, {len(self.errors)} skipped; "
            f"{self.chunks_embedded} chunks embedded in {self.seconds:.1f} s"
        )


class Ingestor:
    """Ingests files into one :class:`Store` with one :class:`Embedder`."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        embedder: Embedder,
        embed_batch: int = 256,
        lexical: LexicalIndex | None = None,
        write_batch: int = 1024,
    ) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.embed_batch = embed_batch
        self._chunking = (settings.chunk_chars, settings.chunk_overlap_sentences)
        self.write_batch = max(embed_batch, write_batch)  # chunks embedded and stored per step of a flush
        self.lexical = lexical if lexical is not None else LexicalIndex.for_store(store)
        # What a stored article was built with: a change of embedder or chunking re-indexes it.
        self.index_key = (
            f"{embedder.name} | chunks v{chunking.VERSION} {settings.chunk_chars}c/{settings.chunk_overlap_sentences}s"
            " | titled"
        )

    def delete(self, doc_id: str) -> None:
        """Remove one article from the index: its chunks and record from Chroma, then its BM25
        rows. Every delete goes through here, so the two stay in step (a crash in between leaves
        BM25 rows that the next ingest's count check re-syncs)."""
        self.store.delete_document(doc_id)
        self.lexical.delete_document(doc_id)

    def version(self, doc: SourceDocument) -> str:
        return doc_version(doc.content_hash, self.index_key)

    def ingest(
        self, paths: Iterable[Path], progress: bool = False, on_progress: OnProgress | None = None
    ) -> IngestReport:
        """``progress``: a bar on stderr; ``on_progress(files_done, files, articles, chunks)``: the
        same counts for an interface (the web UI's upload)."""
        with IngestLock(self.settings):  # a second ingest of the same index waits, then finds it done
            return self._ingest([Path(p) for p in paths], progress, on_progress)

    def ingest_documents(
        self,
        batches: Iterable[Iterable[SourceDocument | loaders.LoadError]],
        total: int = 0,
        progress: bool = False,
        on_progress: OnProgress | None = None,
    ) -> IngestReport:
        """Ingest articles that come from no file (web pages, feed items): each batch is one step
        of the progress bar (a page, a feed). Nothing is removed: a page missing from a feed today
        stays indexed."""
        with IngestLock(self.settings):
            started = time.perf_counter()
            run = IngestRun(self, IngestReport(), _progress_bar(total, progress, on_progress), started)
            for batch in batches:
                for item in batch:
                    run.take(item)
                run.bar(1)
            return self._finish(run, [], [], started)

    def _ingest(self, paths: list[Path], progress: bool, on_progress: OnProgress | None = None) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        files, errors = loaders.discover(paths)
        report.errors.extend(errors)
        run = IngestRun(self, report, _progress_bar(len(files), progress, on_progress), started)
        for path in files:
            for item in loaders.load_file(path):
                run.take(item)
            run.bar(1)
        return self._finish(run, paths, files, started)

    def _finish(self, run: IngestRun, paths: list[Path], files: list[Path], started: float) -> IngestReport:
        report = run.report
        self._flush(run.pending, run.tick)
        run.pending = []
        run.write_origins()
        kept = [Path(e.path) for e in report.errors]  # nothing of a file or folder with a read error is removed
        seen = run.seen | run.alive
        gone = self._gone(run.known, seen, paths, files, kept) if paths else []
        for doc_id in gone + [d for d in leftovers(run.known, seen, run.seen_hashes) if d not in gone]:
            self.delete(doc_id)
            report.removed.append(run.known[doc_id].source)
        if self.lexical.count() != self.store.chunk_count():  # built before BM25, or a crash between writes
            self.lexical.sync(self.store)
        self.lexical.build()  # so the first search does not wait for the BM25 matrix
        run.bar(0, close=True)
        report.seconds = time.perf_counter() - started
        return report

    def _flush(self, pending: list[tuple[SourceDocument, list[Chunk]]], tick: Callable[[int], None]) -> None:
        """Embed and store the chunks of several articles, then mark them complete.

        Chunks already stored for the same version of an article (an interrupted run's) are kept
        and not embedded again; other stored chunks of these articles (an older version) are
        deleted first. New chunks are embedded and written ``write_batch`` at a time (progress
        after each), then the BM25 rows, and last the records that mark the articles complete:
        until then search ignores the chunks (``Store.vector_store``)."""
        if not pending:
            return
        versions = {doc.doc_id: self.version(doc) for doc, _ in pending}
        stored = self.store.chunk_versions(list(versions))
        wanted = {(doc.doc_id, c.chunk_id) for doc, chunks in pending for c in chunks}
        stale = [cid for cid, (did, v) in stored.items() if (did, cid) not in wanted or v != versions[did]]
        self.store.delete_chunk_ids(stale)
        reused = {cid for cid, (did, v) in stored.items() if v == versions[did] and (did, cid) in wanted}
        vectors: dict[str, np.ndarray] = self.store.chunk_embeddings(sorted(reused))
        lost = sorted(reused - set(vectors))  # a record whose vector a kill -9 lost: store it again
        self.store.delete_chunk_ids(lost)
        reused -= set(lost)
        todo = [(doc, c) for doc, chunks in pending for c in chunks if c.chunk_id not in reused]
        for first in range(0, len(todo), self.write_batch):
            part = todo[first : first + self.write_batch]
            embedded = self.embedder.embed([embedding_text(doc, chunk) for doc, chunk in part])
            by_doc: dict[str, tuple[SourceDocument, list[Chunk], list[np.ndarray]]] = {}
            for (doc, chunk), vector in zip(part, embedded):
                by_doc.setdefault(doc.doc_id, (doc, [], []))[1].append(chunk)
                by_doc[doc.doc_id][2].append(vector)
                vectors[chunk.chunk_id] = vector
            self.store.add_chunks_of(
                [(doc, chunks, np.asarray(vs)) for doc, chunks, vs in by_doc.values()], versions=versions
            )
            tick(len(part))
        completed: list[tuple[SourceDocument, int, np.ndarray]] = []
        for doc, chunks in pending:
            if chunks:
                mean = normalise(np.mean([vectors[c.chunk_id] for c in chunks], axis=0, keepdims=True))[0]
            else:
                mean = np.zeros(self.embedder.dimension, dtype=np.float32)
            completed.append((doc, len(chunks), mean))
        doc_ids = list(versions)
        self.lexical.replace_documents(doc_ids, [row for doc, chunks in pending for row in rows_for(doc, chunks)])
        self.store.put_documents(completed, self.index_key)

    @staticmethod
    def _gone(known: dict, seen: set[str], paths: list[Path], files: list[Path], kept: list[Path]) -> list[str]:
        """Articles that came from an ingested folder or .jsonl but are no longer there (never
        those of a file or folder that had a read error in this run)."""
        folders = [str(p.resolve()) + "/" for p in paths if p.is_dir()]
        jsonl = [str(f) + "#" for f in files if f.name.lower().endswith(loaders.MULTI_SUFFIXES)]
        protected = {os.path.realpath(p) for p in kept} | {os.path.abspath(p) for p in kept}  # never raises
        gone = []
        for doc_id, record in known.items():
            if doc_id in seen:
                continue
            file = record.source.split("#", 1)[0]
            if file in protected or any(file.startswith(p.rstrip("/") + "/") for p in protected):
                continue
            if any(record.source.startswith(prefix) for prefix in folders + jsonl):
                gone.append(doc_id)
        return gone


def embedding_text(doc: SourceDocument, chunk: Chunk) -> str:
    """What is embedded for a chunk: the article's title, then the chunk (a news chunk often never
    names the story it belongs to; the title does). The stored text and its offsets stay the
    chunk's own."""
    title = doc.meta.title.strip()
    return f"{title}\n{chunk.text}" if title and not chunk.text.startswith(title) else chunk.text


OnProgress = Callable[[int, int, int, int], None]  # files done, files, articles, chunks embedded


def _progress_bar(total: int, enabled: bool, on_progress: OnProgress | None = None) -> Callable[..., None]:
    done = [0, 0, 0]  # files, articles, chunks

    def report(step: int, articles: int, chunks: int) -> None:
        done[0] += step
        done[1], done[2] = max(done[1], articles), max(done[2], chunks)
        if on_progress is not None:
            on_progress(done[0], total, done[1], done[2])

    if not enabled:
        return lambda step, close=False, articles=0, chunks=0, **_: report(step, articles, chunks)
    from tqdm import tqdm

    bar = tqdm(total=total, unit="file", desc="ingest", file=sys.stderr, dynamic_ncols=True)

    def update(step: int, close: bool = False, articles: int = 0, chunks: int = 0, seconds: float = 0.0) -> None:
        report(step, articles, chunks)
        if step:
            bar.update(step)
        if chunks and seconds > 0:  # one large .jsonl is one file: show articles and chunks too
            bar.set_postfix_str(f"{articles} articles, {chunks} chunks, {chunks / seconds:.1f} chunks/s")
        if close:
            bar.close()

    return update
