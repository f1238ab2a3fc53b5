"""The OpenAI-compatible API of ``attest serve`` (mounted at ``/v1``): ``GET /v1/models`` and
``POST /v1/chat/completions``, streaming (server-sent events) or not.

A chat client (Open WebUI, LibreChat, the ``openai`` SDK) sends its message list; the earlier
turns are the conversation (rag/conversation.py), so follow-up questions work. The reply text is
the validated answer with its ``[n]`` markers and a Markdown list of the sources; the structured
answer (citations with passage, outlet, date, offsets and quote; what was searched; notes) rides
in the extra field ``attest`` of the completion, and of the final stream chunk (the first chunk
after the role carries the evidence, as soon as it is found). "Not in the corpus" is an ordinary
reply. Extra body fields: ``outlet``, ``since``, ``until``, ``as_of`` (``YYYY-MM-DD``), ``top_k``.

With ``ATTEST_API_KEY`` set every request needs ``Authorization: Bearer <key>``; errors have
OpenAI's shape (``{"error": {"message", "type", "param", "code"}}``).
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from rag.conversation import Conversation, Reply
from rag.pipeline import Pipeline
from rag.types import Evidence
from ui import public
from ui.auth import ApiKeyError, check_bearer
from ui.filters import parse_filters
from ui.reply import history_from_messages, reply_data, reply_markdown

MODEL_ID = "attest"
API_LABELS = {"since": "since", "until": "until", "as_of": "as_of"}


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    """OpenAI's chat request; unknown fields (temperature, max_tokens, ...) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    top_k: int | None = Field(default=None, ge=1, le=50)


class APIError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None):
        super().__init__(message)
        self.status, self.message, self.kind, self.code = status, message, kind, code


def error_body(message: str, kind: str = "invalid_request_error", code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


class ChatService:
    """Answers chat requests over one pipeline, at most ``slots`` at a time."""

    def __init__(self, pipeline: Pipeline, slots: int = 1) -> None:
        self.pipeline = pipeline
        self.slots = threading.BoundedSemaphore(slots)

    def prepare(self, request: ChatRequest) -> tuple[Conversation, str, Any]:
        messages = [m.model_dump() for m in request.messages]
        history, question = history_from_messages(messages)
        filters = parse_filters(request.outlet, request.since, request.until, request.as_of, API_LABELS)
        if self.pipeline.store.chunk_count() == 0:
            raise ValueError("the index is empty: run attest ingest PATHS (or add articles in the web UI's Library)")
        return Conversation(self.pipeline, history), question, filters

    def answer(self, request: ChatRequest) -> Reply:
        conversation, question, filters = self.prepare(request)
        with self.slots:
            return conversation.ask(question, filters, top_k=request.top_k)

    def stream(self, request: ChatRequest) -> Iterator[tuple[str, Any]]:
        """("evidence", [Evidence]) as soon as it is found, then ("reply", Reply); errors raise."""
        conversation, question, filters = self.prepare(request)
        events: queue.Queue[tuple[str, Any]] = queue.Queue()

        def run() -> None:
            try:
                with self.slots:
                    reply = conversation.ask(question, filters, top_k=request.top_k, on_evidence=evidence)
                events.put(("reply", reply))
            except Exception as exc:  # handed to the streaming thread
                events.put(("error", exc))

        def evidence(found: list[Evidence]) -> None:
            events.put(("evidence", list(found)))

        threading.Thread(target=run, name="attest-api-answer", daemon=True).start()
        while True:
            kind, value = events.get()
            if kind == "error":
                raise value
            yield kind, value
            if kind == "reply":
                return


def completion(reply: Reply, model: str) -> dict[str, Any]:
    g = reply.answer.generation
    prompt, generated = int(g.get("prompt_tokens", 0)), int(g.get("generated_tokens", 0))
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply_markdown(reply)},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": prompt, "completion_tokens": generated, "total_tokens": prompt + generated},
        "attest": reply_data(reply),
    }


def _chunk(ident: str, model: str, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
    body = {
        "id": ident,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


def sse(service: ChatService, request: ChatRequest) -> Iterator[str]:
    """The completion as server-sent events: role, evidence (extra field only), the reply text,
    a final chunk with ``finish_reason`` and the structured answer, ``[DONE]``."""
    ident, model = f"chatcmpl-{uuid.uuid4().hex}", request.model or MODEL_ID
    yield _chunk(ident, model, {"role": "assistant", "content": ""})
    try:
        for kind, value in service.stream(request):
            if kind == "evidence":
                evidence = [e.to_dict() for e in value]
                yield _chunk(ident, model, {}, attest={"evidence": evidence})
            else:
                text = reply_markdown(value)
                for piece in _pieces(text):
                    yield _chunk(ident, model, {"content": piece})
                yield _chunk(ident, model, {}, "stop", attest=reply_data(value))
    except Exception as exc:  # the stream has started: the error is an event (the SDK raises it)
        yield f"data: {json.dumps(error_body(public.error_line(exc), _kind(exc)))}\n\n"
        return
    yield "data: [DONE]\n\n"


def _pieces(text: str, size: int = 160) -> Iterator[str]:
    """The reply in a few pieces, cut after spaces (the answer is validated before any is sent)."""
    while text:
        cut = text.rfind(" ", 0, size) + 1 if len(text) > size else len(text)
        cut = cut or min(size, len(text))
        yield text[:cut]
        text = text[cut:]


def _kind(exc: BaseException) -> str:
    return "invalid_request_error" if isinstance(exc, ValueError) else "server_error"


def create_app(pipeline: Pipeline, slots: int = 1) -> FastAPI:
    """The ``/v1`` sub-application over ``pipeline`` (``slots``: questions answered at once)."""
    service = ChatService(pipeline, slots)
    key = pipeline.settings.api_key
    app = FastAPI(title="Attest OpenAI-compatible API", docs_url=None, redoc_url=None, openapi_url=None)

    def authorized(request: Request) -> None:
        check_bearer(request.headers.get("authorization"), key)

    @app.exception_handler(ApiKeyError)
    async def _unauthorized(request: Request, exc: ApiKeyError) -> JSONResponse:
        body = error_body(str(exc), "invalid_request_error", "invalid_api_key")
        return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = f"invalid request: {where + ': ' if where else ''}{first.get('msg', 'malformed body')}"
        return JSONResponse(error_body(message), status_code=400)

    @app.exception_handler(APIError)
    async def _api_error(request: Request, exc: APIError) -> JSONResponse:
        return JSONResponse(error_body(exc.message, exc.kind, exc.code), status_code=exc.status)

    @app.get("/models", dependencies=[Depends(authorized)])
    def models() -> dict[str, Any]:
        return {"object": "list", "data": [_model()]}

    @app.get("/models/{model_id}", dependencies=[Depends(authorized)])
    def model(model_id: str) -> dict[str, Any]:
        if model_id != MODEL_ID:
            raise APIError(404, f"no model {model_id!r} here; the model is {MODEL_ID!r}", code="model_not_found")
        return _model()

    @app.post("/chat/completions", dependencies=[Depends(authorized)], response_model=None)
    def chat_completions(request: ChatRequest) -> dict[str, Any] | StreamingResponse:
        if request.stream:
            try:  # request errors (no question, a bad date, an empty index) are a 400 before the stream
                service.prepare(request)
            except ValueError as exc:
                raise APIError(400, public.error_line(exc)) from exc
            return StreamingResponse(sse(service, request), media_type="text/event-stream")
        try:
            return completion(service.answer(request), request.model or MODEL_ID)
        except ValueError as exc:
            raise APIError(400, public.error_line(exc)) from exc
        except Exception as exc:
            raise APIError(500, public.error_line(exc), "server_error") from exc

    return app


def _model() -> dict[str, Any]:
    return {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "attest"}
