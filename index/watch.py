"""Keeping feeds current: each round fetches every feed with a conditional GET (an unchanged
feed costs one 304), then only the items not seen before (their pages fetched politely through
index/fetch.py), and ingests them. What was seen is kept in the data folder, so a restarted
watcher does not fetch old items again."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from index.discovery import LoadError
from index.feeds import FeedError, FeedItem, feed_documents, item_document, parse_feed
from index.fetch import Fetcher, FetchError
from index.ingest import Ingestor, IngestReport, OnProgress
from index.settings import Settings
from index.types import SourceDocument
from index.urls import canonical_url
from index.web import load_url, looks_like_feed

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNIT = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}
MIN_EVERY = 60.0  # polling a feed more often than once a minute is not polite


def parse_interval(text: str) -> float:
    """``"15m"`` -> 900.0; ``"90s"``, ``"2h"``, ``"1d"``; a bare number is minutes."""
    match = _INTERVAL.match(text or "")
    if not match:
        raise ValueError(f"cannot read the interval {text!r}; write it like 15m, 90s or 2h")
    return float(match.group(1)) * _UNIT[(match.group(2) or "m").lower()]


def web_dir(settings: Settings) -> Path:
    return settings.data_dir / "web"


def fetcher_for(settings: Settings, min_interval: float = 1.0, timeout: float = 20.0) -> Fetcher:
    """The fetcher of an index: its validators (ETag / Last-Modified) live beside the index."""
    return Fetcher(web_dir(settings) / "validators.json", timeout=timeout, min_interval=min_interval)


def ingest_urls(ingestor: Ingestor, urls: Iterable[str], fetcher: Fetcher, progress: bool = False) -> IngestReport:
    """Fetch and ingest pages by address (one progress step each)."""
    urls = list(urls)
    return ingestor.ingest_documents(([load_url(u, fetcher)] for u in urls), total=len(urls), progress=progress)


def address_documents(url: str, fetcher: Fetcher) -> Iterator[SourceDocument | LoadError]:
    """A page's article, or, when the address is an RSS/Atom feed, every item's (the web UI's one
    box for both)."""
    address = canonical_url(url)
    if not address:
        yield LoadError(url, "not an http(s) address; give a full https://... URL")
        return
    try:
        fetched = fetcher.get(address)
    except FetchError as exc:
        yield LoadError(address, str(exc).removeprefix(f"{address}: "))
        return
    if not looks_like_feed(fetched.content_type, fetched.content):
        yield load_url(address, fetcher, fetched)
        return
    try:
        feed = parse_feed(fetched.content, address)
    except FeedError as exc:
        yield LoadError(address, str(exc).split(": ", 1)[-1])
        return
    for item in feed.items:
        yield item_document(item, feed, fetcher)


def ingest_addresses(
    ingestor: Ingestor, urls: Iterable[str], fetcher: Fetcher, on_progress: OnProgress | None = None
) -> IngestReport:
    """Pages and feeds by address, one progress step per address."""
    urls = list(urls)
    batches = (address_documents(u, fetcher) for u in urls)
    return ingestor.ingest_documents(batches, total=len(urls), on_progress=on_progress)


class FeedWatcher:
    """Feeds of one index: ``poll`` once, or ``run`` every so often."""

    def __init__(self, settings: Settings, ingestor: Ingestor, fetcher: Fetcher) -> None:
        self.ingestor = ingestor
        self.fetcher = fetcher
        self.state_path = web_dir(settings) / "feeds_seen.json"
        self.seen: dict[str, list[str]] = self._load()

    def poll(self, feeds: Iterable[str], only_new: bool = True, progress: bool = False) -> IngestReport:
        """One round: every feed fetched (conditionally when ``only_new``), its new items ingested."""
        feeds = [canonical_url(f) or f for f in feeds]

        def items(feed: str) -> Iterator[SourceDocument | LoadError]:
            seen = set(self.seen.get(feed, [])) if only_new else None
            pending: SourceDocument | LoadError | None = None
            for got in feed_documents(feed, self.fetcher, seen=seen, conditional=only_new):
                if isinstance(got, FeedItem):
                    if isinstance(pending, SourceDocument):  # a failed item is tried again next round
                        self.seen.setdefault(feed, []).append(got.key)
                    continue
                pending = got
                yield got

        report = self.ingestor.ingest_documents((items(f) for f in feeds), total=len(feeds), progress=progress)
        self._save()
        return report

    def run(
        self,
        feeds: list[str],
        every: float,
        rounds: int | None = None,
        on_round: Callable[[int, IngestReport], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Poll every ``every`` seconds (``rounds`` times, or until interrupted)."""
        done = 0
        while rounds is None or done < rounds:
            started = time.monotonic()
            report = self.poll(feeds)
            done += 1
            if on_round is not None:
                on_round(done, report)
            if rounds is not None and done >= rounds:
                return
            sleep(max(0.0, every - (time.monotonic() - started)))

    def _load(self) -> dict[str, list[str]]:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): [str(i) for i in v] for k, v in data.items() if isinstance(v, list)}

    def _save(self) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.seen, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.state_path)
