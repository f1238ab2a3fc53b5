"""The web UI on the real default stack (the packaged LLM and embedder, answers re-read by the
judge) in Chromium: one question, streamed, answered, a citation clicked and its quote checked
against the source file; no request leaves the machine."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.ui import browser
from tests.ui.conftest import serve

KREMLIN = "What did the Kremlin say about the SCO?"


@pytest.mark.slow
def test_real_stack_answers_with_a_checkable_citation(
    tmp_path: Path, real_llm: Any, real_embedder: Any, open_page: Any
) -> None:
    app = serve(tmp_path, real_llm, real_embedder)
    try:
        assert app.pipeline.settings.judge_answers  # the default stack, judge included
        page = open_page(app.url)
        page.wait_for_selector("#question textarea")
        page.evaluate(
            """() => { window.sawStreaming = false;
            new MutationObserver(() => { for (const b of document.querySelectorAll('#chat [data-testid=bot]'))
                if (b.innerText.includes('\\u258d') && b.innerText.replace(/\\s/g, '').length > 20)
                    window.sawStreaming = true; }).observe(document.body, {subtree: true, childList: true,
                    characterData: true}); }"""
        )
        page.fill("#question textarea", KREMLIN)
        page.click("#send")
        text = browser.wait_for_answer(page, 1, timeout_ms=900_000)
        browser.screenshot(page, "20-real-answer")
        assert page.evaluate("window.sawStreaming"), "the answer was not streamed"
        assert re.search(r"\[\d+\]", text) and "Not in the corpus" not in text
        assert real_llm.name in text

        page.locator("#chat a.cite").first.click()
        quote, path = browser.assert_quote_is_verbatim(page)
        assert path.parent == app.seeds
        assert any(word in quote for word in ("SCO", "Shanghai", "Kremlin", "terrorism"))
        browser.screenshot(page, "21-real-citation")
    finally:
        app.close()
