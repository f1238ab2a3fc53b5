"""Claims that need two sentences of one article: "Hurricane Roslyn made landfall in Nayarit, and
its winds had dropped to about 70 mph by Sunday afternoon" is stated by "Roslyn made landfall ...
in northern Nayarit state, whipping maximum sustained winds of 120 mph" and, two sentences later,
"Maximum sustained winds have decreased to near 70 mph ..., the hurricane center said Sunday
afternoon". No single sentence (or adjacent pair) states it, and the first even sets 120 mph
against it.

Such a claim joins two statements ("..., and ...", "...; ...", "... and its/is/has ..."). Two
evidence windows of the same article may state it together when each holds one of them; the
claim checker (:mod:`rag.check`) then judges the two windows joined, with the same judge and guard
as any window. Windows that merely share the claim's words are not joined: that would let a claim
borrow its subject from one sentence and its verb from another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rag import lexical

#: Where a claim joins two statements: a comma or semicolon with a conjunction, or "and" before a
#: pronoun or an auxiliary that starts a second predicate ("... and is worth", "... and its winds").
_JOIN = re.compile(
    r",\s+(?:and|but|while|whereas)\s+|;\s+|\s+and\s+(?=(?:its|his|her|their|it|he|she|they|is|was|are|were|has|"
    r"had|have|will|would|did)\b)"
)
#: Share of a statement's content words a window must hold to count as stating that part.
COVERS = 0.6


def conjuncts(claim: str) -> tuple[str, str] | None:
    """The two statements ``claim`` joins, each of at least three words, or None."""
    match = _JOIN.search(claim)
    if not match:
        return None
    first, second = claim[: match.start()].strip(), claim[match.end() :].strip()
    if len(first.split()) < 3 or len(second.split()) < 3:
        return None
    return first, second


def pairs(
    claim: str, evidence: Sequence[str], sources: Sequence[str], aliases: Mapping[str, str] | None = None
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of evidence windows of the same source (``sources[i] ==
    sources[j]``), neither holding the other, where one covers the claim's first statement and the
    other its second (:data:`COVERS` of their content words), best covered first."""
    parts = conjuncts(claim)
    if parts is None:
        return []
    known = dict(aliases or {})
    cover = [[lexical.recall(part, text, known) for part in parts] for text in evidence]
    found: dict[tuple[int, int], float] = {}
    for i, j in ((i, j) for i in range(len(evidence)) for j in range(len(evidence)) if i != j):
        if sources[i] != sources[j] or evidence[i] in evidence[j] or evidence[j] in evidence[i]:
            continue
        if cover[i][0] >= COVERS and cover[j][1] >= COVERS:
            key = (min(i, j), max(i, j))
            found[key] = max(found.get(key, 0.0), cover[i][0] + cover[j][1])
    return sorted(found, key=lambda pair: -found[pair])
