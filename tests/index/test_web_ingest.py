"""Pages by address, RSS/Atom feeds, watching feeds and one story, one article, against a real
HTTP server on 127.0.0.1 serving the fixture pages (nothing reaches the internet)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from index import loaders
from index.fetch import Fetcher, FetchError
from index.ingest import Ingestor
from index.settings import Settings
from index.store import Store
from index.types import SourceDocument
from index.watch import FeedWatcher, fetcher_for, ingest_urls, parse_interval
from index.web import load_url
from tests.conftest import ROOT, HashEmbedder
from tests.index.fixture_server import FixtureServer, Route, start
from tests.index.test_documents import write_warc

PAGES = ROOT / "tests" / "fixtures" / "ingest" / "pages"
RSS = "application/rss+xml"
FERRY = "The ferry strike ended on Monday after the unions accepted a pay offer."


def page(name: str) -> bytes:
    return (PAGES / f"{name}.html").read_bytes()


def truth(name: str) -> str:
    return (PAGES / f"{name}.txt").read_text(encoding="utf-8").strip()


def rss(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>Tue, 14 Mar 2023 08:00:00 GMT</pubDate><description><![CDATA[{body}]]></description></item>"
        for path, title, body in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Courier feed</title>'
        f"<link>{base}/</link><description>News</description>{entries}</channel></rss>"
    ).encode()


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    state = FixtureServer()
    httpd = start(state)
    state.routes.update(
        {
            "/news/harbour": Route(page("harbour_menus_comments")),
            "/rail": Route(page("rail_jsonld_cookies")),
            "/cafe": Route(
                page("cafe_windows1252").replace(b"charset=windows-1252", b"charset=bogus"),
                content_type="text/html; charset=windows-1252",
            ),
            "/world": Route(page("section_front_no_article")),
            "/slow": Route(page("rail_jsonld_cookies"), delay=3.0),
            "/logo.png": Route(b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        }
    )
    yield state
    httpd.shutdown()
    httpd.server_close()


def fetcher(tmp_path: Path, **kwargs: float) -> Fetcher:
    timeout = kwargs.get("timeout", 5.0)
    return Fetcher(tmp_path / "validators.json", min_interval=kwargs.get("min_interval", 0.0), timeout=timeout)


def test_a_page_by_address_polite_and_decoded(server: FixtureServer, tmp_path: Path) -> None:
    with fetcher(tmp_path) as web:
        doc = load_url(f"{server.base}/news/harbour?utm_source=newsletter#top", web)
        cafe = load_url(f"{server.base}/cafe", web)
        errors = [load_url(f"{server.base}{p}", web) for p in ("/missing", "/world", "/logo.png")]
    assert isinstance(doc, SourceDocument) and doc.text == truth("harbour_menus_comments")
    assert doc.source == f"{server.base}/news/harbour" and doc.doc_id.startswith("u-")
    assert isinstance(cafe, SourceDocument) and "Sévérine" in cafe.text and "Ã" not in cafe.text  # header charset
    path, headers = server.requests[0]
    assert path == "/news/harbour" and headers["user-agent"].startswith("Attest/")
    messages = [e.message for e in errors if isinstance(e, loaders.LoadError)]
    assert len(messages) == 3 and "HTTP 404" in messages[0] and "no article" in messages[1]
    assert "not a web page (image/png)" in messages[2] and all("\n" not in m for m in messages)


def test_timeout_is_one_line_and_the_rest_goes_on(server: FixtureServer, tmp_path: Path, settings: Settings) -> None:
    ingestor = Ingestor(settings, Store(settings), HashEmbedder())
    with fetcher(tmp_path, timeout=1.0) as web:
        report = ingest_urls(ingestor, [f"{server.base}/slow", f"{server.base}/rail"], web)
    assert len(report.added) == 1 and len(report.errors) == 1
    assert "timed out" in str(report.errors[0]) and "\n" not in str(report.errors[0])


def test_one_request_per_host_at_a_time(server: FixtureServer, tmp_path: Path) -> None:
    server.routes["/rail"].delay = 0.3
    with fetcher(tmp_path) as web:
        threads = [threading.Thread(target=web.get, args=(f"{server.base}/rail",)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert server.hits("/rail") == 4 and server.most_in_flight == 1


def test_conditional_get_sends_validators_and_gets_304(server: FixtureServer, tmp_path: Path) -> None:
    server.routes["/rail"].etag = '"v1"'
    with fetcher(tmp_path) as web:
        assert web.get(f"{server.base}/rail", conditional=True).status == 200
    with fetcher(tmp_path) as web:  # validators kept on disk
        again = web.get(f"{server.base}/rail", conditional=True)
    assert again.not_modified and server.requests[-1][1]["if-none-match"] == '"v1"'
    with pytest.raises(FetchError, match="not an http"):
        web.get("file:///etc/passwd")


def test_feed_items_pages_fetched_item_text_when_page_is_missing(
    server: FixtureServer, tmp_path: Path, settings: Settings
) -> None:
    feed = rss(
        server.base,
        [
            ("/news/harbour", "Harbour reopens", "Short teaser."),
            ("/gone", "Ferry strike ends", f"<p>{FERRY}</p>"),
        ],
    )
    server.routes["/feed.xml"] = Route(feed, content_type="application/rss+xml", etag='"f1"')
    store = Store(settings)
    ingestor = Ingestor(settings, store, HashEmbedder())
    with fetcher_for(settings, min_interval=0.0) as web:
        report = FeedWatcher(settings, ingestor, web).poll([f"{server.base}/feed.xml"], only_new=False)
    assert len(report.added) == 2 and not report.errors
    with fetcher_for(settings, min_interval=0.0) as web:
        as_page = load_url(f"{server.base}/feed.xml", web)
    assert isinstance(as_page, loaders.LoadError) and "--feed" in as_page.message
    docs = {d.source: store.document(d.doc_id) for d in store.documents()}
    harbour = docs[f"{server.base}/news/harbour"]
    gone = docs[f"{server.base}/gone"]
    assert harbour is not None and harbour.text == truth("harbour_menus_comments")
    assert harbour.meta.origins == (f"{server.base}/news/harbour (feed {server.base}/feed.xml)",)
    assert gone is not None and gone.text == FERRY
    assert gone.meta.title == "Ferry strike ends" and gone.meta.published_at == "2023-03-14"
    assert "item text" in gone.meta.origins[0]


def test_watch_fetches_only_new_items(server: FixtureServer, settings: Settings) -> None:
    base = server.base
    server.routes["/feed.xml"] = Route(
        rss(base, [("/news/harbour", "Harbour", "")]), content_type="application/rss+xml", etag='"f1"'
    )
    ingestor = Ingestor(settings, Store(settings), HashEmbedder())
    rounds = []
    with fetcher_for(settings, min_interval=0.0) as web:
        watcher = FeedWatcher(settings, ingestor, web)
        watcher.run([f"{base}/feed.xml"], 0, rounds=2, on_round=lambda n, r: rounds.append(r), sleep=lambda s: None)
        assert [len(r.added) for r in rounds] == [1, 0]
        assert server.hits("/feed.xml") == 2 and server.hits("/news/harbour") == 1  # second round: a 304
        server.routes["/feed.xml"] = Route(
            rss(base, [("/rail", "Night trains", ""), ("/news/harbour", "Harbour", "")]),
            content_type="application/rss+xml",
            etag='"f2"',
        )
        report = FeedWatcher(settings, ingestor, web).poll([f"{base}/feed.xml"])  # a restarted watcher
    assert len(report.added) == 1 and server.hits("/news/harbour") == 1 and server.hits("/rail") == 1
    assert parse_interval("15m") == 900 and parse_interval("90s") == 90 and parse_interval("2h") == 7200
    with pytest.raises(ValueError, match="15m"):
        parse_interval("soon")


def test_one_story_one_article_with_every_origin(server: FixtureServer, tmp_path: Path, settings: Settings) -> None:
    saved = tmp_path / "saved" / "harbour.html"
    saved.parent.mkdir()
    saved.write_bytes(page("harbour_menus_comments"))
    archive = tmp_path / "crawl.warc.gz"
    harbour = page("harbour_menus_comments")
    write_warc(archive, [(f"{server.base}/news/harbour", "text/html", harbour, "2023-03-15T10:00:00Z")])
    server.routes["/feed.xml"] = Route(rss(server.base, [("/news/harbour", "Harbour", "")]), content_type=RSS)
    store = Store(settings)
    ingestor = Ingestor(settings, store, HashEmbedder())
    first = ingestor.ingest([saved.parent])
    assert len(first.added) == 1
    with fetcher_for(settings, min_interval=0.0) as web:
        by_url = ingest_urls(ingestor, [f"{server.base}/news/harbour"], web)
        by_feed = FeedWatcher(settings, ingestor, web).poll([f"{server.base}/feed.xml"], only_new=False)
    by_warc = ingestor.ingest([archive])
    assert [len(r.merged) for r in (by_url, by_feed, by_warc)] == [1, 1, 1]
    assert not (by_url.added or by_feed.added or by_warc.added)
    (record,) = store.documents()
    assert record.source == str(saved.resolve())
    assert record.meta.origins == (
        str(saved.resolve()),
        f"{server.base}/news/harbour",
        f"{server.base}/news/harbour (feed {server.base}/feed.xml)",
        f"{archive.resolve()}#{server.base}/news/harbour (captured 2023-03-15)",
    )
    again = ingestor.ingest([archive, saved.parent])  # incremental: nothing new, nothing written
    assert again.unchanged == 2 and not (again.added or again.merged or again.removed)
    assert store.chunk_count() == first.chunks_embedded


def test_cli_ingests_a_page_and_a_feed_and_info_counts_them(server: FixtureServer, tmp_path: Path) -> None:
    from ui.cli import cli

    server.routes["/feed.xml"] = Route(rss(server.base, [("/rail", "Night trains", "")]), content_type=RSS)
    env = {"ATTEST_DATA_DIR": str(tmp_path / "data")}
    runner = CliRunner()
    done = runner.invoke(cli, ["ingest", f"{server.base}/news/harbour", "--feed", f"{server.base}/feed.xml"], env=env)
    assert done.exit_code == 0, done.output
    assert done.output.count("1 added") == 2
    info = runner.invoke(cli, ["info"], env=env)
    assert "By type: web page 1, feed item 1" in info.output or "By type: feed item 1, web page 1" in info.output
    assert "Coastline Courier 1" in info.output and "The Valley Post 1" in info.output
    bad = runner.invoke(cli, ["ingest", "--feed", "ftp://example.org/feed"], env=env)
    assert bad.exit_code != 0 and "not an http(s) address" in bad.output
    server.routes["/feed.xml"] = Route(rss(server.base, [("/cafe", "Café", ""), ("/rail", "Night trains", "")]), RSS)
    watched = runner.invoke(cli, ["watch", f"{server.base}/feed.xml", "--every", "1m", "--rounds", "1"], env=env)
    assert watched.exit_code == 0, watched.output
    assert "round 1: 1 added, 0 updated, 0 unchanged" in watched.output  # rail: seen by ingest --feed, not fetched
    too_often = runner.invoke(cli, ["watch", f"{server.base}/feed.xml", "--every", "5s"], env=env)
    assert too_often.exit_code != 0 and "at least 60s" in too_often.output


def test_a_saved_page_that_moved_is_refiled_not_merged(tmp_path: Path, settings: Settings) -> None:
    old = tmp_path / "a" / "harbour.html"
    old.parent.mkdir()
    old.write_bytes(page("harbour_menus_comments"))
    store = Store(settings)
    ingestor = Ingestor(settings, store, HashEmbedder())
    ingestor.ingest([old.parent])
    new = tmp_path / "b" / "harbour.html"
    new.parent.mkdir()
    old.rename(new)
    report = ingestor.ingest([new.parent])
    assert report.moved == [str(new.resolve())] and not report.merged
    (record,) = store.documents()
    assert record.source == str(new.resolve()) and record.meta.origins == (str(new.resolve()),)
