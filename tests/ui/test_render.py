"""What the web UI shows, as strings: quotes highlighted at their exact offsets, clickable [n],
the "not in the corpus" summary, the whole-article window, and the exports."""

from __future__ import annotations

import json
import re

from rag.types import Answer, AnswerSentence, ArticleRef, Citation, Passage, SearchInfo, Sentence
from ui import render
from ui.render import Turn

ARTICLE = (
    "MOSCOW, August 25. /TASS/. Putin and Khan spoke by phone. "
    'The SCO should "fight terrorism & drug trafficking," the Kremlin said. '
    "Both sides agreed to stay in contact."
)
QUOTE = 'The SCO should "fight terrorism & drug trafficking," the Kremlin said.'
TASS_REF = ArticleRef("d1", "/x.txt", "T", "TASS", "2021-08-25")


def passage(start: int = 0, end: int = len(ARTICLE), number: int = 1, **meta: str) -> Passage:
    fields = {"title": "Putin, Khan talk", "outlet": "TASS", "published_at": "2021-08-25", "url": ""} | meta
    article = ArticleRef("doc-1", "/news/tass.txt", **fields)
    return Passage(number, "c1", article, start=start, end=end, text=ARTICLE[start:end], score=0.7)


def cited_answer(p: Passage | None = None) -> Answer:
    p = p or passage()
    start = ARTICLE.index(QUOTE)
    citation = Citation(p.number, p, Sentence(start, start + len(QUOTE), QUOTE), support=0.91)
    sentences = [
        AnswerSentence("The Kremlin said the SCO should *fight* terrorism.", [citation]),
        AnswerSentence("Putin visited Islamabad.", [], supported=False),
    ]
    searched = SearchInfo("What did the Kremlin say?", {}, 6, 4, 0.8, 0.4)
    notes = ["Removed [9]."]
    return Answer("What did the Kremlin say?", Answer.ANSWERED, sentences, searched, notes, "llm", {"total": 2.5})


def test_quotes_are_marked_at_their_exact_offsets() -> None:
    start = ARTICLE.index(QUOTE)
    base = 10
    html = render.highlight(ARTICLE[base:], base, [(start, start + len(QUOTE))])
    (marked,) = re.findall(r'<mark class="quote" data-quotes="(\d+)-(\d+)">(.*?)</mark>', html)
    assert (int(marked[0]), int(marked[1])) == (start, start + len(QUOTE))
    assert marked[2] == QUOTE.replace("&", "&amp;").replace('"', "&quot;")  # escaped, not altered
    assert re.sub(r"<[^>]+>", "", html).replace("&amp;", "&").replace("&quot;", '"') == ARTICLE[base:]


def test_overlapping_quotes_and_the_passage_span() -> None:
    html = render.highlight("abcdefghij", 100, [(102, 106), (104, 108)], span=(101, 109))
    assert html == (
        'a<span class="passage-span">b<mark class="quote" data-quotes="102-106">cd</mark>'
        '<mark class="quote" data-quotes="102-106 104-108">ef</mark>'
        '<mark class="quote" data-quotes="104-108">gh</mark>i</span>j'
    )


def test_long_articles_show_a_window_around_the_passage() -> None:
    article = "x" * 100_000 + "THE PASSAGE" + "y" * 100_000
    start = article.index("THE PASSAGE")
    html = render.article_view(article, (start, start + 11), [(start, start + 3)])
    assert "characters before this are not shown" in html and "characters after this are not shown" in html
    assert '<mark class="quote" data-quotes="100000-100003">THE</mark>' in html
    assert len(html) < render.ARTICLE_WINDOW + 500


def test_chat_message_links_each_citation_to_its_source_card() -> None:
    turn = Turn(3, "What did the Kremlin say?", cited_answer(), articles={"doc-1": ARTICLE})
    chat = render.chat_markdown(turn)
    start = ARTICLE.index(QUOTE)
    assert f'<a class="cite" href="#src-3-1-{start}-{start + len(QUOTE)}" title="TASS, 2021-08-25">[1]</a>' in chat
    assert r"\*fight\*" in chat  # the model's text cannot turn into Markdown
    assert "(unsupported: no passage in the corpus states this)" in chat
    assert "2.5 s \u00b7 llm" in chat and "class='meta done'" in chat

    panel = render.sources_html([turn])
    assert f'id="src-3-1" data-doc-id="doc-1" data-start="0" data-end="{len(ARTICLE)}"' in panel
    assert '<b class="outlet">TASS</b>' in panel and "<cite>Putin, Khan talk</cite>" in panel
    assert '<code class="where">/news/tass.txt</code>' in panel and "Show whole article" in panel
    assert "What the checks changed (1)" in panel and "Removed [9]." in panel


def test_a_card_links_to_the_url_and_knows_a_missing_article() -> None:
    p = passage(url="https://example.org/a?b=1&c=2")
    panel = render.sources_html([Turn(1, "q", cited_answer(p), articles={})])
    assert 'href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer"' in panel
    assert "The whole article is no longer in the index." in panel and "Show whole article" not in panel
    changed = render.sources_html([Turn(1, "q", cited_answer(p), articles={"doc-1": "another text"})])
    assert "Show whole article" not in changed  # offsets no longer fit: no misleading highlight


def test_not_in_the_corpus_shows_what_was_searched() -> None:
    searched = SearchInfo("Who won the 2022 World Cup?", {"outlet": "TASS", "as_of": "2021-08-24"}, 6, 5, 0.33, 0.4)
    notes = ["No passage was relevant enough; the LLM was not asked."]
    answer = Answer(searched.query, Answer.NOT_FOUND, [], searched, notes)
    turn = Turn(1, searched.query, answer, standalone="")
    expected = (
        "Searched for \u201cWho won the 2022 World Cup?\u201d (filters: outlet TASS, as of 2021-08-24); "
        "looked at 5 passages, best relevance 0.33 (needs 0.40)."
    )
    assert render.searched_text(searched) == expected
    chat = render.chat_markdown(turn)
    assert chat.startswith("**Not in the corpus:**") and "the LLM was not asked" in chat
    assert "Not in the corpus." in render.sources_html([turn]) and "no sources" in render.sources_html([turn])


def test_follow_ups_show_what_was_searched_and_older_turns_fold() -> None:
    first = Turn(1, "What did the Kremlin say?", cited_answer(), articles={"doc-1": ARTICLE})
    second = Turn(2, "And about Afghanistan?", cited_answer(), standalone="What did the Kremlin say about Afghanistan?")
    assert "Searched as: \u201cWhat did the Kremlin say about Afghanistan?\u201d" in render.chat_markdown(second)
    panel = render.sources_html([first, second])
    assert panel.index('id="turn-2"') < panel.index('id="turn-1"')
    assert '<section class="turn" id="turn-2"><details class="turn-box" open>' in panel
    assert '<section class="turn" id="turn-1"><details class="turn-box">' in panel


def test_exports_carry_citations_and_quotes() -> None:
    turn = Turn(1, "What did the Kremlin say?", cited_answer(), standalone="")
    markdown = render.export_markdown(turn)
    start = ARTICLE.index(QUOTE)
    assert markdown.startswith("# What did the Kremlin say?\n\n## Answer\n")
    where = f"/news/tass.txt (quote: chars {start}-{start + len(QUOTE)})"
    assert f"[1] TASS, 2021-08-25, \u201cPutin, Khan talk\u201d \u2014 {where}" in markdown
    assert f"> {QUOTE}" in markdown and "## Notes\n\n- Removed [9]." in markdown
    data = json.loads(render.export_json(turn))
    assert data["asked"] == data["standalone_question"] == "What did the Kremlin say?"
    assert data["citations"][0]["quote"] == {"start": start, "end": start + len(QUOTE), "text": QUOTE}
    assert data["sentences"][1]["supported"] is False
    assert render.slug("What did the Kremlin say about the SCO?") == "what-did-the-kremlin-say-about-the-sco"
    assert render.slug("???") == "answer"


def test_streaming_message_shows_sentences_then_the_phase() -> None:
    assert render.streaming_markdown([], "", "Searching\u2026") == "<small class='meta'>Searching\u2026</small>"
    shown = render.streaming_markdown(["The [Kremlin] said", "more"], "{", "Writing")
    assert shown.startswith("The \\[Kremlin\\] said more \u258d") and "Writing" in shown
    assert render.streaming_markdown(None, "plain *text*", "Writing").startswith(r"plain \*text\*")


def test_streaming_message_shows_the_evidence_before_the_answer() -> None:
    from rag.types import Evidence, Passage, Sentence

    passage = Passage(1, "c1", TASS_REF, 0, 40, "The *SCO* matters [9].", 0.9)
    evidence = [Evidence(3, passage, Sentence(0, 22, "The *SCO* matters [9]."), 0.7)]
    waiting = render.streaming_markdown([], "", "The model is reading the evidence\u2026", evidence)
    assert "**[3]** TASS, 2021-08-25: \u201cThe \\*SCO\\* matters \\[9\\].\u201d" in waiting  # escaped, verbatim
    writing = render.streaming_markdown(["Bishkek"], '{"answer": "Bishkek', "Writing\u2026", evidence)
    assert writing.index("Bishkek") < writing.index("Evidence")


def test_the_finished_answer_keeps_the_evidence_folded_and_escaped() -> None:
    from rag.types import Evidence

    passage = Passage(1, "c1", TASS_REF, 0, 40, "<b>SCO</b> matters.", 0.9)
    evidence = [Evidence(2, passage, Sentence(0, 19, "<b>SCO</b> matters."), 0.7)]
    answer = Answer("q", Answer.ANSWERED, [], SearchInfo("q", {}, 6, 1, 0.7, 0.4), evidence=evidence)
    chat = render.chat_markdown(Turn(1, "q", answer))
    assert "<summary>Evidence the model read (1)</summary>" in chat
    assert "&lt;b&gt;SCO&lt;/b&gt; matters." in chat and "<b>SCO</b>" not in chat
