"""A scripted OpenAI-compatible LLM server on 127.0.0.1 (FastAPI on uvicorn, in a thread): the
replies of :class:`tests.ui.fakes.NewsroomLLM`, streamed as server-sent events. A process started
with ``ATTEST_LLM_BACKEND=openai`` and ``ATTEST_OPENAI_BASE_URL`` pointing here answers through
Attest's real OpenAI backend without a model (the MCP stdio test's subprocess uses it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from tests.loopback import LoopbackServer
from tests.ui.fakes import NewsroomLLM


class FakeOpenAIServer:
    def __init__(self, llm: NewsroomLLM) -> None:
        self.llm = llm
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def complete(request: Request) -> StreamingResponse:
            body: dict[str, Any] = await request.json()
            fmt = body.get("response_format") or {}
            schema = (fmt.get("json_schema") or {}).get("schema") if fmt.get("type") == "json_schema" else None
            text = self.llm.complete(body["messages"], schema=schema)

            def events() -> Iterator[str]:
                for piece in [text[i : i + 16] for i in range(0, len(text), 16)]:
                    chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "fake"}
                    chunk["choices"] = [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]
                    yield f"data: {json.dumps(chunk)}\n\n"
                yield "data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")

        self.http = LoopbackServer(app)
        self.port, self.url = self.http.port, self.http.url

    def close(self) -> None:
        self.http.close()
