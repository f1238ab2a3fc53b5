"""An answer as the text of a chat reply (OpenAI-compatible API, MCP): the sentences with their
``[n]`` markers, then a Markdown list of the sources with the verbatim quotes and their offsets,
and, for a follow-up, the stand-alone question that was searched. Also the reverse: a client's
message list (the replies it got from us, sent back) as the conversation's history.

Source text is escaped (``md_text``): an article cannot inject links, images or HTML into a
client's rendering.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

from rag.conversation import NOT_FOUND_TURN, Reply
from rag.followup import Turn
from rag.types import Answer
from ui.render import md_text, searched_text

SOURCES_HEADING = "**Sources**"
SEARCHED_AS = "_Searched as: \u201c"
_SEARCHED_AS = re.compile(r"^_Searched as: \u201c(.*)\u201d_$", re.M)
_MARKER = re.compile(r"\s?\[\d+\]")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>#|~])")


def answer_markdown(answer: Answer) -> str:
    """The answer's sentences (escaped) with their validated ``[n]`` markers, or "not in the corpus"
    with what was searched."""
    if answer.status == Answer.NOT_FOUND:
        return f"{answer.text}\n\n{md_text(searched_text(answer.searched))}"
    parts = []
    for sentence in answer.sentences:
        markers = "".join(f"[{c.number}]" for c in sentence.citations)
        text = md_text(sentence.text) + (f" {markers}" if markers else "")
        if not sentence.supported:
            text += " (unsupported: no passage in the corpus states this)"
        parts.append(text)
    return " ".join(parts)


def sources_markdown(answer: Answer) -> str:
    """``**Sources**`` and one line per cited quote: outlet, date, title, where, quote, offsets."""
    if not answer.citations:
        return ""
    lines = [SOURCES_HEADING, ""]
    for c in answer.citations:
        p = c.passage
        where = p.article.url or PurePath(p.article.source).name
        quote = md_text(c.quote.text)
        lines.append(
            f"- [{c.number}] {md_text(p.article.label())} \u2014 {md_text(where)}: \u201c{quote}\u201d "
            f"(chars {c.quote.start}-{c.quote.end})"
        )
    return "\n".join(lines)


def reply_markdown(reply: Reply) -> str:
    """The whole reply text: searched-as line (follow-ups), answer, sources."""
    blocks = []
    if reply.rewrite.changed:
        blocks.append(f"{SEARCHED_AS}{md_text(reply.standalone)}\u201d_")
    blocks.append(answer_markdown(reply.answer))
    sources = sources_markdown(reply.answer)
    if sources:
        blocks.append(sources)
    return "\n\n".join(blocks)


def reply_data(reply: Reply) -> dict[str, Any]:
    """The structured reply: ``attest ask --json``'s fields plus the question as asked and searched."""
    return {**reply.answer.to_dict(), "asked": reply.asked, "standalone_question": reply.standalone}


def message_text(content: Any) -> str:
    """A chat message's text: a string, or the text parts of a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, Mapping) and p.get("type") == "text")
    return ""


def gist(reply_text: str) -> tuple[str, str]:
    """(searched-as question or "", the answer's plain words) of a reply text we wrote earlier (or
    any assistant message: then its text without markers)."""
    searched = _SEARCHED_AS.search(reply_text)
    body = _SEARCHED_AS.sub("", reply_text).split(SOURCES_HEADING, 1)[0]
    if body.strip().startswith("Not in the corpus"):
        return (_ESCAPE.sub(r"\1", searched.group(1)) if searched else ""), NOT_FOUND_TURN
    plain = _ESCAPE.sub(r"\1", _MARKER.sub("", body))
    return (_ESCAPE.sub(r"\1", searched.group(1)) if searched else ""), " ".join(plain.split())


def history_from_messages(messages: Iterable[Mapping[str, Any]]) -> tuple[list[Turn], str]:
    """(the earlier turns, the last user question) of an OpenAI-style message list. System and
    tool messages are skipped; a user message without a reply is a turn without an answer."""
    turns: list[Turn] = []
    pending: str | None = None
    for message in messages:
        role, text = message.get("role"), message_text(message.get("content"))
        if role == "user":
            if pending is not None:
                turns.append(Turn(pending))
            pending = " ".join(text.split())
        elif role == "assistant" and pending is not None:
            searched, answer = gist(text)
            turns.append(Turn(searched or pending, answer))
            pending = None
    if pending is None or not pending:
        raise ValueError("the last message must be the user's question (role 'user' with text)")
    return turns, pending
