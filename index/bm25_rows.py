"""What BM25 keeps of a chunk (index/bm25.py): a :class:`Row` from a chunk being ingested
(:func:`rows_for`) or read back from Chroma (:func:`stored_row`). Its terms are the chunk's words
with its article's title and the words of its URL path."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

from index.acronyms import acronyms
from index.bm25_view import tokens
from index.records import date_number
from index.types import Chunk, SourceDocument, StoredChunk

__all__ = ["Row", "rows_for", "stored_row", "url_words"]


@dataclass(frozen=True)
class Row:
    """What BM25 keeps of one chunk: its ids, the filterable metadata and the text to tokenize."""

    chunk_id: str
    doc_id: str
    outlet: str
    published_day: int
    text: str
    title: str = ""
    url: str = ""

    def terms(self) -> list[str]:
        return tokens(f"{self.title}\n{url_words(self.url)}\n{self.text}")

    def acronyms(self) -> dict[str, str]:
        return acronyms([self.title, self.text])


def url_words(url: str) -> str:
    """``https://www.cnn.com/2022/10/25/world/diwali-2022/index.html`` -> ``"world diwali"``."""
    path = urlparse(url).path if url else ""
    words = re.findall(r"[A-Za-z]+", path)
    return " ".join(w for w in words if w.lower() not in _URL_NOISE)


_URL_NOISE = frozenset({"index", "html", "htm", "php", "aspx", "story", "amp", "www", "com"})


def rows_for(doc: SourceDocument, chunks: Sequence[Chunk]) -> list[Row]:
    day = date_number(doc.meta.published_at)
    meta = doc.meta
    return [Row(c.chunk_id, doc.doc_id, meta.outlet, day, c.text, meta.title, meta.url) for c in chunks]


def stored_row(chunk: StoredChunk) -> Row:
    """A BM25 row from a chunk as the store reads it back (its day as ingest stored it:
    ``published_day`` is ``date_number(published_at)``, index/store.py)."""
    a = chunk.article
    return Row(chunk.chunk_id, a.doc_id, a.outlet, date_number(a.published_at), chunk.text, a.title, a.url)
