"""The Check tab's view: verdicts stream claim by claim, quotes are marked in their article.
Real embedder, real embedded Chroma and the default (NLI) judge; no LLM."""

from __future__ import annotations

from pathlib import Path

from index.settings import Settings
from rag.pipeline import Pipeline
from tests.conftest import ROOT, FakeLLM
from ui import check_view


def test_stream_check_yields_each_verdict_with_marked_quotes(tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    pipeline = Pipeline(Settings(data_dir=tmp_path / "data"), embedder=real_embedder, llm=FakeLLM([]))
    pipeline.ingest([ROOT / "seeds"])
    text = (
        "The Taliban took control of the Afghan capital Kabul on Aug. 15. "
        "Putin visited Islamabad in October 2012. "
        "Argentina won the football World Cup in Qatar."
    )
    frames = list(check_view.stream_check(pipeline, text))
    claims_shown = [frame.count('class="claim ') for frame in frames]
    assert claims_shown == sorted(claims_shown) and claims_shown[-1] == 3 and 1 in claims_shown  # one at a time
    final = frames[-1]
    assert final.index('data-verdict="supported"') < final.index('data-verdict="contradicted"')
    assert final.index('data-verdict="contradicted"') < final.index('data-verdict="not_found"')
    assert '<mark class="quote">' in final and "cancelled at the eleventh hour" in final
    assert "Checking" not in final
    assert "<script" not in check_view.claim_html(1, pipeline.check("<script>x</script> was here.").claims[0], {})
