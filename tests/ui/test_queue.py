"""Concurrent questions through the web API: every one is answered, each waiting one is told its
place in the queue, and with an OpenAI-compatible backend several are answered at once (the
local LLM takes one at a time)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import serve
from tests.ui.fakes import NewsroomLLM

QUESTION = "What did Khan and Putin discuss about Afghanistan?"


class CountingLLM(NewsroomLLM):
    """Records how many answers are being written at the same moment."""

    def __init__(self) -> None:
        super().__init__(token_delay=0.02)
        self.active = 0
        self.most = 0
        self.lock = threading.Lock()

    def complete(self, *args: Any, **kwargs: Any) -> str:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            return super().complete(*args, **kwargs)
        finally:
            with self.lock:
                self.active -= 1


def ask_together(url: str, users: int) -> list[dict[str, Any]]:
    from gradio_client import Client

    client = Client(url, verbose=False)
    jobs = [client.submit(QUESTION, "", "", "", "", api_name="/ask") for _ in range(users)]
    ranks: list[list[int]] = [[] for _ in jobs]
    while not all(job.done() for job in jobs):
        for n, job in enumerate(jobs):
            rank = job.status().rank
            if rank is not None and not job.done():
                ranks[n].append(int(rank))
        time.sleep(0.02)
    return [{"reply": job.result(), "ranks": seen} for job, seen in zip(jobs, ranks)]


@pytest.mark.parametrize(("backend", "parallel"), [("local", False), ("openai", True)])
def test_concurrent_questions_are_all_answered_and_shown_their_place(
    tmp_path: Path, real_embedder: Any, backend: str, parallel: bool
) -> None:
    llm = CountingLLM()
    app = serve(tmp_path, llm, real_embedder, judge_answers=False, llm_backend=backend)
    try:
        results = ask_together(app.url, 6)
    finally:
        app.close()
    assert all(r["reply"]["status"] in ("answered", "not_found") for r in results)  # every one got its reply
    assert any(max(r["ranks"], default=0) >= 1 for r in results)  # someone waited, and was told where
    assert (llm.most > 1) is parallel
