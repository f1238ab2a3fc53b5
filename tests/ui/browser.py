"""Driving Debian's Chromium with Playwright for the UI tests: the browser's flags, a log of every
request the page makes (to fail on any that leaves the machine), screenshots, and waiting for
answers in the chat."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("ATTEST_TEST_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ui"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# No wall-clock limit on waits (0 = wait until it happens): a slow machine is not a failure; a hung
# test is ended by pytest's --timeout (pyproject.toml).
ANSWER_TIMEOUT_MS = 0


def chromium_path() -> str:
    """The system Chromium (Playwright's own download does not work offline)."""
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not found:
        raise RuntimeError(f"no Chromium at {CHROMIUM}; install it with: apt-get install -y chromium")
    return found


class RequestLog:
    """Every URL the page asks for; ``foreign()`` are those whose host is not this machine."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def attach(self, page: Any) -> None:
        page.on("request", lambda request: self.urls.append(request.url))

    def foreign(self) -> list[str]:
        out = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue  # inline content, never a connection
            if parts.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def ask(page: Any, question: str) -> str:
    """Type ``question``, send it, wait for the finished answer; the answer's text."""
    done = page.locator("#chat [data-testid=bot] small.done").count()
    page.fill("#question textarea", question)
    page.click("#send")
    return wait_for_answer(page, done + 1)


def wait_for_answer(page: Any, count: int, timeout_ms: int = ANSWER_TIMEOUT_MS) -> str:
    """Wait until ``count`` answers are finished (or an error is shown); the last one's text."""
    page.wait_for_function(
        """(count) => {
            const bots = document.querySelectorAll('#chat [data-testid=bot]');
            const last = bots[bots.length - 1];
            return document.querySelectorAll('#chat [data-testid=bot] small.done').length >= count
                || (last && last.innerText.startsWith('Error:'));
        }""",
        arg=count,
        timeout=timeout_ms,
    )
    text: str = page.locator("#chat [data-testid=bot]").last.inner_text()
    if text.startswith("Error:"):
        raise AssertionError(f"the chat shows an error: {text}")
    return text


def open_tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def source_file_of(card: Any) -> Path:
    """The file a source card names (``code.where``: a path, or ``path#id`` for a .jsonl line)."""
    return Path(card.locator(".origin code.where").inner_text().split("#", 1)[0])


def assert_quote_is_verbatim(page: Any) -> tuple[str, Path]:
    """The active (clicked) source card's highlighted quote is visible and is exactly the text of
    its source file at the quote's offsets; returns the quote and the file."""
    card = page.locator("#sources .source.active")
    marks = card.locator(".passage mark.quote.active")
    assert marks.count() >= 1 and marks.first.is_visible()
    assert marks.first.evaluate("el => getComputedStyle(el).backgroundColor") not in ("", "rgba(0, 0, 0, 0)")
    # The clicked quote is the one every active piece belongs to (pieces may be shared by quotes).
    keys = set.intersection(*(set(m.get_attribute("data-quotes").split()) for m in marks.all()))
    assert len(keys) == 1, keys
    start, end = (int(x) for x in keys.pop().split("-"))
    path = source_file_of(card)
    source = path.read_text(encoding="utf-8")
    shown = "".join(marks.all_inner_texts())
    assert shown == source[start:end], (shown, source[start:end])
    assert len(shown) > 20
    return shown, path
