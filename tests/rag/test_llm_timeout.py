"""An OpenAI-compatible server that accepts connections but never answers: a clear error after the
timeout setting, not minutes of silence."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from index.settings import Settings
from rag import models
from rag.llm import LLMError, OpenAICompatibleLLM


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP server on 127.0.0.1 that accepts every connection, reads, and never replies."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    stop.set()
    thread.join(5)
    for connection in held:
        connection.close()
    listener.close()


def test_a_hanging_server_fails_after_the_timeout_with_what_to_do(silent_server: str) -> None:
    llm = OpenAICompatibleLLM(silent_server, "m", "k", timeout=1.5)
    with pytest.raises(LLMError, match=r"did not answer within 1\.5 s; .* ATTEST_OPENAI_TIMEOUT"):
        llm.complete([{"role": "user", "content": "hi"}])


def test_the_timeout_comes_from_settings_and_defaults_under_a_minute() -> None:
    assert Settings().openai_timeout < 60
    llm = models.make_llm(Settings(llm_backend="openai", openai_base_url="http://127.0.0.1:9/v1", openai_timeout=7))
    assert isinstance(llm, OpenAICompatibleLLM) and llm.timeout == 7 and llm.client.max_retries == 0
