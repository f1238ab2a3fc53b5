"""The eval's ALCE judge styles (rag/eval_judges.py) with a scripted LLM: a short answer's
hypothesis read as a question, other hypotheses labelled, caching and the style check."""

from __future__ import annotations

import json

import pytest

from rag.eval_judges import LLMEntailment, as_claim
from tests.conftest import FakeLLM

PREMISE = "Title: Tuition\nHarvard University said on Tuesday it will stop giving student loans."
QUESTION = "Which Ivy League school announced it will eliminate student loans?"


def read_reply(answer: str) -> str:
    return json.dumps({"answer": answer})


def test_read_style_answers_the_question_and_compares() -> None:
    llm = FakeLLM([read_reply("Harvard University")])
    judge = LLMEntailment(llm, "read")
    assert judge(PREMISE, as_claim(QUESTION, "Harvard"))
    assert not judge(PREMISE, as_claim(QUESTION, "Cornell"))  # the same reading, from the cache
    assert len(llm.calls) == 1 and judge.calls == 1
    assert "Question: " + QUESTION in llm.prompt and "answer" in llm.calls[0]["schema"]["properties"]
    assert judge.name == "fake-llm (read)"


def test_read_style_says_no_when_the_passage_answers_nothing() -> None:
    judge = LLMEntailment(FakeLLM([read_reply(""), {"entailed": True}]), "read")
    assert not judge(PREMISE, as_claim(QUESTION, "Harvard"))
    # a sentence, not a short answer, is labelled as before
    assert judge(PREMISE, "Harvard University will stop giving student loans.")


def test_either_style_asks_the_label_when_the_reading_disagrees() -> None:
    llm = FakeLLM([read_reply("Harvard"), {"entailed": True}])
    judge = LLMEntailment(llm, "either")
    assert judge(PREMISE, as_claim(QUESTION, "Ivy League school Harvard"))  # the reading is inside it
    assert judge(PREMISE, as_claim(QUESTION, "the first Ivy League school"))  # the label says yes
    assert [list(c["schema"]["properties"]) for c in llm.calls] == [["answer"], ["entailed"]]


def test_label_style_and_an_unknown_style() -> None:
    llm = FakeLLM([{"entailed": False}])
    assert not LLMEntailment(llm, "label")(PREMISE, as_claim(QUESTION, "Harvard"))
    assert "Hypothesis: " in llm.prompt
    with pytest.raises(ValueError, match="use one of label, read, either"):
        LLMEntailment(llm, "vibes")
