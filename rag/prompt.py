"""Every prompt Attest sends an LLM, with the JSON schema that constrains the reply
(the calls go through rag/llm_json.py).

The answering prompt: the system message never changes, so llama.cpp keeps its tokens cached
from one question to the next and only the evidence and the question are prefilled. The model is
shown numbered verbatim sentences (see :func:`rag.passages.select_evidence`) and writes the
answer in the evidence's words, then the numbers of the sentences that state it. It is never
asked to decide "found or not" before it has written anything, and it does not copy whole
sentences: the quotes it cites are shown verbatim beside its answer.

The others: the claim judge (rag/judge.py), the reranker (rag/rerank.py), the follow-up
rewriter (rag/followup.py) and the evaluation's entailment judge, short answer and
multiple-choice pick (rag/eval_judges.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rag.types import STANCES, VERDICTS, Evidence, Passage

if TYPE_CHECKING:
    from rag.followup import Turn
    from rag.judge import Case

Messages = list[dict[str, str]]

# -- answering (rag/answer.py) ------------------------------------------------------------------
SYSTEM = (
    "You answer questions about the news using only the numbered evidence sentences from articles. "
    'Reply in JSON. "answer": the answer in the evidence\'s own words: a few words (a name, number, date, '
    "place or thing), or one short sentence when the question asks what someone said or why; "
    '"" if the evidence does not answer the question. "cite": the numbers of the evidence sentences '
    "that state the answer. Use no outside knowledge."
)

ANSWER_CHARS = 240  # the grammar ends an answer that runs on


def schema(numbers: list[int]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "answer": {"type": "string", "maxLength": ANSWER_CHARS},
            "cite": {"type": "array", "items": {"type": "integer", "enum": numbers}, "minItems": 1, "maxItems": 3},
        },
        "required": ["answer", "cite"],
    }


def evidence_block(evidence: list[Evidence], dated: bool = True) -> str:
    """Sentences under their article's outlet, date (unless ``dated`` is False) and title, in the
    given order; an article's header is written once for each run of its sentences."""
    lines: list[str] = []
    current = ""
    for item in evidence:
        if item.passage.article.doc_id != current:
            current = item.passage.article.doc_id
            lines.append(f"{item.passage.article.label(dated)}:")
        lines.append(f"[{item.number}] {' '.join(item.sentence.text.split())}")
    return "\n".join(lines)


def messages(question: str, evidence: list[Evidence], dated: bool = True) -> list[dict[str, str]]:
    user = f"{EVIDENCE_HEADER}{evidence_block(evidence, dated)}\n\nQuestion: {question}"
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


EVIDENCE_HEADER = "Evidence:\n"


def prefix_messages() -> list[dict[str, str]]:
    """What every answering prompt starts with: the model's state after it can be kept
    (rag.prefix_cache), so a fresh process does not prefill it again."""
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": EVIDENCE_HEADER}]


def passage_block(passage: Passage) -> str:
    """A passage with its selected sentences (``attest eval``'s multiple-choice prompt)."""
    body = " ".join(s.text.replace("\n", " ") for s in passage.sentences)
    return f"[{passage.number}] ({passage.article.label()}) {body}"


# -- the claim judge (rag/judge.py) ---------------------------------------------------------------
JUDGE_SYSTEM = (
    "You check claims against evidence sentences from news articles. For each claim, label every "
    "evidence sentence: 'supports' if it states the claim, 'contradicts' if it states something "
    "incompatible with the claim (a different number, date, place or person, or that the event did not "
    "happen or was cancelled), otherwise 'unrelated'. Then give the claim a verdict: 'supported', "
    "'contradicted' or 'not_found'. Judge only from the evidence, never from your own knowledge."
)


def judge_schema(cases: Sequence[Case]) -> dict[str, Any]:
    items = []
    for case in cases:
        stance = {"type": "string", "enum": list(STANCES)}
        items.append(
            {
                "type": "object",
                "properties": {
                    "evidence": {
                        "type": "array",
                        "items": stance,
                        "minItems": len(case.evidence),
                        "maxItems": len(case.evidence),
                    },
                    "verdict": {"type": "string", "enum": list(VERDICTS)},
                },
                "required": ["evidence", "verdict"],
            }
        )
    return {
        "type": "object",
        "properties": {
            "claims": {"type": "array", "prefixItems": items, "minItems": len(items), "maxItems": len(items)}
        },
        "required": ["claims"],
    }


def judge_messages(cases: Sequence[Case]) -> Messages:
    blocks = []
    for number, case in enumerate(cases, start=1):
        lines = [f"Claim {number}: {case.claim}"]
        lines += [f"  E{i}: {' '.join(text.split())}" for i, text in enumerate(case.evidence, start=1)]
        blocks.append("\n".join(lines))
    user = "\n\n".join(blocks) + "\n\nLabel each evidence sentence, then give each claim a verdict. Reply in JSON."
    return [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": user}]


# -- the reranker (rag/rerank.py) ---------------------------------------------------------------
RERANK_SYSTEM = (
    "You grade search results for a question about news. For each numbered passage give a grade: "
    "3 = it answers the question, 2 = it is about the question's exact topic, 1 = related, 0 = unrelated."
)


def rerank_messages(query: str, texts: Sequence[str], chars: int) -> Messages:
    """Every text cut to ``chars`` characters, numbered from 1."""
    blocks = "\n".join(f"[{i}] {' '.join(t.split())[:chars]}" for i, t in enumerate(texts, start=1))
    user = f"Question: {query}\n\nPassages:\n{blocks}\n\nGrade every passage, in order. Reply in JSON."
    return [{"role": "system", "content": RERANK_SYSTEM}, {"role": "user", "content": user}]


def rerank_schema(count: int) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "grades": {
                "type": "array",
                "items": {"type": "integer", "enum": [0, 1, 2, 3]},
                "minItems": count,
                "maxItems": count,
            }
        },
        "required": ["grades"],
    }


# -- follow-up questions (rag/followup.py) --------------------------------------------------------
FOLLOWUP_SYSTEM = (
    "You rewrite the last question of a conversation about news articles into one stand-alone question. "
    "Replace pronouns and vague references (he, she, it, they, that, there, the call, the meeting) with the "
    "people, places, organisations and topics they refer to in the conversation. Keep the question's "
    "meaning and wording otherwise. Do not answer it and add nothing that is not in the conversation."
)
FOLLOWUP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"question": {"type": "string"}},
    "required": ["question"],
}


FOLLOWUP_HEADER = "Conversation:\n"


def followup_prefix() -> Messages:
    """What every follow-up rewrite's prompt starts with: kept like the answering prefix."""
    return [{"role": "system", "content": FOLLOWUP_SYSTEM}, {"role": "user", "content": FOLLOWUP_HEADER}]


def followup_messages(question: str, turns: Sequence[Turn], max_answer_chars: int) -> Messages:
    """The conversation (answers cut to ``max_answer_chars`` at a word) and the last question."""
    lines = []
    for turn in turns:
        lines.append(f"User: {turn.question}")
        if turn.answer:
            answer = " ".join(turn.answer.split())
            if len(answer) > max_answer_chars:
                answer = answer[:max_answer_chars].rsplit(" ", 1)[0] + " ..."
            lines.append(f"Assistant: {answer}")
    user = (
        FOLLOWUP_HEADER + "\n".join(lines) + f"\n\nLast question: {question}\n"
        'Reply in JSON: {"question": "<the last question, stand-alone>"}'
    )
    return [{"role": "system", "content": FOLLOWUP_SYSTEM}, {"role": "user", "content": user}]


# -- attest eval (rag/eval_judges.py) -------------------------------------------------------------
ENTAIL_SYSTEM = (
    "You check whether a premise entails a hypothesis. The hypothesis is entailed when the premise, "
    "read on its own, states it or makes it certain; a hypothesis adding facts the premise does not "
    "give is not entailed. Judge only from the premise."
)
ENTAIL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"entailed": {"type": "boolean"}},
    "required": ["entailed"],
}


def entail_messages(premise: str, hypothesis: str) -> Messages:
    user = f"Premise:\n{premise}\n\nHypothesis: {hypothesis}\n\nDoes the premise entail the hypothesis? Reply in JSON."
    return [{"role": "system", "content": ENTAIL_SYSTEM}, {"role": "user", "content": user}]


#: The judge's other style for a short answer (rag/eval_judges.py): answer the question from the
#: premise alone, then compare that answer with the one to check.
READ_ANSWER_SYSTEM = (
    "You answer a question from a passage alone. Copy the shortest phrase of the passage that answers "
    "it (a name, number, place or a few words). If the passage does not answer the question, reply "
    "with an empty answer. Use nothing you know beyond the passage."
)
READ_ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"answer": {"type": "string", "maxLength": 100}},
    "required": ["answer"],
}


def read_answer_messages(premise: str, question: str) -> Messages:
    user = f"Passage:\n{premise}\n\nQuestion: {question}\n\nReply in JSON."
    return [{"role": "system", "content": READ_ANSWER_SYSTEM}, {"role": "user", "content": user}]


SHORT_ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"short_answer": {"type": "string"}},
    "required": ["short_answer"],
}


def short_answer_messages(question: str, body: str) -> Messages:
    user = (
        f"Question: {question}\nAnswer: {body}\n\nCopy the shortest phrase of the answer (a name, number, "
        "place or a few words) that answers the question. Reply in JSON."
    )
    return [{"role": "user", "content": user}]


def choice_letters(count: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(count)]


def choice_messages(question: str, choices: Sequence[str], shown: Sequence[Passage]) -> Messages:
    blocks = "\n".join(passage_block(p) for p in shown) or "(no passages)"
    options = "\n".join(f"{letter}. {choice}" for letter, choice in zip(choice_letters(len(choices)), choices))
    user = (
        f"Passages:\n{blocks}\n\nQuestion: {question}\nOptions:\n{options}\n\n"
        "Pick the option the passages support (if they do not say, the most likely one). Reply in JSON."
    )
    return [{"role": "user", "content": user}]


def choice_schema(letters: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"choice": {"type": "string", "enum": letters}},
        "required": ["choice"],
    }
