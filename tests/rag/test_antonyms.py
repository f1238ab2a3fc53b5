"""Opposite words in the same place (rag/antonyms.py)."""

from __future__ import annotations

import pytest

from rag.antonyms import opposite
from rag.judge import conflict


@pytest.mark.parametrize(
    ("claim", "source", "claimed", "stated"),
    [
        ("Prices rose 5% in May.", "Prices fell 5% in May, the agency said.", "rose", "fell"),
        ("The Senate approved the bill.", "On Tuesday the Senate rejected the bill.", "approved", "rejected"),
        ("He tested positive for Covid.", "He tested negative for Covid on Monday.", "positive", "negative"),
        ("The ban was lifted in March.", "The ban was imposed in March.", "lifted", "imposed"),
        ("Sales declined to 3% of the market.", "Sales rose to 3% of the market.", "declined", "rose"),
    ],
)
def test_an_opposite_said_of_the_same_thing_contradicts(claim: str, source: str, claimed: str, stated: str) -> None:
    assert opposite(claim, source) == f"the source says {stated!r} where the claim says {claimed!r}"
    clash = conflict(claim, source)
    assert clash.kind == "strong" and clash.decisive


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        # the source says both: it fell, then rose
        ("Prices rose in May.", "Prices fell in April and then rose in May."),
        # a negated opposite says the same thing
        ("Prices rose in May.", "Prices did not fall in May."),
        ("Prices didn't rise in May.", "Prices fell in May."),
        # pairs that relate two things hold both ways round
        ("Two months before the verdict, a jury ruled.", "The verdict came two months after a jury ruled."),
        # another phrase
        ("Prices will fall 5%.", "After soaring prices and increasing sales, the market cooled."),
        # said of something else
        ("Imports rose in May.", "Exports fell in May."),
        # a refusal is not a fall; a name is not a word
        ("The company declined to comment.", "The company rose to the top of the index."),
        ("Rose Smith won the race.", "Smith fell in the race."),
        # the same word on both sides
        ("Prices rose in May.", "Prices rose again in May."),
    ],
)
def test_no_conflict_when_the_opposite_is_not_said_of_the_same_thing(claim: str, source: str) -> None:
    assert opposite(claim, source) == ""


def test_a_hedged_claim_is_not_contradicted_by_an_opposite() -> None:
    source = "Prices fell 5% in May."
    assert conflict("Prices rose 5% in May.", source).kind == "strong"
    assert conflict("Economists expect prices to rise 5% in May.", source).kind != "strong"
