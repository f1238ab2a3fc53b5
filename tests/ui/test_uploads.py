"""Uploaded files: safe names, allowed types, the size limit, and where they are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.uploads import MAX_NAME, inside, safe_name, save_uploads, size_text


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Harbour bulletin (draft) #3.txt", "Harbour_bulletin_draft_3.txt"),
        ("../../etc/cron.d/evil.md", "evil.md"),
        ("C:\\Users\\me\\news.HTML", "news.html"),
        (".hidden.jsonl", "hidden.jsonl"),
        ("Ünïcödé nëws.md", "Unicode_news.md"),
        ("report..txt", "report.txt"),
        ("新闻.txt", "upload.txt"),
        ("no-suffix", "no-suffix"),
    ],
)
def test_safe_names(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_long_names_keep_their_suffix() -> None:
    name = safe_name("a" * 300 + ".jsonl")
    assert len(name) == MAX_NAME and name.endswith(".jsonl")


def test_save_checks_type_size_and_emptiness(tmp_path: Path) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    good = incoming / "Gwadar port (March).txt"
    good.write_text("The Port of Gwadar handled 1.2 million tonnes of cargo in March.", encoding="utf-8")
    big = incoming / "big.md"
    big.write_bytes(b"x" * 2048)
    empty = incoming / "empty.html"
    empty.write_bytes(b"")
    program = incoming / "run.exe"
    program.write_bytes(b"MZ")
    folder = tmp_path / "uploads"

    saved = save_uploads([good, big, empty, program], folder, max_bytes=1024)
    assert saved.files == [(folder / "Gwadar_port_March.txt").resolve()]
    assert saved.files[0].read_text(encoding="utf-8") == good.read_text(encoding="utf-8")
    assert saved.rejected == [
        "big.md: 2.0 KB is over the 1.0 KB limit",
        "empty.html: the file is empty",
        "run.exe: not a supported file type (use .txt .md .html .pdf .docx .jsonl(.gz) .warc(.gz))",
    ]

    good.write_text("A corrected version.", encoding="utf-8")  # the same name again replaces the file
    again = save_uploads([good], folder, max_bytes=1024)
    assert again.files == saved.files and saved.files[0].read_text(encoding="utf-8") == "A corrected version."


def test_sizes_read_well() -> None:
    assert [size_text(n) for n in (12, 2048, 20 * 2**20)] == ["12 bytes", "2.0 KB", "20.0 MB"]


def test_missing_upload_is_reported(tmp_path: Path) -> None:
    saved = save_uploads([tmp_path / "gone.txt"], tmp_path / "uploads", max_bytes=1024)
    assert saved.files == [] and saved.rejected == ["gone.txt: cannot read the upload (FileNotFoundError)"]


def test_inside_the_upload_folder(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    assert inside(folder / "a.txt", folder) and inside(f"{folder / 'b.jsonl'}#line-3", folder)
    assert not inside(tmp_path / "seeds" / "a.txt", folder)
    assert not inside(folder / ".." / "a.txt", folder)
