"""A sentence that holds a claim's names must also hold some of what the claim says of them:
"Born in Cambridge, Newton-John moved with her family to Melbourne" holds three of the five
content words of "Newton-John's funeral was held in Melbourne", enough for the word recall a
support needs, but none of "funeral" and "held". :func:`rag.claims_compare.compare` lists such a
claim's predicate as unstated.
"""

from __future__ import annotations

from rag import lexical

#: Share of the claim's words other than names and figures that the evidence must hold (when the
#: claim has two or more): at 0.25, a sentence with none of two to four of them does not state it.
PREDICATE_RECALL = 0.25


def unstated_predicate(claim: str, evidence: str) -> str | None:
    """What ``claim`` says of its names, if ``evidence`` holds too little of it, or None."""
    names = {lexical.stem(n) for n in lexical.names(claim)}
    words = sorted(
        w
        for w in lexical.content_words(claim) - names
        if not w.isdigit() and w not in lexical.NUMBER_WORDS and not lexical.calendar(w)
    )
    if len(words) < 2:
        return None
    stated = set(lexical.words(evidence))
    held = [w for w in words if w in stated or any(lexical.related(w, s) for s in stated)]
    return None if len(held) >= PREDICATE_RECALL * len(words) else " ".join(words)
