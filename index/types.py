"""Typed objects of the ingestion stage: a source document and its chunks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DocMetadata:
    """What the text itself says about an article. Empty means unknown, never guessed."""

    title: str = ""
    published_at: str = ""  # ISO date, YYYY-MM-DD
    outlet: str = ""
    authors: tuple[str, ...] = ()
    dateline: str = ""
    url: str = ""
    captured_at: str = ""  # ISO date a web archive captured the page (not its publication date)
    origins: tuple[str, ...] = ()  # every place a web article arrived from (file, URL, feed, archive)


@dataclass(frozen=True)
class SourceDocument:
    """One article as loaded: ``text`` is what chunk offsets point into."""

    doc_id: str
    source: str  # the file path (or ``path#doc_id`` for a line of a .jsonl)
    text: str
    meta: DocMetadata = field(default_factory=DocMetadata)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of a document; ``doc.text[start:end] == text``."""

    chunk_id: str
    doc_id: str
    index: int
    start: int
    end: int
    text: str
