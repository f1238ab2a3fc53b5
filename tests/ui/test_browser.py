"""The web UI in a real browser (Debian's Chromium via Playwright), over the seeds with the scripted
LLM and the real embedder: ask, stream, click a citation, read the highlighted quote; follow-ups;
"not in the corpus"; filters; exports; upload, answer from and delete a document; settings.
Screenshots of each state go to test-artifacts/ui/. Every test fails if the page makes a request
to anything but this machine (tests/ui/conftest.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from index.settings import Settings
from rag.pipeline import Pipeline
from tests.index.test_store_server import free_port
from tests.ui import browser
from tests.ui.conftest import Served
from tests.ui.fakes import NewsroomLLM
from ui.app import EMPTY_INDEX
from ui.server import launch

KREMLIN = "What did the Kremlin say about the SCO?"


def test_ask_stream_click_citation_and_export(served_app: Served, open_page: Any) -> None:
    page = open_page(served_app.url)
    page.wait_for_selector("#question textarea")
    assert page.locator("#attest-header h1").inner_text() == "Attest"
    # Styled, not a bare page: the theme's stylesheet gives the primary button its colour.
    colour = page.locator("#send").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)", "rgb(255, 255, 255)")
    browser.screenshot(page, "01-start")

    page.fill("#question textarea", KREMLIN)
    page.click("#send")
    # Streaming: the answer's first words appear (with a cursor) before it is finished.
    page.wait_for_function(
        "() => [...document.querySelectorAll('#chat [data-testid=bot]')].some("
        "b => b.innerText.includes('\u258d') && /Kremlin|SCO/.test(b.innerText))",
        timeout=browser.ANSWER_TIMEOUT_MS,
    )
    browser.screenshot(page, "02-streaming")
    text = browser.wait_for_answer(page, 1)
    assert "terrorism" in text and re.search(r"\[\d+\]", text) and "\u258d" not in text
    browser.screenshot(page, "03-answer")

    page.locator("#chat a.cite").first.click()
    quote, path = browser.assert_quote_is_verbatim(page)
    assert "terrorism" in quote and path.parent == served_app.seeds
    card = page.locator("#sources .source.active")
    assert card.locator(".outlet").inner_text() == "TASS"
    assert card.locator(".date").inner_text() == "2021-08-25"
    assert card.locator(".title").is_visible()
    browser.screenshot(page, "04-citation-clicked")

    card.locator("details.article > summary").click()
    article = card.locator(".article-text")
    article.wait_for()
    assert article.inner_text().replace("\n", "") in path.read_text(encoding="utf-8").replace("\n", "")
    assert _inside(article.locator("mark.quote").first, article)
    browser.screenshot(page, "05-whole-article")

    with page.expect_download() as got:
        page.click("#export-md")
    markdown = Path(got.value.path()).read_text(encoding="utf-8")
    assert markdown.startswith(f"# {KREMLIN}") and "## Sources" in markdown
    assert re.search(r"\[\d+\] TASS, 2021-08-25", markdown) and " ".join(quote.split()) in markdown
    with page.expect_download() as got:
        page.click("#export-json")
    data = json.loads(Path(got.value.path()).read_text(encoding="utf-8"))
    assert data["asked"] == KREMLIN and data["status"] == "answered"
    assert data["citations"][0]["quote"]["text"] == quote and data["citations"][0]["outlet"] == "TASS"


def test_follow_up_is_searched_as_a_standalone_question(served_app: Served, open_page: Any) -> None:
    page = open_page(served_app.url)
    browser.ask(page, KREMLIN)
    text = browser.ask(page, "What did they say about Afghanistan?")
    assert "Searched as: \u201cWhat did the Kremlin say about Afghanistan?\u201d" in text
    assert re.search(r"\[\d+\]", text) and "Afghan" in text
    latest = page.locator("#sources section.turn").first
    assert "What did they say about Afghanistan?" in latest.locator("summary .turn-q").inner_text()
    assert "What did the Kremlin say about Afghanistan?" in latest.locator(".searched-as").inner_text()
    browser.screenshot(page, "06-follow-up")

    # A [n] of the first answer still opens the first answer's source.
    page.locator("#chat [data-testid=bot]").first.locator("a.cite").first.click()
    assert page.locator("#sources .source.active").get_attribute("id").startswith("src-1-")
    browser.assert_quote_is_verbatim(page)


def test_not_in_the_corpus_shows_what_was_searched(served_app: Served, open_page: Any) -> None:
    page = open_page(served_app.url)
    text = browser.ask(page, "Who won the 2022 World Cup?")
    assert text.startswith("Not in the corpus")
    searched = r"Searched for \u201cWho won the 2022 World Cup\?\u201d \(filters: none\); looked at \d+ passages"
    assert re.search(searched, text)
    panel = page.locator("#sources .not-found")
    assert "Not in the corpus." in panel.inner_text() and "looked at" in panel.inner_text()
    browser.screenshot(page, "07-not-in-corpus")


def test_filters_reach_the_search(served_app: Served, open_page: Any) -> None:
    question = "What did Khan and Putin agree about Afghanistan?"
    page = open_page(served_app.url)
    page.locator("#f-outlet input").click()
    page.get_by_role("option", name="TASS").click()
    page.fill("#f-as-of input", "2021-08-24")
    page.keyboard.press("Enter")
    text = browser.ask(page, question)
    assert text.startswith("Not in the corpus")  # TASS's only article is from 2021-08-25
    assert "filters: outlet TASS, as of 2021-08-24" in text
    browser.screenshot(page, "08-filters")

    page.fill("#f-as-of input", "")
    page.keyboard.press("Enter")
    text = browser.ask(page, question)
    assert re.search(r"\[\d+\]", text)
    outlets = page.locator("#sources section.turn").first.locator(".source .outlet").all_inner_texts()
    assert outlets and set(outlets) == {"TASS"}


def test_upload_answer_and_delete_a_document(served_app: Served, open_page: Any, tmp_path: Path) -> None:
    fact = "The Port of Gwadar handled 1.2 million tonnes of cargo in March, the harbour authority said."
    filler = "\n\n".join(
        f"Paragraph {n} of the harbour bulletin describes routine maintenance of the quay cranes." for n in range(60)
    )
    upload = tmp_path / "Harbour bulletin (draft) #3.txt"
    upload.write_text(f"Harbour bulletin\n\n{filler}\n\n{fact}\n\nEnd of bulletin.\n", encoding="utf-8")
    page = open_page(served_app.url)
    browser.open_tab(page, "Library")
    table = page.locator("#library-table")
    table.wait_for()
    assert table.get_by_text("TASS").count() >= 1
    browser.screenshot(page, "09-library")

    page.evaluate(
        """() => { window.sawProgress = [];
        new MutationObserver(() => document.querySelectorAll('.progress-level, .progress-text').forEach(
            el => window.sawProgress.push(el.innerText))).observe(document.body, {subtree: true, childList: true}); }"""
    )
    page.locator("#upload input[type=file]").set_input_files(str(upload))
    page.click("#ingest")
    status = page.locator("#ingest-status")
    status.get_by_text("article added").wait_for(timeout=browser.ANSWER_TIMEOUT_MS)
    assert "Harbour_bulletin_draft_3.txt: 1 article added" in status.inner_text()
    assert page.evaluate("window.sawProgress.length") > 0, "no progress bar was shown while ingesting"
    page.wait_for_function("() => document.querySelector('#library-table').innerText.includes('Harbour_bulletin')")
    browser.screenshot(page, "10-uploaded")
    saved = served_app.pipeline.settings.uploads_path / "Harbour_bulletin_draft_3.txt"
    assert saved.read_text(encoding="utf-8") == upload.read_text(encoding="utf-8")
    (record,) = [d for d in served_app.pipeline.store.documents() if d.source == str(saved)]
    cells = [line.strip() for line in table.inner_text().splitlines() if line.strip()]
    at = cells.index(str(saved))  # the row: title (the file name), chunk count, file, id
    assert cells[at - 2 : at + 2] == [saved.name, str(record.n_chunks), str(saved), record.doc_id]
    assert record.n_chunks > 1

    browser.open_tab(page, "Ask")
    text = browser.ask(page, "How much cargo did the Port of Gwadar handle in March?")
    assert "1.2 million tonnes" in text
    page.locator("#chat a.cite").first.click()
    quote, path = browser.assert_quote_is_verbatim(page)
    assert path == saved and quote == fact
    card = page.locator("#sources .source.active")
    card.locator("details.article > summary").click()
    article = card.locator(".article-text")
    article.wait_for()
    page.wait_for_function("el => el.scrollTop > 0", arg=article.element_handle())  # scrolled to the span
    assert _inside(article.locator("mark.quote").first, article)
    browser.screenshot(page, "11-uploaded-answer")

    browser.open_tab(page, "Library")
    page.locator("#delete-doc input").click()
    page.get_by_role("option", name=re.compile("Harbour_bulletin_draft_3")).click()
    page.click("#delete")
    page.locator("#delete-status").get_by_text("Deleted").wait_for()
    assert "uploaded file was removed" in page.locator("#delete-status").inner_text()
    page.wait_for_function("() => !document.querySelector('#library-table').innerText.includes('Harbour_bulletin')")
    assert not saved.exists()
    browser.open_tab(page, "Ask")
    text = browser.ask(page, "How much cargo did the Port of Gwadar handle in March?")
    assert "1.2 million" not in text


def test_settings_show_models_index_and_counts(served_app: Served, open_page: Any) -> None:
    page = open_page(served_app.url)
    browser.open_tab(page, "Settings")
    info = page.locator("#settings-info")
    info.get_by_role("cell", name="LLM", exact=True).wait_for()
    text = info.inner_text()
    described = served_app.pipeline.store.describe()
    assert "scripted-newsroom-llm" in text and served_app.pipeline.embedder.name in text
    assert str(described["location"]) in text
    assert re.search(rf"Documents\s+{described['documents']}\b", text)
    assert re.search(rf"Chunks\s+{described['chunks']}\b", text)
    assert "127.0.0.1" in text and "login off" in text
    browser.screenshot(page, "12-settings")


def _inside(inner: Any, outer: Any) -> bool:
    """Whether ``inner`` is within the visible box of the scrolled element ``outer``."""
    a, b = inner.bounding_box(), outer.bounding_box()
    return bool(a and b and a["y"] >= b["y"] - 1 and a["y"] + min(a["height"], 20) <= b["y"] + b["height"] + 1)


def test_login_then_an_empty_index_says_what_to_do(
    tmp_path: Path, real_embedder: Any, open_page: Any, chromium: Any
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", model_cache_dir=tmp_path / "models", auth_user="editor", auth_password="s3cret"
    )
    port = free_port()
    demo = launch(Pipeline(settings, embedder=real_embedder, llm=NewsroomLLM()), port=port, block=False)
    try:
        chromium.clear_cookies()
        page = open_page(f"http://127.0.0.1:{port}/")
        page.get_by_label("username").fill("editor")
        page.get_by_label("password").fill("wrong")
        page.get_by_role("button", name="Login").click()
        page.get_by_text("Incorrect Credentials").wait_for()
        browser.screenshot(page, "13-login")
        page.get_by_label("username").fill("editor")  # the form is cleared after a failed login
        page.get_by_label("password").fill("s3cret")
        page.get_by_role("button", name="Login").click()
        page.wait_for_selector("#question textarea")
        page.fill("#question textarea", KREMLIN)
        page.click("#send")
        message = page.locator("#chat [data-testid=bot]").last
        message.get_by_text("Error:").wait_for()
        assert message.inner_text() == f"Error: {EMPTY_INDEX}"
        browser.screenshot(page, "14-empty-index")
    finally:
        demo.close()
        chromium.clear_cookies()
