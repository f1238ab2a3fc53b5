"""Turn files into :class:`SourceDocument` objects: .txt, .md, .html/.htm, .jsonl and .jsonl.gz.

A file that cannot be read is reported as a :class:`LoadError` and skipped; the rest load.
Plain text keeps its exact characters so every chunk offset points into the file's own text.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

from index import metadata
from index.types import DocMetadata, SourceDocument

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
SUPPORTED = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES


@dataclass(frozen=True)
class LoadError:
    """A file (or one line of a .jsonl) that was skipped, and why."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def is_supported(path: Path) -> bool:
    return path.name.lower().endswith(SUPPORTED)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[LoadError]]:
    """Expand folders (recursively, hidden files skipped) into the supported files, sorted."""
    files: list[Path] = []
    errors: list[LoadError] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p for p in path.rglob("*") if p.is_file() and is_supported(p) and not _hidden(p.relative_to(path))
                )
            )
        elif path.is_file():
            if is_supported(path):
                files.append(path)
            else:
                errors.append(LoadError(str(path), f"unsupported file type; use one of {', '.join(SUPPORTED)}"))
        else:
            errors.append(LoadError(str(path), "no such file or folder; check the path"))
    return [p.resolve() for p in files], errors


def file_doc_id(path: Path) -> str:
    return "f-" + hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


def load_file(path: Path) -> Iterator[SourceDocument | LoadError]:
    """Yield the documents in one file, or a :class:`LoadError` for what could not be read."""
    name = path.name.lower()
    try:
        if name.endswith(JSONL_SUFFIXES):
            yield from _load_jsonl(path)
            return
        raw = path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield LoadError(str(path), f"cannot read ({exc.__class__.__name__}: {exc}); check the file")
        return
    text = _decode(raw)
    if text is None:
        yield LoadError(str(path), "not a text file (binary content); convert it to .txt, .md or .html")
        return
    if name.endswith(HTML_SUFFIXES):
        text, meta = _html_to_text(text)
    else:
        meta = metadata.extract(text)
        if name.endswith((".md", ".markdown")) and not meta.title:
            meta = replace(meta, title=_markdown_title(text))
    if not text.strip():
        yield LoadError(str(path), "empty, nothing to index")
        return
    yield SourceDocument(doc_id=file_doc_id(path), source=str(path), text=text, meta=meta)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _decode(raw: bytes) -> str | None:
    if b"\x00" in raw[:8192]:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _markdown_title(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def _load_jsonl(path: Path) -> Iterator[SourceDocument | LoadError]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield LoadError(where, f"invalid JSON ({exc.msg}); fix or remove the line")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
                yield LoadError(where, 'no "text" field; each line needs {"text": "..."}')
                continue
            yield _record_to_document(path, record)


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
        url=url,
    )
    key = str(record.get("doc_id") or url or hashlib.sha1(text.encode("utf-8")).hexdigest())
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
    url = m.get("og:url", "")
    meta = DocMetadata(
        title=(m.get("og:title") or " ".join(parser.title.split()) or found.title),
        published_at=published or found.published_at,
        outlet=m.get("og:site_name") or found.outlet or metadata.outlet_from_url(url),
        authors=(m["author"],) if m.get("author") else found.authors,
        dateline=found.dateline,
        url=url,
    )
    return text, meta
