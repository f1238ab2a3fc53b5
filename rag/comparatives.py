"""Comparisons that point the other way: "menu prices rose faster than overall inflation" against
"menu prices rose 7.6%, less than overall inflation". A claim and a sentence that compare with the
same thing ("than overall inflation") in opposite directions (more, higher, faster against less,
lower, slower) state it differently, whatever their figures.
"""

from __future__ import annotations

import re

from rag import lexical

REVERSED = "the source compares the other way"
_UP = frozenset("more higher faster greater larger bigger above over stronger longer".split())
_DOWN = frozenset("less lower slower smaller fewer below under weaker shorter".split())
#: A comparative and what it compares with: "faster than overall inflation", "less than a third".
_COMPARED = re.compile(r"\b([a-z]+)\s+than\s+((?:[\w'\u2019%$.-]+\s*){1,3})", re.IGNORECASE)


def comparisons(text: str) -> set[tuple[int, frozenset[str]]]:
    """(+1 or -1, the stemmed content words of what it is compared with) for each comparison."""
    found = set()
    for match in _COMPARED.finditer(text):
        word = match.group(1).lower()
        direction = 1 if word in _UP else -1 if word in _DOWN else 0
        target = frozenset(lexical.content_words(match.group(2)))
        if direction and target:
            found.add((direction, target))
    return found


def reversed_comparison(claim: str, evidence: str) -> str:
    """A mismatch when ``evidence`` compares with what the claim compares with, the other way
    ("faster than overall inflation" against "less than overall inflation"); "" otherwise."""
    theirs = comparisons(evidence)
    for direction, target in comparisons(claim):
        if any(d == -direction and target & other for d, other in theirs) and not any(
            d == direction and target & other for d, other in theirs
        ):
            return REVERSED
    return ""
