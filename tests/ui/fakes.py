"""A scripted LLM for the UI tests that answers any question the way the real one is asked to:
it copies the evidence sentence that shares most words with the question and cites its number,
rewrites follow-ups by a given table, and as the judge accepts every quote (the citation
validator's lexical and embedding checks still apply). Deterministic and instant."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from rag import lexical
from tests.rag.test_answer import _cite_tass

_EVIDENCE = re.compile(r"^\[(\d+)\] (.*)$", re.M)


def extractive_reply(messages: list[dict[str, str]]) -> str:
    """The evidence sentence sharing most words with the question, as the answer citing it."""
    prompt = messages[-1]["content"]
    question = prompt.rsplit("Question:", 1)[-1].split("\n", 1)[0]
    if "kremlin" in question.lower() and "SCO" in question and "TASS" in prompt:
        return _cite_tass(messages)
    wanted = lexical.content_words(question)
    best: tuple[int, int, str] | None = None
    for number, sentence in _EVIDENCE.findall(prompt):
        score = len(wanted & lexical.content_words(sentence))
        if best is None or score > best[0]:
            best = (score, int(number), sentence.strip())
    if best is None or best[0] == 0:
        return json.dumps({"answer": "", "cite": [1]})
    return json.dumps({"answer": best[2], "cite": [best[1]]})


class NewsroomLLM:
    """Answers extractively; rewrites a follow-up with ``rewrites[question]`` (or echoes it).
    Streams its reply 8 characters at a time, ``token_delay`` seconds apart."""

    name = "scripted-newsroom-llm"

    def __init__(self, rewrites: dict[str, str] | None = None, token_delay: float = 0.0) -> None:
        self.rewrites = dict(rewrites or {})
        self.token_delay = token_delay
        self.calls: list[dict[str, Any]] = []

    def complete(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any] | None = None,
        max_tokens: int = 256,
        on_token: Callable[[str], None] | None = None,
    ) -> str:
        self.calls.append({"messages": messages, "schema": schema})
        prompt = messages[-1]["content"]
        if schema and "claims" in schema.get("properties", {}):  # the judge: accept every quote
            items = schema["properties"]["claims"]["prefixItems"]
            claims = [
                {"evidence": ["supports"] * item["properties"]["evidence"]["minItems"], "verdict": "supported"}
                for item in items
            ]
            text = json.dumps({"claims": claims})
        elif "Last question:" in prompt:
            question = prompt.rsplit("Last question:", 1)[1].split("\n", 1)[0].strip()
            text = json.dumps({"question": self.rewrites.get(question, question)})
        else:
            text = extractive_reply(messages)
        if on_token:
            for piece in re.findall(r".{1,8}", text, flags=re.S):
                on_token(piece)
                time.sleep(self.token_delay)
        return text
