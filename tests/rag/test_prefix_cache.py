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


def test_a_prompt_begins_with_the_prefix_when_its_last_message_is_begun() -> None:
    prompt = [PREFIX[0], {"role": "user", "content": "Evidence:\n[1] The summit was held in Bishkek."}]
    assert prefix_cache.begins_with(prompt, PREFIX)
    assert not prefix_cache.begins_with([{"role": "system", "content": "Check claims."}, prompt[1]], PREFIX)
    assert not prefix_cache.begins_with([PREFIX[0], {"role": "user", "content": "Claim: ..."}], PREFIX)
    assert not prefix_cache.begins_with([PREFIX[0]], PREFIX) and not prefix_cache.begins_with(prompt, [])


class ContextLlama:
    """A context whose evaluated tokens are whatever the last prompt put there (the first four of
    an answering prompt are the prefix's); counts the states loaded into it."""

    def __init__(self) -> None:
        self._input_ids = np.zeros(16, dtype=np.intc)
        self.n_tokens = 0
        self.loads = 0

    def run(self, ids: list[int]) -> None:
        self._input_ids[: len(ids)] = ids
        self.n_tokens = len(ids)

    def load_state(self, state: Any) -> None:
        self.loads += 1
        self.run(list(state.input_ids[: state.n_tokens]))


def test_the_prefix_is_put_back_only_after_another_prompt_took_the_context() -> None:
    from llama_cpp import LlamaState

    from rag.llm import LlamaCppLLM

    llm = LlamaCppLLM(lambda: Path("model.gguf"), "fake", prefix=PREFIX)
    kept = np.zeros(16, dtype=np.intc)
    kept[:6] = [1, 2, 3, 4, 5, 6]  # the prefix's tokens: system message, "Evidence:", end of turn
    llm._kept = {0: LlamaState(kept, np.zeros((1, 4), dtype=np.single), 6, b"kv", 2, 0)}
    answering = [PREFIX[0], {"role": "user", "content": "Evidence:\n[1] A fact.\n\nQuestion: What?"}]
    judging = [{"role": "system", "content": "Check claims."}, {"role": "user", "content": "Claim: ..."}]
    llama = ContextLlama()
    llama.run([1, 2, 3, 4, 9, 9, 9])  # the last answer: the prefix up to where the user's text went on
    assert llm._prefix_of(answering) == 0 and llm._prefix_of(judging) is None  # a judge's prompt has no prefix
    assert not llm._prefix_evicted(0, list(llama._input_ids[: llama.n_tokens]))
    llama.run([1, 7, 7, 7])  # a judge's prompt since
    assert llm._prefix_evicted(0, list(llama._input_ids[: llama.n_tokens]))
    llm.keep_prefix = False  # nothing is put back
    assert llm._prefix_of(answering) is None


def test_a_prompt_is_matched_to_the_fixed_start_it_begins_with() -> None:
    from rag.llm import LlamaCppLLM

    rewrite = [{"role": "system", "content": "Rewrite the question."}, {"role": "user", "content": "Conversation:\n"}]
    llm = LlamaCppLLM(lambda: Path("model.gguf"), "fake", prefix=PREFIX, more_prefixes=[rewrite])
    answering = [PREFIX[0], {"role": "user", "content": "Evidence:\n[1] A fact.\n\nQuestion: What?"}]
    rewriting = [rewrite[0], {"role": "user", "content": "Conversation:\nUser: Who?\n\nLast question: And he?"}]
    assert llm._prefix_of(answering) == 0 and llm._prefix_of(rewriting) == 1
    assert llm._prefix_of([{"role": "system", "content": "Check claims."}]) is None
    llm.keep_prefix = False
    assert llm._prefix_of(answering) is None
