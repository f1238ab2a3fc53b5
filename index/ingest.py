"""Incremental ingestion: files -> documents -> chunks -> embeddings -> Chroma.

Unchanged articles are skipped (content hash), changed ones replace their chunks, articles whose
file is gone from an ingested folder (or line from an ingested .jsonl) are deleted. Chunks are
embedded in large batches across articles; each article is marked complete only after its chunks
are stored, so a crash leaves an index that the next run completes without duplicates.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import chunking, loaders
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

    def __init__(self, settings: Settings, store: Store, embedder: Embedder, embed_batch: int = 256) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.embed_batch = embed_batch
        # What a stored article was built with: a change of embedder or chunking re-indexes it.
        self.index_key = (
            f"{embedder.name} | chunks v{chunking.VERSION} {settings.chunk_chars}c/{settings.chunk_overlap_sentences}s"
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
            bar(1)
        report.chunks_embedded += self._flush(pending)
        for doc_id in self._gone(known, seen, paths, files):
            self.store.delete_document(doc_id)
            report.removed.append(known[doc_id].source)
        bar(0, close=True)
        report.seconds = time.perf_counter() - started
        return report

    def _flush(self, pending: list[tuple[SourceDocument, list[Chunk]]]) -> int:
        texts = [chunk.text for _, chunks in pending for chunk in chunks]
        vectors = self.embedder.embed(texts)
        position = 0
        for doc, chunks in pending:
            doc_vectors = vectors[position : position + len(chunks)]
            position += len(chunks)
            self.store.delete_chunks(doc.doc_id)  # leftovers of an older version or a crashed run
            self.store.add_chunks(doc, chunks, doc_vectors)
            mean = (
                normalise(doc_vectors.mean(axis=0, keepdims=True))[0]
                if len(chunks)
                else np.zeros(self.embedder.dimension, dtype=np.float32)
            )
            self.store.put_document(doc, len(chunks), mean, self.index_key)
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


def _progress_bar(total: int, enabled: bool) -> Callable[..., None]:
    if not enabled:
        return lambda step, close=False: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="file", desc="ingest", file=sys.stderr, dynamic_ncols=True)

    def update(step: int, close: bool = False) -> None:
        if step:
            bar.update(step)
        if close:
            bar.close()

    return update
