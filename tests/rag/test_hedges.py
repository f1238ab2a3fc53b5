from __future__ import annotations

from rag import hedges
from rag.claims_compare import compare
from rag.judge import conflict


def test_plan_words_phrases_and_what_says_it_happened() -> None:
    assert hedges.cues("The minister plans to visit Moscow in May.") == {"plan"}
    assert hedges.cues("Investors are looking to buy the unit.") == {"looking"}
    assert not hedges.cues("The match went ahead as scheduled.")
    assert not hedges.cues("The talks start in May.")  # the month, not the hedge


def test_work_toward_something_is_a_hedge_but_testing_positive_is_not() -> None:
    claim = "The phone maker launched a handset with a USB-C port."
    testing = "The phone maker is reportedly testing handsets with a USB-C port."
    assert compare(claim, testing).unstated == ("the source hedges it: 'testing'",)
    assert hedges.phrase_starts(testing) == [testing.index("is reportedly")]
    assert compare(claim, "The phone maker has been preparing to launch a USB-C handset.").unstated
    assert hedges.cues("They have been exploring a sale of the unit.") == {"exploring"}
    assert not hedges.cues("The senator is testing positive for Covid-19 again.")


def test_a_claim_that_it_is_already_done_contradicts_a_source_that_it_is_to_come() -> None:
    claim = "The city council has already passed the zoning bill."
    for planned in (
        "The city council is expected to pass the zoning bill next week.",
        "The city council will vote on the zoning bill in March.",
    ):
        assert compare(claim, planned).mismatches == ("the claim says it is done; the source says it is to come",)
        assert conflict(claim, planned).kind == "strong"
    done_then_planned = "The city council passed the zoning bill on Monday. The mayor will sign it on Friday."
    assert not compare(claim, done_then_planned).mismatches  # the plan is about something else
    assert not compare(
        claim, "The council has already passed the zoning bill, and the mayor plans to sign it."
    ).mismatches
    # without "already", a plan leaves the claim unstated, as before: it is not said to be done
    plain = compare("The city council passed the zoning bill.", "The city council is expected to pass the zoning bill.")
    assert not plain.mismatches and plain.unstated


def test_looking_for_is_a_hedge_as_a_verb_not_as_a_description() -> None:
    assert hedges.cues("Musk is looking to sell the company") == {"looking"}
    assert hedges.cues("They're still looking for a buyer") == {"looking"}
    assert hedges.cues("He looks to buy a stake") == {"looks"}
    assert hedges.cues("I'm looking forward to the vote") == {"looking"}
    assert hedges.cues("The shelter takes in 100 asylum seekers looking for housing a day") == set()
