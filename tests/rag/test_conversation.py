"""The conversation every interface shares: follow-ups are made stand-alone from the turns so far
(one LLM call, only when needed), answered, and remembered; a rewrite that invents a name falls
back and says so. Scripted LLM, real embedder and Chroma over the seeds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rag.conversation import NOT_FOUND_TURN, Conversation
from rag.engine import build_pipeline, new_conversation
from rag.followup import Turn
from rag.pipeline import Pipeline
from tests.rag.test_answer import _cite_tass
from tests.ui.fakes import extractive_reply

KREMLIN = "What did the Kremlin say about the SCO?"
FOLLOW_UP = "What did they say about Afghanistan?"
STANDALONE = "What did the Kremlin say about Afghanistan?"


def test_follow_up_is_rewritten_from_the_history_and_remembered(
    fake_pipeline: Callable[..., Pipeline], seeds_copy: Path
) -> None:
    pipeline = fake_pipeline(_cite_tass, {"question": STANDALONE}, extractive_reply)
    pipeline.ingest([seeds_copy])
    conversation = new_conversation(pipeline)
    first = conversation.ask(KREMLIN)  # no history: no rewrite call
    assert first.rewrite.method == "unchanged" and first.answer.status == "answered"
    assert conversation.history == [Turn(KREMLIN, first.answer.sentences[0].text)]
    assert conversation.needs_rewrite(FOLLOW_UP) and not conversation.needs_rewrite(KREMLIN)

    second = conversation.ask(FOLLOW_UP)
    assert second.asked == FOLLOW_UP and second.standalone == STANDALONE and second.rewrite.method == "llm"
    assert second.answer.searched.query == STANDALONE
    calls = pipeline.llm.calls  # type: ignore[attr-defined]
    rewrite_prompt = calls[1]["messages"][-1]["content"]
    assert f"User: {KREMLIN}" in rewrite_prompt and "Assistant: " in rewrite_prompt
    assert [t.question for t in conversation.history] == [KREMLIN, STANDALONE]

    conversation.reset()
    assert conversation.history == [] and not conversation.needs_rewrite(FOLLOW_UP)


def test_an_invented_rewrite_falls_back_with_a_note(fake_pipeline: Callable[..., Pipeline], seeds_copy: Path) -> None:
    def answer(messages: list[dict[str, str]]) -> str:
        return json.dumps({"answer": "", "cite": [1]})

    pipeline = fake_pipeline({"question": "What did Erdogan say about Afghanistan?"}, answer)
    pipeline.ingest([seeds_copy])
    history = [Turn(KREMLIN, "The SCO should help fight terrorism.")]
    reply = Conversation(pipeline, history).ask(FOLLOW_UP)
    assert reply.rewrite.method == "fallback"
    assert reply.standalone == f"{FOLLOW_UP} (follow-up to: {KREMLIN})"
    assert any(n.startswith("Follow-up: the rewrite was not used: it brought in Erdogan") for n in reply.answer.notes)


def test_not_found_turns_are_remembered_as_such(fake_pipeline: Callable[..., Pipeline], seeds_copy: Path) -> None:
    pipeline = fake_pipeline()  # "not in the corpus" never calls the LLM
    pipeline.ingest([seeds_copy])
    conversation = Conversation(pipeline)
    reply = conversation.ask("Who won the 2022 World Cup?")
    assert reply.answer.status == "not_found"
    assert conversation.history == [Turn("Who won the 2022 World Cup?", NOT_FOUND_TURN)]


def test_the_engine_reads_settings_and_takes_given_components(settings: Any) -> None:
    sentinel_llm: Any = object()
    pipeline = build_pipeline(settings, llm=sentinel_llm)
    assert pipeline.settings is settings and pipeline.llm is sentinel_llm
    assert pipeline.followup.llm is sentinel_llm  # follow-ups use the same LLM
