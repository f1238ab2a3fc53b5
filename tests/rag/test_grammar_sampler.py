"""rag/grammar_sampler.py on the packaged model: the lazy grammar check writes exactly what the
library's sampler writes, and refuses the model's favourite token only where the grammar must."""

from __future__ import annotations

from typing import Any

from rag import llm_json, prompt

MESSAGES = [
    {"role": "system", "content": "Answer from the evidence, in JSON, citing the evidence numbers."},
    {
        "role": "user",
        "content": "Evidence:\n[1] TASS, 2019-06-10: The Kremlin said the SCO should use its capabilities to "
        "ensure regional stability.\n[2] TASS, 2019-06-10: Peskov said the summit in Bishkek would discuss "
        "the fight against terrorism.\n\nQuestion: What did the Kremlin say about the SCO?",
    },
]


def test_the_lazy_grammar_check_writes_what_the_library_sampler_writes(real_llm: Any) -> None:
    schema = prompt.schema([1, 2])
    replies = {}
    for lazy in (False, True):
        real_llm.fast_grammar = lazy
        replies[lazy] = llm_json.ask(real_llm, MESSAGES, schema, 80).raw
    real_llm.fast_grammar = True
    assert replies[True] == replies[False]
    assert llm_json.read(replies[True]).data is not None  # valid JSON under the schema
    sampler = real_llm._llama.grammar_sampler
    assert sampler.steps > 5 and sampler.full_passes < sampler.steps
