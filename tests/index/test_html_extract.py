"""Web pages through trafilatura: the article and nothing else, its metadata, exact offsets, no
mojibake, no network. The fixture pages (tests/fixtures/ingest/pages) were written for these
tests: NAME.html, the article body it holds (NAME.txt) and its metadata (NAME.json)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from index import chunking, encoding, html_extract, loaders
from index.types import SourceDocument
from index.urls import url_key
from tests.conftest import ROOT

PAGES = ROOT / "tests" / "fixtures" / "ingest" / "pages"
ARTICLES = sorted(p.stem for p in PAGES.glob("*.html") if p.with_suffix(".txt").exists())
BOILERPLATE = [
    "Related stories",
    "seadog77",  # a commenter
    "Subscribe today",
    "Most read",
    "Sign up",
    "cookies",
    "All rights reserved",
    "You may also like",
    "READ MORE",
    "More from Features",
    "Réactions",
    "Share on",
    "Advertisement",
    "Most popular",
    "Topics:",
    "Photograph:",
    "covers the city council",  # an author's bio box
    "Try 30 days",
]


def load(name: str) -> SourceDocument:
    (doc,) = loaders.load_file(PAGES / f"{name}.html")
    assert isinstance(doc, SourceDocument), doc
    return doc


@pytest.mark.parametrize("name", ARTICLES)
def test_fixture_page_gives_its_article_and_no_boilerplate(name: str) -> None:
    doc = load(name)
    truth = (PAGES / f"{name}.txt").read_text(encoding="utf-8").strip()
    expected = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    body_paragraphs = truth.split("\n\n")
    assert all(p in doc.text for p in body_paragraphs), doc.text
    for phrase in BOILERPLATE:
        assert phrase not in doc.text, phrase
    assert doc.meta.title == expected["title"]
    assert doc.meta.published_at == expected["published_at"]
    if "authors" in expected:
        assert list(doc.meta.authors) == expected["authors"]
    if "outlet" in expected:
        assert doc.meta.outlet == expected["outlet"]
    if "url_key" in expected:
        assert url_key(doc.meta.url) == expected["url_key"]
    chunks = chunking.chunk_document(doc, 300, 1)
    assert chunks and all(doc.text[c.start : c.end] == c.text for c in chunks)


def test_article_inside_a_form_is_not_dropped() -> None:
    doc = load("clinic_form_wrapped")
    assert doc.text.startswith("The health ministry will install solar panels")
    assert "__VIEWSTATE" not in doc.text and "Cookie policy" not in doc.text


def test_json_ld_news_article_metadata_wins() -> None:
    ld = html_extract.json_ld((PAGES / "rail_jsonld_cookies.html").read_text(encoding="utf-8"))
    assert ld["date"].startswith("2024-01-19") and ld["authors"] == ["Ingrid Solberg", "Tomas Berg"]
    assert ld["publisher"] == "The Valley Post"
    doc = load("rail_jsonld_cookies")
    assert doc.meta.url == "https://valleypost.example/transport/night-trains-return"


def test_page_without_an_article_is_one_clear_error() -> None:
    (error,) = loaders.load_file(PAGES / "section_front_no_article.html")
    assert isinstance(error, loaders.LoadError) and "no article found" in error.message


def test_declared_windows_1252_page_has_no_mojibake() -> None:
    doc = load("cafe_windows1252")
    assert "Sévérine Garnier" in doc.text and "350 000 €" in doc.text and "s’y retrouvent" in doc.text
    assert "Ã" not in doc.text and "\ufffd" not in doc.text and "â€" not in doc.text


def test_boms_wrong_declarations_and_undeclared_pages(tmp_path: Path) -> None:
    html = (PAGES / "harbour_menus_comments.html").read_text(encoding="utf-8")
    truth = load("harbour_menus_comments").text
    utf16 = tmp_path / "utf16.html"
    utf16.write_bytes(html.encode("utf-16"))  # with a BOM; its <meta charset="utf-8"> is wrong
    utf8_bom = tmp_path / "bom.html"
    utf8_bom.write_bytes(b"\xef\xbb\xbf" + html.encode("utf-8"))
    for path in (utf16, utf8_bom):
        (doc,) = loaders.load_file(path)
        assert isinstance(doc, SourceDocument) and doc.text == truth
    cafe = (PAGES / "cafe_windows1252.html").read_bytes().decode("cp1252")
    lying = tmp_path / "lying.html"  # says Latin-1, is UTF-8: a common server mistake
    lying.write_bytes(cafe.replace("windows-1252", "iso-8859-1").encode("utf-8"))
    undeclared = tmp_path / "undeclared.html"  # no charset anywhere, cp1252 bytes: detected
    undeclared.write_bytes(
        cafe.replace('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "").encode("cp1252")
    )
    for path in (lying, undeclared):
        (doc,) = loaders.load_file(path)
        assert isinstance(doc, SourceDocument) and "Sévérine" in doc.text and "Ã" not in doc.text


def test_charset_helpers() -> None:
    assert encoding.charset_of_header("text/html; charset=ISO-8859-1") == "iso8859-1"
    assert encoding.charset_of_html(b'<meta charset="windows-1252">') == "cp1252"
    assert encoding.charset_of_header("text/html") is None
    assert encoding.decode("naïve".encode(), "latin-1") == "naïve"  # valid UTF-8 beats a Latin-1 label
    assert encoding.decode("naïve".encode("latin-1"), "latin-1") == "naïve"


def test_legacy_parser_is_only_a_fallback_for_real_prose() -> None:
    links = "<html><body>" + "".join(f"<a href='/{i}'>Story {i}</a><br>" for i in range(40)) + "</body></html>"
    assert html_extract.extract(links) is None
    assert not html_extract.reads_as_prose("Home\n\nWorld\n\nTalks resume in Geneva")


def test_extraction_makes_no_network_connection(tmp_path: Path) -> None:
    log = tmp_path / "net.log"
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from tests import netguard; netguard.install(sys.argv[2]);"
        "from pathlib import Path; from index import loaders;"
        "items = [i for p in sorted(Path(sys.argv[3]).glob('*.html')) for i in loaders.load_file(p)];"
        "print(len(items))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(ROOT), str(log), str(PAGES)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(list(PAGES.glob("*.html")))
    assert not log.exists() or log.read_text() == "", log.read_text()


def test_a_page_in_a_script_without_spaces_is_an_article() -> None:
    sentence = "日本の首相は今日、新しい経済対策を発表しました。政府は来年度予算に反映させる方針です。"
    page = f"<html><head><title>経済対策</title></head><body><nav>ホーム</nav><article><p>{sentence}</p>" + (
        f"<p>{sentence * 2}</p></article><footer>著作権</footer></body></html>"
    )
    found = html_extract.extract(page)
    assert found is not None and sentence in found[0] and "ホーム" not in found[0]
