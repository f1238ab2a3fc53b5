"""Greedy decoding under a JSON-schema grammar at the cost of plain greedy decoding.

llama-cpp-python's sampler chain applies the grammar to every token of the vocabulary (151,936
for Qwen2.5) before it takes the most likely one, at every step: on 2 cores that halves the
generation speed of a schema-constrained answer (bench/grammar_speed.py). For greedy decoding the
same token comes out of a cheaper order, the one llama.cpp's own ``common_sampler`` uses: take the
most likely token, ask the grammar about that one token, and only if the grammar refuses it
apply the grammar to the whole vocabulary. The result is identical, token for token (the most
likely token the grammar allows is the most likely token, whenever the grammar allows it).

:func:`install` hooks this into one ``Llama`` object: ``Llama.generate`` builds its sampler
through ``_init_sampler``, which is wrapped to return :class:`GreedyGrammarSampler` when the
request is greedy, has a grammar and asks for nothing else (penalties, logits processors); every
other request gets the library's own chain. llama-cpp-python is pinned in pyproject.toml, and a
test compares the two samplers' output on the packaged model.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["GreedyGrammarSampler", "install"]


class GreedyGrammarSampler:
    """The sampler ``Llama.sample`` calls (``sample(ctx, idx)``): greedy, grammar checked lazily."""

    def __init__(self, llama: Any, grammar: Any) -> None:
        import llama_cpp

        self._lib = llama_cpp
        self._ctx = llama._ctx
        self.n_vocab = int(llama._n_vocab)
        self._grammar = llama_cpp.llama_sampler_init_grammar(
            llama._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
        )
        if not self._grammar:
            raise ValueError("llama.cpp could not parse the grammar")
        self._one = (llama_cpp.llama_token_data * 1)()
        self._all = (llama_cpp.llama_token_data * self.n_vocab)()
        fields = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)
        self._table = np.frombuffer(memoryview(self._all), dtype=fields)  # a numpy view of the same memory
        self.full_passes = 0  # steps where the grammar refused the most likely token
        self.steps = 0

    def _apply(self, data: Any, size: int) -> None:
        array = self._lib.llama_token_data_array(data, size, -1, False)
        self._lib.llama_sampler_apply(self._grammar, ctypes.byref(array))

    def sample(self, ctx: Any, idx: int = -1) -> int:
        pointer = self._lib.llama_get_logits_ith(ctx.ctx, idx)
        logits = np.ctypeslib.as_array(pointer, shape=(self.n_vocab,))
        token = int(np.argmax(logits))
        self._one[0] = self._lib.llama_token_data(token, float(logits[token]), 0.0)
        self._apply(self._one, 1)
        if not np.isfinite(self._one[0].logit):  # refused: the grammar decides among every token
            self.full_passes += 1
            self._table["id"] = np.arange(self.n_vocab, dtype=np.intc)
            self._table["logit"] = logits
            self._table["p"] = 0.0
            self._apply(self._all, self.n_vocab)
            token = int(np.argmax(self._table["logit"]))
        self._lib.llama_sampler_accept(self._grammar, token)
        self.steps += 1
        return token

    def close(self) -> None:
        if self._grammar:
            self._lib.llama_sampler_free(self._grammar)
            self._grammar = None

    def __del__(self) -> None:
        self.close()


def install(llama: Any, enabled: Callable[[], bool] = lambda: True) -> None:
    """Make greedy, grammar-constrained requests to ``llama`` use :class:`GreedyGrammarSampler`
    (while ``enabled()``: bench/grammar_speed.py compares both)."""
    original = llama._init_sampler

    def init_sampler(**options: Any) -> Any:
        plain = (
            enabled()
            and options.get("temp") == 0.0
            and options.get("grammar") is not None
            and options.get("logits_processor") is None
            and options.get("repeat_penalty", 1.0) == 1.0
            and options.get("frequency_penalty", 0.0) == 0.0
            and options.get("presence_penalty", 0.0) == 0.0
            and options.get("mirostat_mode", 0) == 0
        )
        if plain:
            llama.grammar_sampler = GreedyGrammarSampler(llama, options["grammar"])
            return llama.grammar_sampler
        return original(**options)

    llama._init_sampler = init_sampler
