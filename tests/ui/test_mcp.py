"""Attest's MCP tools through the ``mcp`` SDK's own client, over both transports:

- stdio: ``python -m ui.cli mcp`` as a subprocess, configured only by ``ATTEST_*`` variables (its
  LLM is Attest's real OpenAI backend talking to a scripted server on 127.0.0.1, tests/ui/fake_openai.py);
- streamable HTTP: ``/mcp`` of a running ``attest serve`` app (uvicorn on 127.0.0.1), with and
  without the bearer key.

Typed results: every tool has an output schema, and the structured content carries citations
and quotes whose offsets point into ``get_article``'s text."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from index.embedding import MiniLMOnnxEmbedder
from index.settings import Settings
from rag.pipeline import Pipeline
from tests.conftest import ROOT, SEEDS
from tests.ui.conftest import Served, serve
from tests.ui.fake_openai import FakeOpenAIServer
from tests.ui.fakes import NewsroomLLM

KREMLIN = "What did the Kremlin say about the SCO?"
TOOLS = {"search", "ask", "check_claims", "get_article"}


def run(client_factory: Callable[[], Any], script: Callable[[Any], Awaitable[None]]) -> None:
    """The client's own event loop, in a thread of its own: Playwright's sync API (the browser
    tests' session fixture) keeps an event loop running in the main thread."""

    async def main() -> None:
        async with client_factory() as client:
            await script(client)

    failures: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:  # re-raised in the test's thread
            failures.append(exc)

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if failures:
        raise failures[0]


async def exercise(client: Any) -> None:
    """The checks both transports must pass."""
    listed = await client.list_tools()
    assert {t.name for t in listed.tools} == TOOLS
    assert all(t.output_schema for t in listed.tools)  # typed (structured) results
    ask_schema = next(t for t in listed.tools if t.name == "ask").input_schema
    assert {"question", "outlet", "since", "until", "as_of"} <= set(ask_schema["properties"])

    found = await client.call_tool("search", {"query": "Kremlin statement SCO terrorism drug trafficking"})
    assert not found.is_error, found.content
    passages = found.structured_content["passages"]
    assert passages and passages[0]["quotes"]
    top = passages[0]
    article = await client.call_tool("get_article", {"doc_id": top["doc_id"]})
    text = article.structured_content["text"]
    assert text[top["passage_start"] : top["passage_end"]] == top["passage"]
    for quote in top["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]

    answered = await client.call_tool("ask", {"question": KREMLIN})
    assert not answered.is_error, answered.content
    data = answered.structured_content
    assert data["status"] == "answered" and data["citations"], data
    citation = data["citations"][0]
    assert citation["outlet"] == "TASS" and citation["published_at"] == "2021-08-25"
    assert f"[{citation['number']}]" in data["answer"]
    cited = (await client.call_tool("get_article", {"doc_id": citation["doc_id"]})).structured_content["text"]
    assert cited[citation["quote"]["start"] : citation["quote"]["end"]] == citation["quote"]["text"]

    filtered = await client.call_tool("ask", {"question": KREMLIN, "outlet": "TASS", "as_of": "2021-08-24"})
    assert filtered.structured_content["status"] == "not_found"
    assert filtered.structured_content["searched"]["filters"] == {"outlet": "TASS", "as_of": "2021-08-24"}

    checked = await client.call_tool(
        "check_claims", {"text": "The Kremlin said the SCO should help fight terrorism and drug trafficking."}
    )
    claims = checked.structured_content["claims"]
    assert len(claims) == 1 and claims[0]["verdict"] in {"supported", "contradicted", "not_found"}
    assert claims[0]["quotes"]
    for quote in claims[0]["quotes"]:
        body = (await client.call_tool("get_article", {"doc_id": quote["doc_id"]})).structured_content["text"]
        assert body[quote["quote"]["start"] : quote["quote"]["end"]] == quote["quote"]["text"]

    bad_date = await client.call_tool("ask", {"question": KREMLIN, "since": "yesterday"})
    assert bad_date.is_error and "since is not a date; use YYYY-MM-DD" in bad_date.content[0].text
    missing = await client.call_tool("get_article", {"doc_id": "nope"})
    assert missing.is_error and "no article with that id" in missing.content[0].text


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, real_embedder: MiniLMOnnxEmbedder) -> Iterator[Served]:
    app = serve(tmp_path_factory.mktemp("mcp"), NewsroomLLM(), real_embedder, judge_answers=False, judge="llm")
    yield app
    app.close()


def test_tools_over_streamable_http(served: Served) -> None:
    from mcp import Client

    run(lambda: Client(f"{served.url}mcp"), exercise)


def test_streamable_http_with_the_api_key(tmp_path: Path, real_embedder: MiniLMOnnxEmbedder) -> None:
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    app = serve(tmp_path, NewsroomLLM(), real_embedder, judge_answers=False, api_key="k-9")

    async def listed(client: Any) -> None:
        assert {t.name for t in (await client.list_tools()).tools} == TOOLS

    try:
        headers = {"Authorization": "Bearer k-9"}
        run(
            lambda: Client(streamable_http_client(f"{app.url}mcp", http_client=httpx2.AsyncClient(headers=headers))),
            listed,
        )
        with pytest.raises(Exception):  # noqa: B017  (the SDK's error for a 401 differs between versions)
            run(lambda: Client(f"{app.url}mcp"), listed)
    finally:
        app.close()


def test_tools_over_stdio(tmp_path: Path, real_embedder: MiniLMOnnxEmbedder) -> None:
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    data = tmp_path / "data"
    Pipeline(Settings(data_dir=data, model_cache_dir=tmp_path / "models"), embedder=real_embedder).ingest([SEEDS])
    llm_server = FakeOpenAIServer(NewsroomLLM())
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATTEST_")}
    env.update(
        PYTHONPATH=str(ROOT),
        ATTEST_DATA_DIR=str(data),
        ATTEST_MODEL_CACHE_DIR=str(tmp_path / "models"),
        ATTEST_CPU_LOCK="",
        ATTEST_LLM_BACKEND="openai",
        ATTEST_OPENAI_BASE_URL=llm_server.url,
        ATTEST_OPENAI_MODEL="scripted",
        ATTEST_JUDGE="llm",
        ATTEST_JUDGE_ANSWERS="false",
    )
    params = StdioServerParameters(command=sys.executable, args=["-m", "ui.cli", "mcp"], env=env, cwd=str(tmp_path))
    try:
        run(lambda: Client(params, read_timeout_seconds=300), exercise)
    finally:
        llm_server.close()
    assert llm_server.llm.calls, "the subprocess answered without its configured LLM"
