"""One CPU budget for the embedder and the LLM, across threads and processes on this machine.

On a small CPU, an LLM answering while an ingest embeds makes both crawl: their threads fight over
the same cores (llama.cpp's threads spin while they wait for each other). Answering is what a
person waits for, so it runs in the *foreground*; embedding for an ingest runs in the
*background*, one batch at a time, and each batch waits while any foreground work is under way.
An answer therefore waits at most for the batch in flight.

Across processes this is a readers-writer lock on one file (``flock``): foreground work holds it
shared, a background batch holds it exclusively. Within a thread that is in the foreground, the
embedder's own batches (the query, the evidence scoring) are foreground too.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class CpuBudget:
    """``foreground()`` around work a person waits for; ``background_turn()`` around each batch of
    background work. ``CpuBudget(None)`` coordinates nothing (both are no-ops)."""

    def __init__(self, lock_path: Path | None) -> None:
        self.lock_path = lock_path
        self._local = threading.local()

    def _depth(self) -> int:
        return int(getattr(self._local, "depth", 0))

    @property
    def in_foreground(self) -> bool:
        return self._depth() > 0

    @contextmanager
    def foreground(self) -> Iterator[None]:
        if self.lock_path is None or self.in_foreground:
            self._local.depth = self._depth() + 1
            try:
                yield
            finally:
                self._local.depth = self._depth() - 1
            return
        with self._locked(fcntl.LOCK_SH):
            self._local.depth = 1
            try:
                yield
            finally:
                self._local.depth = 0

    @contextmanager
    def background_turn(self) -> Iterator[None]:
        if self.lock_path is None or self.in_foreground:
            yield
            return
        with self._locked(fcntl.LOCK_EX):
            yield

    @contextmanager
    def _locked(self, mode: int) -> Iterator[None]:
        assert self.lock_path is not None
        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:  # a read-only home: run without coordination rather than fail
            yield
            return
        try:
            fcntl.flock(handle, mode)
            yield
        finally:
            os.close(handle)  # closing releases the lock
