"""A PDF's text layer (pypdf) as one article.

Lines are re-flowed into paragraphs; pages are joined so that a sentence running over a page
break stays one sentence (no blank line where the previous page did not end a sentence, and a
word hyphenated across the break is rejoined); lines repeated at the top or bottom of most pages
(running headers, footers, page numbers) are dropped. A PDF without a text layer (a scan) is
one clear error: it needs OCR first."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from index import metadata
from index.discovery import LoadError
from index.types import DocMetadata, SourceDocument

EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be a running header/footer
_ENDS_SENTENCE = re.compile(r"[.!?:][\"'\u201d\u2019)\]]*$")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.I)


def load_pdf(path: Path, doc_id: str) -> SourceDocument | LoadError:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    file = str(path)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            return LoadError(file, "encrypted PDF (needs a password); save an unprotected copy", file)
        pages = [page.extract_text() or "" for page in reader.pages]
        info: object = reader.metadata or {}
    except (PdfReadError, KeyError, TypeError, AttributeError, NotImplementedError) as exc:
        return LoadError(file, f"cannot read this PDF ({exc.__class__.__name__}); check the file or re-save it", file)
    text = join_pages(pages)
    if not text.strip():
        why = "PDF has no text layer (a scan?); run OCR on it (e.g. ocrmypdf) and ingest the result"
        return LoadError(file, why, file)
    found = metadata.extract(text)
    title = _info(info, "/Title")
    author = _info(info, "/Author")
    created = _info(info, "/CreationDate")  # D:20220612100000Z
    date = metadata.normalise_date(f"{created[2:6]}-{created[6:8]}-{created[8:10]}") if created[:2] == "D:" else ""
    meta = replace(
        found,
        title=title or found.title,
        authors=tuple(a.strip() for a in re.split(r";|,| and ", author) if a.strip()) or found.authors,
        published_at=found.published_at or date,
    )
    return SourceDocument(doc_id=doc_id, source=file, text=text, meta=meta if meta else DocMetadata())


def _info(info: object, key: str) -> str:
    try:
        value = info.get(key)  # type: ignore[attr-defined]
    except (AttributeError, KeyError, TypeError, ValueError):
        return ""
    return " ".join(str(value).split()) if value else ""


def _normal(line: str) -> str:
    """A line with its numbers blanked: 'Page 3 of 9' and 'Page 4 of 9' are the same footer."""
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _repeated(pages: list[list[str]]) -> set[str]:
    """Lines found at the top or bottom of at least half the pages (and of two pages or more)."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {_normal(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]}
        counts.update(edges)
    return {line for line, n in counts.items() if line and n >= max(2, len(pages) / 2)}


def join_pages(pages: list[str]) -> str:
    split = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    drop = _repeated(split)
    paragraphs: list[str] = []
    open_paragraph = False  # the last paragraph did not end a sentence: the next line continues it
    for lines in split:
        bottom = len(lines) - EDGE_LINES
        body = [
            line
            for i, line in enumerate(lines)
            if not ((i < EDGE_LINES or i >= bottom) and (_normal(line) in drop or _PAGE_NUMBER.match(line)))
        ]
        width = max((len(line) for line in body), default=0)
        for line in body:
            if open_paragraph and paragraphs:
                last = paragraphs[-1]
                if last.endswith("-") and line[:1].islower():
                    paragraphs[-1] = last[:-1] + line
                else:
                    paragraphs[-1] = f"{last} {line}"
            else:
                paragraphs.append(line)
            # a short line that ends a sentence ends its paragraph; a heading (short, no stop) too
            ends = bool(_ENDS_SENTENCE.search(line))
            short = len(line) < 0.75 * width
            open_paragraph = not (short and (ends or _is_heading(line)))
    return "\n\n".join(paragraphs)


def _is_heading(line: str) -> bool:
    """A short capitalised line with no stop: a title or subheading, its own paragraph."""
    words = line.split()
    return 0 < len(words) <= 12 and line[:1].isupper() and not line.endswith((",", ";", "-"))
