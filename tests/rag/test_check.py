"""Claim checking with the LLM judge scripted (fast) over the real embedder and a real embedded Chroma."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from rag import judge
from rag.check import split_claims
from rag.pipeline import Pipeline
from ui.cli import cli


def scripted_judge(
    stance_of: Callable[[str], str], verdict: str | None = None
) -> Callable[[list[dict[str, str]]], str]:
    """An LLM judge that labels each evidence sentence with ``stance_of(sentence)``; its verdict is
    ``verdict``, or the one the stances give."""

    def reply(messages: list[dict[str, str]]) -> str:
        claims = []
        for block in messages[-1]["content"].split("\n\n"):
            if not block.startswith("Claim"):
                continue
            stances = [stance_of(e) for e in re.findall(r"^  E\d+: (.*)$", block, flags=re.M)]
            given = verdict or (
                "supported" if "supports" in stances else "contradicted" if "contradicts" in stances else "not_found"
            )
            claims.append({"evidence": stances, "verdict": given})
        return json.dumps({"claims": claims})

    return reply


#: Labels evidence by keywords, like a judge that reads: 'cancelled' contradicts, terrorism supports.
keyword_judge = scripted_judge(
    lambda e: "contradicts" if "cancelled" in e else "supports" if "terrorism" in e or "Sputnik" in e else "unrelated"
)


def verbatim(quote) -> bool:  # type: ignore[no-untyped-def]
    return Path(quote.article.source).read_bytes().decode("utf-8")[quote.start : quote.end] == quote.text


def evidence_for(pipeline: Pipeline, tmp_path: Path, article: str, claim: str) -> list:  # type: ignore[type-arg]
    """The evidence windows the checker picks for ``claim`` with ``article`` as the only indexed text."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article.txt").write_text(article)
    pipeline.ingest([folder])
    (part,) = split_claims(claim, [])
    quotes, _ = pipeline.checker._evidence(part, None)
    return quotes


def test_split_claims_reads_markers_reference_lists_urls_and_outlets() -> None:
    text = (
        "The Kremlin backed the SCO [1]. Rain fell, https://www.cnn.com/x said. TASS says trade grew.\n\n"
        "[1] https://tass.com/politics/1\n"
    )
    claims = split_claims(text, ["TASS", "Anadolu Agency (AA)"])
    assert [c.clean for c in claims] == ["The Kremlin backed the SCO.", "Rain fell, said.", "Trade grew."]
    assert claims[0].cited == ["[1] https://tass.com/politics/1"] and claims[0].cited_outlets == ["TASS"]
    assert claims[1].cited_outlets == ["CNN"] and claims[2].cited_outlets == ["TASS"]
    assert all(text[c.start : c.end] == c.text for c in claims)
    assert split_claims("Officials met (AA) on Monday.", ["Anadolu Agency (AA)"])[0].cited_outlets == [
        "Anadolu Agency (AA)"
    ]


def test_guard_checks_numbers_cancellations_and_scores() -> None:
    supports = judge.Judgement("supported", ("supports",))
    claim = "Putin visited Islamabad in October 2012."
    cancelled = "His planned visit in October 2012 was cancelled at the eleventh hour."
    assert judge.guard(claim, supports, [cancelled], [0.8], 0.45).verdict == "contradicted"
    assert judge.guard(claim, supports, ["Putin visited Islamabad in 2013."], [0.8], 0.45).stances == ("contradicts",)
    assert judge.guard(claim, supports, ["Putin visited Islamabad in October 2012."], [0.3], 0.45).verdict == (
        "not_found"
    )
    contradicts = judge.Judgement("contradicted", ("contradicts",))
    assert judge.guard(claim, contradicts, ["Trade grew in 2012."], [0.5], 0.45).verdict == "not_found"


def test_guard_takes_no_stance_from_a_question() -> None:
    claim = "Putin visited Islamabad in October 2012."
    supports = judge.Judgement("supported", ("supports",))
    asked = "Did Putin visit Islamabad in October 2012?"
    assert judge.guard(claim, supports, [asked], [0.9], 0.45).verdict == "not_found"
    answered = asked + " Putin visited Islamabad in October 2012."
    assert judge.guard(claim, supports, [answered], [0.9], 0.45).verdict == "supported"
    contradicts = judge.Judgement("contradicted", ("contradicts",))
    assert judge.guard(claim, contradicts, ["Did Putin visit Islamabad in 2013?"], [0.9], 0.45).verdict == "not_found"


def test_guard_keeps_a_quote_given_to_someone_else_however_far_off_the_rest() -> None:
    contradicts = judge.Judgement("contradicted", ("contradicts",))
    claim = 'Megan Rapinoe called the report "the nail in the coffin."'
    source = "\u201cI think this report coming out was kind of the nail in the coffin,\u201d Dunn said in London."
    assert judge.guard(claim, contradicts, [source], [0.48], 0.45).verdict == "contradicted"
    other = "\u201cI think this report was overdue,\u201d Dunn said in London."  # not the words the claim quotes
    assert judge.guard(claim, contradicts, [other], [0.48], 0.45).verdict == "not_found"


def test_guard_lets_a_closer_sentence_that_puts_it_off_outweigh_a_support() -> None:
    claim = "Russia has already delivered Iskander-M missile systems to Belarus."
    to_come = "Russia will transfer Iskander-M missile systems to Belarus over the coming months."
    described = "The Iskander-M is a Russian missile system that Belarus has sought."
    both = judge.Judgement("supported", ("contradicts", "supports"))
    assert judge.guard(claim, both, [to_come, described], [0.79, 0.77], 0.45).verdict == "contradicted"
    assert judge.guard(claim, both, [to_come, described], [0.7, 0.77], 0.45).verdict == "supported"  # less close


def test_guard_finds_a_figure_the_judge_missed_on_a_sentence_about_the_same_visit() -> None:
    """Another weekday on a sentence that scores only 0.57 against the claim (it says "landed"
    and "inspect" where the claim says "visited" and "see") contradicts it; far off topic, not."""
    unrelated = judge.Judgement("not_found", ("unrelated",))
    claim = "Marcos visited Abra on Saturday to see the quake damage."
    landed = "President Ferdinand Marcos Jr. landed in Abra on Thursday to inspect the damage."
    assert judge.guard(claim, unrelated, [landed], [0.57], 0.45).verdict == "contradicted"
    assert judge.guard(claim, unrelated, [landed], [0.4], 0.45).verdict == "not_found"
    same_day = landed.replace("Thursday", "Saturday")
    assert judge.guard(claim, unrelated, [same_day], [0.57], 0.45).verdict == "not_found"
    # beside a sentence that supports the claim, it is not listed as reporting it differently
    both = judge.Judgement("supported", ("supports", "unrelated"))
    stated = "Marcos visited Abra on Saturday to see the quake damage, officials said."
    assert judge.guard(claim, both, [stated, landed], [0.9, 0.57], 0.45).stances == ("supports", "unrelated")
    assert judge.guard(claim, both, [stated, landed], [0.9, 0.75], 0.45).stances == ("supports", "contradicts")
    assert judge.parse("garbage", [judge.Case("c", ["e1", "e2"])]) == [
        judge.Judgement("not_found", ("unrelated", "unrelated"))
    ]


def test_verdicts_quotes_outlets_and_citation_check(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline(keyword_judge, keyword_judge, judge="llm")
    pipeline.ingest([seeds_copy])
    report = pipeline.check(
        "The Kremlin said the SCO should help fight terrorism and drug trafficking [1]. "
        "Putin visited Islamabad in October 2012. "
        "Argentina beat France on penalties to win the football World Cup in Qatar.\n\n"
        "[1] https://tass.com/world/1\n"
    )
    supported, contradicted, unrelated = report.claims
    assert [c.verdict for c in report.claims] == ["supported", "contradicted", "not_found"]
    assert {"TASS", "Anadolu Agency (AA)"} <= set(supported.reported_by)
    assert supported.citation_check == "The cited source supports this claim."
    assert all(verbatim(q) for c in report.claims for q in c.quotes)
    assert "cancelled" in contradicted.quotes[0].text and contradicted.quotes[0].stance == "contradicts"
    assert unrelated.quotes == [] and "judge was not asked" in unrelated.notes[0]
    assert len(pipeline.llm.calls) == 2  # type: ignore[attr-defined]  # one call per judged claim, as it streams
    assert report.to_dict()["counts"] == {"supported": 1, "contradicted": 1, "not_found": 1}


def test_support_only_elsewhere_is_reported(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline(keyword_judge, judge="llm")
    pipeline.ingest([seeds_copy])
    (claim,) = pipeline.check(
        "Imran Khan told Sputnik that Pakistan was looking for arms from Russia, TASS said."
    ).claims
    assert claim.verdict == "supported"
    assert claim.citation_check.startswith(
        "The cited source does not support this claim; support exists only elsewhere"
    )


def test_check_command(fake_pipeline, seeds_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline(keyword_judge, keyword_judge, keyword_judge, judge="llm")
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(seeds_copy)], obj={"pipeline": pipeline})
    result = runner.invoke(cli, ["check", "Putin visited Islamabad in October 2012."], obj={"pipeline": pipeline})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1. CONTRADICTED") and "was cancelled" in result.output
    claims = tmp_path / "claims.txt"
    claims.write_text("The Kremlin said the SCO should help fight terrorism and drug trafficking.")
    as_json = runner.invoke(cli, ["check", "--file", str(claims), "--json"], obj={"pipeline": pipeline})
    assert json.loads(as_json.output)["claims"][0]["verdict"] == "supported"
    neither = runner.invoke(cli, ["check"], obj={"pipeline": pipeline})
    assert neither.exit_code == 2 and "--file" in neither.output


def test_one_article_gives_up_to_three_evidence_windows(fake_pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """When one article alone is on the claim's topic, its stating sentence is often not among its
    two best-matching windows ("The recall affects 220,000 rockers" after two sentences that name
    4moms): a third window of the same article is judged too."""
    lines = [
        "4moms announced a recall of RockaRoo rockers and MamaRoo swings on Monday.",
        "Pittsburgh had a sunny weekend.",
        "The 4moms recall of RockaRoo rockers follows reports of entanglement.",
        "The company was founded in 2005.",
        "The recall affects 220,000 RockaRoo rockers, according to the CPSC.",
        "Shares of retailers were flat.",
    ]
    pipeline: Pipeline = fake_pipeline(judge="llm")
    claim = "Some 220,000 RockaRoo rockers are part of the 4moms recall."
    quotes = evidence_for(pipeline, tmp_path, "\n\n".join(lines), claim)
    assert len(quotes) == pipeline.checker.windows_per_article == 3
    assert all(verbatim(q) for q in quotes)


def test_a_sentence_is_judged_after_its_antecedent_as_well_as_before_its_neighbour(
    fake_pipeline, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Windows that only share a sentence are both kept: "For that race she earned $2 million." is
    judged after the sentence that names the race, not only before one about another race."""
    lines = [
        "Rivera won the Harbor Cup regatta in Lisbon last month.",
        "For that race she earned $2 million.",
        "On Sunday, Rivera finished 9th at the Harbor Cup regatta in Oslo.",
    ]
    claim = "Rivera earned $2 million for winning the Harbor Cup regatta in Lisbon."
    quotes = evidence_for(fake_pipeline(judge="llm"), tmp_path, " ".join(lines), claim)
    texts = [q.text for q in quotes]
    assert " ".join(lines[:2]) in texts and " ".join(lines[1:]) in texts
    assert all(verbatim(q) for q in quotes)


def test_beside_a_support_a_sentence_that_leaves_out_the_names_reports_nothing_differently() -> None:
    claim = "Putin and Khan agreed to cooperate within the SCO."
    named = "During the call, Putin and Khan discussed ways to cooperate under the SCO."
    unnamed = "The two leaders also agreed to closely cooperate within the SCO to promote regional peace."
    judged = judge.Judgement("supported", ("supports", "contradicts"))
    assert judge.guard(claim, judged, [named, unnamed], [0.8, 0.7], 0.45).stances == ("supports", "unrelated")
    # alone, leaving out every name still sets it apart from the claim, as before
    alone = judge.Judgement("contradicted", ("contradicts",))
    assert judge.guard(claim, alone, [unnamed], [0.7], 0.45).stances == ("contradicts",)
    # and beside a support, a sentence that names someone else in the claim's place still reports it differently
    other = "Putin and Modi agreed to cooperate within the SCO, the Kremlin said."
    assert judge.guard(claim, judged, [named, other], [0.8, 0.7], 0.45).stances == ("supports", "contradicts")


def test_a_name_the_article_title_gives_is_not_left_out() -> None:
    """ "Last month, he survived a confidence vote" leaves out "Johnson", unless its article is titled
    with him; a title that names someone else does not stand in for the claim's names."""
    claim = "Johnson survived a confidence vote last month."
    sentence = "Last month, he survived a confidence vote among members of his own party."
    alone = judge.Judgement("contradicted", ("contradicts",))
    assert judge.missing_names(claim, sentence) == ["Johnson"]
    assert judge.guard(claim, alone, [sentence], [0.7], 0.45).verdict == "contradicted"
    titled = "Boris Johnson: UK Prime Minister resigns after mutiny in his party"
    assert judge.missing_names(claim, sentence, title=titled) == []
    assert judge.guard(claim, alone, [sentence], [0.7], 0.45, titles=[titled]).verdict == "not_found"
    other = "Theresa May survives a confidence vote"
    assert judge.guard(claim, alone, [sentence], [0.7], 0.45, titles=[other]).verdict == "contradicted"
    # the title names whom the claim speaks of, not a detail the claim adds about them
    based = "Patriot Front is based in Idaho, according to the Anti-Defamation League."
    beliefs = "The Patriot Front believes America is theirs, according to the Anti-Defamation League."
    arrested = "Police in Coeur d'Alene, Idaho, arrest 31 men linked to Patriot Front"
    assert judge.missing_names(based, beliefs, title=arrested) == ["Idaho"]


def test_a_first_name_is_not_left_out_when_the_surname_with_its_particle_is_given() -> None:
    claim = "The strike that killed Ayman al-Zawahiri in Kabul used two Hellfire missiles."
    sentence = "Zawahiri was killed in Kabul by an airstrike using two Hellfire missiles."
    assert judge.missing_names(claim, sentence) == []
    assert judge.missing_names("Ursula von der Leyen spoke in Kyiv.", "Von der Leyen spoke in Kyiv.") == []
    assert judge.missing_names(claim, "Rabia'a al-Zawahiri was killed in Kabul by two Hellfire missiles.") == []
    elsewhere = "Bin Laden was killed in Abbottabad."
    assert judge.missing_names(claim, elsewhere) == ["Ayman", "Hellfire", "Kabul", "Zawahiri"]


def test_a_support_that_leaves_out_a_denied_detail_gives_way_to_the_denial() -> None:
    supports = judge.Judgement("supported", ("supports", "unrelated"))
    awarded = "The jury awarded Huth $500,000 in damages after a two-week trial."
    denial = "No punitive compensation was awarded, the court said."
    claim = "The jury also awarded Huth punitive damages."
    checked = judge.guard(claim, supports, [awarded, denial], [0.8, 0.65], 0.45)
    assert checked.verdict == "contradicted" and checked.stances == ("unrelated", "contradicts")
    # the denied word is not the claim's, the denial is off the topic, or the support states it: it stands
    assert judge.guard("The jury awarded Huth damages.", supports, [awarded, denial], [0.8, 0.65], 0.45).verdict == (
        "supported"
    )
    assert judge.guard(claim, supports, [awarded, denial], [0.8, 0.4], 0.45).verdict == "supported"
    stated = "The jury awarded Huth $500,000 in punitive damages after a two-week trial."
    assert judge.guard(claim, supports, [stated, denial], [0.8, 0.65], 0.45).verdict == "supported"


def test_a_two_part_claim_is_supported_by_two_sentences_of_one_article(fake_pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Neither sentence states "made landfall in Nayarit, and its winds had dropped to about 70 mph";
    the first even gives 120 mph. Judged joined, the two do (rag/conjuncts.py)."""

    reads_whole_statements = scripted_judge(
        lambda e: "supports" if "landfall" in e and "70 mph" in e else "contradicts" if "120 mph" in e else "unrelated",
        verdict="not_found",
    )

    lines = [
        "Hurricane Roslyn made landfall in Nayarit on Sunday morning, with maximum sustained winds of 120 mph.",
        "Thousands of residents spent the night in shelters along the coast.",
        "Schools in the state will stay closed until Wednesday.",
        "By Sunday afternoon, Roslyn's maximum sustained winds had dropped to about 70 mph, the hurricane center said.",
    ]
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "roslyn.txt").write_text("\n\n".join(lines))
    pipeline: Pipeline = fake_pipeline(*[reads_whole_statements] * 3, judge="llm")
    pipeline.ingest([folder])
    claim = "Hurricane Roslyn made landfall in Nayarit, and its winds had dropped to about 70 mph by Sunday afternoon."
    (result,) = pipeline.check(claim).claims
    assert result.verdict == "supported", result.notes
    supporting = [q.text for q in result.quotes if q.stance == "supports"]
    assert any(lines[0] in t for t in supporting) and any(lines[3] in t for t in supporting)
    assert result.reported_differently == [] and any("together" in note for note in result.notes)
    assert all(verbatim(q) for q in result.quotes)
    # one statement alone is no two-part claim: nothing is joined
    (single,) = pipeline.check("Hurricane Roslyn made landfall in Nayarit with winds of 70 mph.").claims
    assert single.verdict == "contradicted"


def test_an_article_that_states_the_claim_does_not_report_it_differently(fake_pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Beside its sentence that states the claim, an article's sentence with another figure is about
    something else (another day's price); another article's other figure for the same day is
    another account, and is flagged."""

    reads_prices = scripted_judge(
        lambda e: "supports" if "$4.37" in e else "contradicts" if "$4.16" in e or "$4.29" in e else "unrelated",
        verdict="supported",
    )

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "monday.txt").write_text(
        "The national average for regular gas rose to $4.37 a gallon on Tuesday, AAA said.\n\n"
        "Drivers in California paid the most.\n\n"
        "The national average for regular gas fell to $4.16 a gallon on Wednesday, AAA said."
    )
    (folder / "other.txt").write_text(
        "The national average for regular gas rose to $4.29 a gallon on Tuesday, AAA said.\n\n"
        "Diesel prices were unchanged."
    )
    pipeline: Pipeline = fake_pipeline(reads_prices, judge="llm")
    pipeline.ingest([folder])
    claim = "AAA said the national average for regular gas rose to $4.37 a gallon on Tuesday."
    (result,) = pipeline.check(claim).claims
    assert result.verdict == "supported", result.notes
    assert [d["quote"] for d in result.reported_differently] == [
        "The national average for regular gas rose to $4.29 a gallon on Tuesday, AAA said."
    ]
    assert not any("$4.16" in q.text and q.stance == "contradicts" for q in result.quotes)
