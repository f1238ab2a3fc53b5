"""A minimal Gradio chat over the index: each answer lists its cited passages and quotes.

Offline: analytics off (``GRADIO_ANALYTICS_ENABLED=False`` via ``index.offline``), system fonts
instead of Google Fonts, no share link, bound to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

from typing import Any

from rag.answer import Answer
from rag.cli import render_answer
from rag.pipeline import Pipeline

SYSTEM_FONTS = ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def format_answer(answer: Answer) -> str:
    """Markdown for one answer: the cited text, then each source with its exact quote."""
    lines = [answer.text, ""]
    if answer.status == Answer.NOT_FOUND:
        s = answer.searched
        lines.append(
            f"_Searched_ \u201c{s.query}\u201d over {s.passages_considered} passages "
            f"(best relevance {s.best_relevance:.2f}, needs {s.threshold:.2f}); filters: "
            f"{', '.join(f'{k}={v}' for k, v in s.filters.items()) or 'none'}."
        )
    for c in answer.citations:
        p = c.passage
        lines.append(f"**[{c.number}]** {p.label()} \u2014 `{p.url or p.source}`  \n> {' '.join(c.quote.text.split())}")
    for note in answer.notes:
        lines.append(f"_Note: {note}_")
    return "\n\n".join(line for line in lines if line is not None)


def build(pipeline: Pipeline) -> Any:
    import gradio as gr

    def respond(message: str, history: list[Any]) -> str:
        if not message.strip():
            return "Ask a question about the indexed news articles."
        try:
            return format_answer(pipeline.ask(message))
        except Exception as exc:  # shown in the chat rather than as a stack trace
            return f"Error: {exc}"

    with gr.Blocks(title="Attest", analytics_enabled=False) as demo:
        gr.Markdown("# Attest\nAnswers from your news corpus; every sentence cites the passage it rests on.")
        gr.ChatInterface(
            respond, examples=["What did the Kremlin say about the SCO?"], cache_examples=False, api_name="ask"
        )
    return demo


def theme() -> Any:
    """Gradio's default look with system fonts: the stock theme would fetch Google Fonts."""
    import gradio as gr

    return gr.themes.Default(font=SYSTEM_FONTS, font_mono=MONO_FONTS)


def launch(pipeline: Pipeline, host: str | None = None, port: int | None = None) -> None:
    demo = build(pipeline)
    demo.queue(default_concurrency_limit=1).launch(
        server_name=host or pipeline.settings.host,
        server_port=port or pipeline.settings.port,
        share=False,
        inbrowser=False,
        theme=theme(),
    )


__all__ = ["build", "launch", "format_answer", "render_answer"]
