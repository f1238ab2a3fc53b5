"""rag.prefix_cache without the model: a state file that does not load is rebuilt, never trusted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from rag import prefix_cache


class FakeLlama:
    """Records what the cache does with it; its 'state' is the evaluated token ids."""

    def __init__(self) -> None:
        self.evaluated: list[list[dict[str, str]]] = []
        self.loaded: Any = None
        self.resets = 0

    def create_chat_completion(self, messages: list[dict[str, str]], **_: Any) -> dict[str, Any]:
        self.evaluated.append(messages)
        return {}

    def save_state(self) -> Any:
        from llama_cpp import LlamaState

        ids = np.zeros(16, dtype=np.intc)
        ids[:3] = [7, 8, 9]
        return LlamaState(ids, np.zeros((3, 4), dtype=np.single), 3, b"kv-bytes", 8, 42)

    def load_state(self, state: Any) -> None:
        self.loaded = state

    def reset(self) -> None:
        self.resets += 1

    def n_ctx(self) -> int:
        return 16

    def n_vocab(self) -> int:
        return 4


PREFIX = [{"role": "system", "content": "Answer from the evidence."}, {"role": "user", "content": "Evidence:\n"}]


def test_built_once_then_restored(tmp_path: Path) -> None:
    path = tmp_path / "prefix.npz"
    first = FakeLlama()
    assert prefix_cache.restore_or_build(first, PREFIX, path) == "built"
    assert first.evaluated == [PREFIX] and path.exists()
    second = FakeLlama()
    assert prefix_cache.restore_or_build(second, PREFIX, path) == "restored"
    assert second.evaluated == []  # nothing prefilled again
    assert list(second.loaded.input_ids[:3]) == [7, 8, 9] and second.loaded.n_tokens == 3
    assert second.loaded.llama_state == b"kv-bytes" and second.loaded.seed == 42


def test_a_damaged_file_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "prefix.npz"
    path.write_bytes(b"not a saved state")
    llama = FakeLlama()
    assert prefix_cache.restore_or_build(llama, PREFIX, path) == "built"
    assert llama.resets == 1 and llama.evaluated == [PREFIX]
    assert prefix_cache.restore_or_build(FakeLlama(), PREFIX, path) == "restored"


def test_the_file_name_changes_with_the_prefix_and_the_model(tmp_path: Path) -> None:
    model = tmp_path / "model.gguf"
    model.write_bytes(b"weights")
    one = prefix_cache.state_path(tmp_path, PREFIX, model, 4096, 512)
    assert one == prefix_cache.state_path(tmp_path, PREFIX, model, 4096, 512)
    assert one != prefix_cache.state_path(tmp_path, [PREFIX[0]], model, 4096, 512)
    assert one != prefix_cache.state_path(tmp_path, PREFIX, model, 2048, 512)
    model.write_bytes(b"other weights")
    assert one != prefix_cache.state_path(tmp_path, PREFIX, model, 4096, 512)
