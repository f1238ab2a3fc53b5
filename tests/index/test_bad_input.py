"""Bad input never stops an ingest, never deletes what a read error hides, and is named in one
line: duplicate articles in a .jsonl, truncated .gz, non-UTF-8 lines, odd files in a folder.
Real embedded Chroma and the packaged embedder."""

from __future__ import annotations

import gzip
import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest

from index import loaders
from index.ingest import Ingestor
from index.settings import Settings
from index.store import Store
from index.types import SourceDocument


def article(n: int, **extra: Any) -> dict[str, Any]:
    return {"doc_id": f"a{n}", "title": f"Story {n}", "text": f"Story number {n} happened on a Tuesday. " * 3, **extra}


def write_jsonl(path: Path, records: list[Any]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingestor(settings: Settings, embedder: Any) -> Ingestor:
    return Ingestor(settings, Store(settings), embedder)


def test_duplicate_articles_in_a_jsonl_are_skipped_by_line(
    settings: Settings, real_embedder: Any, tmp_path: Path
) -> None:
    same = article(1)
    path = write_jsonl(
        tmp_path / "dup.jsonl",
        [
            same,
            same,
            {"text": "First report from the port.", "url": "https://x.org/2"},
            {"text": "A later copy of it.", "url": "https://x.org/2"},
            {"text": "Plain one."},
            {"text": "Plain one."},
            article(4),
        ],
    )
    first = ingestor(settings, real_embedder).ingest([path])
    assert len(first.added) == 4
    assert [(e.source, "same article as line" in e.message) for e in first.errors] == [
        (f"{path}:2", True),
        (f"{path}:4", True),
        (f"{path}:6", True),
    ]
    assert "line 1" in first.errors[0].message and "line 3" in first.errors[1].message
    again = ingestor(settings, real_embedder).ingest([path])  # a re-run works the same way
    assert again.unchanged == 4 and not again.removed and len(again.errors) == 3


def test_a_truncated_gzip_deletes_nothing_and_says_what_was_read(
    settings: Settings, real_embedder: Any, tmp_path: Path
) -> None:
    path = tmp_path / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for n in range(20):
            handle.write(json.dumps(article(n, text=f"Report {n}: " + "The council met again today. " * 40)) + "\n")
    first = ingestor(settings, real_embedder).ingest([path])
    assert len(first.added) == 20 and not first.errors
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # truncated: a download that stopped half way
    second = ingestor(settings, real_embedder).ingest([path])
    assert second.removed == [] and len(Store(settings).documents()) == 20
    (error,) = second.errors
    assert error.source.startswith(f"{path}:") and "truncated or corrupt" in error.message
    assert f"the {second.unchanged} articles before it were read" in error.message and 0 < second.unchanged < 20


def test_a_non_utf8_line_is_named_and_the_rest_ingested(settings: Settings, real_embedder: Any, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    path = folder / "mixed.jsonl"
    good = [json.dumps(article(n)).encode() for n in range(3)]
    latin1 = json.dumps(article(9)).replace("Tuesday", "caf\u00e9").encode("latin-1")
    path.write_bytes(b"\n".join([good[0], latin1, good[1], good[2]]) + b"\n")
    (folder / "other.txt").write_text("MOSCOW, May 1. /TASS/. Another story about the port.", encoding="utf-8")
    report = ingestor(settings, real_embedder).ingest([folder])
    assert len(report.added) == 4
    (error,) = report.errors
    assert (
        error.source == f"{path}:2"
        and "not UTF-8 (byte 0xe9" in error.message
        and "save the file as UTF-8" in error.message
    )


def test_a_bad_line_where_a_good_one_was_removes_nothing(
    settings: Settings, real_embedder: Any, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "n.jsonl", [article(1), article(2)])
    ingestor(settings, real_embedder).ingest([path])
    write_jsonl(path, [article(1), '{"doc_id": "a2", "text": "cut off'])
    report = ingestor(settings, real_embedder).ingest([path])
    assert report.removed == [] and len(Store(settings).documents()) == 2 and len(report.errors) == 1


def test_malformed_jsonl_lines_each_get_one_reason(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(
        b"\n".join(
            [
                b"[" * 100_000 + b"]" * 100_000,  # nested too deeply for the JSON parser
                json.dumps({"text": "x" * 10, "url": "javascript:alert(1)"}).encode(),
                json.dumps({"text": 5}).encode(),
                b'{"text": "ok", "n": ' + b"9" * 5000 + b"}",
            ]
        )
    )
    items = list(loaders.load_file(path))
    errors = [str(i) for i in items if isinstance(i, loaders.LoadError)]
    docs = [i for i in items if isinstance(i, SourceDocument)]
    assert len(errors) == 3 and all(e.startswith(f"{path}:") for e in errors)
    assert "nested too deeply" in errors[0] and '"text"' in errors[1] and "invalid JSON value" in errors[2]
    assert docs[0].meta.url == ""  # a javascript: URL is never kept as the article's link


def test_huge_line_and_zip_bomb_are_refused_without_reading_them_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loaders, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(loaders, "MIN_GZIP_LIMIT", 100_000)
    path = tmp_path / "long.jsonl"
    path.write_bytes(json.dumps({"text": "y" * 5000}).encode() + b"\n" + json.dumps(article(1)).encode() + b"\n")
    items = list(loaders.load_file(path))
    assert "line over" in str(items[0]) and isinstance(items[1], SourceDocument)
    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb") as handle:
        handle.write((json.dumps(article(1)) + "\n").encode() * 2000)
    items = list(loaders.load_file(bomb))
    assert isinstance(items[-1], loaders.LoadError) and "zip bomb" in items[-1].message


def test_text_files_random_bytes_utf16_and_odd_folder_entries(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "noise.txt").write_bytes(bytes(b for b in os.urandom(20000) if b))
    (folder / "utf16.txt").write_bytes("Caf\u00e9 news from the port.".encode("utf-16"))
    (folder / "report.odt").write_bytes(b"PK")
    (folder / "memo.doc").write_bytes(b"\xd0\xcf")
    os.mkfifo(folder / "pipe.txt")
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "sock.md"))
        files, errors = loaders.discover([folder])
    reasons = {Path(e.source).name: e.message for e in errors}
    assert [f.name for f in files] == ["noise.txt", "utf16.txt"]
    assert "not supported yet" in reasons["report.odt"] and "not supported yet" in reasons["memo.doc"]
    assert "FIFO" in reasons["pipe.txt"] and "socket" in reasons["sock.md"]
    assert "broken symbolic link" in reasons["dangling.txt"] and "loop" in reasons["loop.txt"]
    (noise,) = loaders.load_file(folder / "noise.txt")
    assert isinstance(noise, loaders.LoadError) and "binary" in noise.message
    (utf16,) = loaders.load_file(folder / "utf16.txt")
    assert isinstance(utf16, SourceDocument) and utf16.text == "Caf\u00e9 news from the port."


def test_ingest_of_a_folder_with_looping_and_broken_links(
    settings: Settings, real_embedder: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text("The ferry service resumed on Sunday after repairs.", encoding="utf-8")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    report = ingestor(settings, real_embedder).ingest([folder])
    assert len(report.added) == 1 and report.removed == []
    assert sorted(Path(e.source).name for e in report.errors) == ["gone.txt", "loop.md"]
