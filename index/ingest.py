"""Incremental ingestion: files -> documents -> chunks -> embeddings -> Chroma.

Unchanged articles are skipped (content hash), changed ones replace their chunks, articles whose
file is gone from an ingested folder (or line from an ingested .jsonl) are deleted. Chunks are
embedded in large batches across articles; each article is marked complete only after its chunks
are stored, so a crash leaves an index that the next run completes without duplicates.
The BM25 table (index/bm25.py) is written in the same flushes, before that mark, and checked
against Chroma at the end of every run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import chunking, loaders
from index.bm25 import LexicalIndex, rows_for
from index.embedding import Embedder, normalise
from index.settings import Settings
from index.store import Store
from index.types import Chunk, SourceDocument

Progress = Callable[[int, int], None]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
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
            f"{len(self.removed)} removed, {len(self.errors)} skipped; "
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
    ) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.embed_batch = embed_batch
        self.lexical = lexical if lexical is not None else LexicalIndex.for_store(store)
        # What a stored article was built with: a change of embedder or chunking re-indexes it.
        self.index_key = (
            f"{embedder.name} | chunks v{chunking.VERSION} {settings.chunk_chars}c/{settings.chunk_overlap_sentences}s"
            " | titled"
        )

    def ingest(self, paths: Iterable[Path], progress: bool = False) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        paths = [Path(p) for p in paths]
        files, errors = loaders.discover(paths)
        report.errors.extend(errors)
        known = {record.doc_id: record for record in self.store.documents()}
        seen: set[str] = set()
        pending: list[tuple[SourceDocument, list[Chunk]]] = []
        bar = _progress_bar(len(files), progress)
        for path in files:
            for item in loaders.load_file(path):
                if isinstance(item, loaders.LoadError):
                    report.errors.append(item)
                    seen.update(d for d, r in known.items() if r.source == str(path))  # keep what it had
                    continue
                seen.add(item.doc_id)
                old = known.get(item.doc_id)
                if old and old.content_hash == item.content_hash and old.index_key == self.index_key:
                    report.unchanged += 1
                    continue
                (report.updated if old else report.added).append(item.source)
                chunks = chunking.chunk_document(item, self.settings.chunk_chars, self.settings.chunk_overlap_sentences)
                pending.append((item, chunks))
                if sum(len(c) for _, c in pending) >= self.embed_batch:
                    report.chunks_embedded += self._flush(pending)
                    pending = []
                    articles = len(report.added) + len(report.updated) + report.unchanged
                    bar(0, articles=articles, chunks=report.chunks_embedded, seconds=time.perf_counter() - started)
            bar(1)
        report.chunks_embedded += self._flush(pending)
        for doc_id in self._gone(known, seen, paths, files):
            self.store.delete_document(doc_id)
            self.lexical.delete_document(doc_id)
            report.removed.append(known[doc_id].source)
        if self.lexical.count() != self.store.chunk_count():  # built before BM25, or a crash between writes
            self.lexical.sync(self.store)
        self.lexical.build()  # so the first search does not wait for the BM25 matrix
        bar(0, close=True)
        report.seconds = time.perf_counter() - started
        return report

    def _flush(self, pending: list[tuple[SourceDocument, list[Chunk]]]) -> int:
        """Embed the chunks of several articles at once, then write them in three batched calls:
        chunks (old ones of these articles deleted first: an older version or a crashed run's
        leftovers), their BM25 rows, and last the records that mark the articles complete."""
        if not pending:
            return 0
        texts = [embedding_text(doc, chunk) for doc, chunks in pending for chunk in chunks]
        vectors = self.embedder.embed(texts)
        position = 0
        items: list[tuple[SourceDocument, list[Chunk], np.ndarray]] = []
        completed: list[tuple[SourceDocument, int, np.ndarray]] = []
        for doc, chunks in pending:
            doc_vectors = vectors[position : position + len(chunks)]
            position += len(chunks)
            items.append((doc, chunks, doc_vectors))
            mean = (
                normalise(doc_vectors.mean(axis=0, keepdims=True))[0]
                if len(chunks)
                else np.zeros(self.embedder.dimension, dtype=np.float32)
            )
            completed.append((doc, len(chunks), mean))
        doc_ids = [doc.doc_id for doc, _ in pending]
        self.store.delete_chunks_of(doc_ids)
        self.store.add_chunks_of(items)
        self.lexical.replace_documents(doc_ids, [row for doc, chunks in pending for row in rows_for(doc, chunks)])
        self.store.put_documents(completed, self.index_key)
        return len(texts)

    @staticmethod
    def _gone(known: dict, seen: set[str], paths: list[Path], files: list[Path]) -> list[str]:
        """Articles that came from an ingested folder or .jsonl but are no longer there."""
        folders = [str(p.resolve()) + "/" for p in paths if p.is_dir()]
        jsonl = [str(f) + "#" for f in files if f.name.lower().endswith(loaders.JSONL_SUFFIXES)]
        gone = []
        for doc_id, record in known.items():
            if doc_id in seen:
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


def _progress_bar(total: int, enabled: bool) -> Callable[..., None]:
    if not enabled:
        return lambda step, close=False, **_: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="file", desc="ingest", file=sys.stderr, dynamic_ncols=True)

    def update(step: int, close: bool = False, articles: int = 0, chunks: int = 0, seconds: float = 0.0) -> None:
        if step:
            bar.update(step)
        if chunks and seconds > 0:  # one large .jsonl is one file: show articles and chunks too
            bar.set_postfix_str(f"{articles} articles, {chunks} chunks, {chunks / seconds:.1f} chunks/s")
        if close:
            bar.close()

    return update
