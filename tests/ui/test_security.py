"""What a document or a client cannot do: run a link scheme other than http(s), drive the
terminal with escape sequences, learn the server's paths or get its input echoed back, or guess
the login at full speed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from index.settings import Settings
from rag.pipeline import Pipeline
from rag.safe_text import terminal_safe
from rag.types import Answer, AnswerSentence
from tests.index.test_store_server import free_port
from tests.ui.conftest import Served
from tests.ui.fakes import NewsroomLLM
from tests.ui.test_render import cited_answer, passage
from ui import render
from ui.cli_render import render_answer
from ui.login import FREE_ATTEMPTS, ThrottledLogin
from ui.render import Turn
from ui.server import launch


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd"]
)
def test_only_http_links_are_rendered_as_links(url: str) -> None:
    panel = render.sources_html([Turn(1, "q", cited_answer(passage(url=url)), articles={})])
    assert 'href="javascript' not in panel.lower() and 'href="data:' not in panel and 'href="file:' not in panel
    assert 'class="where"' in panel  # still shown, as text
    ok = render.sources_html([Turn(1, "q", cited_answer(passage(url="https://example.org/a")), articles={})])
    assert 'href="https://example.org/a"' in ok


def test_terminal_output_carries_no_escapes_or_nul() -> None:
    answer = cited_answer()
    answer.sentences.insert(0, AnswerSentence("Putin said that\x1b[2J talks \x00went \x1b]0;owned\x07well.", []))
    answer.notes.append("note \x9b31m red \u202eevil")
    shown = render_answer(answer)
    assert "that talks went well." in shown
    assert not any(ch in shown for ch in "\x1b\x00\x07\x9b\u202e")
    assert terminal_safe("a\tb\nc") == "a\tb\nc"


def test_api_errors_and_info_reveal_no_paths_or_input(served_app: Served) -> None:
    from gradio_client import Client

    client = Client(served_app.url, verbose=False)
    probe = "x" * 100_000
    with pytest.raises(Exception) as caught:
        client.predict(probe, api_name="/document")
    message = str(caught.value)
    assert "no document with that id" in message and "xxxxxxxxxx" not in message and len(message) < 1000
    info = client.predict(api_name="/info")
    text = repr(info)
    home = str(Path.home())
    assert str(served_app.pipeline.settings.data_dir) not in text and home not in text
    assert info["index"]["documents"] == 5 and info["data_dir"].startswith("\u2026/")


def test_login_is_throttled(tmp_path: Path, real_embedder: Any) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", model_cache_dir=tmp_path / "models", auth_user="editor", auth_password="s3cret"
    )
    port = free_port()
    demo = launch(Pipeline(settings, embedder=real_embedder, llm=NewsroomLLM()), port=port, block=False)
    try:
        url = f"http://127.0.0.1:{port}/login"
        codes = [httpx.post(url, data={"username": "editor", "password": f"guess{n}"}).status_code for n in range(100)]
        assert set(codes) == {400}
        right = httpx.post(url, data={"username": "editor", "password": "s3cret"})
        assert right.status_code == 400  # locked out: the right password is not even checked
    finally:
        demo.close()


def test_the_lockout_ends_and_grows() -> None:
    now = [1000.0]
    login = ThrottledLogin("editor", "s3cret", clock=lambda: now[0])
    assert login("editor", "s3cret")
    for n in range(FREE_ATTEMPTS):
        assert not login("editor", f"wrong{n}")
    first = login.seconds_left()
    assert first > 0 and not login("editor", "s3cret")
    now[0] += first + 0.1
    assert not login("editor", "wrong again")  # a further failure: a longer lockout
    assert login.seconds_left() == 2 * first
    now[0] += 2 * first + 0.1
    assert login("editor", "s3cret") and login.failures == 0


def test_an_answer_with_a_fake_marker_in_the_source_renders_as_text() -> None:
    answer = cited_answer()
    answer.sentences[0] = AnswerSentence("It said [7](javascript:alert(1)) <img src=x onerror=alert(1)>.", [])
    message = render.chat_markdown(Turn(1, "q", answer))
    assert "\\[7\\](javascript" in message and "\\<img" in message  # escaped: no link, no tag
    assert isinstance(answer, Answer)
