import gzip
import json
from pathlib import Path

from index import loaders
from index.types import SourceDocument


def load_all(path: Path) -> list[SourceDocument | loaders.LoadError]:
    return list(loaders.load_file(path))


def test_txt_keeps_exact_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Caf\u00e9 opens.\r\nSecond line.".encode())
    (doc,) = load_all(path)
    assert isinstance(doc, SourceDocument)
    assert doc.text == path.read_bytes().decode("utf-8")
    assert doc.doc_id == loaders.file_doc_id(path)


def test_markdown_title(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# Budget talks stall\n\nLawmakers left without a deal.")
    (doc,) = load_all(path)
    assert isinstance(doc, SourceDocument) and doc.meta.title == "Budget talks stall"


def test_html_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        "<html><head><title>Ignored</title><meta property='og:title' content='Port reopens after storm'>"
        "<meta property='og:site_name' content='Daily Gazette'>"
        "<meta property='article:published_time' content='2022-06-12T10:00:00Z'>"
        "<script>var x = 1;</script></head><body><nav>Home | World</nav>"
        "<article><p>The port reopened on Sunday after the storm that closed it for a week had passed.</p>"
        "<p>Ships queued &amp; waited outside the harbour until the pilots were allowed out again.</p></article>"
        "</body></html>"
    )
    (doc,) = load_all(path)
    assert isinstance(doc, SourceDocument)
    assert doc.text == (
        "The port reopened on Sunday after the storm that closed it for a week had passed.\n\n"
        "Ships queued & waited outside the harbour until the pilots were allowed out again."
    )
    assert (doc.meta.title, doc.meta.outlet, doc.meta.published_at) == (
        "Port reopens after storm",
        "Daily Gazette",
        "2022-06-12",
    )
    assert doc.meta.origins == (str(path),)


def test_jsonl_and_gzip_with_bad_lines_reported(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "doc_id": "n1",
                "text": "Rain fell.",
                "title": "Weather",
                "url": "https://www.cnn.com/x",
                "source": "www.cnn.com",
                "published_at": "2022/06/12",
                "authors": ["A B"],
            }
        ),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Second story."}),
    ]
    plain = tmp_path / "c.jsonl"
    plain.write_text("\n".join(lines) + "\n")
    packed = tmp_path / "c.jsonl.gz"
    with gzip.open(packed, "wt") as handle:
        handle.write("\n".join(lines))
    for path in (plain, packed):
        items = load_all(path)
        docs = [i for i in items if isinstance(i, SourceDocument)]
        errors = [i for i in items if isinstance(i, loaders.LoadError)]
        assert [d.text for d in docs] == ["Rain fell.", "Second story."]
        assert docs[0].meta.outlet == "CNN" and docs[0].meta.published_at == "2022-06-12"
        assert docs[0].meta.authors == ("A B",) and docs[0].source.endswith("#n1")
        assert [e.source for e in errors] == [f"{path}:2", f"{path}:3"]
        assert "invalid JSON" in errors[0].message and '"text"' in errors[1].message


def test_unreadable_files_become_errors(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "empty.md").write_text("   \n")
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip")
    for name, words in (("bin.txt", "binary"), ("empty.md", "empty"), ("broken.jsonl.gz", "cannot read")):
        (error,) = load_all(tmp_path / name)
        assert isinstance(error, loaders.LoadError) and words in error.message


def test_discover_skips_hidden_and_reports_missing(tmp_path: Path) -> None:
    (tmp_path / "d" / ".git").mkdir(parents=True)
    (tmp_path / "d" / ".git" / "x.txt").write_text("hidden")
    (tmp_path / "d" / "a.txt").write_text("A.")
    (tmp_path / "d" / "b.doc").write_text("doc")
    (tmp_path / "c.odt").write_text("odt")
    files, errors = loaders.discover([tmp_path / "d", tmp_path / "c.odt", tmp_path / "nope"])
    assert [f.name for f in files] == ["a.txt"]
    assert [Path(e.source).name for e in errors] == ["b.doc", "c.odt", "nope"]  # a folder's .doc is named too
    assert all("not supported yet" in e.message for e in errors[:2]) and "no such file" in errors[2].message
