"""Incremental ingestion: files -> documents -> chunks -> embeddings -> Chroma.

Unchanged articles are skipped (content hash), changed ones replace their chunks, articles whose
file is gone from an ingested folder (or line from an ingested .jsonl) are deleted. Chunks are
embedded in large batches across articles; each article is marked complete only after its chunks
are stored, so a crash leaves an index that the next run completes without duplicates.
The BM25 table (index/bm25.py) is written in the same flushes, before that mark, and checked
against Chroma at the end of every run. Embedding runs on a worker thread while the next articles
are read and the last batch is written (index/ingest_pipeline.py); progress is counted in articles
(index/ingest_progress.py), and Ctrl-C ends with one line that says a re-run resumes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index import chunking, loaders
from index.bm25 import LexicalIndex
from index.embedding import Embedder
from index.ingest_pipeline import embedding_text
from index.ingest_progress import ArticleCount, IngestInterrupted, IngestProgress, OnProgress, ProgressTracker
from index.ingest_run import IngestRun
from index.lock import IngestLock
from index.moves import leftovers
from index.records import doc_version
from index.settings import Settings
from index.store import Store
from index.types import SourceDocument

__all__ = [
    "IngestInterrupted",
    "IngestProgress",
    "IngestReport",
    "Ingestor",
    "OnProgress",
    "embedding_text",
]


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
        overlap: bool = True,
    ) -> None:
        """``overlap=False``: embed on the calling thread, nothing overlapped (the serial ingest that
        bench/ingest_speed.py compares against)."""
        self.settings = settings
        self.overlap = overlap
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
        """``progress``: a bar on stderr; ``on_progress(IngestProgress)``: the same counts for an
        interface (the web UI's upload). Ctrl-C raises :class:`IngestInterrupted`."""
        with IngestLock(self.settings):  # a second ingest of the same index waits, then finds it done
            started = time.perf_counter()
            report = IngestReport()
            given = [Path(p) for p in paths]
            files, errors = loaders.discover(given)
            report.errors.extend(errors)
            tracker = ProgressTracker(len(files), ArticleCount(files), progress, on_progress)

            def read(run: IngestRun) -> None:
                for path in files:
                    items = 0
                    for item in loaders.load_file(path):
                        items += 1
                        run.take(item)
                    tracker.file_done(path, items)

            return self._run(report, tracker, read, given, files, started)

    def ingest_documents(
        self,
        batches: Iterable[Iterable[SourceDocument | loaders.LoadError]],
        total: int = 0,
        progress: bool = False,
        on_progress: OnProgress | None = None,
    ) -> IngestReport:
        """Ingest articles that come from no file (web pages, feed items): each batch is one step
        of ``total`` (a page, a feed). Nothing is removed: a page missing from a feed today stays
        indexed."""
        with IngestLock(self.settings):
            started = time.perf_counter()
            tracker = ProgressTracker(total, None, progress, on_progress)

            def read(run: IngestRun) -> None:
                for batch in batches:
                    for item in batch:
                        run.take(item)
                    tracker.file_done()

            return self._run(IngestReport(), tracker, read, [], [], started)

    def _run(
        self,
        report: IngestReport,
        tracker: ProgressTracker,
        read: Callable[[IngestRun], None],
        paths: list[Path],
        files: list[Path],
        started: float,
    ) -> IngestReport:
        run: IngestRun | None = None
        try:
            run = IngestRun(self, report, tracker, self.overlap)
            read(run)
            run.flush()
            self._finish(run, paths, files)
        except BaseException as exc:
            if run is not None:  # nothing more is embedded: the worker stops
                run.batches.close()
            tracker.close()
            if isinstance(exc, KeyboardInterrupt) and not isinstance(exc, IngestInterrupted):
                raise IngestInterrupted(tracker.snapshot()) from exc
            raise
        tracker.close()
        report.seconds = time.perf_counter() - started
        return report

    def _finish(self, run: IngestRun, paths: list[Path], files: list[Path]) -> None:
        report = run.report
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
