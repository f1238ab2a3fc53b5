"""Questions that name their own time ("this week") are not answered from articles of another time."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from rag import timeframe
from rag.types import ArticleRef, Filters


class Item:
    def __init__(self, published: str) -> None:
        self.article = ArticleRef(published_at=published)


def test_the_phrase_sets_how_far_back_a_question_reaches() -> None:
    assert timeframe.window_days("Which NFL star announced his retirement this week?") == ("this week", 9)
    assert timeframe.window_days("Who resigned on Tuesday?") == ("on Tuesday", 9)
    assert timeframe.window_days("What did the minister say yesterday, this week?") == ("yesterday", 3)
    assert timeframe.window_days("What happened last week?") == ("last week", 16)
    assert timeframe.window_days("What did the Kremlin say about the SCO?") is None
    assert timeframe.window_days("What did he say on the weekly show?") is None


def test_a_quoted_title_names_no_time() -> None:
    song = "With which singer did Ronnie Spector return to radio on the 1986 hit 'Take Me Home Tonight'?"
    assert timeframe.window_days(song) is None and timeframe.frame(song, "2022-01-17") is None
    assert timeframe.window_days("Who sang \u201cRuby Tuesday\u201d on Tuesday?") == ("on Tuesday", 9)
    assert timeframe.window_days("Which of the Beatles' songs did she sing today?") == ("today", 3)  # an apostrophe
    released = 'Who wrote "Born in March 2022", released in June 2022?'
    assert timeframe.named_month(released) == ("June 2022", date(2022, 6, 1))


def test_older_articles_are_dropped_and_undated_ones_kept() -> None:
    window = timeframe.frame("Who won the award this week?", "2022-06-16")
    assert window is not None and (window.start, window.end) == ("2022-06-07", "2022-06-16")
    items = [Item("2022-06-15"), Item("2022-05-02"), Item(""), Item("2022-06-07")]
    kept, dropped = timeframe.within(items, window)
    assert [i.article.published_at for i in kept] == ["2022-06-15", "", "2022-06-07"]
    assert [i.article.published_at for i in dropped] == ["2022-05-02"]
    assert timeframe.frame("Who won the award this week?", "") is None  # no reference date: no frame
    assert timeframe.within(items, None) == (items, [])


def _corpus(folder: Path) -> Path:
    records = [
        {
            "doc_id": "may",
            "title": "Star receiver retires",
            "published_at": "2022-05-02",
            "source": "https://www.example.com/may",
            "text": "Star receiver retires\n\nThe NFL star Jim Example announced his retirement on Tuesday "
            "after twelve seasons. Example said he wanted to spend more time with his family.",
        },
        {
            "doc_id": "june",
            "title": "Storms hit the coast",
            "published_at": "2022-06-14",
            "source": "https://www.example.com/june",
            "text": "Storms hit the coast\n\nHeavy storms hit the coast this week, the weather service said. "
            "Thousands of homes lost power on Monday.",
        },
    ]
    path = folder / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


def test_a_this_week_question_is_not_answered_from_last_month(fake_pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline = fake_pipeline()  # no scripted reply: any LLM call would fail the test
    pipeline.ingest([_corpus(tmp_path)])
    answer = pipeline.ask("Which NFL star announced his retirement this week?", Filters(as_of="2022-06-16"))
    assert answer.status == "not_found"
    assert pipeline.llm.calls == []  # type: ignore[attr-defined]
    assert any("published before 2022-06-07" in note and "this week" in note for note in answer.notes)
    assert "this week" in answer.searched.filters["time"]
    # asked about its own month, the same article answers
    reply = {"answer": "Jim Example", "cite": [1]}
    pipeline = fake_pipeline(json.dumps(reply))
    pipeline.ingest([_corpus(tmp_path)])
    answer = pipeline.ask("Which NFL star announced his retirement this week?", Filters(as_of="2022-05-05"))
    assert answer.status == "answered" and answer.short == "Jim Example"


def test_a_named_month_drops_articles_published_before_it() -> None:
    question = "By how much did beef prices rise, according to the index released in March 2022?"
    window = timeframe.frame(question, "2022-04-20")
    assert window is not None and (window.phrase, window.start, window.end) == (
        "March 2022",
        "2022-03-01",
        "2022-04-20",
    )
    kept, dropped = timeframe.within([Item("2022-01-12"), Item("2022-03-10"), Item("")], window)
    assert [i.article.published_at for i in dropped] == ["2022-01-12"] and len(kept) == 2
    assert timeframe.frame("What did AAA report on June 6, 2022 and in early May 2022?", "") == timeframe.Frame(
        "early May 2022", "2022-05-01", ""
    )  # the earliest month named; no reference date needed
    this_week = timeframe.frame("What was reported this week, in March 2022?", "2022-03-20")
    assert this_week is not None and this_week.start == "2022-03-11"  # the narrower frame wins
    for other in (
        "Which law will take effect in January 2023?",  # looks ahead: an older article may announce it
        "How far have prices risen since March 2022?",  # a bound, not when it happened
        "What did the index show in 2022?",  # a year alone is too wide to drop anything
        "What did Biden's May 2022 remarks say?",
    ):
        assert timeframe.frame(other, "2022-06-01") is None, other
    assert timeframe.frame("What happened in March 2022?", "2022-02-01") is None  # after the reference date


class _Search:
    """A retriever whose older articles outrank the frame's own, as on a busy news week."""

    def __init__(self) -> None:
        self.asked: list[Filters] = []

    def check_ready(self) -> None:
        pass

    def reference_date(self, filters: Filters) -> str:
        return filters.as_of or ""

    def search(self, question: str, top_k: int, filters: Filters) -> list:  # type: ignore[type-arg]
        from rag.retrieve import Hit

        self.asked.append(filters)
        days = ["2022-05-0" + str(n) for n in range(1, 10)] + ["2022-06-13", "2022-06-14"]
        hits = [Hit(f"c{n}", ArticleRef(doc_id=f"d{n}", published_at=d), 0, 1, "x", 0.5) for n, d in enumerate(days)]
        return [h for h in hits if h.article.published_at >= (filters.since or "")][:top_k]


def test_a_frame_that_leaves_too_few_passages_searches_again_inside_it() -> None:
    from index.settings import Settings
    from rag.answer import Answerer

    search = _Search()
    answerer = Answerer(Settings(), search, None, None)  # type: ignore[arg-type]
    hits, older, window = answerer.retrieve("Who retired this week?", Filters(as_of="2022-06-16"), 3)
    assert window is not None and len(older) == 6  # the first search's 6 May articles are left out
    assert [h.article.published_at for h in hits] == ["2022-06-13", "2022-06-14"]  # found by the second
    assert search.asked[1].since == "2022-06-07" and search.asked[1].as_of == "2022-06-16"
    search.asked.clear()
    answerer.retrieve("Who retired?", Filters(as_of="2022-06-16"), 3)  # no frame: one search
    assert len(search.asked) == 1
