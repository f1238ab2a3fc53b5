"""What Attest stores for each chunk and article, independent of the store that holds them: the
chunk metadata keys and their values, an indexed article's record, and the version that ties a
chunk to its article. index/store.py writes and reads these through Chroma."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from index.types import ArticleRef, Chunk, DocMetadata, SourceDocument


@dataclass(frozen=True)
class DocRecord:
    """An indexed article: its metadata, where it came from and how many chunks it has."""

    doc_id: str
    source: str
    meta: DocMetadata
    content_hash: str
    n_chunks: int
    index_key: str  # embedder and chunking the article was indexed with
    text: str = ""

    @property
    def article(self) -> ArticleRef:
        m = self.meta
        return ArticleRef(self.doc_id, self.source, m.title, m.outlet, m.published_at, m.url)


def date_number(iso: str) -> int:
    """``"2021-08-25"`` -> ``20210825`` for range filters; 0 when unknown."""
    return int(iso.replace("-", "")) if iso else 0


def doc_version(content_hash: str, index_key: str) -> str:
    """What an article's chunks were built from: its text and how it was indexed. A chunk is
    searchable only while its article's record (the completion mark) has the same version."""
    return hashlib.sha1(f"{content_hash}|{index_key}".encode()).hexdigest()[:16]


# What a chunk's record holds beside its text and vector, in this order. Attest reads doc_id,
# version, start, end, source, title, outlet, published_at, url (StoredChunk, the completion
# check, index/moves.py) and filters on outlet, published_day and doc_id; bench/citation_engine.py
# hands all of them to LlamaIndex's CitationQueryEngine, whose prompts show every key of a node.
CHUNK_KEYS = (
    "doc_id",
    "version",
    "chunk_index",
    "start",
    "end",
    "source",
    "title",
    "outlet",
    "outlet_key",
    "published_at",
    "published_day",
    "authors",
    "dateline",
    "url",
    "captured_at",
)
# What LlamaIndex's ChromaVectorStore added to each chunk's metadata when Attest's chunks were
# written through it: the node again as JSON, its class, and the article's id under two more names.
LLAMA_INDEX_KEYS = ("_node_content", "_node_type", "document_id", "ref_doc_id")


def chunk_metadata(doc: SourceDocument, chunk: Chunk, version: str = "") -> dict[str, Any]:
    """A chunk's stored metadata (:data:`CHUNK_KEYS`); an article's record starts from it too."""
    meta = doc.meta
    return {
        "doc_id": doc.doc_id,
        "version": version,
        "chunk_index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "source": doc.source,
        "title": meta.title,
        "outlet": meta.outlet,
        "outlet_key": meta.outlet.lower(),
        "published_at": meta.published_at,
        "published_day": date_number(meta.published_at),
        "authors": "; ".join(meta.authors),
        "dateline": meta.dateline,
        "url": meta.url,
        "captured_at": meta.captured_at,
    }
