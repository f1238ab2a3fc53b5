"""Near-duplicate collapsing: syndicated copies fold into the best-ranked copy."""

import pytest

from rag import dedupe

STORY = (
    "Russian President Vladimir Putin and Pakistani Prime Minister Imran Khan agreed to coordinate "
    "approaches to the Afghan issue, the Kremlin said in a statement following their phone call."
)
OTHER = "The European Parliament voted to require USB-C chargers for phones and tablets sold in the bloc."


def test_a_syndicated_copy_folds_into_the_first_and_distinct_stories_stay() -> None:
    items = [
        ("tass", STORY),
        ("other", OTHER),
        ("copy", "MOSCOW (Reuters) - " + STORY + " More follows."),  # the same sentences, framed
    ]
    groups = dedupe.collapse(items, text=lambda item: item[1])
    assert [(best[0], [c[0] for c in copies]) for best, copies in groups] == [("tass", ["copy"]), ("other", [])]


def test_limit_counts_kept_items_but_still_gathers_their_copies() -> None:
    items = [
        ("a", STORY),
        ("b", OTHER),
        ("c", "A third story about weather in Lahore this week, rain expected."),
        ("a2", STORY),
    ]
    groups = dedupe.collapse(items, text=lambda item: item[1], limit=2)
    assert [best[0] for best, _ in groups] == ["a", "b"]
    assert [c[0] for c in groups[0][1]] == ["a2"]


def test_containment_and_threshold() -> None:
    a, b = dedupe.shingles(STORY), dedupe.shingles(OTHER)
    assert dedupe.containment(a, a) == 1.0
    assert dedupe.containment(a, b) == 0.0
    assert dedupe.containment(a, frozenset()) == 0.0
    half = " ".join(STORY.split()[:14]) + " " + " ".join(OTHER.split())
    assert 0.2 < dedupe.containment(dedupe.shingles(half), a) < 0.8
    assert dedupe.collapse([("x", STORY), ("y", half)], lambda i: i[1], threshold=0.8)[1][0][0] == "y"
    with pytest.raises(ValueError, match="threshold"):
        dedupe.collapse([], lambda i: "", threshold=0.0)
