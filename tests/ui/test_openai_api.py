"""The OpenAI-compatible API of ``attest serve``, driven by the official ``openai`` client against a
real uvicorn server on 127.0.0.1 (the whole app: web UI, API and MCP on one port), with the
scripted LLM and the real embedder: plain and streamed completions, follow-ups from the message
list, "not in the corpus", filters, errors and the bearer key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from index.embedding import MiniLMOnnxEmbedder
from tests.ui.conftest import FOLLOW_UPS, Served, serve
from tests.ui.fakes import NewsroomLLM

KREMLIN = "What did the Kremlin say about the SCO?"
FOLLOW_UP = "What did they say about Afghanistan?"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, real_embedder: MiniLMOnnxEmbedder) -> Iterator[Served]:
    app = serve(tmp_path_factory.mktemp("api"), NewsroomLLM(FOLLOW_UPS), real_embedder, judge_answers=False)
    yield app
    app.close()


def client_for(served: Served, key: str = "unused") -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{served.url}v1", api_key=key, max_retries=0, timeout=120)


def extra(obj: Any) -> dict[str, Any]:
    return dict(obj.model_extra or {})["attest"]


def test_models_and_a_cited_answer(api: Served) -> None:
    client = client_for(api)
    assert [m.id for m in client.models.list()] == ["attest"]
    reply = client.chat.completions.create(model="attest", messages=[{"role": "user", "content": KREMLIN}])
    text = reply.choices[0].message.content or ""
    assert reply.choices[0].finish_reason == "stop"
    assert "[1]" in text or "[2]" in text, text
    answer_part, sources = text.split("**Sources**")
    assert "terrorism" in answer_part and "TASS, 2021-08-25" in sources
    data = extra(reply)
    assert data["status"] == "answered" and data["asked"] == KREMLIN
    citation = data["citations"][0]
    assert citation["outlet"] == "TASS" and citation["published_at"] == "2021-08-25"
    article = Path(citation["source"]).read_text(encoding="utf-8")
    quote = citation["quote"]
    assert article[quote["start"] : quote["end"]] == quote["text"]
    assert f"[{citation['number']}]" in answer_part and f"chars {quote['start']}-{quote['end']}" in sources


def test_streaming_sends_evidence_first_then_the_same_reply(api: Served) -> None:
    client = client_for(api)
    plain = client.chat.completions.create(model="attest", messages=[{"role": "user", "content": KREMLIN}])
    chunks = list(
        client.chat.completions.create(model="attest", messages=[{"role": "user", "content": KREMLIN}], stream=True)
    )
    assert chunks[0].choices[0].delta.role == "assistant"
    kinds = []
    for chunk in chunks:
        data = (chunk.model_extra or {}).get("attest")
        if chunk.choices[0].delta.content:
            kinds.append("text")
        elif data and "evidence" in data and "citations" not in data:
            kinds.append("evidence")
    assert kinds[0] == "evidence" and "text" in kinds  # the evidence arrives before any reply text
    evidence = next(extra(c)["evidence"] for c in chunks if (c.model_extra or {}).get("attest"))
    assert any(e["outlet"] == "TASS" for e in evidence)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == plain.choices[0].message.content
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert extra(last)["citations"] == extra(plain)["citations"]


def test_follow_up_questions_read_the_message_list(api: Served) -> None:
    client = client_for(api)
    first = client.chat.completions.create(model="attest", messages=[{"role": "user", "content": KREMLIN}])
    messages: list[Any] = [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": KREMLIN},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": FOLLOW_UP},
    ]
    llm = api.pipeline.llm
    assert isinstance(llm, NewsroomLLM)
    before = len(llm.calls)
    reply = client.chat.completions.create(model="attest", messages=messages)
    data = extra(reply)
    assert data["asked"] == FOLLOW_UP
    assert data["standalone_question"] == FOLLOW_UPS[FOLLOW_UP] == data["searched"]["query"]
    text = reply.choices[0].message.content or ""
    assert text.startswith("_Searched as: \u201cWhat did the Kremlin say about Afghanistan?\u201d_")
    rewrite_prompt = next(c for c in llm.calls[before:] if "Last question:" in c["messages"][-1]["content"])
    conversation = rewrite_prompt["messages"][-1]["content"]
    assert f"User: {KREMLIN}" in conversation and "Assistant: " in conversation
    assert "**Sources**" not in conversation and "[1]" not in conversation  # the answer's words only

    # A third turn sees the stand-alone question the second one was searched as.
    messages += [{"role": "assistant", "content": text}, {"role": "user", "content": "And what about that?"}]
    before = len(llm.calls)
    client.chat.completions.create(model="attest", messages=messages, stream=False)
    rewrite_prompt = next(c for c in llm.calls[before:] if "Last question:" in c["messages"][-1]["content"])
    assert "User: What did the Kremlin say about Afghanistan?" in rewrite_prompt["messages"][-1]["content"]


def test_not_in_the_corpus_and_filters_are_ordinary_replies(api: Served) -> None:
    client = client_for(api)
    empty = client.chat.completions.create(
        model="attest", messages=[{"role": "user", "content": "Who won the 2022 World Cup?"}]
    )
    assert (empty.choices[0].message.content or "").startswith("Not in the corpus")
    assert extra(empty)["status"] == "not_found" and extra(empty)["citations"] == []
    filtered = client.chat.completions.create(
        model="attest",
        messages=[{"role": "user", "content": KREMLIN}],
        extra_body={"outlet": "TASS", "as_of": "2021-08-24"},
    )
    assert extra(filtered)["status"] == "not_found"
    assert extra(filtered)["searched"]["filters"] == {"outlet": "TASS", "as_of": "2021-08-24"}
    kept = client.chat.completions.create(
        model="attest", messages=[{"role": "user", "content": KREMLIN}], extra_body={"outlet": "TASS"}
    )
    assert {c["outlet"] for c in extra(kept)["citations"]} == {"TASS"}


def test_bad_requests_are_openai_style_errors(api: Served) -> None:
    client = client_for(api)
    with pytest.raises(openai.BadRequestError, match="since is not a date; use YYYY-MM-DD"):
        client.chat.completions.create(
            model="attest", messages=[{"role": "user", "content": KREMLIN}], extra_body={"since": "last week"}
        )
    with pytest.raises(openai.BadRequestError, match="the last message must be the user's question"):
        client.chat.completions.create(model="attest", messages=[{"role": "system", "content": "hi"}], stream=True)
    response = httpx.post(f"{api.url}v1/chat/completions", json={"messages": "nope"}, timeout=30)
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"message", "type", "param", "code"}


def test_api_key_guards_the_api_and_mcp_but_not_the_page(tmp_path: Path, real_embedder: MiniLMOnnxEmbedder) -> None:
    served = serve(tmp_path, NewsroomLLM(), real_embedder, judge_answers=False, api_key="k-123")
    try:
        with pytest.raises(openai.AuthenticationError) as refused:
            client_for(served, "wrong").models.list()
        assert refused.value.status_code == 401
        body = refused.value.body
        assert isinstance(body, dict) and body["code"] == "invalid_api_key"
        no_header = httpx.get(f"{served.url}v1/models", timeout=30)
        assert no_header.status_code == 401 and "Authorization: Bearer" in no_header.json()["error"]["message"]
        mcp = httpx.post(f"{served.url}mcp", json={}, timeout=30)
        assert mcp.status_code == 401 and mcp.json()["error"]["code"] == "invalid_api_key"
        assert [m.id for m in client_for(served, "k-123").models.list()] == ["attest"]
        assert httpx.get(served.url, timeout=30).status_code == 200  # the page has its own login setting
    finally:
        served.close()
