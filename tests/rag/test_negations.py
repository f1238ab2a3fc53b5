"""Negation: what negates, what negates nothing, and what a negation denies (rag/negations.py)."""

from __future__ import annotations

from rag import judge, lexical
from rag.claim_facts import facts
from rag.claims_compare import compare, negated_where_matched
from rag.negations import denied, unnegated


def test_a_negation_denies_the_word_after_it() -> None:
    assert denied("The agency did not renew the contract.") == {lexical.stem("renew")}
    assert denied("She was not in the room when it was read.") == {"room"}
    assert denied("Not only the mayor but the council agreed.") == set()  # "not only" negates nothing


def test_a_negation_that_denies_none_of_the_claims_words_does_not_negate_it() -> None:
    source = "Ortiz, who had refused to concede and threatened to not accept the count, won the north."
    assert not negated_where_matched("Ortiz won the north.", source)
    assert not compare("Ortiz won the north.", source).mismatches
    # a negation of the claim's own words still does
    assert compare("Ortiz won the north.", "Ortiz did not win the north.").mismatches


def test_a_negated_claim_finds_its_denial_in_another_sentence_of_the_window() -> None:
    claim = "Former finance minister Ada Kerr criticised the tax plan as the kind tried without success."
    window = (
        "Former finance minister Ada Kerr criticised the tax plan on Sunday. "
        "\u201cSuch plans are tried without success,\u201d Kerr said."
    )
    assert not compare(claim, window).mismatches
    assert compare(claim, "Former finance minister Ada Kerr criticised the tax plan on Sunday.").mismatches


def test_a_failing_thing_is_no_failure_of_the_claims_event() -> None:
    assert "failing" not in unnegated("crews fixed a failing pump")
    claim = "Friday was the third day the town had little or no tap water."
    source = "Friday was the third day the town, with a failing pump, had little or no tap water."
    assert judge.conflict(claim, source).kind != "strong"
    failed = judge.conflict("The pumping station kept working on Friday.", "The pumping station failed on Friday.")
    assert failed.kind == "strong"


def test_a_compound_with_no_is_no_negation() -> None:
    for text in ("The Astros threw the first combined no-hitter.", "A no-show at the hearing.", "a not-so-subtle hint"):
        assert not facts(text).negated, text
    assert facts("There was no hitter left.").negated


def test_a_negated_claim_finds_its_negation_in_the_sentence_that_states_it() -> None:
    """The window's first sentence holds more of the claim's words; the second states the denial."""
    claim = (
        "Spirit cited the Justice Department's lawsuit against the American-JetBlue alliance in arguing "
        "that a JetBlue takeover would not win approval."
    )
    evidence = (
        "The Justice Department filed a lawsuit against the alliance of American and JetBlue last year. "
        "Spirit pointed to it, arguing a JetBlue deal wouldn't get approval."
    )
    assert negated_where_matched(claim, evidence)
    assert not negated_where_matched(claim, evidence.replace("wouldn't get", "would get"))


def test_a_bound_is_no_negation() -> None:
    assert not facts("The speaker serves as acting president for no more than 30 days.").negated
    assert not facts("The report is due no later than Friday.").negated
    assert facts("He is no longer president.").negated
    assert facts("There were no more tickets.").negated


def test_declined_to_says_it_did_not_happen_but_a_decline_is_a_fall() -> None:
    conflict = judge.conflict
    declined = "Asked by CNN about the LIV series, the DP World Tour declined to comment."
    assert facts(declined).negated and not facts("Sales declined 5% in May.").negated
    assert not facts("Shares declined to a record low.").negated and not facts("It declined to close at 50.").negated
    assert conflict(declined, 'Asked by CNN about the LIV series, the DP World Tour had "no comment".').kind == ""
    # a claim that says it did not happen agrees with a refusal; one that says it did, does not
    refused = "Truss refused to call French President Emmanuel Macron an ally."
    assert conflict("Truss declined to call French President Emmanuel Macron an ally.", refused).kind == ""
    assert conflict("Truss called French President Emmanuel Macron an ally.", refused).kind == "strong"
    assert conflict("Truss called Macron an ally.", "Truss declined to call Macron an ally.").kind == "weak"


def test_yet_to_says_not_so_far() -> None:
    assert denied("He has yet to enter a plea.") == {"enter"}
    assert "not" in unnegated("It\u2019s yet to be determined whether the event will be rescheduled.")
    claim = "It had not yet been decided whether the fundraiser would be rescheduled."
    source = "It\u2019s yet to be determined whether the fundraiser will be rescheduled."
    assert not [m for m in compare(claim, source).mismatches if "says" in m]  # both say it is not decided
    assert [m for m in compare(claim, "The fundraiser will be rescheduled.").mismatches if "says" in m]
