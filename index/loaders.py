"""Turn files into :class:`SourceDocument` objects: .txt, .md, .html/.htm, .jsonl and .jsonl.gz
here; PDF, DOCX and web archives (WARC/ARC) in their own modules (index/pdf_loader.py,
index/docx_loader.py, index/warc_loader.py); web pages go through index/html_extract.py.

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
from pathlib import Path
from typing import Any

from index import encoding, html_extract, metadata
from index.discovery import (
    DOCX_SUFFIXES,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    MULTI_SUFFIXES,
    PDF_SUFFIXES,
    SUPPORTED,
    WARC_SUFFIXES,
    LoadError,
    discover,
    is_supported,
)
from index.types import DocMetadata, SourceDocument
from index.urls import has_control as _has_control
from index.urls import safe_url

__all__ = [
    "MULTI_SUFFIXES",
    "SUPPORTED",
    "LoadError",
    "decode",
    "discover",
    "file_doc_id",
    "is_supported",
    "load_file",
    "safe_url",
]

MAX_LINE_BYTES = 16 * 2**20  # one article of a .jsonl; longer lines are skipped, not held in memory
MIN_GZIP_LIMIT = 256 * 2**20  # a .gz may decompress to max(this, GZIP_RATIO x its size), then it is refused
GZIP_RATIO = 100


def file_doc_id(path: Path) -> str:
    return "f-" + hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


def load_file(path: Path) -> Iterator[SourceDocument | LoadError]:
    """Yield the documents in one file, or a :class:`LoadError` for what could not be read.
    Never raises for bad content: an unexpected failure is one :class:`LoadError` too."""
    file = str(path)
    try:
        name = path.name.lower()
        if name.endswith(JSONL_SUFFIXES):
            yield from _load_jsonl(path)
        elif name.endswith(PDF_SUFFIXES):
            from index import pdf_loader

            yield pdf_loader.load_pdf(path, file_doc_id(path))
        elif name.endswith(DOCX_SUFFIXES):
            from index import docx_loader

            yield docx_loader.load_docx(path, file_doc_id(path))
        elif name.endswith(WARC_SUFFIXES):
            from index import warc_loader

            yield from warc_loader.load_warc(path)
        else:
            yield _load_text(path)
    except (OSError, EOFError, zlib.error, ValueError, RecursionError, MemoryError) as exc:
        yield LoadError(file, f"cannot read ({exc.__class__.__name__}); check the file", file)


def _load_text(path: Path) -> SourceDocument | LoadError:
    name = path.name.lower()
    file = str(path)
    raw = path.read_bytes()
    html = name.endswith(HTML_SUFFIXES)
    text = decode(raw, encoding.charset_of_html(raw) if html else None)
    if text is None:
        return LoadError(file, "not a text file (binary content); convert it to .txt, .md or .html", file)
    if html:
        found = html_extract.extract(text)
        if found is None:
            why = "no article found in this page (menus or links only); save the article's own page"
            return LoadError(file, why, file)
        text, meta = found
        meta = replace(meta, origins=(file,))
    else:
        meta = metadata.extract(text)
        if name.endswith((".md", ".markdown")) and not meta.title:
            meta = replace(meta, title=_markdown_title(text))
    if not text.strip():
        return LoadError(file, "empty, nothing to index", file)
    return SourceDocument(doc_id=file_doc_id(path), source=file, text=text, meta=meta)


def decode(raw: bytes, declared: str | None = None) -> str | None:
    """The text of a file (index/encoding.py); None when the bytes are not text."""
    return encoding.decode(raw, declared)


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
