"""The bookkeeping of one ingest run: which articles were seen, which are unchanged, moved or
new, what waits to be embedded, and one story, one article for web articles.

A web article (a saved page, a fetched page, a feed item, a web-archive record: anything whose
loader records its origin) that has the same text, or the same story address (index/urls.py),
as an article indexed already under another id is not stored again: its origin is added to the
indexed article's ``origins``, the metadata field that lists every place it arrived from."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from index import chunking, loaders
from index.ingest_pipeline import Batches
from index.ingest_progress import ProgressTracker
from index.moves import MoveFinder, file_gone, move
from index.types import Chunk, SourceDocument
from index.urls import url_key

if TYPE_CHECKING:
    from index.ingest import Ingestor, IngestReport


class IngestRun:
    def __init__(self, ingestor: Ingestor, report: IngestReport, progress: ProgressTracker, overlap: bool) -> None:
        self.ingestor = ingestor
        self.report = report
        self.progress = progress
        self.known = {record.doc_id: record for record in ingestor.store.documents()}
        self.moves = MoveFinder(self.known.values(), ingestor.index_key)
        self.seen: set[str] = set()
        self.alive: set[str] = set()  # articles that an origin read in this run stands for
        self.seen_hashes: set[str] = set()
        self.pending: list[tuple[SourceDocument, list[Chunk]]] = []
        self.origins: dict[str, tuple[str, ...]] = {}
        self.by_hash: dict[str, str] = {}
        self.by_url: dict[str, str] = {}
        self.changed: set[str] = set()  # articles whose stored origins must be rewritten
        for record in self.known.values():
            if record.meta.origins:
                self._register(record.doc_id, record.content_hash, record.meta.url, record.meta.origins)
        self.batches = Batches(ingestor, self.tick, progress.stored, overlap)  # last: it starts a thread

    def _register(self, doc_id: str, content_hash: str, url: str, origins: tuple[str, ...]) -> None:
        self.origins[doc_id] = origins
        self.by_hash.setdefault(content_hash, doc_id)
        key = url_key(url)
        if key:
            self.by_url.setdefault(key, doc_id)

    def tick(self, chunks: int) -> None:
        self.report.chunks_embedded += chunks
        self.progress.embedded(chunks)

    def _twin(self, doc: SourceDocument) -> str | None:
        """Another article with this web article's text or story address (not one whose file is
        gone: that one has moved, and :class:`MoveFinder` re-files it)."""
        key = url_key(doc.meta.url)
        for other in (self.by_hash.get(doc.content_hash), self.by_url.get(key) if key else None):
            if not other or other == doc.doc_id:
                continue
            if other in self.seen or (other in self.known and not file_gone(self.known[other])):
                return other
        return None

    def _add_origins(self, doc_id: str, origins: tuple[str, ...]) -> bool:
        have = self.origins.get(doc_id, ())
        new = tuple(o for o in origins if o not in have)
        if new:
            self.origins[doc_id] = have + new
            self.changed.add(doc_id)
        return bool(new)

    def take(self, item: SourceDocument | loaders.LoadError) -> None:
        new = self._take(item)
        self.progress.article_read(to_embed=new)
        if new and sum(len(c) for _, c in self.pending) >= self.ingestor.embed_batch:
            self.batches.add(self.pending)
            self.pending = []

    def flush(self) -> None:
        """After the last article: every batch written, then the worker stopped."""
        self.batches.add(self.pending)
        self.pending = []
        self.batches.finish()

    def _take(self, item: SourceDocument | loaders.LoadError) -> bool:
        """Bookkeeping for one article (or skipped record); True when it waits to be embedded."""
        report, ingestor = self.report, self.ingestor
        if isinstance(item, loaders.LoadError):
            report.errors.append(item)
            return False
        if item.doc_id in self.seen:  # e.g. the same file reached twice; never two writes of one id
            report.errors.append(loaders.LoadError(item.source, "same article read twice; kept once"))
            return False
        web = bool(item.meta.origins)
        old = self.known.get(item.doc_id)
        if old is None and web and (twin := self._twin(item)) is not None:
            self.alive.add(twin)
            if self._add_origins(twin, item.meta.origins):
                report.merged.append(item.source)
            else:
                report.unchanged += 1
            return False
        self.seen.add(item.doc_id)
        self.seen_hashes.add(item.content_hash)
        if web:
            stored = self.origins.get(item.doc_id, ())
            merged = stored + tuple(o for o in item.meta.origins if o not in stored)
            item = replace(item, meta=replace(item.meta, origins=merged))
        if old and old.content_hash == item.content_hash and old.index_key == ingestor.index_key:
            report.unchanged += 1
            if web and self._add_origins(item.doc_id, item.meta.origins):
                report.merged.append(item.source)
            return False
        if web:
            self._register(item.doc_id, item.content_hash, item.meta.url, item.meta.origins)
        moved_from = self.moves.take(item) if old is None else None
        if moved_from is not None and move(
            ingestor.store, ingestor.lexical, item, moved_from, ingestor.index_key, ingestor._chunking
        ):
            report.moved.append(item.source)
            self.seen.add(moved_from.doc_id)  # deleted already
            return False
        (report.updated if old else report.added).append(item.source)
        chunks = chunking.chunk_document(item, *ingestor._chunking)
        self.pending.append((item, chunks))
        return True

    def write_origins(self) -> None:
        """After the last flush: every article whose list of origins grew gets it stored."""
        for doc_id in sorted(self.changed):
            self.ingestor.store.set_origins(doc_id, self.origins[doc_id])
