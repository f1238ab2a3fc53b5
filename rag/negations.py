"""Negation: the words that say something did not happen, the phrases whose negation word negates
nothing, the word a negation denies, and whether it sits in the clause that states a claim.
Shared by the structured comparison (:mod:`rag.claims_compare`) and the judges' guards
(:mod:`rag.judge`, :mod:`rag.nli_judge`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag import lexical

#: Words that say something did not happen (or stopped happening).
NEGATIONS = frozenset(
    lexical.stem(w)
    for w in """not no never without nor n't cannot refrained refrain failed fail denied deny denies
    rejected reject refused refuse cancelled canceled cancel scrapped halted suspended""".split()
)
#: Phrases whose negation negates nothing ("not only", "there's no denying", the bound "no more
#: than"), names ("not guilty", "no-fly", "a no-hitter"), "No." before a numeral, and a participle
#: that describes a thing, not what it did ("a failing water plant").
_NOT_NEGATING = re.compile(
    r"\b(?:not (?:only|just|merely|simply)|no (?:doubt|denying|exception|wonder)|not[- ]guilty|no[- ]contest|"
    r"(?:no|not) (?:more|less|fewer|later|earlier|longer|sooner) than|"  # a bound: "for no more than 30 days"
    r"(?:a|an|the|its|their|his|her|this|that)\s+failing|"
    r"not[- ]for[- ]profit|no (?:fly|confidence|go)|(?:cannot|can['\u2019]t) help but)\b"
    r"|\bno(?:t[- ]so)?-(?=[a-z])"  # a compound: "a no-hitter", "no-show", "a not-so-subtle hint"
    r"|\bno\.(?=\s*\d)",  # "ranked No. 49": the number, not a negation
    re.IGNORECASE,
)
#: A negation and the word it denies: "No punitive compensation was awarded", "was not in the courtroom",
#: "has not yet entered a plea", "threatened to not accept its results".
_DENIED = re.compile(
    r"\b(?:no|not|never|without)\s+(?:(?:in|at|on|the|a|an|any|be|been|yet|even|ever|also)\s+){0,2}([A-Za-z][\w-]*)",
    re.I,
)


#: "declined to comment" says it did not happen ("had no comment"); "sales declined 5%", "declined to
#: a record low", "declined to close at $50" are falls.
_DECLINED_TO = re.compile(
    r"\bdeclin(?:e|es|ed|ing)\s+to(?=\s+(?!(?:a|an|the|its|their|his|her|about|around|roughly|nearly|almost|"
    r"just|under|below|less|more|levels?|lows?|close|end|finish|settle|trade)\b)[a-z])",
    re.IGNORECASE,
)


#: "It's yet to be determined", "has yet to enter a plea": not done so far.
_YET_TO = re.compile(r"\b(is|are|was|were|has|have|had|\w+['\u2019]s)\s+yet\s+to\b", re.I)


def unnegated(text: str) -> str:
    """``text`` without the phrases whose negation word negates nothing ("not only", "no doubt"),
    "declined to" said as "did not" and "has yet to" as "has not"."""
    return _YET_TO.sub(r"\1 not", _DECLINED_TO.sub("did not", _NOT_NEGATING.sub(" ", text)))


def denied(text: str) -> set[str]:
    """The (stemmed) words a negation in ``text`` denies: {"courtroom"} for "He was not in the courtroom"."""
    return {lexical.stem(m.group(1)) for m in _DENIED.finditer(unnegated(text))}


def in_main_clause(text: str, starts: list[int], claim_stems: Sequence[str | bool], span: range, k: int) -> bool:
    """Whether word ``k`` of ``text`` (its words start at ``starts``; ``claim_stems[i]`` is word
    i's stem when it is one of the claim's words, else false) sits in the clause of ``span`` that
    holds the most of the claim's words, a tie included: in "... no longer supports Argo, a company
    it invested $1 billion in" the investment is stated after the comma, not under the negation."""

    def clause_of(i: int) -> int:
        return max(text.rfind(mark, 0, starts[i]) for mark in lexical.CLAUSE_MARKS)

    held: dict[int, set[str]] = {}
    for i in span:
        stem = claim_stems[i]
        if i != k and isinstance(stem, str):
            held.setdefault(clause_of(i), set()).add(stem)
    mine = len(held.get(clause_of(k), set()))
    return mine > 0 and mine >= max(len(words) for words in held.values())
