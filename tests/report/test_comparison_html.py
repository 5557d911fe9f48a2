"""The comparison page: ``cxsim compare --html`` gives a self-contained page with a verdict per
variant, per channel and per team, a section per channel and team, and the charts embedded.

The browser test reuses the headless-Chromium fixture and skip logic of tests/report/test_html.py.
"""

from __future__ import annotations

import base64
import html
import inspect
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.cli_common import declared_variants
from simulator.experiment.compare import BETTER, TRADE_OFF, WORSE, Comparison, Precision, compare
from simulator.observe.same_customers import Pair, SameCustomers
from simulator.report.comparison import (
    EXPLANATION,
    NO_COSTS,
    VERDICT_RULE,
    precision_sentence,
    sections,
)
from simulator.report.comparison_html import render_comparison, write_comparison_html
from simulator.report.comparison_plots import comparison_plots
from simulator.scenario import load_scenario
from tests.paths import SCENARIOS
from tests.report.test_html import (
    PNG_SIGNATURE,
    at_width,
    browser,  # noqa: F401 - the headless Chromium fixture
    needs_chromium,
    open_report,
    overflow,
    parse,
)
from tests.scenario_texts import VOICE_TO_CHAT

SILOED = SCENARIOS / "retail_bank_siloed.yaml"
#: A tiny single-queue scenario (no costs block) with one variant.
TINY_WITH_VARIANT = """\
scenario: tiny
seed: 3
horizon: {duration: 1h, interval: 30m}
arrivals: {rate: 300/h}
channels:
  voice: {patience: {exponential: {mean: 2m}}}
agents:
  voice: {count: 4}
handle_time:
  default: {exponential: {mean: 3m}}
variants:
  more_agents:
    agents.voice.count: 6
"""
HOSTILE = '<script>alert("x")</script>$x$'


def invoke(*args: object):
    """The command in this process, stdout and stderr apart (click < 8.2 needs mix_stderr)."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        runner = CliRunner(mix_stderr=False)
    else:
        runner = CliRunner()
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def bank_with_customers() -> tuple[Comparison, dict[str, list[Pair]]]:
    """The bundled story: a siloed bank vs a shared customer record vs more phone agents, and
    the same customers followed through the three designs during the comparison's runs."""
    base, variants = load_scenario(SILOED), declared_variants(SILOED)
    same = SameCustomers(1 + len(variants))
    comparison = compare(base, variants, 3, observers=same.observers)
    return comparison, same.pairs(base, variants, seed=comparison.base.seed)


@pytest.fixture(scope="module")
def bank(bank_with_customers) -> Comparison:
    return bank_with_customers[0]


@pytest.fixture(scope="module")
def bank_pairs(bank_with_customers) -> dict[str, list[Pair]]:
    return bank_with_customers[1]


@pytest.fixture(scope="module")
def bank_plots(bank: Comparison) -> dict[str, bytes]:
    return comparison_plots(bank)


@pytest.fixture(scope="module")
def bank_page(bank: Comparison, bank_plots: dict[str, bytes], bank_pairs) -> str:
    return render_comparison(bank, bank_plots, bank_pairs)


@pytest.fixture(scope="module")
def shift(tmp_path_factory: pytest.TempPathFactory) -> Comparison:
    path = tmp_path_factory.mktemp("shift") / "voice_to_chat.yaml"
    path.write_text(VOICE_TO_CHAT)
    return compare(load_scenario(path), declared_variants(path), 4)


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "tiny.yaml"
    path.write_text(TINY_WITH_VARIANT)
    return path


@pytest.fixture(scope="module")
def tiny(tiny_file: Path) -> Comparison:
    return compare(load_scenario(tiny_file), declared_variants(tiny_file), 2)


def _section(page: str, anchor: str) -> str:
    found = re.search(rf'<section id="{re.escape(anchor)}">.*?</section>', page, re.DOTALL)
    assert found, anchor
    return found.group(0)


def _verdict(section: str, kpi: str, variant: str) -> str:
    row = re.search(
        rf'<tr data-kpi="{re.escape(kpi)}" data-variant="{re.escape(variant)}">(.*?)</tr>',
        section,
        re.DOTALL,
    )
    assert row, (kpi, variant)
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
    assert len(images) == 5  # journeys, channels, teams, frustration, costs
    for src in images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG_SIGNATURE)


def test_page_shows_every_variant_with_its_verdicts(bank: Comparison, bank_page: str) -> None:
    for name in ("shared_record", "more_agents"):
        assert html.escape(bank.summary(name), quote=True) in bank_page
        card = re.search(
            rf'data-testid="summary-variant" data-variant="{name}">.*?</div>', bank_page, re.DOTALL
        )
        assert card and f">{html.escape(bank.verdict(name))}</span>" in card.group(0)
    # One figure per chart, a section per channel and team, the method and the rule.
    for stem in ("headline_kpis", "channels", "teams", "frustration", "costs"):
        assert f'data-testid="plot-{stem}"' in bank_page
    for anchor in ("channel-voice", "channel-chat", "team-voice_general", "journeys", "costs"):
        assert f'<section id="{anchor}">' in bank_page and f'href="#{anchor}"' in bank_page
    assert html.escape(EXPLANATION, quote=True) in bank_page
    assert html.escape(VERDICT_RULE, quote=True) in bank_page
    assert "seed <b>11</b>" in bank_page and "<b>3</b> paired replications" in bank_page


def test_the_shared_record_story_shows(bank: Comparison, bank_page: str) -> None:
    """The shared record removes repeats and lowers the value at risk for a platform price: the
    page says so in color, and the summary states the two sums apart."""
    journeys = _section(bank_page, "journeys")
    assert _verdict(journeys, "repeats per 100", "shared_record") == BETTER
    costs = _section(bank_page, "costs")
    assert _verdict(costs, "customer value at risk (model)", "shared_record") == BETTER
    assert _verdict(costs, "operating cost", "shared_record") == WORSE
    assert 'class="verdict better"' in journeys
    summary = bank.summary("shared_record")
    assert "repeats -100.0 % [-100.0, -100.0]" in summary
    assert "operating cost +900 per run" in summary and "value at risk -" in summary


def test_the_same_customers_walk_through_each_design(bank: Comparison, bank_page: str, bank_pairs):
    section = _section(bank_page, "customers")
    for label in bank.variants:
        found = bank_pairs[label]
        assert [pair.worst_in for pair in found] == ["base", "base", "variant"]
        for pair in found:
            assert pair.base.cid == pair.variant.cid
            assert f'data-testid="pair-{pair.base.cid}"' in section
    shared = bank_pairs["shared_record"][0]
    assert shared.base.record.repeats > 0 and shared.variant.record.repeats == 0
    assert "the worst in retail-bank-siloed" in section
    assert section.count("<details") == 3 * len(bank.variants)
    assert section.count(" open>") == len(bank.variants)  # the first of each, open
    assert '<a href="#customers">' in bank_page


def test_without_pairs_there_is_no_customer_section(bank: Comparison, bank_plots) -> None:
    assert 'id="customers"' not in render_comparison(bank, bank_plots)
    empty = render_comparison(bank, bank_plots, {label: [] for label in bank.variants})
    assert empty.count('data-testid="no-pairs"') == len(bank.variants)


def test_a_trade_off_shows_both_sides(shift: Comparison) -> None:
    page = render_comparison(shift, {})
    card = re.search(r'data-variant="chat_first">.*?</div>', page, re.DOTALL)
    assert card and f'<span class="verdict mixed">{TRADE_OFF}</span>' in card.group(0)
    assert '<span class="verdict worse">voice: worse</span>' in card.group(0)
    assert '<span class="verdict better">chat: better</span>' in card.group(0)
    voice = _section(page, "channel-voice")
    assert _verdict(voice, "service level", "chat_first") == WORSE
    assert _verdict(voice, "abandonment rate", "chat_first") == WORSE
    assert '<span class="verdict worse">chat_first: worse</span>' in voice
    assert _verdict(_section(page, "channel-chat"), "service level", "chat_first") == BETTER
    grid = _section(page, "verdicts")
    assert f'<td class="verdict mixed">{TRADE_OFF}</td>' in grid


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


def test_no_costs_section_without_costs(tiny: Comparison) -> None:
    page = render_comparison(tiny, comparison_plots(tiny))
    assert 'data-testid="no-costs"' in page and html.escape(NO_COSTS, quote=True) in page
    assert 'data-testid="plot-costs"' not in page and '<section id="costs">' not in page


# --------------------------------------------------------------------------------------------
# The command


def test_compare_html_through_the_cli(tiny_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = invoke("compare", tiny_file, "-n", "2", "--workers", "1", "--out", out, "--html")
    assert result.exit_code == 0, result.stderr
    assert "comparison.html" in result.stderr + result.stdout
    page = (out / "comparison.html").read_text(encoding="utf-8")
    assert "tiny" in page and 'data-section="channel-voice"' in page
    assert 'data-variant="more_agents"' in page
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
    bank_pairs,
) -> None:
    from selenium.webdriver.common.by import By

    write_comparison_html(tmp_path, bank, bank_plots, bank_pairs)
    logs = open_report(browser, tmp_path / "comparison.html")
    assert not [entry for entry in logs if entry["level"] == "SEVERE"], logs

    tables = browser.find_elements(By.CSS_SELECTOR, '[data-testid="kpi-table"]')
    assert len(tables) == len(sections(bank)) and all(table.is_displayed() for table in tables)
    journeys = browser.find_element(By.CSS_SELECTOR, '[data-section="journeys"]')
    assert "repeats per 100" in journeys.text and "better" in journeys.text
    summaries = browser.find_elements(By.CSS_SELECTOR, '[data-testid="summary-variant"]')
    assert [s.text.splitlines()[0] for s in summaries] == ["shared_record", "more_agents"]
    widths = browser.execute_script(
        "return Array.from(document.images).map(function (i) { return i.naturalWidth; })"
    )
    assert len(widths) == 5 and all(w > 0 for w in widths)
    # A better verdict is colored differently from "no significant difference".
    colors = browser.execute_script(
        "return ['td.verdict.better', 'td.verdict.same'].map(function (s) {"
        " return getComputedStyle(document.querySelector(s)).color; })"
    )
    assert colors[0] != colors[1]
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1366, min(int(height) + 100, 12000))
    assert browser.save_screenshot(str(tmp_path / "comparison.png"))


@needs_chromium
@pytest.mark.parametrize("width", [390, 1440])
def test_the_same_customers_render_on_any_screen(
    tmp_path: Path,
    browser,  # noqa: F811 - the fixture imported above
    bank: Comparison,
    bank_pairs,
    width: int,
) -> None:
    from selenium.webdriver.common.by import By

    write_comparison_html(tmp_path, bank, {}, bank_pairs)
    at_width(browser, width)
    open_report(browser, tmp_path / "comparison.html")
    assert overflow(browser) == 0
    first = bank_pairs["shared_record"][0]
    pair = browser.find_element(By.CSS_SELECTOR, f'[data-testid="pair-{first.base.cid}"]')
    assert pair.is_displayed()
    sides = pair.find_elements(By.CSS_SELECTOR, ".pair-side")
    assert len(sides) == 2 and all(side.is_displayed() for side in sides)
    boxes = [side.rect for side in sides]
    if width >= 1000:
        assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]  # side by side
    else:
        assert boxes[1]["y"] > boxes[0]["y"]  # one above the other
    steps = sides[0].find_elements(By.CSS_SELECTOR, "li .text")
    assert steps and min(step.rect["width"] for step in steps) > 0.6 * sides[0].rect["width"] - 60
    closed = browser.find_elements(By.CSS_SELECTOR, "details.pair-details:not([open])")
    closed[0].find_element(By.TAG_NAME, "summary").click()
    assert closed[0].find_element(By.CSS_SELECTOR, ".pair").is_displayed()
    assert overflow(browser) == 0
