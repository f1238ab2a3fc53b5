"""The one helper for LLM calls that return JSON: the lenient read and the call itself."""

from __future__ import annotations

from typing import Any

import pytest

from rag import llm_json
from tests.conftest import FakeLLM


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"answer": "Europe", "cite": [1]}', {"answer": "Europe", "cite": [1]}),
        ('  Sure! {"grades": [3, 0]} Hope this helps.', {"grades": [3, 0]}),
        ('```json\n{"question": "Who?"}\n```', {"question": "Who?"}),
        ('[{"entailed": true}]', {"entailed": True}),  # a list around the object: the object
        ('{"answer": "a } b"}', {"answer": "a } b"}),
        ('{"answer": "Eur', None),  # cut off
        ("not json at all", None),
        ("} {", None),
        ('"{\\"a\\": 1}"', None),  # a JSON string holding an object is not an object
        ('{"a": 1} {"b": 2}', None),  # two objects: neither is the reply
        ("", None),
    ],
)
def test_parse_object_reads_the_object_between_the_first_and_last_brace(
    raw: str, expected: dict[str, Any] | None
) -> None:
    assert llm_json.parse_object(raw) == expected
    reply = llm_json.read(raw)
    assert reply.raw == raw and reply.data == expected


def test_get_is_none_for_a_missing_field_or_object() -> None:
    assert llm_json.read('{"choice": "B"}').get("choice") == "B"
    assert llm_json.read('{"choice": "B"}').get("other") is None
    assert llm_json.read("B").get("choice") is None


def test_ask_sends_messages_schema_and_budget_and_streams_when_asked() -> None:
    schema = {"type": "object", "properties": {"entailed": {"type": "boolean"}}}
    llm = FakeLLM(['{"entailed": true}', 'The answer is {"entailed": false}.'])
    messages = [{"role": "user", "content": "Premise: ..."}]
    assert llm_json.ask(llm, messages, schema, 16).data == {"entailed": True}
    assert llm.calls[0] == {"messages": messages, "schema": schema, "max_tokens": 16}
    pieces: list[str] = []
    reply = llm_json.ask(llm, messages, schema, 8, on_token=pieces.append)
    assert reply.get("entailed") is False and "".join(pieces) == reply.raw


def test_ask_does_not_pass_on_token_to_a_backend_that_was_not_given_one() -> None:
    class NoStreaming:
        name = "no-streaming"

        def complete(self, messages: Any, schema: Any = None, max_tokens: int = 256) -> str:
            return '{"question": "What did the Kremlin say?"}'

    assert llm_json.ask(NoStreaming(), [], {}, 4).get("question") == "What did the Kremlin say?"  # type: ignore[arg-type]
