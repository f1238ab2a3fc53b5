"""One ingest at a time per index: an exclusive ``flock`` on a file beside the data (or, for a
Chroma server, in the temp folder, keyed by its URL and collection). A second ingest of the same
index waits for the first and then finds its articles unchanged instead of embedding them again.
The lock is released by the kernel when its process dies, even by kill -9."""

from __future__ import annotations

import fcntl
import hashlib
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO

from index.settings import Settings


def lock_path(settings: Settings) -> Path:
    if settings.chroma_url:
        key = hashlib.sha1(f"{settings.chroma_url}|{settings.collection}".encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"attest-ingest-{key}.lock"
    return settings.data_dir / f"ingest-{settings.collection}.lock"


class IngestLock:
    def __init__(self, settings: Settings) -> None:
        self.path = lock_path(settings)
        self._handle: IO[str] | None = None

    def __enter__(self) -> IngestLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("attest: another ingest into this index is running; waiting for it to finish", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        self._handle = handle
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
