"""One CPU budget for the embedder and the LLM, across threads and processes on this machine.

On a small CPU, an LLM answering while an ingest embeds makes both crawl: their threads fight over
the same cores (llama.cpp's threads spin while they wait for each other). Answering is what a
person waits for, so it runs in the *foreground*; embedding for an ingest runs in the
*background*, one batch at a time, and each batch waits while any foreground work is under way.
An answer therefore waits at most for the batch in flight.

Across processes this is a readers-writer lock on one file (``flock``): foreground work holds it
shared, a background batch holds it exclusively. A second file is a turnstile, so that answers
that follow one another without a pause cannot starve an ingest: a waiting batch holds the
turnstile, new foreground work waits behind it, and the batch runs as soon as the answers already
under way are done. Within a thread that is in the foreground, the embedder's own batches (the
query, the evidence scoring) are foreground too.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

_THREAD = threading.local()


class CpuBudget:
    """``foreground()`` around work a person waits for; ``background_turn()`` around each batch of
    background work. ``CpuBudget(None)`` coordinates nothing (both are no-ops)."""

    def __init__(self, lock_path: Path | None) -> None:
        self.lock_path = lock_path
        self._local = _THREAD  # per thread, shared by every budget: one thread is in the foreground or not

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
        with self._locked(self._turnstile, fcntl.LOCK_SH):
            pass  # wait behind a background batch that is already waiting
        with self._locked(self.lock_path, fcntl.LOCK_SH):
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
        with ExitStack() as stack:
            turn = stack.enter_context(self._locked(self._turnstile, fcntl.LOCK_EX))
            stack.enter_context(self._locked(self.lock_path, fcntl.LOCK_EX))
            turn.close()  # the batch's turn is taken: answers may queue at the turnstile again
            yield

    @property
    def _turnstile(self) -> Path:
        assert self.lock_path is not None
        return self.lock_path.with_name(self.lock_path.name + ".turn")

    @contextmanager
    def _locked(self, path: Path, mode: int) -> Iterator[_Held]:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:  # a read-only home: run without coordination rather than fail
            yield _Held(None)
            return
        held = _Held(handle)
        try:
            fcntl.flock(handle, mode)
            yield held
        finally:
            held.close()


class _Held:
    """An open, locked file; closing it releases the lock (once)."""

    def __init__(self, handle: int | None) -> None:
        self.handle = handle

    def close(self) -> None:
        if self.handle is not None:
            os.close(self.handle)
            self.handle = None
