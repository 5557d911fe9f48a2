"""The journey explorer of the run report (simulator.report.explorer_html), with the page around
it: a bundled omnichannel day's journeys, filtered, searched, sorted and opened, on a phone
and a desktop, and the summary printed on one page (headless Chromium)."""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from simulator.experiment.replicate import run_replications
from simulator.observe.collector import journey_explorer
from simulator.observe.journey_map import JourneyMap
from simulator.report.bundle import explorer_entries, journeys_document, write_html_report
from simulator.report.document import results_document
from simulator.report.explorer_html import PAGE_SIZE, render_explorer
from simulator.scenario import load_scenario
from tests.paths import SCENARIOS
from tests.report.test_html import (
    HOSTILE,
    at_width,
    browser,  # noqa: F401 - the headless Chromium fixture
    journey,
    needs_chromium,
    open_report,
    overflow,
)

LEVELS = {"calm": 0.0, "irritated": 25.0, "angry": 50.0, "furious": 75.0}


@pytest.fixture(scope="module")
def omni(tmp_path_factory) -> Path:
    """A report folder of the bundled omnichannel bank, as `cxsim run --html -n 2` writes it."""
    scenario = load_scenario(SCENARIOS / "retail_bank_omnichannel.yaml")
    explorer, journey_map = journey_explorer(2), JourneyMap()
    result = run_replications(scenario, 2, workers=1, observers=[explorer, journey_map])
    out = tmp_path_factory.mktemp("omni")
    document = json.loads(json.dumps(results_document(result)))
    (out / "results.json").write_text(json.dumps(document))
    journeys = journeys_document(explorer_entries(explorer.journeys), journey_map.as_dict())
    write_html_report(out, document, journeys)
    return out


@pytest.fixture(scope="module")
def entries(omni: Path) -> list[dict]:
    return json.loads((omni / "journeys.json").read_text())["explorer"]


@pytest.fixture(scope="module")
def page(omni: Path) -> str:
    return (omni / "report.html").read_text(encoding="utf-8")


def test_the_explorer_lists_every_segment_intent_and_outcome(page: str, entries, omni: Path):
    scenario = load_scenario(SCENARIOS / "retail_bank_omnichannel.yaml")
    assert len(entries) >= 200 and page.count('<li class="journey"') == len(entries)
    for field, expected in (
        ("segment", {s.name for s in scenario.segments}),
        ("intent", {i.name for i in scenario.intents}),
        ("outcome", {"resolved", "gave_up"}),
    ):
        assert {e[field] for e in entries} == expected, field
        listed = set(re.findall(rf'<li class="journey"[^>]* data-{field}="([^"]*)"', page))
        assert listed == expected, field
    controls = re.search(r'<form class="filters".*?</form>', page, re.DOTALL)
    assert controls is not None
    for name in ("segment", "intent", "path", "outcome", "state", "id"):
        assert f'data-testid="filter-{name}"' in controls.group(0)
    counts = Counter(e["segment"] for e in entries)
    for segment, n in counts.items():
        assert f'<option value="{segment}">' in controls.group(0) and f"({n})</option>" in page


def test_stories_are_data_drawn_on_opening(page: str, entries) -> None:
    block = re.search(r'<script type="application/json" id="journey-stories">(.*?)</script>', page)
    assert block is not None
    stories = json.loads(block.group(1))
    assert len(stories) == len(entries)
    worst = next(e for e in entries if e["pick"] == "worst")
    key = re.search(rf'data-key="([^"]+)"[^>]*data-id="{worst["id"]}"', page).group(1)
    assert stories[key] == [worst["header"], worst["steps"], worst["ending"]]
    assert page.index(f'data-testid="customer-{worst["id"]}"') < page.index('pick random"')


def test_hostile_strings_stay_text() -> None:
    entry = journey("1", "worst", [["09:00", 1.0, "calm", 0, f"</script>{HOSTILE}"]])
    entry["segment"] = f'"><img src=x onerror=alert(1)>{HOSTILE}'
    body = render_explorer([entry], LEVELS)
    assert "<img src=x" not in body and "</script><script>" not in body
    assert body.count("</script>") == 1  # the data block's own end
    block = re.search(r'id="journey-stories">(.*?)</script>', body).group(1)
    assert json.loads(block)["j0-1"][1][0][4] == f"</script>{HOSTILE}"


def test_no_journeys_says_so() -> None:
    assert 'data-testid="explorer-empty"' in render_explorer([], LEVELS)


def test_the_page_stays_small(omni: Path) -> None:
    """A day's report, 240 journeys and the map included, is well under 3 MB."""
    assert (omni / "report.html").stat().st_size < 3_000_000


# --------------------------------------------------------------------------------------------
# In a real browser


def _listed(driver) -> list[dict]:
    """The journeys the list shows, in order, with their facts."""
    return driver.execute_script(
        "return Array.prototype.filter.call(document.querySelectorAll('li.journey'),"
        " function (li) { return !li.hidden; }).map(function (li) { return {"
        " id: li.getAttribute('data-id'), segment: li.getAttribute('data-segment'),"
        " outcome: li.getAttribute('data-outcome'), peak: parseFloat(li.dataset.peak),"
        " contacts: parseFloat(li.dataset.contacts) }; })"
    )


def _choose(driver, testid: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')).select_by_value(value)


@needs_chromium
@pytest.mark.parametrize("width", [390, 1440])
def test_filters_search_sort_and_open_on_any_screen(
    browser,  # noqa: F811 - the fixture imported above
    omni: Path,
    entries,
    width: int,
) -> None:
    from selenium.webdriver.common.by import By

    at_width(browser, width)
    logs = open_report(browser, omni / "report.html")
    assert not [e for e in logs if e["level"] == "SEVERE"], logs
    assert overflow(browser) == 0
    listed = _listed(browser)
    assert len(listed) == PAGE_SIZE
    count = browser.find_element(By.CSS_SELECTOR, '[data-testid="explorer-count"]').text
    assert f"of {len(entries)} matching" in count
    # Charts keep a readable size, scrolling in their own box on a phone.
    charts = browser.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('.plots img'),"
        " function (i) { return i.getBoundingClientRect().width; })"
    )
    assert charts and min(charts) >= min(600, width - 100)

    # Open the worst journey: its story appears under it, nothing sticks out.
    worst = next(e for e in entries if e["pick"] == "worst")
    button = browser.find_element(By.CSS_SELECTOR, f'[data-testid="customer-{worst["id"]}"]')
    browser.execute_script("arguments[0].scrollIntoView()", button)
    button.click()
    panel = browser.find_element(By.CSS_SELECTOR, f'[data-testid="timeline-{worst["id"]}"]')
    assert panel.is_displayed() and worst["steps"][-1][4] in panel.text
    steps = panel.find_elements(By.CSS_SELECTOR, "li .text")
    assert min(s.rect["width"] for s in steps) > 0.5 * panel.rect["width"]  # readable column
    assert overflow(browser) == 0

    # Filters change the list, and every journey listed matches them.
    segment = Counter(e["segment"] for e in entries).most_common()[-1][0]
    _choose(browser, "filter-segment", segment)
    _choose(browser, "filter-outcome", "gave_up")
    filtered = _listed(browser)
    expected = [e for e in entries if e["segment"] == segment and e["outcome"] == "gave_up"]
    assert 0 < len(filtered) == min(len(expected), PAGE_SIZE)
    assert all(j["segment"] == segment and j["outcome"] == "gave_up" for j in filtered)
    assert overflow(browser) == 0

    # Sorted by contacts, most first.
    _choose(browser, "sort", "contacts")
    contacts = [j["contacts"] for j in _listed(browser)]
    assert contacts == sorted(contacts, reverse=True)

    # Search by customer id, after clearing the filters.
    browser.find_element(By.CSS_SELECTOR, '[data-testid="filter-reset"]').click()
    browser.find_element(By.CSS_SELECTOR, '[data-testid="filter-id"]').send_keys(str(worst["id"]))
    found = _listed(browser)
    assert found and all(j["id"].startswith(str(worst["id"])) for j in found)
    assert str(worst["id"]) in {j["id"] for j in found}
    assert overflow(browser) == 0


@needs_chromium
def test_show_more_and_peak_sort(browser, omni: Path, entries) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    open_report(browser, omni / "report.html")
    _choose(browser, "sort", "peak")
    peaks = [j["peak"] for j in _listed(browser)]
    assert peaks == sorted((e["peak"] for e in entries), reverse=True)[:PAGE_SIZE]
    more = browser.find_element(By.CSS_SELECTOR, '[data-testid="explorer-more"]')
    browser.execute_script("arguments[0].scrollIntoView()", more)
    more.click()
    assert len(_listed(browser)) == min(2 * PAGE_SIZE, len(entries))


@needs_chromium
def test_the_journey_map_switches_segment(browser, omni: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    at_width(browser, 390)
    open_report(browser, omni / "report.html")
    shown = browser.find_elements(By.CSS_SELECTOR, ".map-segment:not([hidden]) svg.sankey")
    assert len(shown) == 1 and shown[0].get_attribute("data-testid") == "map-all"
    _choose(browser, "map-segment", "digital")
    shown = browser.find_elements(By.CSS_SELECTOR, ".map-segment:not([hidden]) svg.sankey")
    assert [s.get_attribute("data-testid") for s in shown] == ["map-digital"]
    labels = shown[0].find_elements(By.CSS_SELECTOR, "text")
    assert labels and min(t.size["height"] for t in labels if t.text) >= 10  # readable
    assert overflow(browser) == 0


@needs_chromium
def test_the_summary_prints_on_one_page(browser, omni: Path) -> None:  # noqa: F811
    """Printed to PDF (A4), the summary holds the headline figures, money, pain points and the
    worst journey, on exactly one page."""
    open_report(browser, omni / "report.html")
    printed = browser.execute_cdp_cmd(
        "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}
    )
    pdf = base64.b64decode(printed["data"])
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    shown = browser.execute_script(
        "var s = []; document.querySelectorAll('[data-testid]').forEach(function (e) {"
        " if (e.closest('section') && e.closest('section').id === 'summary') {"
        " s.push(e.getAttribute('data-testid')); } }); return s;"
    )
    assert {"money", "top-pain-points", "worst-journey"} <= set(shown)
