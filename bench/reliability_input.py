"""bench/reliability.py, bad-input part: a corpus of malformed inputs mixed with good articles, ingested
with the real CLI (twice: the second time with read errors where good input was)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

from bench.reliability_crash import article_text, settings_for

ROOT = Path(__file__).resolve().parent.parent

# -- bad input ----------------------------------------------------------------------------------


def _jsonl_id(path: Path, key: str) -> str:
    return "j-" + hashlib.sha1(f"{path.resolve()}#{key}".encode()).hexdigest()[:16]


def _file_id(path: Path) -> str:
    return "f-" + hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]


def _gz(path: Path, lines: list[str]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))


def build_bad_corpus(folder: Path, rng: random.Random) -> tuple[list[str], set[str]]:
    """(sources that must each be named as skipped, doc ids of the good articles)."""
    folder.mkdir(parents=True)
    bad: list[str] = []
    good: set[str] = set()
    for n in range(40):
        path = folder / f"good{n:02d}.txt"
        path.write_text(article_text(n, 0)[1], encoding="utf-8")
        good.add(_file_id(path))
    mixed = folder / "mixed.jsonl"
    lines: list[bytes] = []

    def add_good(key: str, n: int) -> None:
        lines.append(json.dumps({"doc_id": key, "text": article_text(n, 1)[1]}).encode())
        good.add(_jsonl_id(mixed, key))

    def add_bad(raw: bytes) -> None:
        lines.append(raw)
        bad.append(f"{mixed}:{len(lines)}")

    for n in range(60):
        add_good(f"m{n}", 100 + n)
        kind = n % 12
        if kind == 0:
            add_bad(lines[-1])  # the same line twice
        elif kind == 1:
            add_bad(json.dumps({"doc_id": f"m{n}", "text": "Another text, same doc_id."}).encode())
        elif kind == 2:
            url = f"https://news.example/{n}"
            lines.append(json.dumps({"url": url, "text": f"First copy {n}."}).encode())
            good.add(_jsonl_id(mixed, url))
            add_bad(json.dumps({"url": url, "text": f"Second copy {n}."}).encode())
        elif kind == 3:
            add_bad(json.dumps({"text": f"caf\u00e9 story {n}."}, ensure_ascii=False).encode("latin-1"))
        elif kind == 4:
            add_bad(b'{"text": "unterminated')
        elif kind == 5:
            add_bad(json.dumps({"title": "no text here"}).encode())
        elif kind == 6:
            add_bad(json.dumps({"text": ["not", "a", "string"]}).encode())
        elif kind == 7:
            add_bad(b"[" * 50_000 + b"]" * 50_000)
        elif kind == 8:
            add_bad(b'{"text": "big number", "n": ' + b"7" * 5000 + b"}")
        elif kind == 9:
            add_bad(json.dumps([{"text": "an array, not an object"}]).encode())
        elif kind == 10:
            add_bad(b"\xff\xfe\x00garbage\x00")
        else:
            add_bad(json.dumps({"text": "   "}).encode())
    add_bad(json.dumps({"text": "x " * (9 * 2**20)}).encode())  # an 18 MB line
    mixed.write_bytes(b"\n".join(lines) + b"\n")

    for name in ("intact1", "intact2"):
        path = folder / f"{name}.jsonl.gz"
        _gz(path, [json.dumps({"doc_id": f"{name}-{n}", "text": article_text(200 + n, 2)[1]}) for n in range(20)])
        good.update(_jsonl_id(path, f"{name}-{n}") for n in range(20))
    cut = folder / "cut.jsonl.gz"
    _gz(cut, [json.dumps({"doc_id": f"c{n}", "text": article_text(300 + n, 3)[1] * 20}) for n in range(20)])
    data = cut.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    bad.append(f"{cut}:?")  # the line where it breaks: named by prefix
    with gzip.open(cut, "rt", encoding="utf-8", errors="replace") as handle:
        try:
            for line in handle:
                key = json.loads(line)["doc_id"]
                good.add(_jsonl_id(cut, key))
        except (EOFError, json.JSONDecodeError, OSError):
            pass
    bomb = folder / "bomb.jsonl.gz"
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    with bomb.open("wb") as handle:
        zeros = b"0" * 2**20
        for _ in range(300):
            handle.write(packer.compress(zeros))
        handle.write(packer.flush())
    bad.append(f"{bomb}:?")
    (folder / "notgzip.jsonl.gz").write_bytes(b"plain text pretending to be gzip")
    bad.append(f"{folder / 'notgzip.jsonl.gz'}:?")

    def bad_file(name: str, content: bytes) -> None:
        (folder / name).write_bytes(content)
        bad.append(str(folder / name))

    for n in range(4):
        bad_file(f"noise{n}.txt", bytes(b for b in rng.randbytes(30_000) if b))
        bad_file(f"nul{n}.txt", b"text\x00with\x00nul bytes" * 50)
        bad_file(f"empty{n}.md", b"   \n\n")
        bad_file(f"scan{n}.pdf", b"%PDF-1.7 binary")
        bad_file(f"memo{n}.docx", b"PK\x03\x04 zip")
        bad_file(f"table{n}.csv", b"a,b\n1,2\n")
        bad_file(f"data{n}.json", b'{"text": "json, not jsonl"}')
        bad_file(f"tool{n}.exe", b"MZ\x90\x00")
    for n in range(3):
        os.mkfifo(folder / f"pipe{n}.txt")
        bad.append(str(folder / f"pipe{n}.txt"))
        (folder / f"dangling{n}.txt").symlink_to(folder / f"missing{n}.txt")
        bad.append(str(folder / f"dangling{n}.txt"))
        (folder / f"loop{n}.md").symlink_to(folder / f"loop{n}.md")
        bad.append(str(folder / f"loop{n}.md"))
    return bad, good


def run_ingest_cli(data: Path, corpus: Path) -> dict[str, Any]:
    env = {**os.environ, "ATTEST_DATA_DIR": str(data), "ATTEST_EMBED_THREADS": "1", "ATTEST_CPU_LOCK": ""}
    command = [sys.executable, "-m", "ui.cli", "ingest", "--no-progress", str(corpus)]
    started = time.perf_counter()
    out_path, err_path = data.parent / "out.txt", data.parent / "err.txt"
    with out_path.open("w") as out, err_path.open("w") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
    return {
        "exit": os.waitstatus_to_exitcode(status),
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "stdout": out_path.read_text(),
        "stderr": err_path.read_text(),
    }


def bad_input(folder: Path, rng: random.Random) -> dict[str, Any]:
    from index.store import Store

    corpus = folder / "corpus"
    data = folder / "data"
    bad, good = build_bad_corpus(corpus, rng)
    first = run_ingest_cli(data, corpus)
    skipped = [line[len("skipped ") :] for line in first["stderr"].splitlines() if line.startswith("skipped ")]

    def named(source: str) -> int:
        if source.endswith(":?"):
            return sum(1 for line in skipped if line.startswith(source[:-1]))
        return sum(1 for line in skipped if line.startswith(source + ": "))

    counts = [named(source) for source in bad]
    indexed = {r.doc_id for r in Store(settings_for(data)).documents()}
    before = len(indexed)
    # Read errors where good input was: truncate two intact .gz, break three good lines.
    for name in ("intact1", "intact2"):
        path = corpus / f"{name}.jsonl.gz"
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    mixed = corpus / "mixed.jsonl"
    raw = mixed.read_bytes().split(b"\n")
    for number in (0, 5, 9):
        raw[number] = raw[number][:-10] + b"\xe9\xe9 broken"
    mixed.write_bytes(b"\n".join(raw))
    second = run_ingest_cli(data, corpus)
    removed = re.search(r"(\d+) removed", second["stdout"])
    after = {r.doc_id for r in Store(settings_for(data)).documents()}
    return {
        "bad_inputs": len(bad),
        "good_articles": len(good),
        "tracebacks": sum("Traceback" in r["stderr"] + r["stdout"] for r in (first, second)),
        "exit_codes": [first["exit"], second["exit"]],
        "bad_inputs_named_once": sum(1 for c in counts if c == 1),
        "bad_inputs_not_named": [s for s, c in zip(bad, counts) if c == 0][:5],
        "skipped_lines": len(skipped),
        "good_articles_indexed": len(good & indexed),
        "unexpected_articles": len(indexed - good),
        "articles_before_read_errors": before,
        "articles_after_read_errors": len(after),
        "removed_by_read_errors": int(removed.group(1)) if removed else -1,
        "seconds": first["seconds"],
        "peak_rss_mb": first["peak_rss_mb"],
        "rerun_seconds": second["seconds"],
    }
