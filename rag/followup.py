"""Follow-up questions become stand-alone questions before retrieval.

"What did he say about Afghanistan?" retrieves nothing useful on its own. When a question looks
like it leans on the conversation (a pronoun, "what about ...", very short), the LLM rewrites it
with the names and topics of the previous turns. The rewrite is checked: it may not bring in a
name, number or date that neither the conversation nor the question contains; if it does (or the
reply is unreadable), the question is searched together with the previous question instead.
A question that does not need the conversation is used as it is, without an LLM call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag import lexical, llm_json, prompt
from rag.llm import LLM
from rag.llm_json import JsonReply

# Words that point back into the conversation ("that", "this" and "there" only as whole words).
ANAPHORA = frozenset(
    """he him his she her hers they them their theirs it its this that these those there then such
    former latter same else other""".split()
)
OPENERS = ("and ", "but ", "so ", "also ", "what about", "how about", "what else", "why?", "when?", "where?", "how?")
_WORD = re.compile(r"[A-Za-z0-9']+")


@dataclass(frozen=True)
class Turn:
    """One finished exchange: the (stand-alone) question asked and the answer's plain text."""

    question: str
    answer: str = ""


@dataclass(frozen=True)
class Rewrite:
    question: str  # as typed
    standalone: str  # what is searched and answered
    method: str  # "unchanged", "llm" or "fallback"
    note: str = ""

    @property
    def changed(self) -> bool:
        return self.standalone != self.question


def needs_context(question: str) -> bool:
    """Whether ``question`` probably refers back to earlier turns."""
    text = " ".join(question.lower().split())
    if not text:
        return False
    if text.startswith(OPENERS):
        return True
    tokens = _WORD.findall(text)
    if len(tokens) <= 3:
        return True
    return any(token in ANAPHORA for token in tokens)


class FollowUp:
    """Rewrites follow-up questions with ``llm`` (one short, schema-constrained call)."""

    def __init__(self, llm: LLM, max_turns: int = 3, max_answer_chars: int = 400, max_tokens: int = 96) -> None:
        if max_turns < 1:
            raise ValueError("max_turns must be at least 1")
        self.llm = llm
        self.max_turns = max_turns
        self.max_answer_chars = max_answer_chars
        self.max_tokens = max_tokens

    def rewrite(self, question: str, history: Sequence[Turn]) -> Rewrite:
        question = " ".join(question.split())
        if not history or not needs_context(question):
            return Rewrite(question, question, "unchanged")
        turns = list(history)[-self.max_turns :]
        messages = prompt.followup_messages(question, turns, self.max_answer_chars)
        reply = llm_json.ask(self.llm, messages, prompt.FOLLOWUP_SCHEMA, self.max_tokens)
        candidate = _read(reply)
        problem = self._problem(candidate, question, turns)
        if problem is None:
            return Rewrite(question, candidate, "llm")
        previous = turns[-1].question
        fallback = f"{question} (follow-up to: {previous})"
        return Rewrite(question, fallback, "fallback", f"the rewrite was not used: {problem}")

    @staticmethod
    def _problem(candidate: str, question: str, turns: Sequence[Turn]) -> str | None:
        if not candidate:
            return "the model's reply was empty or unreadable"
        if len(candidate) > 3 * len(question) + 200:
            return "the model's reply was far longer than a question"
        known = " ".join([question, *(t.question for t in turns), *(t.answer for t in turns)])
        known_names = {n.lower() for n in lexical.names(known)} | {w.lower() for w in _WORD.findall(known)}
        invented = sorted(
            n for n in lexical.names(candidate) | set(re.findall(r"\d+", candidate)) if n.lower() not in known_names
        )
        if invented:
            return f"it brought in {', '.join(invented)}, which the conversation does not mention"
        return None


def _read(reply: JsonReply) -> str:
    """The rewritten question: the reply's "question", or a reply that is plain text ('' if neither)."""
    if reply.data is not None:
        value = reply.data.get("question")
        return " ".join(value.split()) if isinstance(value, str) else ""
    text = reply.raw.strip()
    return " ".join(text.split()) if text and "{" not in text else ""
