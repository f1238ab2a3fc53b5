"""The CPU budget: background batches wait while foreground work runs, in threads and processes."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from index.cpu import CpuBudget
from index.embedding import MiniLMOnnxEmbedder


@contextmanager
def answering(budget: CpuBudget) -> Iterator[None]:
    """Another thread holds the foreground (an answer under way) until the block ends."""
    release, entered = threading.Event(), threading.Event()

    def foreground() -> None:
        with budget.foreground():
            entered.set()
            release.wait(30)

    thread = threading.Thread(target=foreground)
    thread.start()
    entered.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join(10)


def test_a_background_batch_waits_while_another_thread_answers(tmp_path: Path) -> None:
    budget = CpuBudget(tmp_path / "cpu.lock")
    order: list[str] = []
    worker = threading.Thread(target=lambda: _one_batch(budget, order))
    with answering(budget):
        worker.start()
        worker.join(0.5)
        order.append("answer done")
    worker.join(10)
    assert order == ["answer done", "batch"]


def _one_batch(budget: CpuBudget, order: list[str]) -> None:
    with budget.background_turn():
        order.append("batch")


def test_the_answering_thread_itself_never_waits_and_nesting_is_fine(tmp_path: Path) -> None:
    budget = CpuBudget(tmp_path / "cpu.lock")
    with budget.foreground():
        # e.g. Pipeline.ask around the LLM's own foreground, then its own embedding: no wait, no deadlock
        with budget.foreground(), budget.background_turn():
            assert budget.in_foreground
        assert budget.in_foreground
    assert not budget.in_foreground


def test_another_process_answering_holds_back_this_ingest(tmp_path: Path) -> None:
    lock, marker = tmp_path / "cpu.lock", tmp_path / "answer-finished"
    script = (
        "import sys, time; sys.path.insert(0, sys.argv[1]); from pathlib import Path; from index.cpu import CpuBudget\n"
        "with CpuBudget(Path(sys.argv[2])).foreground():\n"
        "    print('in', flush=True); time.sleep(1); Path(sys.argv[3]).write_text('done')\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    answering = subprocess.Popen(
        [sys.executable, "-c", script, root, str(lock), str(marker)], stdout=subprocess.PIPE, text=True
    )
    assert answering.stdout is not None and answering.stdout.readline().strip() == "in"
    with CpuBudget(lock).background_turn():
        assert marker.exists()  # the batch ran only once the other process's answer was over
    answering.wait(10)


def test_no_lock_path_coordinates_nothing() -> None:
    budget = CpuBudget(None)
    with budget.foreground(), budget.background_turn():
        assert budget.in_foreground


def test_the_embedder_runs_its_batches_in_the_background(tmp_path: Path) -> None:
    budget = CpuBudget(tmp_path / "cpu.lock")
    embedder = MiniLMOnnxEmbedder(batch_size=2, budget=budget)
    embedder.embed(["warm up"])
    done: list[np.ndarray] = []
    ingest = threading.Thread(target=lambda: done.append(embedder.embed(["a text", "another", "a third one"])))
    with answering(budget):
        ingest.start()
        time.sleep(0.5)
        assert done == []  # its first batch waits for the answer
    ingest.join(30)
    assert len(done) == 1 and done[0].shape == (3, embedder.dimension)


def test_answers_that_never_pause_do_not_starve_an_ingest(tmp_path: Path) -> None:
    budget = CpuBudget(tmp_path / "cpu.lock")
    stop = threading.Event()
    answers: list[int] = []

    def answering() -> None:  # back-to-back answers in two threads, always one under way
        while not stop.is_set():
            with budget.foreground():
                time.sleep(0.05)
                answers.append(1)

    threads = [threading.Thread(target=answering) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    batches: list[int] = []

    def ingest() -> None:
        for _ in range(3):
            with budget.background_turn():
                batches.append(1)

    worker = threading.Thread(target=ingest)
    worker.start()
    worker.join(60)  # without the turnstile the overlapping answers would hold it off for ever
    stop.set()
    for thread in threads:
        thread.join(10)
    assert not worker.is_alive() and len(batches) == 3 and answers


def test_two_budgets_on_one_lock_know_this_thread_is_answering(tmp_path: Path) -> None:
    """A pipeline handed another pipeline's embedder: its answer must not wait for itself."""
    lock = tmp_path / "cpu.lock"
    answering_budget, embedder_budget = CpuBudget(lock), CpuBudget(lock)
    finished: list[bool] = []

    def answer() -> None:
        with answering_budget.foreground(), embedder_budget.background_turn():
            finished.append(True)

    worker = threading.Thread(target=answer)
    worker.start()
    worker.join(20)
    assert finished == [True] and not worker.is_alive()
