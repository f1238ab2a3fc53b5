"""How far an ingest has got, in articles: done of total, articles per second and the time left.

The total is counted up front on a background thread, so the ingest starts at once: every file
of one article counts 1, a .jsonl(.gz) counts its lines (a .gz is decompressed once more for
that), a web archive its HTML responses. When a file has been read, its count
becomes the number of articles (and skipped lines) actually read from it. An article is done
when it is stored, or found unchanged, moved or merged, or skipped with a reason.

The rate counts from the first article that needs embedding: a re-run after an interrupt passes
the articles stored already quickly, and the time left is what is left at the embedding pace.
"""

from __future__ import annotations

import gzip
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.discovery import JSONL_SUFFIXES, WARC_SUFFIXES
from index.loaders import GZIP_RATIO, MIN_GZIP_LIMIT  # past this a .gz is refused: not counted either

EVERY = 0.5  # seconds between two updates of the bar and the callback while articles are read
SETTLE = 3.0  # seconds of pace before articles/s and the time left are shown (the final rate always is)


@dataclass(frozen=True)
class IngestProgress:
    """What an ingest has done so far; ``articles_total`` and ``eta_seconds`` are None while unknown."""

    files_done: int
    files: int
    articles_done: int
    articles_total: int | None
    chunks_embedded: int
    articles_per_second: float
    eta_seconds: float | None

    @property
    def articles_left(self) -> int | None:
        return None if self.articles_total is None else max(0, self.articles_total - self.articles_done)

    def describe(self) -> str:
        """``1,234 of 3,745 articles, 5,678 chunks embedded, 3.2 articles/s, about 13 min left``."""
        total = self.articles_total
        of = f" of {total:,}" if total is not None else ""
        parts = [
            f"{self.articles_done:,}{of} {_plural(total if total is not None else self.articles_done, 'article')}",
            f"{self.chunks_embedded:,} {_plural(self.chunks_embedded, 'chunk')} embedded",
        ]
        if self.articles_per_second > 0:
            parts.append(f"{self.articles_per_second:.1f} articles/s")
        if self.eta_seconds is not None and self.articles_left:
            parts.append(f"about {duration(self.eta_seconds)} left")
        return ", ".join(parts)


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


OnProgress = Callable[[IngestProgress], None]


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C during an ingest: one line that says what was kept and that a re-run resumes. A
    KeyboardInterrupt still, so that whatever stops on Ctrl-C stops on it."""

    def __init__(self, progress: IngestProgress) -> None:
        total = f" of {progress.articles_total:,}" if progress.articles_total is not None else ""
        super().__init__(
            f"ingest interrupted after {progress.articles_done:,}{total} articles; what was stored is kept: "
            "run the same command again to resume (stored articles are skipped)"
        )
        self.progress = progress

    def __str__(self) -> str:
        return str(self.args[0])


def count_articles(path: Path, stop: threading.Event) -> int:
    """How many articles ``path`` holds, cheaply: 1 for a file of one article, the lines of a
    .jsonl(.gz), the HTML responses of a web archive. Never raises: an unreadable file counts
    what could be read (its loader reports the problem)."""
    name = path.name.lower()
    try:
        if name.endswith(JSONL_SUFFIXES):
            return _count_lines(path, stop)
        if name.endswith(WARC_SUFFIXES):
            return _count_pages(path, stop)
    except Exception:  # a count is an estimate; the loader reports what is wrong with the file
        return 1
    return 1


def _count_lines(path: Path, stop: threading.Event) -> int:
    packed = path.name.lower().endswith(".gz")
    budget = max(MIN_GZIP_LIMIT, GZIP_RATIO * path.stat().st_size) if packed else None
    lines, read, last = 0, 0, b"\n"
    try:
        with gzip.open(path, "rb") if packed else path.open("rb") as handle:
            while not stop.is_set() and (block := handle.read(1 << 20)):
                lines += block.count(b"\n")
                read += len(block)
                last = block[-1:]
                if budget is not None and read > budget:
                    break
    except (OSError, EOFError, zlib.error):
        pass
    return lines + (last != b"\n")


def _count_pages(path: Path, stop: threading.Event) -> int:
    from warcio.archiveiterator import ArchiveIterator

    pages = 0
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream, arc2warc=True):
                if stop.is_set():
                    break
                http = record.http_headers
                if record.rec_type == "response" and http is not None and http.get_statuscode() == "200":
                    pages += "html" in (http.get_header("Content-Type") or "").lower()
        except Exception:  # truncated or not an archive: what was counted so far
            pass
    return max(pages, 1)


class ArticleCount:
    """The articles of the files an ingest reads: counted on a daemon thread, each file's count
    replaced by what was read from it once it has been read."""

    def __init__(self, files: list[Path]) -> None:
        self._counted: dict[Path, int] = {}
        self._read: dict[Path, int] = {}
        self._files = files
        self._stop = threading.Event()
        multi = [f for f in files if f.name.lower().endswith(JSONL_SUFFIXES + WARC_SUFFIXES)]
        for file in files:
            if file not in multi:
                self._counted[file] = 1
        if multi:
            threading.Thread(target=self._count, args=(multi,), name="attest-count", daemon=True).start()

    def _count(self, files: list[Path]) -> None:
        for file in files:
            if self._stop.is_set():
                return
            self._counted[file] = count_articles(file, self._stop)

    def file_read(self, file: Path, articles: int) -> None:
        self._read[file] = articles

    def total(self) -> int | None:
        total = 0
        for file in self._files:
            found = self._read.get(file, self._counted.get(file))
            if found is None:
                return None
            total += found
        return total

    def close(self) -> None:
        self._stop.set()


class ProgressTracker:
    """Counts of one ingest, shown on a bar on stderr and handed to ``on_progress``."""

    def __init__(
        self,
        files: int,
        count: ArticleCount | None = None,
        bar: bool = False,
        on_progress: OnProgress | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.files, self.files_done = files, 0
        self.count = count
        self.read = 0  # articles (and skipped records) that came from the loaders
        self.waiting = 0  # of those, articles not stored yet (waiting to be embedded or written)
        self.chunks = 0
        self.on_progress = on_progress
        self._clock = clock
        self._started = self._last = clock()
        self._pace_from: tuple[float, int] | None = None  # (time, articles done) at the first article to embed
        self._bar: Any = None
        if bar:
            from tqdm import tqdm

            self._bar = tqdm(
                total=None,
                desc="ingest",
                unit="article",
                file=sys.stderr,
                dynamic_ncols=True,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} articles [{elapsed}{postfix}]",
            )

    @property
    def done(self) -> int:
        return self.read - self.waiting

    def article_read(self, to_embed: bool = False) -> None:
        self.read += 1
        if to_embed:
            self.waiting += 1
            if self._pace_from is None:
                self._pace_from = (self._clock(), self.done)
        self.update()

    def stored(self, articles: int) -> None:
        self.waiting -= articles
        self.update(force=True)

    def embedded(self, chunks: int) -> None:
        self.chunks += chunks
        self.update(force=True)

    def file_done(self, file: Path | None = None, articles: int = 0) -> None:
        self.files_done += 1
        if self.count is not None and file is not None:
            self.count.file_read(file, articles)
        self.update()  # a folder of many small files: not a redraw per file

    def snapshot(self, final: bool = False) -> IngestProgress:
        now = self._clock()
        start, before = self._pace_from or (self._started, 0)
        seconds = now - start
        settled = final or seconds >= SETTLE
        rate = (self.done - before) / seconds if settled and seconds > 0 and self.done > before else 0.0
        total = self.count.total() if self.count is not None else None
        if total is not None:
            total = max(total, self.done)
        eta = (total - self.done) / rate if total is not None and rate > 0 else None
        return IngestProgress(self.files_done, self.files, self.done, total, self.chunks, rate, eta)

    def update(self, force: bool = False, final: bool = False) -> None:
        """Shown at most every ``EVERY`` seconds while articles are read; at once when a batch's
        chunks or articles are stored (a few times a minute)."""
        now = self._clock()
        if not force and now - self._last < EVERY:
            return
        self._last = now
        state = self.snapshot(final)
        if self.on_progress is not None:
            self.on_progress(state)
        if self._bar is not None:
            self._show(state)

    def _show(self, state: IngestProgress) -> None:
        bar = self._bar
        bar.total = state.articles_total
        extra = [f"{state.chunks_embedded:,} chunks"]
        if self.files > 1:
            extra.insert(0, f"file {state.files_done}/{self.files}")
        if state.articles_per_second > 0:
            extra.append(f"{state.articles_per_second:.1f} articles/s")
        if state.eta_seconds is not None and state.articles_left:
            extra.append(f"ETA {duration(state.eta_seconds)}")
        bar.set_postfix_str(", ".join(extra), refresh=False)
        bar.n = state.articles_done
        bar.refresh()  # drawn now: the next change may be a whole batch away

    def close(self) -> None:
        self.update(force=True, final=True)
        if self.count is not None:
            self.count.close()
        if self._bar is not None:
            self._bar.close()
