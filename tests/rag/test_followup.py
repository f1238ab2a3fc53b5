"""Follow-up questions: which ones need the conversation, the LLM's stand-alone rewrite, and the
guard that falls back when the rewrite brings in what the conversation never said."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rag.followup import FollowUp, Turn, needs_context
from tests.conftest import FakeLLM

KREMLIN = Turn(
    "What did the Kremlin say about the SCO?",
    "The Kremlin said the SCO should help fight terrorism and drug trafficking.",
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did they say about Afghanistan?", True),
        ("And Pakistan?", True),
        ("What about the drug threat", True),
        ("Why?", True),
        ("When was that?", True),
        ("What did the Kremlin say about the SCO?", False),
        ("When did Pakistan and Russia meet in 2018?", False),
        ("", False),
    ],
)
def test_which_questions_lean_on_the_conversation(question: str, expected: bool) -> None:
    assert needs_context(question) is expected


def test_stand_alone_questions_do_not_call_the_llm() -> None:
    follow_up = FollowUp(FakeLLM())  # any call would fail: nothing is scripted
    assert follow_up.rewrite("What did the Kremlin say about the SCO?", [KREMLIN]).method == "unchanged"
    first = follow_up.rewrite("  What did they   say?  ", [])
    assert (first.standalone, first.method, first.changed) == ("What did they say?", "unchanged", False)


def test_rewrite_uses_the_conversation() -> None:
    llm = FakeLLM([{"question": "What did the Kremlin say about Afghanistan?"}])
    rewrite = FollowUp(llm).rewrite("What did they say about Afghanistan?", [KREMLIN])
    assert rewrite.method == "llm" and rewrite.changed and rewrite.note == ""
    assert rewrite.standalone == "What did the Kremlin say about Afghanistan?"
    prompt = llm.prompt
    assert "User: What did the Kremlin say about the SCO?" in prompt
    assert "Assistant: The Kremlin said the SCO should help" in prompt
    assert "Last question: What did they say about Afghanistan?" in prompt
    assert llm.calls[0]["schema"]["required"] == ["question"] and llm.calls[0]["max_tokens"] == 96


def test_only_recent_turns_and_short_answers_are_sent() -> None:
    history = [Turn(f"Question number {n} about Pakistan?", "word " * 200) for n in range(5)]
    llm = FakeLLM([{"question": "What did Pakistan say about the meeting?"}])
    FollowUp(llm, max_turns=2, max_answer_chars=100).rewrite("What did they say about it?", history)
    prompt = llm.prompt
    assert "Question number 3" in prompt and "Question number 4" in prompt and "Question number 2" not in prompt
    assert all(len(line) <= len("Assistant: ") + 104 for line in prompt.splitlines() if line.startswith("Assistant:"))


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        ({"question": "What did Biden say?"}, "it brought in Biden,"),
        ({"question": "What did the Kremlin say in 2019?"}, "it brought in 2019"),
        ('{"question": ', "empty or unreadable"),
        ({"question": ""}, "empty or unreadable"),
        ({"question": "What did the Kremlin say? " * 40}, "far longer than a question"),
    ],
)
def test_a_bad_rewrite_falls_back_to_the_question_with_its_context(reply: Any, problem: str) -> None:
    rewrite = FollowUp(FakeLLM([reply])).rewrite("What did they say?", [KREMLIN])
    assert rewrite.method == "fallback" and problem in rewrite.note
    assert rewrite.standalone == "What did they say? (follow-up to: What did the Kremlin say about the SCO?)"


def test_names_from_the_answer_are_allowed() -> None:
    history = [Turn("Who spoke by phone on Wednesday?", "Vladimir Putin spoke with Imran Khan.")]
    reply = json.dumps({"question": "What did Putin and Khan agree on?"})
    rewrite = FollowUp(FakeLLM([reply])).rewrite("What did they agree on?", history)
    assert rewrite.method == "llm" and rewrite.standalone == "What did Putin and Khan agree on?"


def test_max_turns_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_turns"):
        FollowUp(FakeLLM(), max_turns=0)


@pytest.mark.slow
def test_the_real_model_rewrites_a_follow_up(real_llm: Any) -> None:
    rewrite = FollowUp(real_llm).rewrite("What did they say about Afghanistan?", [KREMLIN])
    assert rewrite.method == "llm", rewrite.note
    words = rewrite.standalone.lower()
    assert "kremlin" in words and "afghanistan" in words and " they " not in f" {words} "
