"""The same ingestion and retrieval against a real ``chroma run`` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.ingest import Ingestor
from index.settings import Settings
from index.store import Store, StoreError
from rag.retrieve import Retriever
from rag.types import Filters
from tests.conftest import HashEmbedder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chroma_command() -> list[str]:
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    return [exe]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("w")
    process = subprocess.Popen(
        [*chroma_command(), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"chroma run exited: {(path / 'server.log').read_text()}")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_ingest_and_search_through_a_chroma_server(chroma_server: str, tmp_path: Path, seeds_copy: Path) -> None:
    settings = Settings(data_dir=tmp_path / "unused", chroma_url=chroma_server, collection="server_test")
    store = Store(settings)
    report = Ingestor(settings, store, HashEmbedder()).ingest([seeds_copy])
    assert len(report.added) == 5
    assert store.describe()["mode"] == "server" and store.describe()["documents"] == 5
    assert not (tmp_path / "unused").exists()  # nothing written locally

    again = Ingestor(settings, Store(settings), HashEmbedder()).ingest([seeds_copy])
    assert again.unchanged == 5 and again.chunks_embedded == 0

    hits = Retriever(Store(settings), HashEmbedder()).search(
        "Kremlin statement SCO terrorism", 3, Filters(outlet="tass")
    )
    assert hits and {h.metadata["outlet"] for h in hits} == {"TASS"}


def test_unreachable_server_is_one_clear_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match="chroma run"):
        Store(settings).documents()
