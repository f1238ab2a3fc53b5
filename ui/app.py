"""The Attest web app (Gradio): a chat whose every ``[n]`` opens the exact passage it rests on,
a sources panel, filters, a library of the indexed articles (upload, ingest, delete), exports,
and the settings in use.

Offline by construction: analytics off (``GRADIO_ANALYTICS_ENABLED=False`` via ``index.offline``),
system fonts (no font files at all), no share link, no server-side rendering, no PWA or MCP
server, inline CSS/JS only; bound to 127.0.0.1 unless told otherwise. tests/ui/test_browser.py
loads the page in Chromium and fails on any request that leaves the machine; tests/ui/test_serve.py
runs ``attest serve`` with the network refused.

Scripts use the Gradio API (``gradio_client``): ``/ask``, ``/documents``, ``/document``, ``/info``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from rag.answer import Answer
from rag.conversation import Conversation, answer_gist
from rag.followup import Turn as HistoryTurn
from rag.pipeline import Pipeline
from rag.types import Evidence
from ui import check_view, public, render, settings_view, uploads
from ui.filters import parse_filters
from ui.library import ALL_OUTLETS, HEADERS, Library
from ui.render import Turn
from ui.stream import partial_sentences, stream_call

T = TypeVar("T")
EMPTY_INDEX = "The index is empty: add articles in the Library tab (or run attest ingest PATHS), then ask again."
OPENAI_SLOTS = 4
ANSWERING = "answering"  # the chat and /ask share one queue: the local LLM answers one question at a time
EXAMPLES = [
    "What did the Kremlin say about the SCO?",
    "What did Khan and Putin discuss about Afghanistan?",
    "When did Pakistan and Russia meet in 2018?",
]


def answer_slots(settings: Any) -> int:
    """Questions answered at once: the local LLM takes one at a time; an OpenAI-compatible server
    can serve several (the rest wait in the queue and are shown their place)."""
    return 1 if settings.llm_backend == "local" else OPENAI_SLOTS


def history_of(turns: Iterable[Turn]) -> list[HistoryTurn]:
    """The conversation as the follow-up rewriter reads it: stand-alone questions and answers."""
    return [HistoryTurn(turn.standalone or turn.asked, answer_gist(turn.answer)) for turn in turns]


class AttestApp:
    """The handlers behind the page, over one :class:`Pipeline`."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.settings = pipeline.settings
        self.export_dir = Path(tempfile.mkdtemp(prefix="attest-export-"))
        self.library = Library(pipeline)
        self.host, self.port = self.settings.host, self.settings.port  # where it is served (set by launch)

    # -- chat ------------------------------------------------------------------------------
    def respond(
        self,
        message: str,
        chat: list[dict[str, Any]] | None,
        turns: list[Turn] | None,
        outlet: str | None,
        since: str | None,
        until: str | None,
        as_of: str | None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat; then show its sources and offer its exports."""
        import gradio as gr

        chat = list(chat or [])
        turns = list(turns or [])
        no_export = (gr.DownloadButton(value=None, interactive=False), gr.DownloadButton(value=None, interactive=False))
        question = " ".join((message or "").split())
        if not question:
            yield chat, turns, render.sources_html(turns), *no_export, message
            return
        chat.append({"role": "user", "content": question})
        chat.append({"role": "assistant", "content": render.streaming_markdown([], "", "Searching the corpus\u2026")})
        yield chat, turns, gr.skip(), *no_export, ""
        try:
            filters = parse_filters(outlet, since, until, as_of)
            if self.pipeline.store.chunk_count() == 0:
                raise ValueError(EMPTY_INDEX)
            conversation = Conversation(self.pipeline, history_of(turns))  # the same one as the CLI and API
            if conversation.needs_rewrite(question):
                chat[-1]["content"] = render.streaming_markdown([], "", "Reading the question in context\u2026")
                yield chat, turns, gr.skip(), *no_export, ""
            rewrite = conversation.rewrite(question)
            answer: Answer | None = None
            found: list[Evidence] = []  # the evidence, shown as soon as it is found, before the model writes

            def ask(on_token: Callable[[str], None]) -> Answer:
                def on_evidence(evidence: list[Evidence]) -> None:
                    found.extend(evidence)
                    on_token("")  # an update: the evidence is there

                reply = conversation.ask(question, filters, on_token=on_token, on_evidence=on_evidence, rewrite=rewrite)
                return reply.answer

            for step in stream_call(ask):
                if step.done:
                    answer = step.result
                    break
                partial = partial_sentences(step.raw)
                phase = _phase(step.raw) if found else "Searching the corpus\u2026"
                chat[-1]["content"] = render.streaming_markdown(partial, step.raw, phase, found)
                yield chat, turns, gr.skip(), *no_export, ""
        except Exception as exc:  # shown in the chat, one line, rather than a stack trace
            chat[-1]["content"] = f"**Error:** {render.md_text(str(exc))}"
            yield chat, turns, render.sources_html(turns), *no_export, ""
            return
        assert answer is not None
        turn = Turn(
            number=len(turns) + 1,
            asked=question,
            answer=answer,
            standalone=rewrite.standalone if rewrite.changed else "",
            articles=self._articles(answer),
        )
        turns.append(turn)
        chat[-1]["content"] = render.chat_markdown(turn)
        markdown_file, json_file = self._export(turn)
        yield (
            chat,
            turns,
            render.sources_html(turns),
            gr.DownloadButton(value=str(markdown_file), interactive=True),
            gr.DownloadButton(value=str(json_file), interactive=True),
            "",
        )

    def _articles(self, answer: Answer) -> dict[str, str]:
        texts: dict[str, str] = {}
        for citation in answer.citations:
            doc_id = citation.passage.article.doc_id
            if doc_id not in texts:
                record = self.pipeline.store.document(doc_id)
                if record is not None:
                    texts[doc_id] = record.text
        return texts

    def _export(self, turn: Turn) -> tuple[Path, Path]:
        stem = f"attest-{turn.number:02d}-{render.slug(turn.asked)}"
        folder = Path(tempfile.mkdtemp(dir=self.export_dir))
        markdown_file = folder / f"{stem}.md"
        json_file = folder / f"{stem}.json"
        markdown_file.write_text(render.export_markdown(turn), encoding="utf-8")
        json_file.write_text(render.export_json(turn), encoding="utf-8")
        return markdown_file, json_file

    # -- library and settings ----------------------------------------------------------------
    def refresh(self) -> tuple[Any, ...]:
        """Everything that shows the index: library table, summary, outlet and delete choices, settings."""
        import gradio as gr

        docs = self.library.documents()
        return (
            self.library.rows(docs),
            self.library.summary(docs),
            gr.Dropdown(choices=self.library.outlets(docs)),
            gr.Dropdown(choices=self.library.choices(docs), value=None),
            self.settings_markdown(),
        )

    def upload(self, files: list[str] | None, progress: Any = None) -> tuple[Any, ...]:
        """Save the uploaded files under safe names and ingest them one by one, with a progress bar."""
        import gradio as gr

        def report(done: int, total: int, what: str) -> None:
            if progress is not None:
                progress((done, total), desc=what, unit="files")

        status = self.library.add([str(f) for f in (files or [])], report)
        return (status, *self.refresh(), gr.File(value=None))

    def delete(self, doc_id: str | None) -> tuple[Any, ...]:
        return (self.library.delete(doc_id), *self.refresh())

    def info(self) -> dict[str, Any]:
        return settings_view.details(self.pipeline, self.host, self.port)

    def settings_markdown(self) -> str:
        return settings_view.markdown(self.info())

    # -- API for scripts -------------------------------------------------------------------
    def api_ask(self, question: str, outlet: str, since: str, until: str, as_of: str) -> dict[str, Any]:
        answer = self.pipeline.ask(question, parse_filters(outlet, since, until, as_of))
        turn = Turn(1, " ".join(question.split()), answer, articles={})
        return render.export_dict(turn)

    def api_documents(self) -> list[dict[str, Any]]:
        return [self.library.as_dict(d) for d in self.library.documents()]

    def api_document(self, doc_id: str) -> dict[str, Any]:
        record = self.pipeline.store.document(doc_id)
        if record is None:
            raise ValueError("no document with that id in the index; list them with /documents")
        return {**self.library.as_dict(record), "text": record.text}

    # -- page ------------------------------------------------------------------------------
    def build(self) -> Any:
        import gradio as gr

        docs = self.library.documents()
        max_mb = self.settings.upload_max_mb
        with gr.Blocks(title="Attest", analytics_enabled=False) as demo:
            gr.Markdown(
                "# Attest\nAnswers from your news corpus. Every sentence cites the passage it rests on; "
                "click a [n] to see it.",
                elem_id="attest-header",
            )
            turns = gr.State([])
            with gr.Tabs():
                with gr.Tab("Ask", id="ask"):
                    with gr.Accordion("Filters", open=True, elem_id="filters"), gr.Row():
                        outlet = gr.Dropdown(
                            self.library.outlets(docs), value=ALL_OUTLETS, label="Outlet", elem_id="f-outlet"
                        )
                        since = gr.DateTime(
                            include_time=False, type="string", label="Published since", elem_id="f-since"
                        )
                        until = gr.DateTime(
                            include_time=False, type="string", label="Published until", elem_id="f-until"
                        )
                        as_of = gr.DateTime(
                            include_time=False, type="string", label="As of (ignore later articles)", elem_id="f-as-of"
                        )
                    with gr.Row(equal_height=False):
                        with gr.Column(scale=6):
                            chatbot = gr.Chatbot(
                                elem_id="chat",
                                height=540,
                                label="Chat",
                                buttons=["copy"],
                                feedback_options=None,
                                placeholder="Ask about the indexed news articles. Answers cite their sources as [n].",
                            )
                            with gr.Row(equal_height=True):
                                question = gr.Textbox(
                                    show_label=False,
                                    placeholder="Ask a question about the news corpus\u2026",
                                    scale=8,
                                    container=False,
                                    elem_id="question",
                                    autofocus=True,
                                )
                                send = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="send")
                            gr.Examples(EXAMPLES, inputs=[question], label="Try")
                            with gr.Row():
                                clear = gr.Button("New conversation", size="sm", elem_id="clear")
                                export_md = gr.DownloadButton(
                                    "Export Markdown", size="sm", interactive=False, elem_id="export-md"
                                )
                                export_json = gr.DownloadButton(
                                    "Export JSON", size="sm", interactive=False, elem_id="export-json"
                                )
                        with gr.Column(scale=5):
                            sources = gr.HTML(render.sources_html([]), elem_id="sources", js_on_load=None)
                with gr.Tab("Check", id="check"):
                    check_view.build(self.pipeline)
                with gr.Tab("Library", id="library"):
                    summary = gr.Markdown(self.library.summary(docs), elem_id="library-summary")
                    table = gr.Dataframe(
                        value=self.library.rows(docs),
                        headers=HEADERS,
                        interactive=False,
                        wrap=True,
                        elem_id="library-table",
                        column_widths=["26%", "14%", "10%", "7%", "28%", "15%"],
                    )
                    with gr.Row(equal_height=False):
                        with gr.Column():
                            files = gr.File(
                                file_count="multiple",
                                file_types=list(uploads.ALLOWED_SUFFIXES),
                                label=f"Add articles ({uploads.ALLOWED_LABEL}, up to {max_mb} MB each)",
                                elem_id="upload",
                            )
                            ingest = gr.Button("Add to the index", variant="primary", elem_id="ingest")
                            ingest_status = gr.Markdown(elem_id="ingest-status")
                            address = gr.Textbox(
                                label="Or a web page or RSS/Atom feed address (one per line)",
                                placeholder="https://...",
                                lines=2,
                                elem_id="address",
                            )
                            fetch = gr.Button("Fetch and add", elem_id="fetch")
                            fetch_status = gr.Markdown(elem_id="fetch-status")
                        with gr.Column():
                            to_delete = gr.Dropdown(
                                self.library.choices(docs), value=None, label="Document to delete", elem_id="delete-doc"
                            )
                            delete = gr.Button("Delete document", variant="stop", elem_id="delete")
                            delete_status = gr.Markdown(elem_id="delete-status")
                with gr.Tab("Settings", id="settings"):
                    settings_box = gr.Markdown(self.settings_markdown(), elem_id="settings-info")
                    with gr.Row():
                        refresh = gr.Button("Refresh", size="sm", scale=0, min_width=120)

            chat_inputs = [question, chatbot, turns, outlet, since, until, as_of]
            chat_outputs = [chatbot, turns, sources, export_md, export_json, question]
            for trigger in (question.submit, send.click):
                trigger(
                    self.respond,
                    chat_inputs,
                    chat_outputs,
                    api_visibility="private",
                    show_progress="full",  # "queue: 2/5" over the sources panel while a question waits its turn
                    show_progress_on=[sources],
                    concurrency_id=ANSWERING,
                    concurrency_limit=answer_slots(self.settings),
                )

            def new_conversation() -> tuple[Any, ...]:
                no_file = gr.DownloadButton(value=None, interactive=False)
                return [], [], render.sources_html([]), no_file, no_file

            conversation = [chatbot, turns, sources, export_md, export_json]
            clear.click(new_conversation, None, conversation, api_visibility="private")
            chatbot.clear(new_conversation, None, conversation, api_visibility="private")  # its trash icon
            index_views = [table, summary, outlet, to_delete, settings_box]

            def upload(paths: list[str] | None, progress: Any = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
                return self.upload(paths, progress)

            ingest.click(upload, [files], [ingest_status, *index_views, files], api_visibility="private")

            def add_addresses(text: str, progress: Any = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
                def report(done: int, total: int, what: str) -> None:
                    progress((done, total), desc=what, unit="addresses")

                return (self.library.add_addresses(text, report), *self.refresh())

            fetch.click(add_addresses, [address], [fetch_status, *index_views], api_visibility="private")
            delete.click(self.delete, [to_delete], [delete_status, *index_views], api_visibility="private")
            refresh.click(self.refresh, None, index_views, api_visibility="private")
            demo.load(self.refresh, None, index_views, api_visibility="private")

            def ask(question: str, outlet: str = "", since: str = "", until: str = "", as_of: str = "") -> dict:
                """Answer a question from the index: sentences, citations with exact quotes, what was searched."""
                return _for_scripts(lambda: self.api_ask(question, outlet, since, until, as_of))

            def documents() -> list:
                """The indexed articles: doc_id, title, outlet, date, source, url, chunk count."""
                return _for_scripts(lambda: self.api_documents())

            def document(doc_id: str) -> dict:
                """One article with its full text (citation offsets point into it)."""
                return _for_scripts(lambda: self.api_document(doc_id))

            def info() -> dict:
                """Models, index location and size, and the UI's settings."""
                return _for_scripts(lambda: public.redact(self.info()))  # no server paths

            gr.api(ask, api_name="ask", concurrency_id=ANSWERING, concurrency_limit=answer_slots(self.settings))
            gr.api(documents, api_name="documents")
            gr.api(document, api_name="document")
            gr.api(info, api_name="info")
        return demo


def _for_scripts(call: Callable[[], T]) -> T:
    """Run an API call; a failure reaches the script as its one-line message (``gr.Error`` is
    shown to clients even without ``show_error``)."""
    import gradio as gr

    try:
        return call()
    except Exception as exc:
        raise gr.Error(public.error_line(exc), print_exception=False) from exc


def _phase(raw: str) -> str:
    if not raw.strip():
        return "The model is reading the evidence\u2026"
    try:
        json.loads(raw)
    except json.JSONDecodeError:
        return "Writing the answer\u2026"
    return "Checking each sentence against its sources\u2026"


def build(pipeline: Pipeline) -> Any:
    return AttestApp(pipeline).build()


__all__ = ["AttestApp", "answer_slots", "build", "history_of", "parse_filters"]
