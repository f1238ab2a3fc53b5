"""A sentence that holds a claim's names must hold some of what the claim says of them (rag/predicates.py)."""

from __future__ import annotations

from rag.claims_compare import compare
from rag.predicates import unstated_predicate


def test_a_sentence_with_the_names_but_nothing_said_of_them_does_not_state_the_claim() -> None:
    claim = "Dana Whitfield's funeral was held in Adelaide."
    moved = "Born in Leeds in 1950, Dana Whitfield moved with her family to Adelaide when she was five."
    assert unstated_predicate(claim, moved) == "funeral held"
    assert "the source does not say 'funeral held'" in compare(claim, moved).unstated
    # one word of what is said of them is enough here; the other checks judge the rest
    service = "A funeral for Dana Whitfield will take place in Adelaide on Friday."
    assert unstated_predicate(claim, service) is None
    # names and figures are not what is said of them; a claim that says one thing of them is left alone
    assert unstated_predicate("Whitfield was 72.", "Whitfield, 72, sang in Adelaide.") is None
