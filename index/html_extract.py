"""An article out of a web page: main text, title, date, authors, site name, address.

The main text is trafilatura's (boilerplate removal that keeps the article and drops menus,
related-story lists, comments, cookie banners and footers); the publication date is htmldate's
(through trafilatura); a schema.org ``NewsArticle`` in JSON-LD, where the page has one, is
trusted first for date, headline, authors and publisher. Nothing is fetched: the page is given
as text. The text returned is what gets stored, so chunk and quote offsets point into it; its
paragraphs are separated by a blank line. When trafilatura finds no article, the old
hand-written extractor (index/html_legacy.py) is tried, and its text is kept only if it reads
as prose (a page of links and headlines is "no article", not a story).
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from typing import Any

from index import html_legacy, metadata
from index.types import DocMetadata
from index.urls import canonical_url

ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle", "blogposting"}
    | {"backgroundnewsarticle", "reviewnewsarticle", "liveblogposting", "report", "scholarlyarticle"}
)
_LD_SCRIPT = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)
MIN_PROSE_WORDS = 60  # the legacy fallback's text must have this many words in real paragraphs

for _name in ("trafilatura", "htmldate", "courlan"):  # their warnings about odd markup are not the user's
    logging.getLogger(_name).setLevel(logging.ERROR)


def extract(html: str, url: str = "") -> tuple[str, DocMetadata] | None:
    """``(text, metadata)`` of the article in ``html``; None when the page holds no article."""
    with warnings.catch_warnings():  # urllib3's note about SOCKS proxies: trafilatura never fetches here
        warnings.simplefilter("ignore")
        import trafilatura  # imported here: about 0.5 s, paid only when a page is read

    found = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    text = _paragraphs(getattr(found, "text", "") or "") if found is not None else ""
    if text and not reads_as_prose(text):  # a section front, a list of links: no article
        text = ""
    legacy_meta: DocMetadata | None = None
    if not text:
        text, legacy_meta = _legacy_prose(html)
        if not text:
            return None
    ld = json_ld(html)
    title = ld.get("headline") or getattr(found, "title", "") or (legacy_meta.title if legacy_meta else "")
    text = _without_title(text, title)
    in_text = metadata.extract(text)
    page_url = canonical_url(ld.get("url", "") or getattr(found, "url", "") or "") or canonical_url(url)
    authors = ld.get("authors") or _split_authors(getattr(found, "author", "") or "")
    site = ld.get("publisher") or getattr(found, "sitename", "") or ""
    meta = DocMetadata(
        title=title,
        published_at=(
            metadata.normalise_date(ld.get("date"))
            or metadata.normalise_date(getattr(found, "date", "") or "")
            or (legacy_meta.published_at if legacy_meta else "")
            or in_text.published_at
        ),
        outlet=_clean(site) or in_text.outlet or metadata.outlet_from_url(page_url),
        authors=tuple(authors) or in_text.authors,
        dateline=in_text.dateline,
        url=page_url,
    )
    return text, meta


def _paragraphs(text: str) -> str:
    """trafilatura's lines, one paragraph each, separated by a blank line; spaces tidied."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _without_title(text: str, title: str) -> str:
    """The body without a first paragraph that only repeats the headline (kept as the title)."""
    first, _, rest = text.partition("\n\n")
    same = " ".join(first.split()).casefold() == " ".join(title.split()).casefold()
    return rest if title and same and rest.strip() else text


_SENTENCE_END = tuple('.!?"\u201d\u2019)\u00bb\u3002\uff01\uff1f\u061f\u0964')  # incl. CJK, Arabic, Devanagari


def reads_as_prose(text: str, words: int = 10) -> bool:
    """A paragraph of ``words`` words (or 40 characters, for scripts without spaces) that ends a
    sentence, or any paragraph of 150 characters: a story, not a page of headlines, menu entries
    and timestamps."""
    for paragraph in text.split("\n\n"):
        paragraph = paragraph.strip()
        if len(paragraph) >= 150:
            return True
        long_enough = len(paragraph.split()) >= words or (" " not in paragraph and len(paragraph) >= 40)
        if long_enough and paragraph.endswith(_SENTENCE_END):
            return True
    return False


def _legacy_prose(html: str) -> tuple[str, DocMetadata | None]:
    text, meta = html_legacy.html_to_text(html)
    prose = [p for p in text.split("\n\n") if len(p.split()) >= 15 and p.rstrip()[-1:] in '.!?"\u201d\u2019)']
    return (text, meta) if sum(len(p.split()) for p in prose) >= MIN_PROSE_WORDS else ("", None)


def _split_authors(value: str) -> list[str]:
    names = [_clean(n) for n in re.split(r";|\s+and\s+|,\s*(?=[A-Z])", value)]
    return [n for n in names if n and len(n) <= 80 and not n.lower().startswith("http")]


def _clean(value: str) -> str:
    return " ".join(str(value).split())[:200]


def json_ld(html: str) -> dict[str, Any]:
    """headline, date, authors, publisher and url of the first schema.org article in the page's
    JSON-LD (``{}`` when there is none or it does not parse)."""
    for block in _LD_SCRIPT.findall(html):
        try:
            data = json.loads(block.strip())
        except (json.JSONDecodeError, RecursionError, ValueError):
            continue
        for item in _items(data, 0):
            kinds = item.get("@type")
            kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
            if any(str(k).lower() in ARTICLE_TYPES for k in kinds):
                return _article_fields(item)
    return {}


def _items(data: Any, depth: int) -> list[dict[str, Any]]:
    if depth > 4:
        return []
    if isinstance(data, list):
        return [i for d in data for i in _items(d, depth + 1)]
    if not isinstance(data, dict):
        return []
    found = [data]
    for key in ("@graph", "mainEntity", "itemListElement"):
        if key in data:
            found.extend(_items(data[key], depth + 1))
    return found


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return _split_authors(value)
    if isinstance(value, dict):
        return _names(value.get("name", ""))
    if isinstance(value, list):
        return [n for v in value[:20] for n in _names(v)]
    return []


def _article_fields(item: dict[str, Any]) -> dict[str, Any]:
    publisher = item.get("publisher")
    publisher_names = _names(publisher) if isinstance(publisher, dict | list) else []
    fields: dict[str, Any] = {
        "headline": _clean(item.get("headline") or item.get("name") or ""),
        "date": str(item.get("datePublished") or item.get("dateCreated") or ""),
        "authors": _names(item.get("author")),
        "publisher": publisher_names[0] if publisher_names else "",
    }
    page = item.get("mainEntityOfPage")
    url = item.get("url") or (page.get("@id") if isinstance(page, dict) else page if isinstance(page, str) else "")
    fields["url"] = str(url or "")
    return fields
