"""The evaluation's LLM judges and scorers: ALCE's entailment judge played by an LLM, the short
answer taken from a cited answer, the multiple-choice pick, and how a cited sentence becomes a
claim and a passage a premise."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag import llm_json, metrics, prompt
from rag.containment import is_short
from rag.llm import LLM
from rag.types import Answer, Passage

#: How the judge reads a short answer's hypothesis ('The answer to the question "Q" is: X.'):
#: "label": entailed or not, as for any sentence; "read": it answers Q from the premise alone and
#: X must agree with what it read (metrics.answers_agree); "either": one of the two says yes.
#: Any other hypothesis is judged by label. bench/alce_judge.py measures each on known pairs.
JUDGE_STYLES = ("label", "read", "either")
_SHORT_CLAIM = re.compile(r'^The answer to the question "(?P<question>.*)" is: (?P<answer>.*)\.$', re.DOTALL)


class LLMEntailment:
    """ALCE's NLI judge, played by an LLM (the local one unless settings name another); answers
    are cached, since precision re-asks the same pairs. ``style``: see :data:`JUDGE_STYLES`."""

    def __init__(self, llm: LLM, style: str = "label") -> None:
        if style not in JUDGE_STYLES:
            raise ValueError(f"unknown judge style {style!r}; use one of {', '.join(JUDGE_STYLES)}")
        self.llm = llm
        self.style = style
        self.name = llm.name if style == "label" else f"{llm.name} ({style})"
        self.calls = 0
        self._cache: dict[tuple[str, str], bool] = {}
        self._read: dict[tuple[str, str], str] = {}

    def __call__(self, premise: str, hypothesis: str) -> bool:
        key = (premise, hypothesis)
        if key not in self._cache:
            short = _SHORT_CLAIM.match(hypothesis)
            if short is None or self.style == "label":
                self._cache[key] = self._label(premise, hypothesis)
            else:
                read = self.read(premise, short["question"])
                agree = metrics.answers_agree(read, short["answer"])
                self._cache[key] = agree or (self.style == "either" and self._label(premise, hypothesis))
        return self._cache[key]

    def _label(self, premise: str, hypothesis: str) -> bool:
        self.calls += 1
        reply = llm_json.ask(self.llm, prompt.entail_messages(premise, hypothesis), prompt.ENTAIL_SCHEMA, 16)
        return reply.get("entailed") is True

    def read(self, premise: str, question: str) -> str:
        """The answer to ``question`` the judge reads in ``premise`` ('' when it reads none)."""
        key = (premise, question)
        if key not in self._read:
            self.calls += 1
            messages = prompt.read_answer_messages(premise, question)
            value = llm_json.ask(self.llm, messages, prompt.READ_ANSWER_SCHEMA, 40).get("answer")
            self._read[key] = value.strip() if isinstance(value, str) else ""
        return self._read[key]

    def readings(self, question: str) -> list[str]:
        """What the judge has read so far in answer to ``question``, one per premise."""
        return [answer for (_, asked), answer in self._read.items() if asked == question]


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
