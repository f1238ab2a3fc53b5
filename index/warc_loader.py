"""Web archives (WARC, and ARC through warcio's conversion), plain or gzipped: each HTML
response record (status 200) becomes an article with its URL and capture date; other records
(requests, metadata, images, redirects, revisits) are passed over. A record that holds no
article is skipped silently (an archive is full of index pages); an archive cut short keeps the
records before the damage."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from index import encoding, html_extract, metadata
from index.discovery import LoadError
from index.types import SourceDocument
from index.urls import canonical_url, url_key

MAX_RECORD_BYTES = 20 * 2**20


def load_warc(path: Path) -> Iterator[SourceDocument | LoadError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    file = str(path)
    keys: set[str] = set()
    found = 0
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream, arc2warc=True):
                doc = _article(path, record, keys)
                if doc is not None:
                    found += 1
                    yield doc
        except (
            ArchiveLoadFailed,
            OSError,
            EOFError,
            ValueError,
            AttributeError,
            TypeError,
            KeyError,
            zlib.error,
        ) as exc:
            yield LoadError(
                file,
                f"cannot read past record {found} ({exc.__class__.__name__}: truncated or not a WARC/ARC file); "
                f"the {found} articles before it were read; check the file",
                file,
            )
            return
    if not found:
        yield LoadError(file, "no HTML article in this web archive (only other records or pages without text)", file)


def _article(path: Path, record: object, keys: set[str]) -> SourceDocument | None:
    if getattr(record, "rec_type", "") != "response" or record.http_headers is None:  # type: ignore[attr-defined]
        return None
    http = record.http_headers  # type: ignore[attr-defined]
    content_type = http.get_header("Content-Type") or ""
    if http.get_statuscode() != "200" or not any(t in content_type.lower() for t in ("html", "xhtml")):
        return None
    url = canonical_url(record.rec_headers.get_header("WARC-Target-URI") or "")  # type: ignore[attr-defined]
    key = url_key(url)
    if not url or key in keys:
        return None
    raw = record.content_stream().read(MAX_RECORD_BYTES + 1)  # type: ignore[attr-defined]
    if len(raw) > MAX_RECORD_BYTES:
        return None
    declared = encoding.charset_of_header(content_type) or encoding.charset_of_html(raw)
    html = encoding.decode(raw, declared)
    if html is None:
        return None
    extracted = html_extract.extract(html, url)
    if extracted is None:
        return None
    keys.add(key)
    text, meta = extracted
    captured = metadata.normalise_date(record.rec_headers.get_header("WARC-Date") or "")  # type: ignore[attr-defined]
    source = f"{path}#{url}"
    origin = f"{source} (captured {captured})" if captured else source
    meta = replace(meta, url=meta.url or url, captured_at=captured, origins=(origin,))
    doc_id = "w-" + hashlib.sha1(f"{path.resolve()}#{key}".encode()).hexdigest()[:16]
    return SourceDocument(doc_id=doc_id, source=source, text=text, meta=meta)
