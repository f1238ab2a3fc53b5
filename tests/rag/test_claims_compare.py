"""Structured comparison (numbers in words and digits, dates, weekdays, speakers, negation, hedges)
and the shared conflict/guard rules built on it. Pure functions: no model."""

from __future__ import annotations

from rag import judge
from rag.claims_compare import compare, facts


def test_number_words_scales_and_numerals_are_one_quantity() -> None:
    assert facts("four share a border").quantities == {4.0}
    assert facts("a dozen reports and half a million dollars").quantities == {12.0, 500_000.0}
    assert facts("1.2 million people paid $19,000,100").quantities == {1_200_000.0, 19_000_100.0}
    assert facts("a 10-month-old infant").quantities == {10.0}
    assert facts("the one thing at the eleventh hour in 2012").quantities == set()
    assert facts("in 2012").years == {2012}


def test_numbers_that_differ_are_a_mismatch_and_absent_ones_are_unstated() -> None:
    three = (
        "Moscow keeps ties with Central Asian republics, most of which are SCO members and three border Afghanistan."
    )
    assert compare("Four of those republics border Afghanistan.", three).mismatches
    assert compare("Three of those republics border Afghanistan.", three).clean
    assert compare("About $4.57 million was bid.", "The winning bid was $4,567,888.").clean
    unstated = compare("Twelve republics border Afghanistan.", "The republics border Afghanistan.")
    assert unstated.unstated and not unstated.mismatches


def test_dates_and_weekdays() -> None:
    assert compare("The Taliban took Kabul on Aug. 25.", "The Taliban took Kabul on Aug. 15.").mismatches
    assert compare("The Taliban took Kabul on 15 August.", "On August 15, the Taliban swept into Kabul.").clean
    assert compare("They spoke on Friday.", "Putin spoke by phone Wednesday with Khan.").mismatches
    assert compare("They spoke on Wednesday.", "Putin spoke by phone with Khan.").unstated
    assert facts("Public tours resume on July 19.").days == {(7, 19)}


def test_speakers_swap_partial_names_and_listeners() -> None:
    qureshi = "Qureshi further said that the Russian President appreciated Pakistan's role."
    assert compare("Imran Khan said the Russian president appreciated Pakistan's role.", qureshi).mismatches
    assert compare("Shah Mahmood Qureshi said the Russian president appreciated Pakistan's role.", qureshi).clean
    assert facts('"Yes," PM Khan told Sputnik on Thursday.').speakers == {"khan"}  # Sputnik only listened
    assert facts("a statement released by Qureshi's office said.").speakers == {"qureshi"}


def test_negation_and_hedges() -> None:
    assert compare("Cosby attended the trial.", "Cosby was not present for the trial.").mismatches
    assert compare("Cosby did not attend the trial.", "Cosby was not present for the trial.").clean
    assert compare("Cosby's team has filed an appeal.", "His team plans to file an appeal.").unstated
    assert compare("Cosby's team plans to appeal.", "His team plans to file an appeal.").clean
    assert compare(
        "Putin has agreed to visit Islamabad.", "The meeting may lead to a Putin visit to Islamabad."
    ).unstated


def test_conflict_reads_number_words_partial_names_and_plans() -> None:
    claim = "Of the Central Asian former Soviet republics close to Moscow, four share a border with Afghanistan."
    evidence = "Moscow maintains close ties with Central Asia's former Soviet republics, three border Afghanistan."
    assert judge.conflict(claim, evidence).kind == "numbers"
    office = "A statement released by Qureshi's office said neighbours have a vital stake in Afghanistan."
    assert (
        judge.conflict("Shah Mahmood Qureshi's office said neighbours have a stake in Afghanistan.", office).kind == ""
    )
    cancelled = "His planned visit in October 2012 was cancelled at the eleventh hour."
    assert judge.conflict("Putin visited Pakistan in October 2012.", cancelled).kind == "strong"
    overdue = "President Putin's visit to Pakistan is also long overdue. " + cancelled
    assert not judge.conflict("Putin had planned to visit Pakistan in October 2012.", overdue).decisive


def test_guard_refuses_support_for_unstated_numbers_and_hedged_sources() -> None:
    supports = judge.Judgement("supported", ("supports",))
    assert judge.guard("Four republics border Afghanistan.", supports, ["Three republics border Afghanistan."],
                       [0.9], 0.45).verdict == "contradicted"  # fmt: skip
    assert judge.guard("Khan spoke to Putin on Friday.", supports, ["Khan spoke to Putin."], [0.9], 0.45).verdict == (
        "not_found"
    )
    assert judge.guard("Cosby's team filed an appeal.", supports, ["Cosby's team plans to file an appeal."],
                       [0.9], 0.45).verdict == "not_found"  # fmt: skip
