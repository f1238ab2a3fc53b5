"""RSS and Atom feeds (feedparser): each item's page is fetched and its article extracted; when
the page cannot be fetched or holds no article, the item's own content (or summary) is the
article. The feed is given to feedparser as bytes fetched by index/fetch.py, so feedparser
itself never goes online."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from index import html_legacy, metadata
from index.discovery import LoadError
from index.fetch import Fetcher, FetchError
from index.types import DocMetadata, SourceDocument
from index.urls import canonical_url, safe_url, url_key
from index.web import page_document, text_document


@dataclass(frozen=True)
class FeedItem:
    key: str  # the item's id, else its link: what "already seen" means
    link: str
    title: str = ""
    published_at: str = ""
    authors: tuple[str, ...] = ()
    content: str = ""  # HTML of the item's own content or summary


@dataclass
class Feed:
    url: str
    title: str = ""
    items: list[FeedItem] = field(default_factory=list)
    not_modified: bool = False


class FeedError(Exception):
    """A feed that could not be read; ``str()`` is one line."""


def parse_feed(content: bytes, url: str) -> Feed:
    import feedparser

    parsed = feedparser.parse(content)  # bytes: never a URL, so never a fetch
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception")
        why = reason.__class__.__name__ if reason else "no items"
        raise FeedError(f"{url}: not an RSS or Atom feed ({why}); check the address")
    feed = Feed(url=url, title=str(parsed.feed.get("title", "")))
    for entry in parsed.entries:
        link = canonical_url(str(entry.get("link", "")))
        if not link:
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", when) if when else ""
        contents = entry.get("content") or []
        body = str(contents[0].get("value", "")) if contents else str(entry.get("summary", ""))
        authors = tuple(str(a.get("name", "")).strip() for a in entry.get("authors", []) if a.get("name"))
        feed.items.append(
            FeedItem(
                key=str(entry.get("id") or link),
                link=link,
                title=" ".join(str(entry.get("title", "")).split()),
                published_at=metadata.normalise_date(published),
                authors=authors,
                content=body,
            )
        )
    return feed


def fetch_feed(url: str, fetcher: Fetcher, conditional: bool = False) -> Feed:
    address = canonical_url(url)
    if not address:
        raise FeedError(f"{url}: not an http(s) address; give the feed's full https://... URL")
    try:
        fetched = fetcher.get(address, conditional=conditional)
    except FetchError as exc:
        raise FeedError(str(exc)) from exc
    if fetched.not_modified:
        return Feed(url=address, not_modified=True)
    return parse_feed(fetched.content, address)


def item_document(item: FeedItem, feed: Feed, fetcher: Fetcher) -> SourceDocument | LoadError:
    """The article of one item: its page's, else the item's own content."""
    origin = f"{item.link} (feed {feed.url})"
    problem = "no article on its page"
    try:
        fetched = fetcher.get(item.link)
        html = fetched.text()
        doc = page_document(item.link, html, origin) if html else None
        if doc is not None:
            return _with_item_metadata(doc, item, origin)
    except FetchError as exc:
        problem = str(exc).removeprefix(f"{item.link}: ")
    text = _content_text(item.content)
    if not text:
        return LoadError(item.link, f"{problem}, and the feed item has no text of its own; skipped")
    meta = DocMetadata(
        title=item.title,
        published_at=item.published_at,
        authors=item.authors,
        outlet=feed.title or metadata.outlet_from_url(item.link),
        url=safe_url(item.link),
    )
    return text_document(item.link, text, meta, origin + " (item text: page unavailable)")


def _with_item_metadata(doc: SourceDocument, item: FeedItem, origin: str) -> SourceDocument:
    meta = doc.meta
    meta = replace(
        meta,
        title=meta.title or item.title,
        published_at=meta.published_at or item.published_at,
        authors=meta.authors or item.authors,
        origins=(origin,),
    )
    return replace(doc, meta=meta)


def _content_text(content: str) -> str:
    if not content.strip():
        return ""
    if "<" not in content:
        return "\n\n".join(" ".join(p.split()) for p in content.split("\n\n") if p.strip())
    text, _ = html_legacy.html_to_text(f"<html><body>{content}</body></html>")
    return text


def feed_documents(
    url: str, fetcher: Fetcher, seen: set[str] | None = None, conditional: bool = False
) -> Iterator[SourceDocument | LoadError | FeedItem]:
    """Every item's article (an item's key is yielded after its article, so a caller can mark it
    seen); items whose key is in ``seen`` are not fetched again."""
    try:
        feed = fetch_feed(url, fetcher, conditional)
    except FeedError as exc:
        yield LoadError(canonical_url(url) or url, str(exc).split(": ", 1)[-1])
        return
    for item in feed.items:
        if seen is not None and (item.key in seen or url_key(item.link) in seen):
            continue
        yield item_document(item, feed, fetcher)
        yield item
