from __future__ import annotations

from rag import hedges
from rag.claims_compare import compare


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
