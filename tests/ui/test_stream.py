"""Streaming: the sentences of a half-written JSON reply, and a blocking call's tokens as they come."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest

from ui.stream import partial_sentences, stream_call

REPLY = json.dumps(
    {
        "sentences": [
            {"text": 'The Kremlin said "the SCO" matters.', "citations": [1]},
            {"text": "Caf\u00e9 talks \u2014 then a pause.", "citations": [2]},
        ],
    },
    ensure_ascii=True,
)
ANSWER = json.dumps({"answer": 'Bishkek, "Kyrgyzstan" \u2014 caf\u00e9', "cite": [3]}, ensure_ascii=True)


def test_every_prefix_of_a_reply_reads_as_a_prefix_of_its_sentences() -> None:
    full = ['The Kremlin said "the SCO" matters.', "Caf\u00e9 talks \u2014 then a pause."]
    for cut in range(len(REPLY) + 1):
        got = partial_sentences(REPLY[:cut])
        assert got is not None and len(got) <= 2
        for seen, whole in zip(got, full):
            assert whole.startswith(seen), (cut, seen)
    assert partial_sentences(REPLY) == full


def test_every_prefix_of_an_answer_reply_reads_as_a_prefix_of_the_answer() -> None:
    whole = 'Bishkek, "Kyrgyzstan" \u2014 caf\u00e9'
    for cut in range(len(ANSWER) + 1):
        got = partial_sentences(ANSWER[:cut])
        assert got is not None and len(got) <= 1 and all(whole.startswith(seen) for seen in got), (cut, got)
    assert partial_sentences(ANSWER) == [whole]


def test_an_empty_token_asks_for_an_update_before_any_text() -> None:
    release = threading.Event()

    def call(on_token: Callable[[str], None]) -> str:
        on_token("")  # e.g. the evidence was found
        release.wait(5)
        return "done"

    steps = stream_call(call, interval=0.01)
    first = next(steps)
    assert first.raw == "" and not first.done  # yielded while the call still runs
    release.set()
    assert list(steps)[-1].result == "done"


def test_replies_that_are_not_json_are_shown_as_they_come() -> None:
    assert partial_sentences("") == [] and partial_sentences("   ") == []
    assert partial_sentences("The answer is") is None


def test_stream_call_yields_text_then_the_result() -> None:
    release = threading.Event()

    def call(on_token: Callable[[str], None]) -> str:
        on_token('{"found": true, "sentences": [{"text": "The')
        release.wait(5)
        on_token(' Kremlin"')
        return "finished"

    steps = stream_call(call, interval=0.01)
    first = next(steps)
    assert first.raw.endswith('"The') and not first.done  # shown before the call returns
    release.set()
    rest = list(steps)
    assert rest[-1].done and rest[-1].result == "finished" and rest[-1].raw.endswith('The Kremlin"')
    assert all(not step.done for step in rest[:-1])


def test_stream_call_limits_updates_and_passes_errors_on() -> None:
    def chatty(on_token: Callable[[str], None]) -> int:
        for _ in range(200):
            on_token("x")
            time.sleep(0.001)
        return 200

    steps = list(stream_call(chatty, interval=0.05))
    assert steps[-1].result == 200 and steps[-1].raw == "x" * 200
    assert len(steps) < 20  # batched, not one update per token

    def failing(on_token: Callable[[str], None]) -> None:
        on_token("{")
        raise ValueError("the model stopped")

    with pytest.raises(ValueError, match="the model stopped"):
        list(stream_call(failing, interval=0.01))
