"""The evaluation's LLM judges and scorers: ALCE's entailment judge played by an LLM, the short
answer taken from a cited answer, the multiple-choice pick, and how a cited sentence becomes a
claim and a passage a premise."""

from __future__ import annotations

from collections.abc import Sequence

from rag import llm_json, prompt
from rag.citations import is_short
from rag.llm import LLM
from rag.types import Answer, Passage


class LLMEntailment:
    """ALCE's NLI judge, played by an LLM (the local one unless settings name another); answers
    are cached, since precision re-asks the same pairs."""

    def __init__(self, llm: LLM) -> None:
        self.llm = llm
        self.name = llm.name
        self.calls = 0
        self._cache: dict[tuple[str, str], bool] = {}

    def __call__(self, premise: str, hypothesis: str) -> bool:
        key = (premise, hypothesis)
        if key not in self._cache:
            self.calls += 1
            reply = llm_json.ask(self.llm, prompt.entail_messages(premise, hypothesis), prompt.ENTAIL_SCHEMA, 16)
            self._cache[key] = reply.get("entailed") is True
        return self._cache[key]


def short_answer(llm: LLM, question: str, answer: Answer) -> str:
    """The few words of Attest's cited answer that answer the question ('' for 'not in the corpus')."""
    if answer.status != Answer.ANSWERED:
        return ""
    return short_phrase(llm, question, " ".join(s.text for s in answer.sentences))


def short_phrase(llm: LLM, question: str, body: str) -> str:
    """The few words of an answer text that answer the question, as the LLM copies them."""
    reply = llm_json.ask(llm, prompt.short_answer_messages(question, body), prompt.SHORT_ANSWER_SCHEMA, 32)
    value = reply.get("short_answer")
    return value if isinstance(value, str) else ""


def pick_choice(llm: LLM, question: str, choices: Sequence[str], shown: Sequence[Passage]) -> int | None:
    """The option the model picks from the passages (by index), or None if it gives none."""
    letters = prompt.choice_letters(len(choices))
    messages = prompt.choice_messages(question, choices, shown)
    value = llm_json.ask(llm, messages, prompt.choice_schema(letters), 12).get("choice")
    return letters.index(value) if isinstance(value, str) and value in letters else None


def cited_relevance(answer: Answer) -> float | None:
    """How well the best evidence sentence the answer cites matches the question (None: none cited)."""
    cited = {c.number for c in answer.citations}
    values = [e.relevance for e in answer.evidence if e.number in cited]
    return round(max(values), 3) if values else None


def as_claim(question: str, text: str) -> str:
    """What a cited answer sentence claims: itself, or for a short answer ("Bishkek, Kyrgyzstan"),
    that it answers the question (a bare phrase entails nothing on its own)."""
    return f'The answer to the question "{question}" is: {text}.' if is_short(text) else text


def as_premise(passage: Passage) -> str:
    return f"Title: {passage.article.title}\n{passage.text}" if passage.article.title else passage.text


def cited_quotes(answer: Answer) -> list[dict[str, str]]:
    """Each citation of ``answer`` as a report lists it: which article, and the quote."""
    return [
        {
            "title": c.passage.article.title,
            "outlet": c.passage.article.outlet,
            "published_at": c.passage.article.published_at,
            "quote": c.quote.text,
        }
        for c in answer.citations
    ]
