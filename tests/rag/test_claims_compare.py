"""Structured comparison (numbers in words and digits, dates, weekdays, speakers, negation, hedges)
and the shared conflict/guard rules built on it. Pure functions: no model."""

from __future__ import annotations

from rag import judge, lexical, negations
from rag.claim_facts import facts
from rag.claims_compare import compare
from rag.judge import Judgement, conflict, guard
from rag.speakers import speakers


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
    # an acronym the source spells out is mentioned, though no article defines it
    eia = "Prices would need to top $5.30 to beat the 2008 record, said the US Energy Information Administration."
    assert (
        judge.conflict("According to the EIA, prices would have to top $5.30 to beat the 2008 record.", eia).kind == ""
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


def test_codes_with_digits_are_names_not_quantities() -> None:
    assert facts("The 4moms recall covers about 2 million MamaRoo swings.").quantities == {2_000_000}
    assert facts("Russia agreed to sell S-400 systems to G20 members.").quantities == set()
    assert facts("Covid-19 vaccines for 17 million children on July 19th").quantities == {17_000_000}
    assert compare("The 4moms recall covers 2 million swings.", "The recall affects 2 million swings.").clean


def test_contracted_negation_and_hedges_in_context() -> None:
    claim = "The spokesperson said the verdict was not a victory because no damages were awarded."
    source = "\u201cIt wasn\u2019t a victory, because they didn\u2019t get the damages,\u201d the spokesperson said."
    assert facts(source).negated
    assert not compare(claim, source).mismatches
    assert facts("Pakistan is interested in buying arms.").hedged
    assert facts("Pakistan was looking for arms from Russia.").hedged  # as "interested in": both hedged
    assert compare("Khan said Pakistan was looking for arms.", "Khan said Pakistan was interested in arms.").clean
    assert not facts("Moscow regards the region as part of its sphere of interest.").hedged


def test_speaker_after_a_role_and_acronym_speakers() -> None:
    assert facts("\u201cNo,\u201d said Cosby\u2019s spokesperson Andrew Wyatt, insisting.").speakers == {"wyatt"}
    aliases = {"CPSC": "Consumer Product Safety Commission"}
    claim = "The US Consumer Product Safety Commission said the recall was on Monday."
    source = "The recall was announced on Monday, the CPSC said."
    assert not compare(claim, source, aliases).mismatches
    assert not compare(claim, source).mismatches  # the initials of a long name are its acronym
    assert compare(claim, "The recall was announced on Monday, the FDA said.").mismatches


def test_quoted_first_person_does_not_lose_its_speaker_names() -> None:
    claim = "Imran Khan said he hopes to make an official visit to Russia."
    source = "And, also, I hope to go and visit Russia on an official visit, I look forward to that."
    assert conflict(claim, source).kind == ""
    # a different named speaker still conflicts
    assert conflict(claim, "Putin said he hopes to make an official visit to Russia.").decisive


def test_recall_reads_word_families_and_leaves_quantities_to_the_comparison() -> None:
    assert lexical.related("russia", "russian") and lexical.related("pakistan", "pakistani")
    assert not lexical.related("plan", "planet") and not lexical.related("state", "statement")
    claim = "According to the Kremlin, contacts between Russia and Pakistan will be ramped up."
    source = "\u201cRussian-Pakistani contacts will be ramped up,\u201d the Kremlin stressed."
    assert lexical.recall(claim, source) >= 0.8  # all but "according"
    assert conflict(claim, source).kind == ""  # "According" is not a name the source lacks
    money = "The jury awarded Judy Huth half a million dollars in damages."
    assert lexical.recall(money, "The jury awarded Judy Huth $500,000 in damages.") == 1.0


def test_numerals_before_a_comma_labels_and_hedges_elsewhere_in_the_sentence() -> None:
    assert facts("Since 2005, more than 50 women came forward.").years == {2005}
    assert facts("Since 2005, more than 50 women came forward.").quantities == {50.0}
    assert facts("a recall of its baby swing, versions 1.0 through 4.0, and 2 million rockers").quantities == {2e6}
    plain = "Khan's call with Putin comes 10 days after the takeover, with other powers looking to cement their grip."
    assert compare("Khan's call with Putin came 10 days after the takeover.", plain).clean
    hedged = "The winner may bring up to seven guests to the lunch."
    assert compare("The winner brings up to seven guests to the lunch.", hedged).unstated


def test_a_hedge_in_the_next_sentence_of_the_window_does_not_hedge_the_statement() -> None:
    claim = "The striker played for Ajax from 2012 to 2016 and joined Porto in 2019."
    window = (
        "The striker played for Ajax from 2012 to 2016 before joining Porto in 2019.\n\n"
        "Porto, his coach said, hopes he will stay another season."
    )
    assert compare(claim, window).clean
    hedged = "The striker played for Ajax from 2012 to 2016 and may join Porto in 2019.\n\nPorto confirmed talks."
    assert compare(claim, hedged).unstated  # the hedge sits in the sentence that states the claim


def test_the_articles_date_states_a_date_the_sentence_leaves_out_but_never_contradicts() -> None:
    sentence = "Deputy Secretary Mikhail Popov called on Foreign Secretary Tehmina Janjua at the ministry on Wednesday."
    reported = "Mikhail Popov met Tehmina Janjua in March 2018."
    assert not compare(reported, sentence).clean  # the sentence gives no month or year
    assert compare(reported, sentence, published="2018-03-14T09:30:00").clean
    assert compare("Popov met Janjua on March 14, a Wednesday.", sentence, published="2018-03-14").clean
    assert compare("Popov met Janjua in April 2018.", sentence, published="2018-03-14").unstated == ("months differ",)
    # a date the sentence itself gives is compared as before; the article's date is no mismatch
    assert compare("Popov met Janjua on a Tuesday.", sentence, published="2018-03-13").mismatches
    assert not compare("Popov met Janjua in 2017.", sentence, published="2018-03-14").mismatches
    assert compare(reported, sentence, published="not a date").unstated


def test_a_negation_counts_only_where_the_source_states_the_claim() -> None:
    liable = "A jury found Cosby liable in the civil case brought by Judy Huth."
    awarded = liable + " No punitive damages were awarded."
    assert compare("A jury found Cosby liable in Huth's civil case.", awarded).clean
    loans = "The cancellation would apply only to people with federal loans, not private ones."
    assert compare("The cancellation would apply to people with federal loans.", loans).clean
    assert compare("Cosby attended the trial.", "He said so. Cosby was not present for the trial.").mismatches
    assert compare("The visit in October 2012 took place.", "The visit in October 2012 did not take place.").mismatches
    assert compare("The visit in October 2012 was held.", "The visit in October 2012 was not held, it said.").mismatches


def test_a_cancellation_word_elsewhere_in_the_window_is_no_conflict() -> None:
    claim = "The DART mission ended a 10-month journey that cost $325 million."
    window = "We had never seen it, she said. The DART mission culminates a 10-month journey that cost $325 million."
    assert judge.conflict(claim, window).kind == ""
    cancelled = "The weather was good. His planned visit in October 2012 was cancelled at the eleventh hour."
    assert judge.conflict("Putin visited Pakistan in October 2012.", cancelled).kind == "strong"


def test_phrases_whose_negation_negates_nothing() -> None:
    edge = "Not only is Edge faster than Internet Explorer, but it also runs older websites."
    assert compare("Edge is faster than Internet Explorer.", edge).clean
    assert compare("Edge is not faster than Internet Explorer.", edge).mismatches
    premiere = "There's no denying that the show broke new ground when it premiered on HBO in 1998."
    assert judge.conflict("The show premiered on HBO in 1998.", premiere).kind == ""
    assert compare("The show premiered on HBO in 1998.", "The show never premiered on HBO in 1998.").mismatches


def test_a_not_guilty_plea_is_no_negation_and_not_yet_denies_the_verb() -> None:
    """ "Not guilty" names a plea: it negates nothing, so "He has not yet entered a plea in federal
    court" denies "entered a not guilty plea in federal court", and a plea of "not guilty" stated
    on both sides is no conflict."""
    claim = "Smith has entered a not guilty plea in federal court."
    assert not facts(claim).negated
    assert compare(claim, "Smith entered a not guilty plea in federal court on Tuesday.").clean
    assert compare(claim, "Smith has not yet entered a plea in federal court.").mismatches
    assert negations.denied("He has not yet entered a plea in federal court.") == {lexical.stem("entered")}
    assert facts("The vote of no confidence failed.").negated  # "failed" still negates
    assert not facts("The city declared a no-fly zone.").negated


def test_spans_of_time_are_compared_in_days() -> None:
    source = "Khan's call with Putin comes 10 days after the Taliban takeover of Afghanistan."
    clash = judge.conflict("Khan's call with Putin took place a month after the Taliban takeover.", source)
    assert clash.kind == "numbers" and "durations" in clash.reason
    assert compare("The call came ten days after the takeover.", source).clean
    assert compare("The talks resumed two weeks later.", "The talks resumed 14 days later.").clean  # not 2 vs 14
    assert compare("The talks resumed a month later.", "The talks resumed four weeks later.").clean
    assert compare("The journey took 10 months.", "The journey took three days.").mismatches
    assert compare("The call came a month after the takeover.", "The call came after the takeover.").unstated
    assert facts("a 15-year-old girl earning $50,000 a year").durations == set()  # an age, a rate


def test_a_count_is_stated_by_a_list_of_as_many_names() -> None:
    tour = "On Tuesday, the minister left on a tour that takes in Iran, Tajikistan, Uzbekistan and Turkmenistan."
    assert compare("The tour included four countries: Iran, Tajikistan, Uzbekistan and Turkmenistan.", tour).clean
    assert compare("The minister toured 4 nations (Iran, Tajikistan, Uzbekistan and Turkmenistan).", tour).clean
    short = judge.conflict("The tour covered three countries: Iran, Tajikistan and Uzbekistan.", tour)
    assert short.kind == "numbers" and "source lists 4" in short.reason
    qualified = "The tour covered three Central Asian countries: Tajikistan, Uzbekistan and Turkmenistan."
    assert not compare(qualified, tour).mismatches  # three of the four: not shown, not contradicted
    # a count with no list of its own, or a list the source does not give, is still a plain number
    assert compare("The minister visited four countries.", tour).unstated
    assert compare("The tour included four countries: Iran, Iraq, Syria and Jordan.", tour).unstated


def test_as_scheduled_is_no_hedge_and_a_tie_goes_to_the_sentence_with_the_figures() -> None:
    assert not facts("The trip went ahead as scheduled.").hedged
    assert facts("The trip was scheduled for October.").hedged
    assert compare("The launch went ahead.", "The launch went ahead as planned.").clean
    window = "Putin's visit to Pakistan is long overdue. His planned visit in October 2012 was cancelled."
    clash = judge.conflict("Putin's October 2012 trip to Pakistan went ahead as scheduled.", window)
    assert clash.kind == "strong"


def test_the_speaker_is_the_one_of_the_sentence_that_states_the_claim() -> None:
    window = (
        "Police chief Ortiz said 12 roads had been closed by the floods. "
        "The Met Office said residents should expect more rain."
    )
    swapped = compare("The Met Office said 12 roads had been closed by the floods.", window)
    assert any(m.startswith("speakers differ") for m in swapped.mismatches)
    assert compare("Ortiz said 12 roads had been closed by the floods.", window).clean


def test_a_claim_that_someone_said_a_thing_would_happen_is_no_stronger_than_a_plan() -> None:
    source = "Garcia on Monday said he planned to charge $2 a ride on Metro Link, starting in May."
    assert compare("Garcia said Metro Link would cost $2 a ride.", source).clean
    assert not compare("Metro Link costs $2 a ride.", source).clean  # it happened: the source hedges it
    assert not compare("Garcia said Metro Link might cost $2 a ride.", "Garcia said it may cost $2.").mismatches


def test_a_weekday_or_month_is_compared_as_a_date_never_missing_as_a_name() -> None:
    claim = "Biden spoke about Okafor at a news conference on Friday."
    clash = conflict(claim, "Biden said at a news conference on Wednesday that talks would go on.")
    assert clash.kind == "numbers" and "weekdays" in clash.reason
    # one of three names missing is no conflict; the weekday the sentence leaves out is only unstated
    assert conflict(claim, "Biden spoke at a news conference about the talks.").kind == ""


def test_an_acronym_speaker_is_the_name_it_spells_and_all_caps_words_can_speak() -> None:
    source = "Delays are expected into March, according to the Federal Aviation Administration and airlines."
    assert compare("The FAA said delays are expected into March.", source).clean
    spelled = "Rates rose, the US Bureau of Labor Statistics reported, and the Federal Reserve said more may come."
    assert not compare("The BLS said rates rose.", spelled).mismatches
    assert speakers("The WHO said the outbreak was over.") == {"who"}
    assert compare("The WHO said the outbreak was over.", "The CDC said the outbreak was over.").mismatches


def test_the_stating_sentence_counts_each_word_once_and_numbers_in_any_form() -> None:
    window = (
        "Ferry riders should not board without a ticket, and ferry staff should not let riders board. "
        "In all, 14 ferry riders were fined on Monday."
    )
    # "Fourteen" is the "14" of the second sentence, which states the claim: the first one's "not" is no negation of it
    assert compare("Fourteen ferry riders were fined.", window).clean
    assert conflict("Fourteen ferry riders were fined.", window).kind == ""


def test_multiples_are_numbers_only_where_they_multiply() -> None:
    source = "Seventy thousand hectares is almost double the last decade's average, he said."
    assert compare("He said the area was almost triple the decade's average.", source).mismatches
    assert not compare("He said the area was nearly double the decade's average.", source).mismatches
    assert facts("Prices have tripled since March.").quantities == {3.0}
    assert not facts("He served a double fault and doubled down on his plan.").quantities


def test_a_cancellation_that_is_only_supposed_is_no_conflict() -> None:
    claim = "The final was played in Doha on Sunday."
    assert judge.conflict(claim, "The final in Doha on Sunday was cancelled.").kind == "strong"
    assert judge.conflict(claim, "Officials warned the final in Doha on Sunday could be cancelled.").kind != "strong"
    worried = "The deal ends worries that the striker would stage a holdout and refuse to play the final in Doha."
    assert judge.conflict(claim, worried).kind != "strong"


def test_the_emergency_number_is_no_quantity() -> None:
    claim = "Two SWAT teams responded to the arrests in Coeur d'Alene."
    source = "A caller told a 911 dispatcher the group piled into a U-Haul in Coeur d'Alene before the arrests."
    assert not compare(claim, source).mismatches
    assert not facts("Pelosi called 911 from the bathroom.").quantities
    assert facts("The storm caused 911 deaths.").quantities == {911.0}


def test_a_contradiction_with_a_reason_counts_from_a_less_close_sentence_when_nothing_supports() -> None:
    claim = "The rebels met heavy resistance when they entered the capital."
    against = "The rebels entered the capital on Sunday without meeting any resistance."
    backed = Judgement("contradicted", ("contradicts",), (True,))
    assert guard(claim, backed, [against], [0.55], 0.45).verdict == "contradicted"
    unbacked = Judgement("contradicted", ("contradicts",), (False,))  # a bare negation is no reason
    assert guard(claim, unbacked, [against], [0.55], 0.45).verdict == "not_found"
    said = "The rebels met heavy resistance when they entered the capital, the army said."
    both = Judgement("supported", ("supports", "contradicts"), (False, True))
    assert guard(claim, both, [said, against], [0.9, 0.55], 0.45).verdict == "supported"
    speaker = "Rivera said the talks had failed."
    swapped = Judgement("contradicted", ("contradicts",))
    assert guard("Okoye said the talks had failed.", swapped, [speaker], [0.55], 0.45).verdict == "contradicted"


def test_a_hyphenated_name_is_no_month() -> None:
    """ "Mar-a-Lago" is not March: the meeting "at Mar-a-Lago in early June" states only June."""
    claim = "Four investigators met Trump's lawyers at Mar-a-Lago in early June."
    assert facts(claim).months == frozenset({6})
    assert "months differ" not in compare(claim, "In early June, four investigators visited the property.").mismatches
    assert facts("The deal was signed on Mar. 5.").days == frozenset({(3, 5)})


def test_instead_denies_what_it_replaces_not_the_clause_it_opens() -> None:
    claim = "The minister and his wife left the capital on a military plane on Wednesday."
    fled = (
        "The minister had been expected to resign on Wednesday. Instead he and his wife boarded a military "
        "plane on Wednesday and left the capital."
    )
    assert conflict(claim, fled).kind != "strong"
    replaced = "Instead of leaving the capital on Wednesday, the minister and his wife stayed in their residence."
    assert conflict(claim, replaced).kind == "strong"


def test_two_exact_counts_must_agree_but_a_rounded_one_may_be_near() -> None:
    assert compare("The attacks killed 2,997 people.", "The attacks killed 2,977 people.").mismatches
    assert not compare("The attacks killed 2,997 people.", "The attacks killed nearly 3,000 people.").mismatches
    assert not compare("About 1.2 million people lost power.", "Some 1,213,000 people lost power.").mismatches


def test_a_decade_and_half_a_century_are_spans_of_time() -> None:
    assert facts("borrowed over the past decade").durations == facts("over the last ten years").durations
    assert facts("the largest cuts in half a century").durations == facts("the biggest cuts in 50 years").durations
    claim = "The government borrowed heavily from foreign lenders over the last ten years."
    assert compare(claim, "Over the past decade, the government borrowed vast sums from foreign lenders.").clean


def test_a_weekday_in_an_article_of_that_week_states_its_date() -> None:
    claim = "On July 13, a Wednesday, demonstrators took over the prime minister's office."
    sentence = "On Wednesday, hundreds of demonstrators broke into the prime minister's office."
    assert compare(claim, sentence, None, "2022-07-14").clean  # published on Thursday 14 July
    assert not compare(claim, sentence, None, "2022-07-22").clean  # a week later: another Wednesday
    assert not compare(claim, sentence).clean  # no publication date: the date is not stated


def test_a_rank_given_as_a_label_states_the_claims_ordinal() -> None:
    source = "Ortiz is ranked No. 12 in the world."
    assert compare("Ortiz is currently ranked 12th in the world.", source).clean
    assert compare("Ortiz is ranked 13th in the world.", source).unstated  # not stated; no count to set against it
    assert compare("The Hawks won Game 4 by nine runs.", "The Hawks won by nine runs on Sunday.").clean


def test_the_weekend_is_saturday_or_sunday() -> None:
    claim = "Warren and Padilla sent their letter to Buttigieg over the weekend."
    assert compare(claim, "Warren and Padilla wrote in the letter sent Monday evening.").mismatches
    assert compare(claim, "Warren and Padilla wrote in the letter sent Sunday evening.").clean
    assert compare(claim, "The senators sent the letter over the weekend, not on Monday.").clean


def test_a_claim_that_a_thing_can_happen_is_stated_by_a_source_that_says_it_is_possible() -> None:
    claim = "Naroditsky said cheating can be set up even at very high-profile tournaments."
    source = "It is possible to set up a cheating mechanism even in very high-profile tournaments, Naroditsky said."
    assert compare(claim, source).clean
    assert not compare(claim.replace("can be", "is"), source).clean  # a plain claim is more than "possible"
    assert not compare(claim, source.replace("It is possible", "Organisers plan")).clean  # a plan is not "can"


def test_a_hurricanes_category_labels_it_and_counts_nothing() -> None:
    claim = "Hurricane Lena came ashore overnight at Category 1 strength before weakening."
    source = "At least two people died after Lena's overnight landfall on the coast."
    assert not compare(claim, source).mismatches  # the two deaths are no other figure for "Category 1"
    assert compare(claim, "Lena made landfall as a Category 2 hurricane.").mismatches  # another category
    ford = "Ford will develop Level 3 technology in-house instead of Level 4 technology with Argo."
    assert not compare(ford, "Argo was to develop Level 4 technology for Ford.").mismatches  # one of its labels
