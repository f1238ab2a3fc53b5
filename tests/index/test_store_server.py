"""The same ingestion and retrieval against a real ``chroma run`` server on 127.0.0.1."""

from __future__ import annotations

import json
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
    # Chroma's data is on the server; locally only the BM25 cache (index/bm25.py).
    assert [p.name for p in (tmp_path / "unused").iterdir()] == ["bm25"]

    again = Ingestor(settings, Store(settings), HashEmbedder()).ingest([seeds_copy])
    assert again.unchanged == 5 and again.chunks_embedded == 0

    hits = Retriever(Store(settings), HashEmbedder()).search(
        "Kremlin statement SCO terrorism", 3, Filters(outlet="tass")
    )
    assert hits and {h.article.outlet for h in hits} == {"TASS"}


def test_unreachable_server_is_one_clear_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match="chroma run"):
        Store(settings).documents()


def other_process(tmp: Path, url: str, action: str, arg: str) -> dict:  # type: ignore[type-arg]
    """``tests/index/shared_worker.py`` in its own Python process, with its own BM25 cache."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.index.shared_worker", str(tmp / "other"), url, "shared_test", action, arg],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_processes_sharing_a_server_see_each_others_writes_in_their_next_lexical_search(
    chroma_server: str, tmp_path: Path, seeds_copy: Path
) -> None:
    from index.bm25 import LexicalIndex

    settings = Settings(
        data_dir=tmp_path / "mine", chroma_url=chroma_server, collection="shared_test", recency_half_life_days=0
    )
    store = Store(settings)
    Ingestor(settings, store, HashEmbedder()).ingest([seeds_copy])
    mine = Retriever(store, HashEmbedder(), mode="bm25")
    mine.check_ready()
    query = "zeppelin regatta harbour"
    assert mine.search(query, 5) == []

    # Another process (its own cache, cold): fills it from the server once, then ingests a story.
    first = other_process(tmp_path, chroma_server, "search", query)
    assert first["rows"] == store.chunk_count() and first["texts"] == [], first
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "regatta.txt").write_text(
        "A zeppelin circled the harbour during the regatta on Saturday, the Harbour Post reported.",
        encoding="utf-8",
    )
    assert other_process(tmp_path, chroma_server, "ingest", str(extra))["added"] == 1

    # This process's next lexical search sees it, re-reading that one article only.
    lexical = LexicalIndex.for_store(store)
    calls: list[int] = []
    original = store.chunk_ids
    store.chunk_ids = lambda *a, **k: calls.append(1) or original(*a, **k)  # type: ignore[method-assign]
    hits = mine.search(query, 5)
    assert len(hits) == 1 and "zeppelin circled" in hits[0].text and hits[0].bm25_rank == 1
    assert calls == [] and lexical.count() == store.chunk_count()

    # The other way round: this process removes the story (as the web UI's library does); the other
    # process, started again on its warm cache, does not re-read the corpus and no longer finds it.
    doc_id = hits[0].article.doc_id
    store.delete_document(doc_id)
    lexical.delete_document(doc_id)
    assert mine.search(query, 5) == []
    again = other_process(tmp_path, chroma_server, "search", query)
    assert again == {"full_reads": 0, "refreshed": 1, "rows": store.chunk_count(), "texts": []}
