"""Hedges: what makes a sentence about what may, should or was meant to happen, not what did
("plans to", "may", "looking to", "is reportedly testing"), read by :mod:`rag.claims_compare`."""

from __future__ import annotations

import re

from rag import lexical

#: Words that make a sentence about what may, should or was meant to happen, not what did.
HEDGES = frozenset(
    lexical.stem(w)
    for w in """may might could should plan planned plans planning hope hopes hoped aim aims aimed
    intend intends intended expect expected expects likely possible possibly consider considering
    propose proposed seek seeking scheduled schedule overdue prospect potential eventual eventually
    want wants wanted wish wishes""".split()
)
#: Hedges that state an intention: a claim that someone said a thing would happen claims no more.
PLANS = frozenset(
    lexical.stem(w)
    for w in """plan planned plans planning aim aims aimed intend intends intended expect expected expects
    scheduled schedule propose proposed seek seeking""".split()
)
#: A claim that says a thing is done, not just planned: "has already approved the deal".
DONE = re.compile(r"\balready\b", re.IGNORECASE)
#: What makes a sentence about what is still to come: a plan, an expectation, "will". A claim that
#: it is already done contradicts it ("The first decision will be a contract extension" against
#: "The owners have already signed the extension").
TO_COME = PLANS | frozenset(lexical.stem(w) for w in "will likely possible may might could".split())
#: A claim that reports an intention: "Musk said Twitter Blue would cost $8 a month".
SAID_WOULD = re.compile(
    r"\b(?:said|says|announced|announces|stated|declared|told\s+\w+)\b[^.;]{0,120}?\b(?:would|will)\b", re.IGNORECASE
)
#: "May" inside a sentence is the month ("starting in May"), not the hedge.
_MONTH_MAY = re.compile(r"(?<=[\w,] )May\b")
#: A plan word in these phrases says the thing happened: "went ahead as scheduled".
_NOT_HEDGING = re.compile(r"\bas (?:scheduled|planned|expected|intended)\b", re.IGNORECASE)
#: Hedges only in this phrasing: "interested in buying", "is looking to buy", "looks to buy" (not
#: "sphere of interest", nor "asylum seekers looking for housing", who are described, not hedged),
#: and work toward something not yet done: "is reportedly testing iPhone models with USB-C ports"
#: (not "testing positive"), "have been exploring", "is preparing to".
_HEDGE_PHRASES = re.compile(
    r"\binterest(?:ed)? in\b|\blooks? (?:to|for|forward to)\b|"
    r"\b(?:is|are|was|were|be|been|am|\w+['\u2019](?:s|re|m))\s+(?:\w+\s+)?(?P<look>looking) (?:to|for|forward to)\b|"
    r"\b(?:is|are|was|were|be|been)\s+(?:\w+\s+)?"
    r"(?P<cue>testing|exploring|mulling|preparing(?=\s+(?:to|for)\b))\b(?!\s+(?:positive|negative))",
    re.IGNORECASE,
)


def unhedged(text: str) -> str:
    """``text`` without the phrases whose plan word says it happened ("went ahead as scheduled")."""
    return _NOT_HEDGING.sub(" ", text)


def cues(text: str) -> set[str]:
    """The hedge words of ``text`` (stemmed; a phrase by its verb: "look", "testing")."""
    unplanned = _MONTH_MAY.sub("month", unhedged(text))
    return (set(lexical.words(unplanned)) & HEDGES) | {
        (m.group("cue") or m.group("look") or m.group(0).split()[0]).lower() for m in _HEDGE_PHRASES.finditer(unplanned)
    }


def phrase_starts(text: str) -> list[int]:
    """Where each hedging phrase of ``text`` starts (single hedge words are found by stem)."""
    return [m.start() for m in _HEDGE_PHRASES.finditer(text)]
