"""A cause the claim gives ("caused by a power surge", "because of a scheduling conflict") must be
stated too: a sentence that holds the rest of the claim's words but not its cause does not state
it ("the main pumps ... were severely damaged ... without elaborating on the damage" against "The
damage to the main pumps was caused by a power surge"). :func:`rag.claims_compare.compare` lists
an unstated cause beside the other unstated details.
"""

from __future__ import annotations

import re

from rag import lexical

#: A phrase that introduces a cause, and what follows it up to the end of its clause.
_CAUSE = re.compile(r"\b(?:caused by|because(?: of)?|due to|as a result of|blamed on|triggered by)\s+([^,;:.]+)", re.I)
#: Share of the cause's content words the evidence must hold.
CAUSE_RECALL = 0.5


def unstated_cause(claim: str, evidence: str) -> str | None:
    """The claim's cause that ``evidence`` does not state (fewer than half of its content words
    are there), or None."""
    stated = set(lexical.words(evidence))
    for match in _CAUSE.finditer(claim):
        words = lexical.content_words(match.group(1))
        if words and len(words & stated) < CAUSE_RECALL * len(words):
            return match.group(0).strip()
    return None
