"""The comparison report: ``cxsim compare --html`` gives a self-contained page and PNG charts that
tell the story of a what-if comparison, and comparison.md shows the same charts.

The browser test reuses the headless-Chromium fixture and skip logic of test_html_report.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pytest

from simulator.cli_common import declared_variants
from simulator.experiment.compare import BETTER, Comparison, Precision, compare
from simulator.report.comparison import EXPLANATION, comparison_markdown, precision_sentence
from simulator.report.comparison_html import render_comparison, write_comparison_html
from simulator.report.comparison_plots import (
    COSTS_PNG,
    FRUSTRATION_PNG,
    HEADLINE_PNG,
    NO_COSTS,
    comparison_plots,
)
from simulator.scenario import load_scenario
from tests.test_cli import TINY, invoke
from tests.test_html_report import (
    PNG_SIGNATURE,
    browser,  # noqa: F401 - the headless Chromium fixture
    needs_chromium,
    open_report,
    parse,
)

ROOT = Path(__file__).resolve().parent.parent
SILOED = ROOT / "scenarios" / "retail_bank_siloed.yaml"
#: The tiny single-queue scenario (no costs block) with one variant.
TINY_WITH_VARIANT = TINY + "variants:\n  more_agents:\n    agents.voice.count: 6\n"
HOSTILE = '<script>alert("x")</script>$x$'


@pytest.fixture(scope="module")
def bank() -> Comparison:
    """The bundled story: a siloed bank vs a shared customer record vs more phone agents."""
    return compare(load_scenario(SILOED), declared_variants(SILOED), 3)


@pytest.fixture(scope="module")
def bank_plots(bank: Comparison) -> dict[str, bytes]:
    return comparison_plots(bank)


@pytest.fixture(scope="module")
def bank_page(bank: Comparison, bank_plots: dict[str, bytes]) -> str:
    return render_comparison(bank, bank_plots)


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "tiny.yaml"
    path.write_text(TINY_WITH_VARIANT)
    return path


@pytest.fixture(scope="module")
def tiny(tiny_file: Path) -> Comparison:
    return compare(load_scenario(tiny_file), declared_variants(tiny_file), 2)


def _table(page: str, variant: str) -> str:
    found = re.search(
        rf'<table[^>]*data-testid="kpi-table" data-variant="{re.escape(variant)}".*?</table>',
        page,
        re.DOTALL,
    )
    assert found, variant
    return found.group(0)


def _verdict(table: str, label: str) -> str:
    row = re.search(rf"<tr><th>{re.escape(label)}</th>(.*?)</tr>", table, re.DOTALL)
    assert row, label
    cell = re.search(r'<td class="verdict ([a-z]*)">([^<]*)</td>', row.group(1))
    assert cell, row.group(1)
    return cell.group(2)


# --------------------------------------------------------------------------------------------
# The page


def test_page_is_self_contained(bank_page: str) -> None:
    tags = parse(bank_page)
    for tag, attrs in tags.tags:
        for name in ("src", "href", "srcset", "poster", "data", "action", "formaction"):
            value = (attrs.get(name) or "").strip()
            if value:
                assert value.startswith(("data:", "#")), f"<{tag} {name}={value[:60]!r}>"
    assert not re.search(r"(src|href)\s*=\s*['\"]?\s*(https?:|//)", bank_page, re.IGNORECASE)
    assert "url(" not in "".join(tags.styles) and "@import" not in bank_page
    assert "default-src 'none'" in bank_page
    images = [attrs["src"] or "" for tag, attrs in tags.tags if tag == "img"]
    assert len(images) == 3
    for src in images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG_SIGNATURE)


def test_page_shows_every_variant_with_its_verdicts(bank: Comparison, bank_page: str) -> None:
    for name in ("shared_record", "more_agents"):
        assert html.escape(bank.summary(name), quote=True) in bank_page
        assert _table(bank_page, name)
    # One figure per chart type, and the method with the seed and replications.
    for stem in ("headline_kpis", "frustration", "costs"):
        assert f'data-testid="plot-{stem}"' in bank_page
    assert html.escape(EXPLANATION, quote=True) in bank_page
    assert "seed <b>11</b>" in bank_page and "<b>3</b> paired replications" in bank_page


def test_the_shared_record_story_shows(bank: Comparison, bank_page: str) -> None:
    """The shared record removes repeats and lowers the cost: the page says so in color."""
    shared = _table(bank_page, "shared_record")
    assert _verdict(shared, "repeats per 100") == BETTER
    assert _verdict(shared, "total cost") == BETTER
    assert 'class="verdict better"' in shared
    assert bank.summary("shared_record").startswith("shared_record: repeats -100.0 %")
    assert "cost -" in bank.summary("shared_record")


def test_precision_sentence_is_shown(tiny: Comparison) -> None:
    auto = Comparison(tiny.base, tiny.variants, tiny.differences, Precision(12, True, "x", 0.8))
    page = render_comparison(auto, {})
    assert html.escape(precision_sentence(auto), quote=True) in page
    assert 'data-testid="precision"' not in render_comparison(tiny, {})


def test_names_are_escaped(tiny: Comparison) -> None:
    (result,) = tiny.variants.values()
    (differences,) = tiny.differences.values()
    hostile = Comparison(tiny.base, {HOSTILE: result}, {HOSTILE: differences})
    plots = comparison_plots(hostile)  # "$" in a name must not start math mode either
    page = render_comparison(hostile, plots)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


# --------------------------------------------------------------------------------------------
# Without costs, and the markdown


def test_no_costs_section_without_costs(tiny: Comparison) -> None:
    plots = comparison_plots(tiny)
    assert list(plots) == [HEADLINE_PNG, FRUSTRATION_PNG]
    page = render_comparison(tiny, plots)
    assert 'data-testid="no-costs"' in page and html.escape(NO_COSTS, quote=True) in page
    assert 'data-testid="plot-costs"' not in page
    markdown = comparison_markdown(tiny, list(plots))
    assert NO_COSTS in markdown and COSTS_PNG not in markdown


def test_markdown_without_charts_references_no_images(tiny: Comparison) -> None:
    assert "![" not in comparison_markdown(tiny)


# --------------------------------------------------------------------------------------------
# The command


def test_compare_html_through_the_cli(tiny_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = invoke("compare", tiny_file, "-n", "2", "--workers", "1", "--out", out, "--html")
    assert result.exit_code == 0, result.stderr
    assert "comparison.html" in result.stderr + result.stdout
    page = (out / "comparison.html").read_text(encoding="utf-8")
    assert "tiny" in page and 'data-testid="kpi-table" data-variant="more_agents"' in page
    # comparison.md shows the same charts, by relative path, and they exist as PNG files.
    markdown = (out / "comparison.md").read_text(encoding="utf-8")
    referenced = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert sorted(referenced) == sorted(p.name for p in out.glob("*.png")) != []
    for name in referenced:
        assert (out / name).read_bytes().startswith(PNG_SIGNATURE)
    assert NO_COSTS in markdown
    assert not list(out.glob(".*.tmp"))


def test_without_html_no_page_is_written(tiny_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "plain"
    result = invoke("compare", tiny_file, "-n", "2", "--workers", "1", "--out", out, "-q")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["comparison.json", "comparison.md"]


# --------------------------------------------------------------------------------------------
# In a real browser


@needs_chromium
def test_comparison_in_headless_chromium(
    tmp_path: Path,
    browser,  # noqa: F811 - the fixture imported above
    bank: Comparison,
    bank_plots: dict[str, bytes],
) -> None:
    from selenium.webdriver.common.by import By

    write_comparison_html(tmp_path, bank, bank_plots)
    logs = open_report(browser, tmp_path / "comparison.html")
    assert not [entry for entry in logs if entry["level"] == "SEVERE"], logs

    tables = browser.find_elements(By.CSS_SELECTOR, '[data-testid="kpi-table"]')
    assert len(tables) == 2 and all(table.is_displayed() for table in tables)
    assert "repeats per 100" in tables[0].text and "better" in tables[0].text
    summaries = browser.find_elements(By.CSS_SELECTOR, '[data-testid="summary-variant"]')
    assert [s.text.splitlines()[0] for s in summaries] == ["shared_record", "more_agents"]
    widths = browser.execute_script(
        "return Array.from(document.images).map(function (i) { return i.naturalWidth; })"
    )
    assert len(widths) == 3 and all(w > 0 for w in widths)
    # A better verdict is colored differently from "no significant difference".
    colors = browser.execute_script(
        "return ['td.verdict.better', 'td.verdict.same'].map(function (s) {"
        " return getComputedStyle(document.querySelector(s)).color; })"
    )
    assert colors[0] != colors[1]
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1366, min(int(height) + 100, 12000))
    assert browser.save_screenshot(str(tmp_path / "comparison.png"))
