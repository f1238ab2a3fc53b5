"""``attest chat``: a terminal conversation through click's CliRunner (scripted LLM, real embedder
and Chroma). Evidence first, then the cited answer; follow-ups are searched as stand-alone
questions; /new forgets; a failing question is one line and the chat goes on."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from index.embedding import MiniLMOnnxEmbedder
from index.settings import Settings
from rag.pipeline import Pipeline
from tests.ui.conftest import FOLLOW_UPS
from tests.ui.fakes import NewsroomLLM
from ui.cli import cli

KREMLIN = "What did the Kremlin say about the SCO?"
FOLLOW_UP = "What did they say about Afghanistan?"


def test_chat_answers_follow_ups_with_evidence_first(
    settings: Settings, real_embedder: MiniLMOnnxEmbedder, seeds_copy: Path
) -> None:
    llm = NewsroomLLM(FOLLOW_UPS)
    pipeline = Pipeline(settings.model_copy(update={"judge_answers": False}), embedder=real_embedder, llm=llm)
    pipeline.ingest([seeds_copy])
    typed = "\n".join([KREMLIN, FOLLOW_UP, "x" * 2100, "/new", FOLLOW_UP, "/quit", "never read"]) + "\n"
    result = CliRunner().invoke(cli, ["chat"], input=typed, obj={"pipeline": pipeline})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "follow-up questions are read in context" in out

    first = out.split("You: ")[1]
    assert first.index("Evidence (verbatim, before the model writes):") < first.index("TASS, 2021-08-25 \u2014")
    assert "terrorism" in first.split("\n\n", 1)[1]  # the answer quotes the TASS sentence, cited

    second = out.split("You: ")[2]
    assert second.startswith("Searched as: \u201cWhat did the Kremlin say about Afghanistan?\u201d")
    assert second.index("Searched as") < second.index("Evidence (verbatim")

    too_long = out.split("You: ")[3]
    assert too_long.startswith("Error: the question is 2,100 characters long") and "Traceback" not in out

    assert "(a new conversation" in out.split("You: ")[4]
    after_new = out.split("You: ")[5]
    assert "Searched as" not in after_new  # nothing to lean on: searched as typed
    assert len(out.split("You: ")) == 7  # /quit ended it: the last line was never read
    rewrites = [c for c in llm.calls if "Last question:" in c["messages"][-1]["content"]]
    assert len(rewrites) == 1
