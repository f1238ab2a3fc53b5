"""Shared fixtures: a scripted fake LLM that records its prompts, a deterministic embedder,
isolated settings, and (session-wide, loaded once) the real default LLM and embedder."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import index  # noqa: F401  (offline defaults before any vendor import)
from index.embedding import MiniLMOnnxEmbedder
from index.settings import Settings
from rag.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


class FakeLLM:
    """Returns scripted replies in order (or from a function of the prompt) and records prompts."""

    name = "fake-llm"

    def __init__(self, replies: Sequence[str | dict[str, Any] | Callable[[list[dict[str, str]]], str]] = ()) -> None:
        self.replies = list(replies)
        self.calls: list[dict[str, Any]] = []

    def complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any] | None = None,
        max_tokens: int = 256,
        on_token: Callable[[str], None] | None = None,
    ) -> str:
        self.calls.append({"messages": messages, "schema": schema, "max_tokens": max_tokens})
        if not self.replies:
            raise AssertionError("FakeLLM called more often than scripted")
        reply = self.replies.pop(0)
        text = reply(messages) if callable(reply) else reply if isinstance(reply, str) else json.dumps(reply)
        if on_token:
            for piece in re.findall(r".{1,8}", text, flags=re.S):
                on_token(piece)
        return text

    @property
    def prompt(self) -> str:
        return self.calls[-1]["messages"][-1]["content"]


class HashEmbedder:
    """Deterministic bag-of-words vectors: texts sharing words are close. For fast unit tests."""

    name = "hash-embedder"
    dimension = 256

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-12, None)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", model_cache_dir=tmp_path / "models")


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def real_embedder() -> MiniLMOnnxEmbedder:
    return MiniLMOnnxEmbedder()


@pytest.fixture(scope="session")
def real_llm() -> Any:
    """The real default LLM (assembled from the PyPI parts, loaded once for the session)."""
    from rag import models

    return models.make_llm(Settings())


@pytest.fixture
def fake_pipeline(settings: Settings, real_embedder: MiniLMOnnxEmbedder) -> Callable[..., Pipeline]:
    def make(*replies: Any, judge_answers: bool = False, **overrides: Any) -> Pipeline:
        """A pipeline whose LLM plays ``replies`` in order; answers are judged only when asked
        (then the judge's call takes the next reply). ``overrides`` change other settings."""
        configured = settings.model_copy(update={"judge_answers": judge_answers, **overrides})
        return Pipeline(configured, embedder=real_embedder, llm=FakeLLM(replies))

    return make


def sigint_reaches_child() -> None:
    """``preexec_fn`` for a child process that a test interrupts with SIGINT: a runner started in
    the background (``cmd &``, nohup, some CI shells) ignores SIGINT, its children inherit that, and
    Python then installs no KeyboardInterrupt handler; this restores the default before exec."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
