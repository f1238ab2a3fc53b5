"""The OpenAI-compatible backend against a real server on loopback: llama-cpp-python's own
OpenAI-compatible server, serving the packaged default model."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.settings import Settings
from rag import local_model, prompt
from rag.llm import LLMError, OpenAICompatibleLLM
from rag.pipeline import Pipeline
from rag.types import Answer
from tests.conftest import SEEDS
from tests.index.test_store_server import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def openai_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    model = local_model.ensure_model(Settings().model_cache_dir)
    port = free_port()
    log_path = tmp_path_factory.mktemp("llm-server") / "server.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--model_alias",
            "qwen-local",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--n_threads",
            "2",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_schema_constrained_reply_from_a_real_server(openai_server: str) -> None:
    llm = OpenAICompatibleLLM(openai_server, "qwen-local", "not-needed")
    pieces: list[str] = []
    raw = llm.complete(
        [
            {
                "role": "user",
                "content": "Evidence:\nTASS, 2021-08-25:\n[1] Rain fell in Moscow on Monday.\n\n"
                "Question: Where did rain fall? Reply in JSON with answer and cite.",
            }
        ],
        schema=prompt.schema([1]),
        max_tokens=80,
        on_token=pieces.append,
    )
    data = json.loads(raw)
    assert set(data) == {"answer", "cite"} and "".join(pieces) == raw
    assert llm.FORMATS[llm._format_index] == "json_object_schema"  # what this server accepts
    assert data["cite"] == [1] and "Moscow" in data["answer"]
    stats = llm.last_stats
    assert stats is not None and stats.generated_tokens > 0 and stats.prefill_seconds > 0


def test_ask_through_the_openai_backend_chosen_by_settings(openai_server: str, tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path, llm_backend="openai", openai_base_url=openai_server, openai_model="qwen-local"
    )
    pipeline = Pipeline(settings, embedder=real_embedder)
    pipeline.ingest([SEEDS])
    answer = pipeline.ask("What did the Kremlin say about the SCO?")
    assert pipeline.llm.name.startswith("qwen-local (OpenAI-compatible")
    assert answer.status == Answer.ANSWERED and answer.citations
    for citation in answer.citations:
        source = Path(citation.passage.article.source).read_bytes().decode("utf-8")
        assert source[citation.quote.start : citation.quote.end] == citation.quote.text


def test_unreachable_server_is_a_clear_error() -> None:
    llm = OpenAICompatibleLLM(f"http://127.0.0.1:{free_port()}/v1", "m", "k", timeout=5)
    with pytest.raises(LLMError, match="cannot reach the LLM server"):
        llm.complete([{"role": "user", "content": "hi"}])
