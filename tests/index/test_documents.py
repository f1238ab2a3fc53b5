"""PDF, DOCX and web-archive files, each made by code here (fpdf2, python-docx, warcio)."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import docx
from fpdf import FPDF
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from index import chunking, loaders
from index.pdf_loader import join_pages
from index.types import SourceDocument
from tests.conftest import ROOT

PAGES = ROOT / "tests" / "fixtures" / "ingest" / "pages"
BRIDGE = (
    "The council voted on Monday to rebuild the old bridge over the river, after years of delays caused by "
    "disputes over who would pay for it. "
)


class Bulletin(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, "Valley Council Bulletin", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, f"Page {self.page_no()}", align="C")


def write_pdf(path: Path, paragraphs: list[str], title: str = "") -> None:
    pdf = Bulletin()
    if title:
        pdf.set_title(title)
        pdf.set_author("Lena Park")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
    pdf.output(str(path))


def test_pdf_text_layer_pages_joined_headers_and_footers_dropped(tmp_path: Path) -> None:
    crossing = "This sentence about the new toll is the one that runs over the page break and must stay whole."
    paragraphs = ["Bridge to be rebuilt", BRIDGE * 14 + crossing, BRIDGE * 14, BRIDGE * 10 + "Work starts in May."]
    path = tmp_path / "bulletin.pdf"
    write_pdf(path, paragraphs, title="Bridge to be rebuilt")
    (doc,) = loaders.load_file(path)
    assert isinstance(doc, SourceDocument), doc
    assert "Valley Council Bulletin" not in doc.text and not re.search(r"Page \d", doc.text)
    assert doc.meta.title == "Bridge to be rebuilt" and doc.meta.authors == ("Lena Park",)
    assert doc.text.startswith("Bridge to be rebuilt\n\nThe council voted")
    assert crossing in doc.text and doc.text.rstrip().endswith("Work starts in May.")
    assert doc.text.count("\n\n") == 3  # title + three paragraphs, none cut at a page break
    chunks = chunking.chunk_document(doc, 400, 1)
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)


def test_join_pages_rejoins_a_sentence_and_a_hyphenated_word() -> None:
    pages = [
        "Header\nThe minister said the plan was a good one for every-\n",
        "Header\none of the towns in the valley and would be paid for in full.\nShort end.",
        "Header\nA new paragraph starts here and is not joined to the last one at all.",
    ]
    assert join_pages(pages) == (
        "The minister said the plan was a good one for everyone of the towns in the valley and would be paid "
        "for in full. Short end.\n\nA new paragraph starts here and is not joined to the last one at all."
    )


def test_scanned_pdf_without_text_is_one_clear_error(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 150, style="F")  # a "scan": marks, no text
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    (error,) = loaders.load_file(path)
    assert isinstance(error, loaders.LoadError) and "no text layer" in error.message and "OCR" in error.message
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n%garbage")
    (error,) = loaders.load_file(broken)
    assert isinstance(error, loaders.LoadError) and "\n" not in str(error)


def test_docx_paragraphs_tables_and_properties(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.author = "Omar Haddad"
    document.core_properties.created = datetime(2023, 5, 4, 9, 0)
    document.add_heading("Water rationing ends in the capital", level=0)
    document.add_paragraph("The water board ended rationing on Thursday after heavy rains filled the reservoirs.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Reservoir", "Level"
    table.cell(1, 0).text, table.cell(1, 1).text = "North Lake", "92 percent"
    document.add_paragraph("Officials asked residents to keep saving water through the summer.")
    path = tmp_path / "memo.docx"
    document.save(str(path))
    (doc,) = loaders.load_file(path)
    assert isinstance(doc, SourceDocument)
    assert doc.text == (
        "Water rationing ends in the capital\n\n"
        "The water board ended rationing on Thursday after heavy rains filled the reservoirs.\n\n"
        "Reservoir | Level\n\nNorth Lake | 92 percent\n\n"
        "Officials asked residents to keep saving water through the summer."
    )
    assert doc.meta.title == "Water rationing ends in the capital"
    assert doc.meta.authors == ("Omar Haddad",) and doc.meta.published_at == "2023-05-04"
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    (error,) = loaders.load_file(bad)
    assert isinstance(error, loaders.LoadError) and ".docx" in error.message


def write_warc(path: Path, records: list[tuple[str, str, bytes, str]], gz: bool = True) -> None:
    """records: (url, content type, body, WARC-Date)."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for url, content_type, body, when in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": when}
            )
            writer.write_record(record)
            writer.write_record(
                writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            )


def test_warc_html_responses_become_articles_with_url_and_capture_date(tmp_path: Path) -> None:
    harbour = (PAGES / "harbour_menus_comments.html").read_bytes()
    cafe = (PAGES / "cafe_windows1252.html").read_bytes()
    section = (PAGES / "section_front_no_article.html").read_bytes()
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path,
        [
            (
                "https://coastline-courier.example/news/harbour",
                "text/html; charset=utf-8",
                harbour,
                "2023-03-15T10:00:00Z",
            ),
            ("https://estuaire.example/cafe", "text/html; charset=windows-1252", cafe, "2021-07-09T08:00:00Z"),
            ("https://coastline-courier.example/world", "text/html", section, "2023-03-15T10:01:00Z"),
            ("https://coastline-courier.example/logo.png", "image/png", b"\x89PNG\r\n", "2023-03-15T10:02:00Z"),
        ],
    )
    docs = list(loaders.load_file(path))
    assert all(isinstance(d, SourceDocument) for d in docs) and len(docs) == 2
    harbour_doc, cafe_doc = docs
    assert isinstance(harbour_doc, SourceDocument) and isinstance(cafe_doc, SourceDocument)
    assert harbour_doc.source == f"{path}#https://coastline-courier.example/news/harbour"
    assert harbour_doc.meta.captured_at == "2023-03-15" and harbour_doc.meta.published_at == "2023-03-14"
    assert harbour_doc.text.startswith("The harbour at Port Elsmere reopened")
    assert "Sévérine" in cafe_doc.text and cafe_doc.meta.captured_at == "2021-07-09"
    assert harbour_doc.meta.origins == (f"{path}#https://coastline-courier.example/news/harbour (captured 2023-03-15)",)
    truncated = tmp_path / "cut.warc.gz"
    truncated.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2 + 7])
    items = list(loaders.load_file(truncated))
    assert isinstance(items[-1], loaders.LoadError) and "\n" not in str(items[-1])
