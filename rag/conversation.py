"""A conversation: earlier turns + a new question -> a stand-alone question -> a cited answer.

Every interface (the terminal chat, the web UI, the OpenAI-compatible API) answers follow-ups the
same way: the question is rewritten from the conversation when it leans on it (rag/followup.py;
no LLM call when it does not), the stand-alone question is answered by the pipeline, and the turn
is remembered as the next question's context.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.answer import MAX_QUESTION_CHARS, OnEvidence
from rag.followup import FollowUp, Rewrite, Turn, needs_context
from rag.llm import OnToken
from rag.types import Answer, Filters

if TYPE_CHECKING:
    from rag.pipeline import Pipeline

NOT_FOUND_TURN = "(not in the corpus)"


@dataclass
class Reply:
    """One answered turn: the question as asked, how it was read, and the answer."""

    asked: str
    rewrite: Rewrite
    answer: Answer

    @property
    def standalone(self) -> str:
        """What was searched and answered."""
        return self.rewrite.standalone


def answer_gist(answer: Answer) -> str:
    """An answer as the follow-up rewriter reads it: its supported sentences, without markers."""
    if answer.status != Answer.ANSWERED:
        return NOT_FOUND_TURN
    return " ".join(s.text for s in answer.sentences if s.supported) or NOT_FOUND_TURN


class Conversation:
    """Answers questions over ``pipeline`` in the context of the turns so far.

    ``history`` seeds the conversation (an interface that keeps its own record, such as the web
    UI's state or an API client's message list, hands it in); each :meth:`ask` appends its turn.
    """

    def __init__(self, pipeline: Pipeline, history: Iterable[Turn] = (), followup: FollowUp | None = None) -> None:
        self.pipeline = pipeline
        self.history: list[Turn] = list(history)
        self._followup = followup

    @property
    def followup(self) -> FollowUp:
        if self._followup is None:
            self._followup = self.pipeline.followup
        return self._followup

    def needs_rewrite(self, question: str) -> bool:
        """Whether :meth:`rewrite` will ask the LLM (the question leans on earlier turns)."""
        return bool(self.history) and needs_context(question)

    def rewrite(self, question: str) -> Rewrite:
        """The question made stand-alone from the conversation (unchanged when it already is)."""
        question = " ".join(question.split())
        if not self.needs_rewrite(question) or len(question) > MAX_QUESTION_CHARS:  # the answerer refuses it
            return Rewrite(question, question, "unchanged")
        return self.followup.rewrite(question, self.history)

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        top_k: int | None = None,
        on_token: OnToken | None = None,
        on_evidence: OnEvidence | None = None,
        rewrite: Rewrite | None = None,
    ) -> Reply:
        """Answer ``question`` in context (``rewrite``: one already made by :meth:`rewrite`)."""
        rewrite = rewrite or self.rewrite(question)
        answer = self.pipeline.ask(rewrite.standalone, filters, top_k=top_k, on_token=on_token, on_evidence=on_evidence)
        if rewrite.note:
            answer.notes.append(f"Follow-up: {rewrite.note}.")
        self.history.append(Turn(rewrite.standalone, answer_gist(answer)))
        return Reply(rewrite.question, rewrite, answer)

    def reset(self) -> None:
        self.history.clear()
