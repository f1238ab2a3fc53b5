"""Articles from the web: one page by its address (fetched through index/fetch.py, extracted by
index/html_extract.py). A page's article id is its address's story key (index/urls.py), so the
same page named twice, or reached through a feed, is one article."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from index import html_extract
from index.discovery import LoadError
from index.fetch import Fetched, Fetcher, FetchError
from index.types import DocMetadata, SourceDocument
from index.urls import canonical_url, url_key


def url_doc_id(url: str) -> str:
    return "u-" + hashlib.sha1(url_key(url).encode("utf-8")).hexdigest()[:16]


def page_document(url: str, html: str, origin: str = "") -> SourceDocument | None:
    """The article of a page already fetched (None when the page holds no article)."""
    address = canonical_url(url)
    found = html_extract.extract(html, address)
    if found is None:
        return None
    text, meta = found
    meta = replace(meta, url=meta.url or address, origins=(origin or address,))
    return SourceDocument(doc_id=url_doc_id(address), source=address, text=text, meta=meta)


def text_document(url: str, text: str, meta: DocMetadata, origin: str) -> SourceDocument:
    address = canonical_url(url)
    meta = replace(meta, url=meta.url or address, origins=(origin,))
    return SourceDocument(doc_id=url_doc_id(address), source=address, text=text, meta=meta)


def looks_like_feed(content_type: str, content: bytes) -> bool:
    """An RSS/Atom document rather than a web page (by its type, else its first tag)."""
    kind = content_type.lower()
    if any(k in kind for k in ("rss", "atom", "/xml", "+xml")) and "xhtml" not in kind:
        return True
    head = content[:600].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<rss", b"<feed", b"<rdf")) or (head.startswith(b"<?xml") and b"<html" not in head)


def load_url(url: str, fetcher: Fetcher, fetched: Fetched | None = None) -> SourceDocument | LoadError:
    """The article at ``url`` (``fetched``: its response, when the caller has it already), or
    one :class:`LoadError` line saying why not."""
    address = canonical_url(url)
    if not address:
        return LoadError(url, "not an http(s) address; give a full https://... URL")
    try:
        fetched = fetched or fetcher.get(address)
    except FetchError as exc:
        return LoadError(address, str(exc).removeprefix(f"{address}: "))
    content_type = fetched.content_type.lower()
    if looks_like_feed(content_type, fetched.content):
        return LoadError(address, "an RSS/Atom feed, not a page; ingest it with --feed (attest ingest --feed URL)")
    if content_type and not any(kind in content_type for kind in ("html", "xml", "text/plain")):
        return LoadError(address, f"not a web page ({content_type.split(';')[0]}); download it and ingest the file")
    html = fetched.text()
    if html is None:
        return LoadError(address, "the page is not readable text (binary content)")
    doc = page_document(address, html)
    if doc is None:
        return LoadError(address, "no article found on this page (menus or links only); give the article's own address")
    return doc
