from __future__ import annotations

from rag.enumerations import enumerations, holding


def test_lists_of_names() -> None:
    banks = enumerations("Bank of America, Wells Fargo, and Citi said.")
    assert banks[0].items == ("Bank of America", "Wells Fargo", "Citi")
    assert enumerations("Putin and Khan spoke.")[0].items == ("Putin", "Khan")
    assert enumerations("the recall of swings and rockers") == []


def test_the_list_that_names_every_item() -> None:
    text = "Putin and Khan spoke. On Tuesday Iran, Iraq and Syria met."
    found = holding(["Iran", "Syria"], text)
    assert found is not None and found.items == ("On Tuesday Iran", "Iraq", "Syria")
    assert holding(["Iran", "Jordan"], text) is None
