"""``attest chat``: a conversation in the terminal. Each question's evidence is printed first, then
the validated answer (as ``attest ask`` prints them); follow-up questions ("What did they say about
Afghanistan?") are read in the context of the earlier turns (rag/conversation.py), and the
stand-alone question that was searched is shown. ``/new`` starts over, ``/quit`` or Ctrl+D ends."""

from __future__ import annotations

from collections.abc import Callable

from rag.conversation import Conversation
from rag.safe_text import terminal_safe
from rag.types import Answer, Evidence, Filters

INTRO = (
    "Ask about the indexed articles; follow-up questions are read in context. "
    "/new starts a new conversation, /quit (or Ctrl+D) ends."
)
PROMPT = "\nYou: "


def run(
    conversation: Conversation,
    show_evidence: Callable[[list[Evidence]], None],
    show_answer: Callable[[Answer], None],
    say: Callable[[str], None],
    read: Callable[[str], str] = input,
    filters: Filters | None = None,
    top_k: int | None = None,
    user_errors: tuple[type[BaseException], ...] = (ValueError,),
) -> int:
    """Answer questions read with ``read`` until the input ends; returns how many were answered.
    A failing question (``user_errors``) is reported in one line and the conversation goes on."""
    say(INTRO)
    answered = 0
    while True:
        try:
            line = read(PROMPT)
        except (EOFError, KeyboardInterrupt):
            say("")
            return answered
        question = " ".join(line.split())
        if not question:
            continue
        if question.lower() in ("/quit", "/exit", "/q"):
            return answered
        if question.lower() == "/new":
            conversation.reset()
            say("(a new conversation: earlier questions are forgotten)")
            continue
        try:
            rewrite = conversation.rewrite(question)
            if rewrite.changed:
                say(terminal_safe(f"Searched as: \u201c{rewrite.standalone}\u201d"))
            reply = conversation.ask(question, filters, top_k=top_k, on_evidence=show_evidence, rewrite=rewrite)
        except user_errors as exc:
            say(terminal_safe(f"Error: {exc}"))
            continue
        show_answer(reply.answer)
        answered += 1
