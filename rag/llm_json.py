"""Every LLM call that wants JSON goes through :func:`ask`: messages and a JSON schema in, the
reply's object out.

The backend constrains the output where it can (rag/llm.py: llama.cpp turns the schema into a
grammar; an OpenAI-compatible server gets the ``json_schema`` response format, then
``json_object`` with and without the schema, then plain text, as far as the server accepts).
Whatever comes back is read leniently (:func:`parse_object`): the object is the text from the
reply's first ``{`` to its last ``}``, so prose or a code fence around it does not matter. A
reply with no readable object gives ``data=None`` and the stage decides what that means (an
unchanged order, "not found", the free-text fallback); ``raw`` keeps the text for those that
read free text. ``on_token`` streams the reply's pieces as they are generated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rag.llm import LLM, Messages, OnToken


@dataclass(frozen=True)
class JsonReply:
    raw: str  # the model's text
    data: dict[str, Any] | None  # the JSON object in it, None when there is no readable one

    def get(self, key: str) -> Any:
        """A field of the object (None when it or the object is missing)."""
        return None if self.data is None else self.data.get(key)


def parse_object(raw: str) -> dict[str, Any] | None:
    """The JSON object between the reply's first ``{`` and last ``}``; None if there is none, it
    does not parse, or it is not an object."""
    start, end = raw.find("{"), raw.rfind("}")
    if start == -1 or end < start:
        return None
    try:
        data = json.loads(raw[start : end + 1])
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def read(raw: str) -> JsonReply:
    return JsonReply(raw, parse_object(raw))


def ask(
    llm: LLM, messages: Messages, schema: dict[str, Any], max_tokens: int, on_token: OnToken | None = None
) -> JsonReply:
    """One schema-constrained completion, read leniently."""
    if on_token is None:
        raw = llm.complete(messages, schema=schema, max_tokens=max_tokens)
    else:
        raw = llm.complete(messages, schema=schema, max_tokens=max_tokens, on_token=on_token)
    return read(raw)
