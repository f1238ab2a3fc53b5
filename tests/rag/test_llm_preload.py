"""Loading the local model while retrieval runs (LlamaCppLLM.preload, Pipeline.warm_up).

The unit tests replace llama_cpp.Llama with a slow stand-in; the last test uses the packaged model.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from index.settings import Settings
from rag.llm import LlamaCppLLM
from rag.pipeline import Pipeline
from rag.types import Answer


class SlowLlama:
    """Counts how often, and on which thread, a model is constructed; takes ``delay`` to load."""

    made: list[str] = []
    delay = 0.3
    fail = False

    def __init__(self, **_: Any) -> None:
        time.sleep(self.delay)
        if SlowLlama.fail:
            raise ValueError("failed to load model from file")
        SlowLlama.made.append(threading.current_thread().name)

    def create_completion(self, *_: Any, **__: Any) -> dict[str, Any]:
        return {}

    def _init_sampler(self, **_: Any) -> None:
        return None


@pytest.fixture
def slow_llama(monkeypatch: pytest.MonkeyPatch) -> type[SlowLlama]:
    import llama_cpp

    SlowLlama.made, SlowLlama.fail = [], False
    monkeypatch.setattr(llama_cpp, "Llama", SlowLlama)
    return SlowLlama


def make_llm() -> LlamaCppLLM:
    return LlamaCppLLM(lambda: Path("model.gguf"), "slow")


def test_preload_loads_once_on_its_own_thread_and_a_later_load_waits_for_it(slow_llama: type[SlowLlama]) -> None:
    llm = make_llm()
    started = time.perf_counter()
    thread = llm.preload()
    assert thread is not None and time.perf_counter() - started < slow_llama.delay  # it did not block
    assert llm.preload() is None  # already loading: no second thread
    with llm._lock:  # what complete() does: it waits for the load under way, then uses its model
        model = llm._load()
    assert isinstance(model, SlowLlama)
    assert slow_llama.made == ["attest-llm-load"]
    assert llm.preload() is None  # loaded


def test_a_failed_preload_is_reported_by_the_load_that_needs_the_model(slow_llama: type[SlowLlama]) -> None:
    slow_llama.fail = True
    llm = make_llm()
    thread = llm.preload()
    assert thread is not None
    thread.join()  # the thread swallowed the error: nothing was loaded
    assert llm._llama is None
    with pytest.raises(ValueError, match="failed to load"), llm._lock:
        llm._load()


class PreloadingLLM:
    """Records when it was asked to preload, relative to the retrieval the answer starts with."""

    name = "recording"

    def __init__(self, events: list[str]) -> None:
        self.events = events

    def preload(self) -> None:
        self.events.append("preload")

    def complete(self, *_: Any, **__: Any) -> str:
        self.events.append("complete")
        return '{"answer": "", "cite": [1]}'

    last_stats = None


def test_an_answer_starts_loading_the_model_before_it_retrieves(settings: Settings, real_embedder: Any) -> None:
    from tests.conftest import SEEDS

    events: list[str] = []
    pipeline = Pipeline(settings, embedder=real_embedder, llm=PreloadingLLM(events))
    pipeline.ingest([SEEDS])
    search = pipeline.retriever.search

    def recorded(*args: Any, **kwargs: Any) -> Any:
        events.append("search")
        return search(*args, **kwargs)

    pipeline.retriever.search = recorded  # type: ignore[method-assign]
    answer = pipeline.ask("Who won the 2022 World Cup?")  # not in the corpus, without an LLM call
    assert answer.status != Answer.ANSWERED
    assert events[:2] == ["preload", "search"] and "complete" not in events


def test_the_packaged_model_loads_while_retrieval_runs(tmp_path: Path, real_embedder: Any) -> None:
    """A fresh pipeline with the real default model: the first answer's model was loaded by the
    preload thread (overlapping retrieval), and the answer is the same kind as ever."""
    from rag import models
    from tests.conftest import SEEDS

    settings = Settings(data_dir=tmp_path)
    llm = models.make_llm(settings)
    assert isinstance(llm, LlamaCppLLM)
    pipeline = Pipeline(settings, embedder=real_embedder, llm=llm)
    pipeline.ingest([SEEDS])
    answer = pipeline.ask("Where did Imran Khan meet Putin informally?")
    assert llm._loading is not None and not llm._loading.is_alive()
    assert answer.status == Answer.ANSWERED, answer.notes
    assert "Bishkek" in answer.text
