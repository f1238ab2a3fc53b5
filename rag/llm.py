"""LLM backends behind one small interface: the local GGUF on llama.cpp, or any
OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp server) through the ``openai`` client.

Both return the model's text; a JSON schema constrains the output where the backend can.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

Messages = list[dict[str, str]]
OnToken = Callable[[str], None]


class LLMError(RuntimeError):
    pass


class LLM(Protocol):
    name: str

    def complete(
        self,
        messages: Messages,
        schema: dict[str, Any] | None = None,
        max_tokens: int = 256,
        on_token: OnToken | None = None,
    ) -> str: ...


class LlamaCppLLM:
    """A GGUF model run in-process by llama-cpp-python; loaded (and warmed up) on first use."""

    def __init__(
        self, model_path: Callable[[], Path], name: str, threads: int = 2, context: int = 4096, temperature: float = 0.0
    ) -> None:
        self._model_path = model_path
        self.name = name
        self.threads = threads
        self.context = context
        self.temperature = temperature
        self._llama: Any = None
        self._lock = threading.Lock()
        self.load_seconds = 0.0

    def _load(self) -> Any:
        if self._llama is None:
            started = time.perf_counter()
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise LLMError("llama-cpp-python is not installed; run: pip install -e .") from exc
            llama = Llama(
                model_path=str(self._model_path()),
                n_ctx=self.context,
                n_threads=self.threads,
                n_threads_batch=self.threads,
                n_batch=512,
                verbose=False,
            )
            # The first evaluation after loading pages the weights in: pay for it here, once.
            llama.create_completion("Hello", max_tokens=1, temperature=0.0)
            self._llama = llama
            self.load_seconds = time.perf_counter() - started
        return self._llama

    def complete(
        self,
        messages: Messages,
        schema: dict[str, Any] | None = None,
        max_tokens: int = 256,
        on_token: OnToken | None = None,
    ) -> str:
        with self._lock:  # one llama.cpp context cannot serve two requests at once
            llama = self._load()
            kwargs: dict[str, Any] = {}
            if schema is not None:
                kwargs["response_format"] = {"type": "json_object", "schema": schema}
            stream = llama.create_chat_completion(
                messages=messages, temperature=self.temperature, max_tokens=max_tokens, stream=True, **kwargs
            )
            parts: list[str] = []
            for chunk in stream:
                piece = chunk["choices"][0]["delta"].get("content") or ""
                if piece:
                    parts.append(piece)
                    if on_token:
                        on_token(piece)
            return "".join(parts)


class OpenAICompatibleLLM:
    """Any server that speaks the OpenAI chat API. Tries JSON-schema output, then plain JSON mode,
    then free text, and remembers what the server accepted."""

    FORMATS = ("json_schema", "json_object_schema", "json_object", "text")

    def __init__(
        self, base_url: str | None, model: str, api_key: str, timeout: float = 120.0, temperature: float = 0.0
    ) -> None:
        if not model:
            raise ValueError("ATTEST_OPENAI_MODEL must name the model to use")
        self.base_url = base_url
        self.model = model
        self.name = f"{model} (OpenAI-compatible at {base_url or 'api.openai.com'})"
        self.api_key = api_key
        self.timeout = timeout
        self.temperature = temperature
        self._client: Any = None
        self._format_index = 0

    @property
    def client(self) -> Any:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                base_url=self.base_url, api_key=self.api_key, timeout=self.timeout, max_retries=1
            )
        return self._client

    @staticmethod
    def _response_format(kind: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        if kind == "json_schema":
            return {"type": "json_schema", "json_schema": {"name": "attest", "schema": schema}}
        if kind == "json_object_schema":
            return {"type": "json_object", "schema": schema}
        if kind == "json_object":
            return {"type": "json_object"}
        return None

    def complete(
        self,
        messages: Messages,
        schema: dict[str, Any] | None = None,
        max_tokens: int = 256,
        on_token: OnToken | None = None,
    ) -> str:
        import openai

        while True:
            kind = self.FORMATS[self._format_index] if schema is not None else "text"
            kwargs: dict[str, Any] = {}
            fmt = self._response_format(kind, schema) if schema is not None else None
            if fmt is not None:
                kwargs["response_format"] = fmt
            try:
                stream = self.client.chat.completions.create(
                    model=self.model,
                    messages=messages,
                    temperature=self.temperature,
                    max_tokens=max_tokens,
                    stream=True,
                    **kwargs,
                )
                parts: list[str] = []
                for chunk in stream:
                    if not chunk.choices:
                        continue
                    piece = chunk.choices[0].delta.content or ""
                    if piece:
                        parts.append(piece)
                        if on_token:
                            on_token(piece)
                return "".join(parts)
            except openai.APIConnectionError as exc:
                raise LLMError(
                    f"cannot reach the LLM server at {self.base_url}; start it or fix ATTEST_OPENAI_BASE_URL"
                ) from exc
            except openai.APIStatusError as exc:
                # Servers reject an output format they lack with 400/422 (llama-cpp-python: 500).
                rejected_format = exc.status_code in (400, 422) or "response_format" in str(exc)
                if schema is None or not rejected_format or self._format_index + 1 >= len(self.FORMATS):
                    raise LLMError(f"the LLM server answered {exc.status_code}: {exc.message}") from exc
                self._format_index += 1  # try the next output format and remember it
