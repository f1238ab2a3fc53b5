"""The evaluation's LLM judges and scorers: ALCE's entailment judge played by an LLM, the short
answer taken from a cited answer, the multiple-choice pick, and how a cited sentence becomes a
claim and a passage a premise."""

from __future__ import annotations

from collections.abc import Sequence

from rag import llm_json, metrics, prompt
from rag.citations import is_short
from rag.llm import LLM
from rag.types import Answer, Passage


class LLMEntailment:
    """ALCE's NLI judge, played by an LLM (the local one unless settings name another); answers
    are cached, since precision re-asks the same pairs.

    ``quote_first``: the model first copies the premise's sentence that states the hypothesis,
    then gives its label, and a "yes" counts only when that sentence is in the premise (a small
    model that must point at its reason says "yes" to a passage that merely shares the topic
    less often; bench/alce_judge.py measures both styles)."""

    def __init__(self, llm: LLM, quote_first: bool = False) -> None:
        self.llm = llm
        self.quote_first = quote_first
        self.name = llm.name + (", quote first" if quote_first else "")
        self.calls = 0
        self._cache: dict[tuple[str, str], bool] = {}

    def __call__(self, premise: str, hypothesis: str) -> bool:
        key = (premise, hypothesis)
        if key not in self._cache:
            self.calls += 1
            self._cache[key] = self._ask(premise, hypothesis)
        return self._cache[key]

    def _ask(self, premise: str, hypothesis: str) -> bool:
        messages = prompt.entail_messages(premise, hypothesis, self.quote_first)
        if not self.quote_first:
            return llm_json.ask(self.llm, messages, prompt.ENTAIL_SCHEMA, 16).get("entailed") is True
        reply = llm_json.ask(self.llm, messages, prompt.ENTAIL_QUOTE_SCHEMA, QUOTE_TOKENS)
        quote = reply.get("quote")
        return reply.get("entailed") is True and isinstance(quote, str) and quoted_from(quote, premise)


QUOTE_TOKENS = 160  # a long news sentence, then the label


def quoted_from(quote: str, premise: str) -> bool:
    """Whether ``quote`` is (nearly) a copy of part of ``premise``: its normalised text occurs
    in it, or 80% of its words do (a small model drops or adds a word or a punctuation mark)."""
    said = metrics.normalize_answer(quote)
    if not said:
        return False
    source = metrics.normalize_answer(premise)
    if said in source:
        return True
    words = said.split()
    present = set(source.split())
    return len(words) >= 3 and sum(w in present for w in words) >= 0.8 * len(words)


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
