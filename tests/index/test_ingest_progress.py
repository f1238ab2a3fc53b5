"""Progress of an ingest in articles (index/ingest_progress.py): totals counted cheaply up front,
articles/s and the time left, on the bar and through ``on_progress``; a resumed run's pace counts
from the first article that needs embedding; ``attest ingest`` interrupted by a real Ctrl-C prints
one line that says re-running resumes, and the re-run skips what was stored."""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from index.ingest import Ingestor, IngestProgress
from index.ingest_progress import ArticleCount, ProgressTracker, count_articles, duration
from index.settings import Settings
from index.store import Store
from tests.conftest import ROOT, HashEmbedder, sigint_reaches_child
from tests.index.test_documents import write_warc
from tests.index.test_ingest_pipeline import write_corpus


def test_articles_are_counted_cheaply_per_kind_of_file(tmp_path: Path) -> None:
    stop = threading.Event()
    corpus = write_corpus(tmp_path / "corpus.jsonl", 25)
    assert count_articles(corpus, stop) == 25
    no_last_newline = tmp_path / "cut.jsonl"
    no_last_newline.write_bytes(corpus.read_bytes().rstrip(b"\n"))
    assert count_articles(no_last_newline, stop) == 25
    packed = tmp_path / "corpus.jsonl.gz"
    packed.write_bytes(gzip.compress(corpus.read_bytes()))
    assert count_articles(packed, stop) == 25
    damaged = tmp_path / "damaged.jsonl.gz"
    damaged.write_bytes(packed.read_bytes()[: len(packed.read_bytes()) // 2])
    assert 0 <= count_articles(damaged, stop) < 25  # what could be read; never raises
    note = tmp_path / "note.txt"
    note.write_text("One article.", encoding="utf-8")
    assert count_articles(note, stop) == 1
    page = b"<html><body><p>A page.</p></body></html>"
    crawl = tmp_path / "crawl.warc.gz"
    records = [(f"https://news.example/{n}", "text/html", page, "2023-03-15T10:00:00Z") for n in range(3)]
    write_warc(crawl, [*records, ("https://news.example/logo.png", "image/png", b"\x89PNG", "2023-03-15T10:00:00Z")])
    assert count_articles(crawl, stop) == 3  # the HTML responses, not the image nor the requests

    count = ArticleCount([corpus, note])
    deadline = time.monotonic() + 300  # the count runs on a thread; a busy machine may be slow
    while count.total() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert count.total() == 26
    count.file_read(corpus, 24)  # a blank line: the file's count becomes what was read
    assert count.total() == 25


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_resumed_run_paces_from_the_first_article_to_embed(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", 1000)
    seen: list[IngestProgress] = []
    clock = Clock()
    tracker = ProgressTracker(1, ArticleCount([corpus]), on_progress=seen.append, clock=clock)
    tracker.file_done(corpus, 1000)  # the total, without waiting for the counting thread
    for _ in range(600):  # stored by the interrupted run: passed over in a second
        clock.now += 1 / 600
        tracker.article_read()
    for _ in range(100):  # then 2 articles a second are embedded and stored
        tracker.article_read(to_embed=True)
        clock.now += 0.5
        tracker.stored(1)
    state = tracker.snapshot()
    assert (state.articles_done, state.articles_total) == (700, 1000)
    assert state.articles_per_second == pytest.approx(2.0, rel=0.02)  # not inflated by the 600 passed over
    assert state.eta_seconds == pytest.approx(150, rel=0.02)  # 300 left at 2 a second
    assert state.describe() == "700 of 1,000 articles, 0 chunks embedded, 2.0 articles/s, about 2 min left"
    assert seen and seen[-1].articles_done == 700


def test_progress_is_described_in_words() -> None:
    state = IngestProgress(0, 1, 1234, 3745, 5678, 3.24, 13 * 60 + 5)
    assert state.describe() == "1,234 of 3,745 articles, 5,678 chunks embedded, 3.2 articles/s, about 13 min left"
    assert IngestProgress(0, 1, 1, 1, 1, 0.0, None).describe() == "1 of 1 article, 1 chunk embedded"
    assert IngestProgress(0, 1, 7, None, 0, 0.0, None).describe() == "7 articles, 0 chunks embedded"
    assert [duration(s) for s in (4, 59.6, 61, 3599, 3600, 26 * 3600 + 7 * 60)] == [
        "4 s",
        "1 min",
        "1 min",
        "1 h 00 min",
        "1 h 00 min",
        "26 h 07 min",
    ]


def test_on_progress_and_the_bar_count_articles_of_one_large_file(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", 30)
    seen: list[IngestProgress] = []
    ingestor = Ingestor(settings, Store(settings), HashEmbedder(), embed_batch=4)
    report = ingestor.ingest([corpus], progress=True, on_progress=seen.append)
    done = [s.articles_done for s in seen]
    assert done == sorted(done) and any(0 < d < 30 for d in done)  # while the one file is read, not 0/1 file
    last = seen[-1]
    assert (last.articles_done, last.articles_total, last.files_done, last.files) == (30, 30, 1, 1)
    assert last.chunks_embedded == report.chunks_embedded == 30 and last.articles_per_second > 0
    bar = capsys.readouterr().err.replace("\r", "\n").splitlines()
    assert any("30/30 articles" in line and "30 chunks" in line and "articles/s" in line for line in bar), bar

    again: list[IngestProgress] = []
    assert Ingestor(settings, Store(settings), HashEmbedder()).ingest([corpus], on_progress=again.append).unchanged
    assert (again[-1].articles_done, again[-1].articles_total, again[-1].chunks_embedded) == (30, 30, 0)


def test_ctrl_c_on_attest_ingest_prints_one_line_and_the_rerun_resumes(tmp_path: Path) -> None:
    """The real CLI and the real embedder: SIGINT once the first batch is stored."""
    corpus = write_corpus(tmp_path / "corpus.jsonl", 600)  # 3 batches of the default 256 chunks
    env = {**os.environ, "ATTEST_DATA_DIR": str(tmp_path / "data"), "ATTEST_CPU_LOCK": ""}  # no other process's turn
    command = [sys.executable, "-m", "ui.cli", "ingest", "--progress", str(corpus)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, preexec_fn=sigint_reaches_child
    )
    assert process.stderr is not None
    shown = b""
    deadline = time.monotonic() + 300
    while not re.search(rb"\| *[1-9][\d,]*/600 articles", shown):  # the first batch is stored
        piece = os.read(process.stderr.fileno(), 4096)  # the bar, as it is redrawn
        assert piece and time.monotonic() < deadline, shown.decode(errors="replace")
        shown += piece
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=300)
    err = (shown + rest).decode(errors="replace")
    assert process.returncode == 1, err
    assert "Traceback" not in err and "Aborted" not in err
    last = err.replace("\r", "\n").strip().splitlines()[-1]
    assert last.startswith("Error: ingest interrupted after ") and " of 600 articles; " in last, last
    assert last.endswith("run the same command again to resume (stored articles are skipped)")

    settings = Settings(data_dir=tmp_path / "data")
    stored = len(Store(settings).documents())
    assert 0 < stored < 600, err
    again = subprocess.run(
        [sys.executable, "-m", "ui.cli", "ingest", "--no-progress", str(corpus)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stderr
    assert f"{600 - stored} added, 0 updated, {stored} unchanged" in again.stdout
    assert len(Store(settings).documents()) == 600
