"""Articles whose file moved: renaming the corpus folder (or a file) must not double every
article nor embed it again. An article that is new by path but has the same text and index key
as an indexed article whose file no longer exists is *moved*: its stored vectors are copied under
the new id (no embedding), its BM25 rows and record written, and the old article deleted, in the
same order as any write (chunks, BM25, completion mark), so a crash in between is repaired by the
next run (:func:`leftovers`)."""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from index import chunking
from index.bm25 import LexicalIndex, rows_for
from index.embedding import normalise
from index.records import DocRecord, doc_version
from index.store import Store
from index.types import SourceDocument


def source_file(record: DocRecord) -> str:
    return record.source.split("#", 1)[0]


def file_gone(record: DocRecord) -> bool:
    """The article came from a local file that no longer exists (a web page's address is no file)."""
    file = source_file(record)
    return "://" not in file and not os.path.lexists(file)


class MoveFinder:
    """Indexed articles that may have moved: their file is gone; looked up by text and index key."""

    def __init__(self, known: Iterable[DocRecord], index_key: str) -> None:
        self.candidates: dict[str, list[DocRecord]] = {}
        for record in known:
            if record.index_key == index_key and file_gone(record):
                self.candidates.setdefault(record.content_hash, []).append(record)

    def take(self, doc: SourceDocument) -> DocRecord | None:
        found = self.candidates.get(doc.content_hash)
        return found.pop(0) if found else None


def move(
    store: Store, lexical: LexicalIndex, doc: SourceDocument, old: DocRecord, index_key: str, settings_chunks: tuple
) -> bool:
    """Re-file ``old``'s chunks under ``doc`` (same text, new place) without embedding; False when
    a stored vector is missing (then the caller embeds the article as new)."""
    chunks = chunking.chunk_document(doc, *settings_chunks)
    by_span = {(c.start, c.end): c.chunk_id for c in store.chunk_records_of([old.doc_id])}
    old_ids = [by_span.get((c.start, c.end), "") for c in chunks]
    vectors = store.chunk_embeddings([i for i in old_ids if i])
    if not chunks or not all(i in vectors for i in old_ids):
        return False
    embedded = np.asarray([vectors[i] for i in old_ids])
    version = doc_version(doc.content_hash, index_key)
    store.delete_chunk_ids([c.chunk_id for c in chunks])  # leftovers of a move that crashed
    store.add_chunks_of([(doc, chunks, embedded)], versions={doc.doc_id: version})
    lexical.replace_documents([doc.doc_id], rows_for(doc, chunks))
    mean = normalise(embedded.mean(axis=0, keepdims=True))[0]
    store.put_documents([(doc, len(chunks), mean)], index_key)
    store.delete_document(old.doc_id)
    lexical.delete_document(old.doc_id)
    return True


def leftovers(known: dict[str, DocRecord], seen: set[str], seen_hashes: set[str]) -> list[str]:
    """Old copies of moved articles that a crash left behind: file gone, same text now indexed
    under another id in this run."""
    return [
        doc_id
        for doc_id, record in known.items()
        if doc_id not in seen and record.content_hash in seen_hashes and file_gone(record)
    ]
