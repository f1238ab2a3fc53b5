"""The optional LLM reranker, with a scripted LLM that records its prompt."""

import json
from pathlib import Path

import pytest

from rag.pipeline import Pipeline
from rag.rerank import LLMReranker
from tests.conftest import FakeLLM


def test_candidates_are_reordered_by_grade_ties_keep_their_order() -> None:
    llm = FakeLLM([{"grades": [1, 3, 1, 0]}])
    reranker = LLMReranker(llm, candidates=4)
    items = [("alpha text", "a"), ("beta text", "b"), ("gamma text", "c"), ("delta text", "d"), ("tail", "e")]
    assert reranker.rerank("which?", items) == ["b", "a", "c", "d", "e"]
    schema = llm.calls[0]["schema"]["properties"]["grades"]
    assert schema["minItems"] == schema["maxItems"] == 4  # only the head is graded
    assert "[2] beta text" in llm.prompt and "tail" not in llm.prompt and "Question: which?" in llm.prompt


@pytest.mark.parametrize("reply", ['{"grades": [3]}', "not json", '{"grades": ["x", 1]}', '{"other": 1}'])
def test_an_unreadable_reply_keeps_the_fused_order(reply: str) -> None:
    reranker = LLMReranker(FakeLLM([reply]), candidates=3)
    assert reranker.rerank("q", [("one", 1), ("two", 2)]) == [1, 2]


def test_bad_settings_and_a_single_candidate() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        LLMReranker(FakeLLM(), candidates=1)
    assert LLMReranker(FakeLLM(), candidates=5).rerank("q", [("only", 1)]) == [1]  # no LLM call


def test_pipeline_reranks_only_when_settings_ask(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    def grade_last_best(messages):  # type: ignore[no-untyped-def]
        count = messages[-1]["content"].count("\n[")
        return json.dumps({"grades": [0] * (count - 1) + [3]})

    plain: Pipeline = fake_pipeline()
    plain.ingest([seeds_copy])
    fused = plain.retriever.search("Putin Khan phone call Afghanistan", 4)
    assert plain.retriever.reranker is None and plain.llm.calls == []  # type: ignore[attr-defined]

    reranked: Pipeline = fake_pipeline(grade_last_best, rerank="llm", rerank_candidates=4)
    hits = reranked.retriever.search("Putin Khan phone call Afghanistan", 4)
    assert len(reranked.llm.calls) == 1  # type: ignore[attr-defined]
    assert hits[0].chunk_id == fused[3].chunk_id and [h.chunk_id for h in hits[1:]] == [h.chunk_id for h in fused[:3]]
