"""LLM backends behind one small interface: the local GGUF on llama.cpp, or any
OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp server) through the ``openai`` client.

Both return the model's text; a JSON schema constrains the output where the backend can.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from index.cpu import CpuBudget
from rag import grammar_sampler, llama_output, prefix_cache

Messages = list[dict[str, str]]
OnToken = Callable[[str], None]

log = logging.getLogger(__name__)


class LLMError(RuntimeError):
    pass


@dataclass
class GenerationStats:
    """What one completion cost: prompt tokens (``cached``: of them, reused from the previous call's
    prefix), seconds to the first token (prefill), generated tokens and the seconds they took."""

    prompt_tokens: int = 0
    cached_tokens: int = 0
    prefill_seconds: float = 0.0
    generated_tokens: int = 0
    generation_seconds: float = 0.0

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


class _Meter:
    """Times a token stream: the first piece ends prefill, each later piece is one more token."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.first: float | None = None
        self.pieces = 0
        self.stats = GenerationStats()

    def tick(self) -> None:
        now = time.perf_counter()
        if self.first is None:
            self.first = now
            self.stats.prefill_seconds = now - self.started
        self.pieces += 1
        self.stats.generated_tokens = self.pieces
        self.stats.generation_seconds = now - self.first


class StatsMixin:
    """``last_stats``: the :class:`GenerationStats` of this thread's latest completion."""

    _local: threading.local

    @property
    def last_stats(self) -> GenerationStats | None:
        local = self.__dict__.setdefault("_local", threading.local())
        return getattr(local, "stats", None)

    def _record(self, stats: GenerationStats) -> None:
        local = self.__dict__.setdefault("_local", threading.local())
        local.stats = stats


class LLM(Protocol):
    name: str

    def complete(
        self,
        messages: Messages,
        schema: dict[str, Any] | None = None,
        max_tokens: int = 256,
        on_token: OnToken | None = None,
    ) -> str: ...


class LlamaCppLLM(StatsMixin):
    """A GGUF model run in-process by llama-cpp-python; loaded (and warmed up) on first use.

    llama.cpp reuses the evaluated tokens that a new prompt shares with the previous one, so a
    fixed system message is prefilled once, not per question. With a :class:`CpuBudget`, each
    completion runs in the foreground: background embedding (an ingest) waits for it."""

    def __init__(
        self,
        model_path: Callable[[], Path],
        name: str,
        threads: int = 2,
        context: int = 4096,
        temperature: float = 0.0,
        budget: CpuBudget | None = None,
        prefix: Messages | None = None,
        state_dir: Path | None = None,
        more_prefixes: Sequence[Messages] = (),
    ) -> None:
        """``prefix``: messages every answering prompt starts with (the system message); with
        ``state_dir`` their evaluated state is kept on disk for the next process
        (:mod:`rag.prefix_cache`), evaluated as the model loads. ``more_prefixes``: other prompts'
        fixed starts (the follow-up rewrite's), kept the same way when a prompt first uses one."""
        self._model_path = model_path
        self.prefix = prefix
        self.state_dir = state_dir
        self.prefix_state = ""  # "restored" (from disk), "built" or "" (no prefix)
        self.keep_prefix = True  # put a prefix back in the context after another prompt ran
        self._prefixes: list[Messages] = ([prefix] if prefix else []) + list(more_prefixes)
        self._kept: dict[int, Any] = {}  # index in _prefixes -> its state in memory (prefix_cache.kept_state)
        self._tried: set[int] = set()  # prefixes whose state was made (or failed to be): once each
        self.name = name
        self.threads = threads
        self.context = context
        self.temperature = temperature
        self.budget = budget or CpuBudget(None)
        self.fast_grammar = True  # rag/grammar_sampler.py for greedy schema-constrained replies (same tokens)
        self._llama: Any = None
        self._lock = threading.Lock()
        self._loading: threading.Thread | None = None
        self._starting = threading.Lock()  # not ``_lock``, which a load holds for its whole length

    def preload(self) -> threading.Thread | None:
        """Start loading the model (and its saved prefix) on a thread, so that a server's first
        question does not wait for it; None when it is loaded or loading.
        The thread is not a daemon: a server stopped meanwhile waits for it rather than tearing
        llama.cpp down mid-load. A failure is left for
        :meth:`complete` to report."""
        with self._starting:
            if self._llama is not None or (self._loading is not None and self._loading.is_alive()):
                return None
            self._loading = threading.Thread(target=self._load_quietly, name="attest-llm-load")
            self._loading.start()
            return self._loading

    def _load_quietly(self) -> None:
        try:
            with self.budget.foreground(), self._lock:
                self._load()
        except Exception as error:  # complete() loads again and reports it to the user
            log.debug("loading the model ahead of the answer failed: %s", error)

    def _load(self) -> Any:
        if self._llama is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise LLMError("llama-cpp-python is not installed; run: pip install -e .") from exc
            llama_output.keep_output()  # loading on a thread must not silence the rest of the process
            model = self._model_path()
            llama = Llama(
                model_path=str(model),
                flash_attn=True,
                n_ctx=self.context,
                n_threads=self.threads,
                n_threads_batch=self.threads,
                n_batch=512,
                verbose=False,
            )
            if self.prefix and self.state_dir is not None:
                path = prefix_cache.state_path(self.state_dir, self.prefix, model, self.context, 512)
                self.prefix_state = prefix_cache.restore_or_build(llama, self.prefix, path)
                self._keep(llama, 0, path)
            else:
                # The first evaluation after loading pages the weights in: pay for it here, once.
                llama.create_completion("Hello", max_tokens=1, temperature=0.0)
            grammar_sampler.install(llama, enabled=lambda: self.fast_grammar)
            self._llama = llama
        return self._llama

    def complete(
        self,
        messages: Messages,
        schema: dict[str, Any] | None = None,
        max_tokens: int = 256,
        on_token: OnToken | None = None,
    ) -> str:
        with self.budget.foreground(), self._lock:  # one llama.cpp context serves one request at a time
            llama = self._load()
            kwargs: dict[str, Any] = {}
            if schema is not None:
                kwargs["response_format"] = {"type": "json_object", "schema": schema}
            before = list(llama._input_ids[: llama.n_tokens])
            meter = _Meter()  # from here: a prefix evaluated for this prompt counts as its prefill
            index = self._prefix_of(messages)
            if index is not None and index not in self._tried and self.state_dir is not None:
                # first use of this fixed start: evaluated (or restored from disk) on its own and kept
                path = prefix_cache.state_path(
                    self.state_dir, self._prefixes[index], self._model_path(), self.context, 512
                )
                if prefix_cache.restore_or_build(llama, self._prefixes[index], path) == "restored":
                    before = list(llama._input_ids[: llama.n_tokens])  # loaded, not prefilled
                self._keep(llama, index, path)
            elif index is not None and self._prefix_evicted(index, before):
                llama.load_state(self._kept[index])
                before = list(llama._input_ids[: llama.n_tokens])
            stream = llama.create_chat_completion(
                messages=messages, temperature=self.temperature, max_tokens=max_tokens, stream=True, **kwargs
            )
            parts: list[str] = []
            for chunk in stream:
                if meter.first is None:  # the prompt is evaluated now: count it, and what was reused
                    meter.stats.prompt_tokens = int(llama.n_tokens)
                    now = list(llama._input_ids[: llama.n_tokens])
                    meter.stats.cached_tokens = _common_prefix(before, now)
                meter.tick()
                piece = chunk["choices"][0]["delta"].get("content") or ""
                if piece:
                    parts.append(piece)
                    if on_token:
                        on_token(piece)
            self._record(meter.stats)
            return "".join(parts)

    def _keep(self, llama: Any, index: int, path: Path) -> None:
        self._tried.add(index)
        try:
            self._kept[index] = prefix_cache.kept_state(llama, path)
        except (OSError, ValueError) as exc:  # not kept on disk: prefilled again after other prompts
            log.debug("the prompt prefix state is not kept in memory: %s", exc)

    def _prefix_of(self, messages: Messages) -> int | None:
        """Which fixed start this prompt begins with (an index in ``_prefixes``), if any, while
        prefixes are kept (``keep_prefix``)."""
        if not self.keep_prefix:
            return None
        return next((i for i, p in enumerate(self._prefixes) if prefix_cache.begins_with(messages, p)), None)

    def _prefix_evicted(self, index: int, before: list[int]) -> bool:
        """Whether prefix ``index``, kept, is no longer in the context (``before``): another prompt
        (an answer, a follow-up rewrite, a judge) has taken it since. Putting the kept state back
        costs a copy of a few MB instead of prefilling the system message again (1-2 s on 2 cores)."""
        if index not in self._kept:
            return False
        state = self._kept[index]
        kept = [int(t) for t in state.input_ids[: state.n_tokens]]
        return _common_prefix(before, kept) < len(kept) // 2


def _common_prefix(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


class OpenAICompatibleLLM(StatsMixin):
    """Any server that speaks the OpenAI chat API. Tries JSON-schema output, then plain JSON mode,
    then free text, and remembers what the server accepted."""

    FORMATS = ("json_schema", "json_object_schema", "json_object", "text")

    def __init__(
        self, base_url: str | None, model: str, api_key: str, timeout: float = 45.0, temperature: float = 0.0
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
        self._usage_ok = True  # whether the server accepts stream_options (token counts)

    @property
    def client(self) -> Any:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                base_url=self.base_url, api_key=self.api_key, timeout=self.timeout, max_retries=0
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
                meter = _Meter()
                stream = self.client.chat.completions.create(
                    model=self.model,
                    messages=messages,
                    temperature=self.temperature,
                    max_tokens=max_tokens,
                    stream=True,
                    **({"stream_options": {"include_usage": True}} if self._usage_ok else {}),
                    **kwargs,
                )
                parts: list[str] = []
                usage: Any = None
                for chunk in stream:
                    if getattr(chunk, "usage", None) is not None:  # the last chunk, when the server counts
                        usage = chunk.usage
                        meter.stats.prompt_tokens = int(usage.prompt_tokens or 0)
                        details = getattr(usage, "prompt_tokens_details", None)
                        meter.stats.cached_tokens = int(getattr(details, "cached_tokens", 0) or 0)
                    if not chunk.choices:
                        continue
                    piece = chunk.choices[0].delta.content or ""
                    if piece:
                        meter.tick()
                        parts.append(piece)
                        if on_token:
                            on_token(piece)
                if usage is not None and usage.completion_tokens:
                    meter.stats.generated_tokens = int(usage.completion_tokens)
                self._record(meter.stats)
                return "".join(parts)
            except openai.APITimeoutError as exc:
                raise LLMError(
                    f"the LLM server at {self.base_url} did not answer within {self.timeout:g} s; "
                    "check that it is working, or raise ATTEST_OPENAI_TIMEOUT"
                ) from exc
            except openai.APIConnectionError as exc:
                raise LLMError(
                    f"cannot reach the LLM server at {self.base_url}; start it or fix ATTEST_OPENAI_BASE_URL"
                ) from exc
            except openai.APIStatusError as exc:
                if self._usage_ok and "stream_options" in str(exc):
                    self._usage_ok = False  # an older server: no token counts, ask again without
                    continue
                # Servers reject an output format they lack with 400/422 (llama-cpp-python: 500).
                rejected_format = exc.status_code in (400, 422) or "response_format" in str(exc)
                if schema is None or not rejected_format or self._format_index + 1 >= len(self.FORMATS):
                    raise LLMError(f"the LLM server answered {exc.status_code}: {exc.message}") from exc
                self._format_index += 1  # try the next output format and remember it
