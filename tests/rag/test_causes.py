"""A cause the claim gives must be stated (rag/causes.py)."""

from __future__ import annotations

from rag.causes import unstated_cause
from rag.claims_compare import compare

DAMAGED = "The two main pumps at the treatment plant were badly damaged last week, the mayor said without saying how."


def test_a_cause_the_source_does_not_give_is_unstated() -> None:
    claim = "The damage to the plant's main pumps was caused by a lightning strike."
    assert unstated_cause(claim, DAMAGED) == "caused by a lightning strike"
    assert "the source does not say 'caused by a lightning strike'" in compare(claim, DAMAGED).unstated
    stated = "A lightning strike damaged the two main pumps at the treatment plant last week."
    assert unstated_cause(claim, stated) is None and compare(claim, stated).clean


def test_a_claim_without_a_cause_is_left_alone() -> None:
    assert unstated_cause("The plant's main pumps were damaged last week.", DAMAGED) is None
