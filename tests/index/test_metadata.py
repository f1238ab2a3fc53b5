from index import metadata
from tests.conftest import SEEDS


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_tass_dateline_gives_date_outlet_and_place() -> None:
    meta = metadata.extract(seed("002"))
    assert (meta.published_at, meta.outlet, meta.dateline) == ("2021-08-25", "TASS", "MOSCOW")
    assert meta.title == "" and meta.authors == ()


def test_anadolu_byline_and_dateline() -> None:
    meta = metadata.extract(seed("001"))
    assert meta.outlet == "Anadolu Agency (AA)"
    assert meta.authors == ("Aamir Latif", "Dmitri Chirciu")
    assert meta.dateline == "MOSCOW/KARACHI, Pakistan"
    assert meta.title == ""  # "ADDS STATEMENT FROM KREMLIN, BACKGROUND" is an editor's note
    assert meta.published_at == ""  # the text gives no date: unknown, not guessed


def test_header_date_prefers_the_article_date_over_the_page_date() -> None:
    meta = metadata.extract(seed("003"))
    assert meta.published_at == "2018-03-15"  # not the page header "Monday December 05, 2022"
    assert meta.title == "Pakistan, Russia to work for regional peace, stability"
    assert meta.dateline == "ISLAMABAD"


def test_hard_wrapped_first_line_is_not_a_title() -> None:
    meta = metadata.extract(seed("004"))
    assert meta == metadata.DocMetadata()


def test_reuters_style_dateline_and_dates() -> None:
    meta = metadata.extract("Global markets fall sharply\n\nLONDON, June 1 (Reuters) - Shares fell on Monday.")
    assert meta.outlet == "Reuters" and meta.dateline == "LONDON" and meta.title == "Global markets fall sharply"
    assert metadata.normalise_date("2022/06/12") == "2022-06-12"
    assert metadata.normalise_date("12 June 2022") == "2022-06-12"
    assert metadata.normalise_date("2022-02-30") == ""
    assert metadata.outlet_from_url("https://www.cnn.com/2022/06/12/x.html") == "CNN"
    assert metadata.outlet_from_url("https://example.org/a") == "example.org"
