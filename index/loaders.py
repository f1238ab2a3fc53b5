"""Turn files into :class:`SourceDocument` objects: .txt, .md, .html/.htm, .jsonl and .jsonl.gz.

Whatever cannot be read is reported as a :class:`LoadError` (one line: the file, or ``file:line``,
and how to fix it) and skipped; the rest loads. A .jsonl is read line by line as bytes: a line
that is not UTF-8, not JSON, nested too deeply, too long, or the same article as an earlier line
is skipped on its own; a truncated or corrupt .gz keeps the articles before the damage. Plain text
keeps its exact characters so every chunk offset points into the file's own text.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from index import metadata
from index.discovery import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    SUPPORTED,
    LoadError,
    discover,
    is_supported,
)
from index.types import DocMetadata, SourceDocument

__all__ = ["SUPPORTED", "LoadError", "discover", "file_doc_id", "is_supported", "load_file", "safe_url"]

MAX_LINE_BYTES = 16 * 2**20  # one article of a .jsonl; longer lines are skipped, not held in memory
MIN_GZIP_LIMIT = 256 * 2**20  # a .gz may decompress to max(this, GZIP_RATIO x its size), then it is refused
GZIP_RATIO = 100
_CONTROL = frozenset(chr(c) for c in [*range(0, 9), 11, *range(14, 32), 127])


def file_doc_id(path: Path) -> str:
    return "f-" + hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


def safe_url(url: str) -> str:
    """``url`` if it is an http(s) link, else "" (a ``javascript:`` or ``file:`` URL is never kept)."""
    url = url.strip()
    try:
        parsed = urlparse(url)
    except ValueError:
        return ""
    return url if parsed.scheme.lower() in ("http", "https") and parsed.netloc and not _has_control(url) else ""


def _has_control(text: str) -> bool:
    return any(ch in _CONTROL or ch in "\n\r\t" for ch in text)


def load_file(path: Path) -> Iterator[SourceDocument | LoadError]:
    """Yield the documents in one file, or a :class:`LoadError` for what could not be read.
    Never raises for bad content: an unexpected failure is one :class:`LoadError` too."""
    file = str(path)
    try:
        if path.name.lower().endswith(JSONL_SUFFIXES):
            yield from _load_jsonl(path)
        else:
            yield _load_text(path)
    except (OSError, EOFError, zlib.error, ValueError, RecursionError, MemoryError) as exc:
        yield LoadError(file, f"cannot read ({exc.__class__.__name__}); check the file", file)


def _load_text(path: Path) -> SourceDocument | LoadError:
    name = path.name.lower()
    file = str(path)
    raw = path.read_bytes()
    text = decode(raw)
    if text is None:
        return LoadError(file, "not a text file (binary content); convert it to .txt, .md or .html", file)
    if name.endswith(HTML_SUFFIXES):
        text, meta = _html_to_text(text)
    else:
        meta = metadata.extract(text)
        if name.endswith((".md", ".markdown")) and not meta.title:
            meta = replace(meta, title=_markdown_title(text))
    if not text.strip():
        return LoadError(file, "empty, nothing to index", file)
    return SourceDocument(doc_id=file_doc_id(path), source=file, text=text, meta=meta)


def decode(raw: bytes) -> str | None:
    """The text of a file: UTF-8, UTF-16 with a byte-order mark, else Windows-1252; None when the
    bytes are not text (NUL bytes without a UTF-16 mark, or many control characters: random bytes)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _texty(raw.decode("utf-16"))
        except UnicodeDecodeError:
            return None
    if b"\x00" in raw[:8192]:
        return None
    try:
        return _texty(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    sample = text[:65536]
    odd = sum(1 for ch in sample if ord(ch) > 127)
    return _texty(text) if odd <= 0.3 * max(1, len(sample)) else None


def _texty(text: str) -> str | None:
    sample = text[:65536]
    control = sum(1 for ch in sample if ch in _CONTROL or ch == "\ufffd")
    return text if control <= 0.01 * max(1, len(sample)) else None


def _markdown_title(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


class _Counted:
    """A binary stream that counts the bytes read from it (what a .gz decompresses to)."""

    def __init__(self, handle: Any, budget: int | None) -> None:
        self.handle = handle
        self.budget = budget
        self.read = 0

    def readline(self, limit: int) -> bytes:
        line = self.handle.readline(limit)
        self.read += len(line)
        if self.budget is not None and self.read > self.budget:
            raise _TooBig(self.budget)
        return line


class _TooBig(Exception):
    def __init__(self, budget: int) -> None:
        super().__init__(budget)
        self.budget = budget


def _lines(handle: _Counted, limit: int) -> Iterator[bytes | None]:
    """The lines of ``handle``; ``None`` for a line longer than ``limit`` (read past, not kept)."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the over-long line
                more = handle.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
            yield None
        else:
            yield line


def _load_jsonl(path: Path) -> Iterator[SourceDocument | LoadError]:
    file = str(path)
    packed = path.name.lower().endswith(".gz")
    budget = max(MIN_GZIP_LIMIT, GZIP_RATIO * path.stat().st_size) if packed else None
    keys: dict[str, int] = {}
    number = 0
    with gzip.open(path, "rb") if packed else path.open("rb") as raw:
        lines = _lines(_Counted(raw, budget), MAX_LINE_BYTES)
        while True:
            try:
                line = next(lines, b"")
            except _TooBig as big:
                yield LoadError(
                    f"{path}:{number + 1}",
                    f"decompresses to over {big.budget // 2**20} MB ({GZIP_RATIO}x its size: a zip bomb?); "
                    "the rest of the file was not read and nothing of it was removed; check the file",
                    file,
                )
                return
            except (OSError, EOFError, zlib.error) as exc:
                where = f"cannot read past line {number}" if number else "cannot read it"
                yield LoadError(
                    f"{path}:{number + 1}",
                    f"{where} ({exc.__class__.__name__}: the file is truncated or corrupt); "
                    f"the {len(keys)} articles before it were read and nothing of this file was removed; "
                    "re-create or re-download the file",
                    file,
                )
                return
            if line == b"":
                return
            number += 1
            where = f"{path}:{number}"
            if line is None:
                yield LoadError(where, f"line over {MAX_LINE_BYTES // 2**20} MB, skipped; split the article", file)
                continue
            item = _parse_line(path, where, line, number == 1, keys, number)
            if item is not None:
                yield item


def _parse_line(
    path: Path, where: str, line: bytes, first: bool, keys: dict[str, int], number: int
) -> SourceDocument | LoadError | None:
    file = str(path)
    if not line.strip():
        return None
    try:
        text = line.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        byte = line[exc.start]
        return LoadError(
            where, f"not UTF-8 (byte 0x{byte:02x} at byte {exc.start + 1} of the line); save the file as UTF-8", file
        )
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return LoadError(where, f"invalid JSON ({exc.msg}); fix or remove the line", file)
    except RecursionError:
        return LoadError(where, 'JSON nested too deeply; each line needs a flat {"text": "..."}', file)
    except ValueError as exc:  # e.g. an integer with more than 4300 digits
        return LoadError(where, f"invalid JSON value ({str(exc)[:80]}); fix or remove the line", file)
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        return LoadError(where, 'no "text" field; each line needs {"text": "..."}', file)
    try:
        doc = _record_to_document(path, record)
    except (TypeError, ValueError, RecursionError) as exc:
        return LoadError(where, f"unusable fields ({exc.__class__.__name__}); check the line's metadata", file)
    key = doc.source[len(file) + 1 :]
    if key in keys:
        return LoadError(
            where, f"same article as line {keys[key]} (same doc_id, url or text); skipped, remove one of them", file
        )
    keys[key] = number
    return doc


def _record_to_document(path: Path, record: dict[str, object]) -> SourceDocument:
    text = str(record["text"])
    found = metadata.extract(text)
    url = str(record.get("url") or "")
    authors = record.get("authors")
    meta = DocMetadata(
        title=str(record.get("title") or found.title),
        published_at=metadata.normalise_date(str(record.get("published_at") or "")) or found.published_at,
        outlet=metadata.outlet_from_url(str(record.get("source") or url)) or found.outlet,
        authors=tuple(str(a) for a in authors) if isinstance(authors, list) and authors else found.authors,
        dateline=found.dateline,
        url=safe_url(url),
    )
    key = str(record.get("doc_id") or url or hashlib.sha1(text.encode("utf-8")).hexdigest())
    if len(key) > 200 or _has_control(key):  # a key is shown as part of the source: keep it short and plain
        key = hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()
    doc_id = "j-" + hashlib.sha1(f"{path.resolve()}#{key}".encode()).hexdigest()[:16]
    return SourceDocument(doc_id=doc_id, source=f"{path}#{key}", text=text, meta=meta)


class _TextExtractor(HTMLParser):
    SKIP = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "svg", "template"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.title = ""
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and values.get("content"):
                self.meta.setdefault(key, values["content"])
        elif tag == "time" and values.get("datetime"):
            self.meta.setdefault("time", values["datetime"])
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "title":
            self.in_title = False
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skip_depth:
            self.parts.append(" ".join(data.split()) if data.strip() else " ")


def _html_to_text(html: str) -> tuple[str, DocMetadata]:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    paragraphs = [" ".join(p.split()) for p in "".join(parser.parts).split("\n\n")]
    text = "\n\n".join(p for p in paragraphs if p)
    found = metadata.extract(text)
    m = parser.meta
    published = ""
    for key in ("article:published_time", "datepublished", "date", "pubdate", "time"):
        published = metadata.normalise_date(m.get(key))
        if published:
            break
    url = safe_url(m.get("og:url", ""))
    meta = DocMetadata(
        title=(m.get("og:title") or " ".join(parser.title.split()) or found.title),
        published_at=published or found.published_at,
        outlet=m.get("og:site_name") or found.outlet or metadata.outlet_from_url(url),
        authors=(m["author"],) if m.get("author") else found.authors,
        dateline=found.dateline,
        url=url,
    )
    return text, meta
