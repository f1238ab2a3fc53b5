"""The app's Gradio API as scripts use it (gradio_client over HTTP on loopback), the optional
login, and where it may bind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from index.settings import Settings
from rag.pipeline import Pipeline
from tests.index.test_store_server import free_port
from tests.ui.conftest import Served
from tests.ui.fakes import NewsroomLLM
from ui.app import parse_filters
from ui.server import is_loopback, launch, launch_options

KREMLIN = "What did the Kremlin say about the SCO?"


def test_api_answers_lists_and_describes(served_app: Served) -> None:
    from gradio_client import Client

    client = Client(served_app.url, verbose=False)
    api = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(api) == {"/ask", "/documents", "/document", "/info"}  # the chat's own events stay private

    reply: dict[str, Any] = client.predict(KREMLIN, "", "", "", "", api_name="/ask")
    assert reply["status"] == "answered" and reply["asked"] == KREMLIN
    citation = reply["citations"][0]
    assert citation["outlet"] == "TASS" and "terrorism" in citation["quote"]["text"]
    source = Path(citation["source"]).read_text(encoding="utf-8")
    assert source[citation["quote"]["start"] : citation["quote"]["end"]] == citation["quote"]["text"]

    filtered = client.predict(KREMLIN, "TASS", "", "", "2021-08-24", api_name="/ask")
    assert filtered["status"] == "not_found"
    assert filtered["searched"]["filters"] == {"outlet": "TASS", "as_of": "2021-08-24"}
    assert filtered["searched"]["query"] == KREMLIN

    empty = client.predict("Who won the 2022 World Cup?", api_name="/ask")
    assert empty["status"] == "not_found" and empty["citations"] == []
    assert empty["searched"]["passages_considered"] > 0

    docs = client.predict(api_name="/documents")
    assert len(docs) == 5 and sum(d["chunks"] for d in docs) == served_app.pipeline.store.chunk_count()
    tass = next(d for d in docs if d["outlet"] == "TASS")
    article = client.predict(tass["doc_id"], api_name="/document")
    assert article["text"][citation["quote"]["start"] : citation["quote"]["end"]] == citation["quote"]["text"]

    info = client.predict(api_name="/info")
    assert info["index"]["documents"] == 5 and info["llm"] == "scripted-newsroom-llm"
    assert info["ui"]["host"] == "127.0.0.1" and info["ui"]["login"] is False


def test_api_errors_are_one_clear_line(served_app: Served) -> None:
    from gradio_client import Client

    client = Client(served_app.url, verbose=False)
    with pytest.raises(Exception, match="not a date; use YYYY-MM-DD"):
        client.predict(KREMLIN, "", "last week", "", "", api_name="/ask")
    with pytest.raises(Exception, match="no document with that id in the index"):  # the id is not echoed
        client.predict("nope", api_name="/document")


def test_login_from_settings(tmp_path: Path, real_embedder: Any) -> None:
    import httpx
    from gradio_client import Client

    settings = Settings(
        data_dir=tmp_path / "data", model_cache_dir=tmp_path / "models", auth_user="editor", auth_password="s3cret"
    )
    port = free_port()
    demo = launch(Pipeline(settings, embedder=real_embedder, llm=NewsroomLLM()), port=port, block=False)
    try:
        url = f"http://127.0.0.1:{port}/"
        assert httpx.get(f"{url}config").status_code == 401
        refused = httpx.post(f"{url}login", data={"username": "editor", "password": "wrong"})
        assert refused.status_code == 400
        client = Client(url, auth=("editor", "s3cret"), verbose=False)
        assert client.predict(api_name="/info")["ui"]["login"] is True
    finally:
        demo.close()


def test_binds_to_localhost_unless_told(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    pipeline = Pipeline(settings)
    options = launch_options(pipeline)
    assert options["server_name"] == "127.0.0.1" and options["share"] is False and options["ssr_mode"] is False
    assert options["auth"] is None and options["max_file_size"] == settings.upload_max_mb * 2**20
    assert launch_options(pipeline, host="0.0.0.0", port=9000)["server_name"] == "0.0.0.0"
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    half = Pipeline(settings.model_copy(update={"auth_user": "editor"}))
    with pytest.raises(ValueError, match="set both ATTEST_AUTH_USER and ATTEST_AUTH_PASSWORD"):
        launch_options(half)


def test_filters_from_the_form() -> None:
    assert parse_filters("All outlets", "", None, "2021-08-24T00:00:00").describe() == {"as_of": "2021-08-24"}
    assert parse_filters("TASS", "2021-01-01", "2021-12-31", "").describe() == {
        "outlet": "TASS",
        "since": "2021-01-01",
        "until": "2021-12-31",
    }
    with pytest.raises(ValueError, match="'Published since' is not a date"):
        parse_filters(None, "yesterday", None, None)
