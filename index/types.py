"""Typed objects of the index: a source document and its chunks as ingest builds them, and the
article references and chunks that search reads back (the one reading of stored metadata)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


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

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any]) -> DocMetadata:
        """An article's metadata as its stored record (index/store.py) holds it."""
        ref = ArticleRef.from_metadata(metadata)
        return cls(
            title=ref.title,
            published_at=ref.published_at,
            outlet=ref.outlet,
            authors=tuple(a for a in _text(metadata, "authors").split("; ") if a),
            dateline=_text(metadata, "dateline"),
            url=ref.url,
            captured_at=_text(metadata, "captured_at"),
            origins=tuple(o for o in _text(metadata, "origins").split("\n") if o),
        )


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


@dataclass(frozen=True)
class ArticleRef:
    """Which article a chunk, passage or quote comes from, as every stage after the index names it."""

    doc_id: str = ""
    source: str = ""
    title: str = ""
    outlet: str = ""
    published_at: str = ""
    url: str = ""

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any]) -> ArticleRef:
        """The one reading of stored metadata (a chunk's or an article's record) into a reference."""
        return cls(
            doc_id=_text(metadata, "doc_id"),
            source=_text(metadata, "source"),
            title=_text(metadata, "title"),
            outlet=_text(metadata, "outlet"),
            published_at=_text(metadata, "published_at"),
            url=_text(metadata, "url"),
        )

    def to_dict(self) -> dict[str, str]:
        """Which article this is, as the JSON of citations, evidence and search results names it."""
        return asdict(self)

    def label(self, dated: bool = True) -> str:
        """'Outlet, date, “title”' (without the date when ``dated`` is False)."""
        parts = [self.outlet or "unknown outlet"] + ([self.published_at or "undated"] if dated else [])
        if self.title:
            parts.append(f"\u201c{self.title}\u201d")
        return ", ".join(parts)


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as search reads it back from the index: ``article_text[start:end] == text``."""

    chunk_id: str
    article: ArticleRef
    start: int
    end: int
    text: str

    @classmethod
    def from_record(cls, chunk_id: str, text: str, metadata: Mapping[str, Any]) -> StoredChunk:
        start, end = metadata.get("start"), metadata.get("end")
        return cls(chunk_id, ArticleRef.from_metadata(metadata), int(start or 0), int(end or 0), text)


def _text(metadata: Mapping[str, Any], key: str) -> str:
    return str(metadata.get(key) or "")
