"""The hand-written HTML extractor Attest used before trafilatura (kept as the "before" of
bench/extraction.py and as the last resort when trafilatura finds no article in a page). It keeps
every text node outside script/style/nav/header/footer/aside/form, so menus, related-story lists
and comments that sit elsewhere come along."""

from __future__ import annotations

from html.parser import HTMLParser

from index import metadata
from index.types import DocMetadata
from index.urls import safe_url


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


def html_to_text(html: str) -> tuple[str, DocMetadata]:
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
