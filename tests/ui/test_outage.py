"""A Chroma server that goes away while ``attest serve`` runs: the chat, ``/info`` and the library
say the server is unreachable (not "the index is empty"), and everything works again once the
server is back, without restarting the app. A real ``chroma run`` on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from index.settings import Settings
from index.store import StoreError
from rag.pipeline import Pipeline
from tests.conftest import HashEmbedder
from tests.index.test_store_server import chroma_command, free_port
from tests.ui.fakes import NewsroomLLM
from ui.app import AttestApp


def start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [*chroma_command(), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while True:  # until it listens (pytest's --timeout ends a hang)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            assert process.poll() is None, "chroma run exited"
            time.sleep(0.3)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=60)


def last_chat_message(app: AttestApp, question: str) -> str:
    steps: list[Any] = list(app.respond(question, [], [], None, None, None, None))
    return str(steps[-1][0][-1]["content"])


def test_server_down_then_back(tmp_path: Path, seeds_copy: Path) -> None:
    port = free_port()
    db = tmp_path / "chroma-db"
    server = start_chroma(db, port)
    try:
        settings = Settings(
            data_dir=tmp_path / "data", chroma_url=f"http://127.0.0.1:{port}", collection="outage", judge_answers=False
        )
        pipeline = Pipeline(settings, embedder=HashEmbedder(), llm=NewsroomLLM())
        assert len(pipeline.ingest([seeds_copy]).added) == 5
        app = AttestApp(pipeline)
        assert app.info()["index"]["documents"] == 5
        stop(server)

        message = last_chat_message(app, "What did the Kremlin say about the SCO?")
        assert "cannot reach the Chroma server" in message and "empty" not in message
        with pytest.raises(StoreError, match="cannot reach the Chroma server"):
            app.info()
        with pytest.raises(StoreError, match="cannot reach the Chroma server"):
            app.api_documents()

        server = start_chroma(db, port)  # back: the same app recovers
        assert app.info()["index"]["documents"] == 5 and len(app.api_documents()) == 5
    finally:
        stop(server)
