"""Loading the local model ahead of the first question (LlamaCppLLM.preload, Pipeline.warm_up).

The unit tests replace llama_cpp.Llama with a slow stand-in; the last test uses the packaged model.
"""

from __future__ import annotations

import subprocess
import sys
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


def test_a_warmed_up_pipeline_answers_with_the_model_its_thread_loaded(tmp_path: Path, real_embedder: Any) -> None:
    """What ``attest serve`` does at start, with the real default model: the model is loaded on the
    warm-up thread, and the first answer uses it."""
    from rag import models
    from tests.conftest import SEEDS

    settings = Settings(data_dir=tmp_path)
    llm = models.make_llm(settings)
    assert isinstance(llm, LlamaCppLLM)
    pipeline = Pipeline(settings, embedder=real_embedder, llm=llm)
    pipeline.ingest([SEEDS])
    pipeline.warm_up()
    assert llm._loading is not None
    llm._loading.join()
    assert llm._llama is not None
    answer = pipeline.ask("Where did Imran Khan meet Putin informally?")
    assert answer.status == Answer.ANSWERED, answer.notes
    assert "Bishkek" in answer.text


LOAD_WHILE_PRINTING = """
import sys, time
from pathlib import Path
from index.settings import Settings
from rag import models

llm = models.make_llm(Settings(data_dir=Path(sys.argv[1])))
thread = llm.preload()
printed = 0
while thread.is_alive():
    print(f"tick {printed}", flush=True)
    print(f"tock {printed}", file=sys.stderr, flush=True)
    printed += 1
    time.sleep(0.005)
assert llm._llama is not None, "the model did not load"
print(f"printed {printed}", flush=True)
"""


def test_loading_the_model_on_a_thread_leaves_the_rest_of_the_process_its_output(tmp_path: Path) -> None:
    """`attest serve` loads the model on a thread while it starts: what the server prints meanwhile
    ("Attest is serving on ...") must reach the terminal (llama-cpp-python pointed stdout and stderr
    at /dev/null for the whole process while a model loaded)."""
    from tests.conftest import ROOT

    done = subprocess.run(
        [sys.executable, "-c", LOAD_WHILE_PRINTING, str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    printed = int(done.stdout.split("printed ")[-1])
    assert printed > 0
    assert done.stdout.count("tick ") == printed and done.stderr.count("tock ") == printed
    assert "llama_model_loader" not in done.stderr  # llama.cpp's own messages stay in the debug log
