from __future__ import annotations

from rag.conjuncts import conjuncts, pairs

CLAIM = "Hurricane Roslyn made landfall in Nayarit, and its winds had dropped to about 70 mph by Sunday afternoon."
LANDFALL = "Roslyn made landfall near Santa Cruz in northern Nayarit state, with winds of 120 mph."
WEAKER = "Maximum sustained winds have dropped to near 70 mph, the hurricane center said Sunday afternoon."
SHELTERS = "Thousands of residents spent the night in shelters."


def test_a_claim_that_joins_two_statements_splits_there() -> None:
    assert conjuncts(CLAIM) == (
        "Hurricane Roslyn made landfall in Nayarit",
        "its winds had dropped to about 70 mph by Sunday afternoon.",
    )
    assert conjuncts("Murray's extension runs five years and is worth about $230.5 million.") == (
        "Murray's extension runs five years",
        "is worth about $230.5 million.",
    )
    # two things one statement names are not two statements
    assert conjuncts("The railway suspended service between Madrid and Barcelona.") is None
    assert conjuncts("Cosby did not attend the trial or the verdict.") is None
    assert conjuncts("It rained, and so?") is None  # too short to be a statement


def test_windows_of_one_article_that_each_state_one_part_are_paired() -> None:
    assert pairs(CLAIM, [SHELTERS, WEAKER, LANDFALL], ["a", "a", "a"]) == [(1, 2)]
    assert pairs(CLAIM, [WEAKER, LANDFALL], ["a", "b"]) == []  # two articles
    assert pairs(CLAIM, [LANDFALL, SHELTERS], ["a", "a"]) == []  # the second part is stated nowhere
    assert pairs(CLAIM, [LANDFALL, f"{LANDFALL} {WEAKER}"], ["a", "a"]) == []  # one window holds the other
    assert pairs("Roslyn made landfall in Nayarit.", [WEAKER, LANDFALL], ["a", "a"]) == []
