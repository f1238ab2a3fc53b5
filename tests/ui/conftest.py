"""Fixtures of the UI tests: a served app over the seeds (scripted LLM, real embedder), and a
Chromium page per test whose every request is checked to stay on this machine."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from index.embedding import MiniLMOnnxEmbedder
from index.settings import Settings
from rag.llm import LLM
from rag.pipeline import Pipeline
from tests.conftest import SEEDS
from tests.index.test_store_server import free_port
from tests.ui import browser
from tests.ui.fakes import NewsroomLLM
from ui.server import launch

FOLLOW_UPS = {"What did they say about Afghanistan?": "What did the Kremlin say about Afghanistan?"}


class Served:
    """One running app: its address, pipeline and where its files are."""

    def __init__(self, pipeline: Pipeline, seeds: Path) -> None:
        self.pipeline = pipeline
        self.seeds = seeds
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.demo = launch(pipeline, host="127.0.0.1", port=self.port, block=False)

    def close(self) -> None:
        self.demo.close()


def serve(folder: Path, llm: LLM, embedder: Any, **settings: Any) -> Served:
    seeds = folder / "seeds"
    shutil.copytree(SEEDS, seeds)
    configured = Settings(data_dir=folder / "data", model_cache_dir=folder / "models", **settings)
    pipeline = Pipeline(configured, embedder=embedder, llm=llm)
    pipeline.ingest([seeds])
    return Served(pipeline, seeds)


@pytest.fixture(scope="module")
def served_app(tmp_path_factory: pytest.TempPathFactory, real_embedder: MiniLMOnnxEmbedder) -> Iterator[Served]:
    """The app over the seeds with the scripted LLM (it streams, slowly enough to be seen)."""
    app = serve(
        tmp_path_factory.mktemp("ui"), NewsroomLLM(FOLLOW_UPS, token_delay=0.01), real_embedder, judge_answers=False
    )
    yield app
    app.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        profile = tempfile.mkdtemp(prefix="attest-chromium-")
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=browser.chromium_path(),
            headless=True,
            args=browser.FLAGS,
            viewport={"width": 1400, "height": 1000},
            accept_downloads=True,
        )
        context.set_default_timeout(browser.ANSWER_TIMEOUT_MS)  # behaviour, not speed: see browser.py
        yield context
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def open_page(chromium: Any) -> Iterator[Callable[[str], Any]]:
    """``open_page(url)``: a fresh tab on ``url``; after the test, no request may have left
    127.0.0.1/localhost."""
    pages: list[Any] = []
    log = browser.RequestLog()

    def open_(url: str) -> Any:
        page = chromium.new_page()
        log.attach(page)
        pages.append(page)
        page.goto(url)
        return page

    yield open_
    for page in pages:
        page.close()
    assert log.urls, "the page made no requests at all"
    assert log.foreign() == [], f"the page made non-local requests: {log.foreign()}"
