"""The Library tab takes the new file types (PDF, DOCX, web archives) and web pages and feeds by
address, served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest

from rag.pipeline import Pipeline
from tests.index.fixture_server import FixtureServer, Route, start
from tests.index.test_documents import BRIDGE, write_pdf, write_warc
from tests.index.test_web_ingest import PAGES, rss
from ui import uploads
from ui.library import Library


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    state = FixtureServer()
    httpd = start(state)
    state.routes["/rail"] = Route((PAGES / "rail_jsonld_cookies.html").read_bytes())
    state.routes["/news/harbour"] = Route((PAGES / "harbour_menus_comments.html").read_bytes())
    yield state
    httpd.shutdown()
    httpd.server_close()


def test_uploads_accept_pdf_docx_and_web_archives(fake_pipeline: Callable[..., Pipeline], tmp_path: Path) -> None:
    for name in ("a.pdf", "b.docx", "c.warc.gz", "d.jsonl.gz", "e.arc"):
        assert uploads.safe_name(name) == name
    pdf = tmp_path / "bulletin.pdf"
    write_pdf(pdf, ["Bridge to be rebuilt", BRIDGE * 3])
    memo = tmp_path / "memo.docx"
    document = docx.Document()
    document.add_paragraph("The water board ended rationing on Thursday after heavy rains filled the reservoirs.")
    document.save(str(memo))
    archive = tmp_path / "crawl.warc.gz"
    harbour = (PAGES / "harbour_menus_comments.html").read_bytes()
    write_warc(archive, [("https://coastline-courier.example/h", "text/html", harbour, "2023-03-15T10:00:00Z")])
    library = Library(fake_pipeline())
    status = library.add([pdf, memo, archive])
    assert "bulletin.pdf: 1 article added" in status and "memo.docx: 1 article added" in status
    assert "crawl.warc.gz: 1 article added" in status
    docs = library.documents()
    summary = library.summary(docs)
    assert "PDF: 1" in summary and "DOCX: 1" in summary and "web archive: 1" in summary
    assert {library.as_dict(d)["type"] for d in docs} == {"PDF", "DOCX", "web archive"}


def test_pages_and_feeds_by_address(
    fake_pipeline: Callable[..., Pipeline], server: FixtureServer, tmp_path: Path
) -> None:
    server.routes["/feed.xml"] = Route(rss(server.base, [("/news/harbour", "Harbour", "")]), "application/rss+xml")
    library = Library(fake_pipeline())
    steps: list[tuple[int, int, str]] = []
    status = library.add_addresses(
        f"{server.base}/rail\n{server.base}/feed.xml  ftp://nope", lambda d, t, w: steps.append((d, t, w))
    )
    assert "Skipped ftp://nope: not an http(s) address" in status and "2 articles added" in status
    assert steps[-1] == (2, 2, "Done")
    by_type = {library.as_dict(d)["type"]: library.as_dict(d) for d in library.documents()}
    assert by_type["web page"]["title"] == "Night trains return to the northern line after twelve years"
    assert by_type["feed item"]["origins"] == [f"{server.base}/news/harbour (feed {server.base}/feed.xml)"]
    again = library.add_addresses(f"{server.base}/news/harbour")
    assert "1 already indexed" in again  # the feed's item, reached by its own address: one article
    assert "Paste the address" in library.add_addresses("   ")
