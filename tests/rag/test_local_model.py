"""The packaged model's optional Q4_0 requantization: made once, verified by its stamp, loadable."""

from __future__ import annotations

import pytest

from index.settings import Settings
from rag import local_model, models
from rag.local_model import ModelError

pytestmark = pytest.mark.slow


def test_q4_0_is_made_once_and_answers() -> None:
    cache = Settings().model_cache_dir
    path = local_model.ensure_quant(cache, "q4_0")
    assert path.name == "qwen2.5-coder-1.5b-instruct-q4_0.gguf" and path.stat().st_size > 500_000_000
    stamp = path.stat().st_mtime_ns
    assert local_model.ensure_quant(cache, "q4_0") == path and path.stat().st_mtime_ns == stamp  # not redone
    llm = models.make_llm(Settings(local_quant="q4_0"))
    assert "Q4_0" in llm.name
    reply = llm.complete([{"role": "user", "content": "Reply with the word yes."}], max_tokens=4)
    assert reply.strip()


def test_an_unknown_quantization_is_refused_with_the_choices() -> None:
    with pytest.raises(ModelError, match="use one of q4_k_m, q4_0"):
        local_model.ensure_quant(Settings().model_cache_dir, "q2")
