"""The minimal chat UI, launched for real on loopback and called through gradio_client."""

from __future__ import annotations

from pathlib import Path

from rag.pipeline import Pipeline
from tests.index.test_store_server import free_port
from tests.rag.test_answer import _cite_tass
from ui.app import build, theme


def test_chat_answers_with_cited_quotes_over_http(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import Client

    pipeline: Pipeline = fake_pipeline(_cite_tass)
    pipeline.ingest([seeds_copy])
    demo = build(pipeline)
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, share=False, theme=theme())
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        reply = client.predict("What did the Kremlin say about the SCO?", api_name="/ask")
        assert "[1]" in str(reply) and "terrorism" in str(reply) and "TASS" in str(reply)
        empty = client.predict("Who won the 2022 World Cup?", api_name="/ask")
        assert "Not in the corpus" in str(empty) and "Searched" in str(empty)
    finally:
        demo.close()
