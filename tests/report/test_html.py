"""The HTML report: self-contained, escaped, and working in a real (headless Chromium) browser.

The browser test needs Debian's ``chromium`` and ``chromium-driver`` packages (binaries at
/usr/bin/chromium and /usr/bin/chromedriver) and the ``selenium`` package; without them it is
skipped. Selenium Manager is never used (the driver path is given), so nothing is downloaded.
"""

from __future__ import annotations

import base64
import copy
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simulator.experiment.replicate import run_replications
from simulator.observe.pain import CAUSE_WORDS
from simulator.observe.scopes import WAIT_KPIS
from simulator.report.document import results_document
from simulator.report.html import render_report, write_report
from simulator.report.plots import PLOTS, all_plots
from simulator.report.text import fmt
from simulator.scenario import load_scenario, load_scenario_text
from tests.paths import ROOT
from tests.scenario_texts import VOICE_AND_EMAIL

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOSTILE = '<script>alert("x")</script>'


def journey(cid: str, pick: str, steps: list[list], **facts) -> dict:
    """An explorer entry as journeys.json stores it (simulator.report.story.explorer)."""
    entry = {
        "id": cid,
        "replication": 0,
        "pick": pick,
        "segment": "online_shopper",
        "intent": "complaint",
        "channels": ["chat"],
        "outcome": "resolved",
        "peak": 10.0,
        "peak_state": "calm",
        "final": 5.0,
        "state": "calm",
        "ttr_s": 540,
        "wait_s": 60,
        "contacts": 1,
        "summary": f"Customer {cid}",
        "header": [f"Customer {cid}: an online shopper, about a complaint."],
        "steps": steps,
        "ending": ["In the end: resolved."],
    }
    return {**entry, **facts}


# Journeys as the explorer stores them: facts, then the told story (escaped by the page).
EXPLORER = [
    journey(
        "17",
        "worst",
        [
            ["09:02", 0.0, "calm", 0, "starts a chat about a complaint"],
            ["09:04", 40.0, "irritated", 1, "the bot cannot help, twice"],
            ["09:43", 80.0, "furious", 1, "gives up & tells 825 people"],
        ],
        outcome="gave_up",
        peak=80.0,
        peak_state="furious",
        state="furious",
        ttr_s=None,
        contacts=3,
        channels=["chat", "chat", "voice"],
    ),
    journey(
        "204",
        "typical",
        [["10:15", 0.0, "calm", 0, "calls about a return"]],
        segment="occasional",
        intent="returns",
        channels=["voice"],
    ),
    journey("9", "best", [["08:01", 0.0, "calm", 0, "asks the bot where the order is"]]),
    journey("311", "random", [["11:00", 0.0, "calm", 0, f"sample {HOSTILE}"]], segment=HOSTILE),
]


@pytest.fixture(scope="module")
def document() -> dict:
    scenario = load_scenario(ROOT / "scenarios" / "ecommerce_ai_bot.yaml")
    return json.loads(json.dumps(results_document(run_replications(scenario, 2, workers=1))))


@pytest.fixture(scope="module")
def plots(document: dict) -> dict[str, bytes]:
    return all_plots(document)


@pytest.fixture(scope="module")
def page(document: dict, plots: dict[str, bytes]) -> str:
    return render_report(document, plots, EXPLORER)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <style> blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser


# --------------------------------------------------------------------------------------------
# Static checks


def test_no_external_resources(page: str) -> None:
    tags = parse(page)
    for tag, attrs in tags.tags:
        for name in ("src", "href", "srcset", "poster", "data", "action", "formaction"):
            value = (attrs.get(name) or "").strip()
            if value:
                assert value.startswith(("data:", "#")), f"<{tag} {name}={value[:60]!r}>"
        style = attrs.get("style") or ""
        assert "url(" not in style, f"<{tag} style={style!r}>"
    assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", "".join(tags.styles))
    assert not re.search(r"(src|href)\s*=\s*['\"]?\s*(https?:|//)", page, re.IGNORECASE)
    assert "@import" not in page and "@font-face" not in page
    # And the page forbids any other source itself.
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_images_are_embedded_pngs(page: str, plots: dict[str, bytes]) -> None:
    images = [attrs for tag, attrs in parse(page).tags if tag == "img"]
    assert len(images) == len(plots) == len(PLOTS)
    for attrs in images:
        src = attrs["src"] or ""
        prefix = "data:image/png;base64,"
        assert src.startswith(prefix)
        assert base64.b64decode(src[len(prefix) :]).startswith(PNG_SIGNATURE)
        assert attrs.get("alt")


def test_contents(page: str, document: dict) -> None:
    offered = fmt("offered", document["metrics"]["overall"]["offered"]["mean"])
    kpi_table = re.search(r'<table[^>]*data-testid="kpi-table".*?</table>', page, re.DOTALL)
    assert kpi_table and offered in kpi_table.group(0)
    assert "ecommerce-ai-bot" in page
    assert f"seed <b>{document['seed']}</b>" in page
    for testid in ("journey-table", "channel-table", "bot-table", "definitions", "explorer"):
        assert f'data-testid="{testid}"' in page
    for term in document["definitions"]:
        assert f"<dt>{term}</dt>" in page
    for entry in EXPLORER:
        assert f'data-testid="customer-{entry["id"]}"' in page
        panel = re.search(rf'<div [^>]*data-testid="timeline-{entry["id"]}"[^>]*>', page)
        assert panel and " hidden" in panel.group(0)  # closed until clicked
    # Worst first, then typical, best, the sample.
    order = [page.index(f'data-testid="customer-{i}"') for i in ("17", "204", "9", "311")]
    assert order == sorted(order)


def test_scenario_strings_are_escaped(document: dict) -> None:
    doc = copy.deepcopy(document)
    doc["scenario"] = HOSTILE
    doc["effective_scenario"]["description"] = HOSTILE
    doc["definitions"] = {HOSTILE: HOSTILE}
    metrics = doc["metrics"]
    for level in ("by_channel", "by_queue", "by_group", "bots"):
        first = next(iter(metrics[level]))
        metrics[level][f'"><img src=x onerror=alert(1)>{HOSTILE}'] = metrics[level].pop(first)
    metrics["bots"][next(iter(metrics["bots"]))]["failures_by_intent"][HOSTILE] = {
        "mean": 1.0,
        "ci_low": 0.0,
        "ci_high": 2.0,
    }
    doc["service_level_thresholds_s"] = {f'"><img src=x onerror=alert(1)>{HOSTILE}': 20.0}
    entry = journey(HOSTILE, HOSTILE, [["09:00", 0.0, HOSTILE, 0, HOSTILE]], intent=HOSTILE)
    entry["header"], entry["ending"], entry["channels"] = [HOSTILE], [HOSTILE], [HOSTILE]
    html = render_report(doc, {}, [entry])
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert html.count("<script>") == 1  # the page's own
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    for tag, attrs in parse(html).tags:
        assert not any(name.startswith("on") for name in attrs), tag


def test_empty_document_renders() -> None:
    html = render_report({}, {}, [])
    assert html.startswith("<!DOCTYPE html>")
    assert 'data-testid="kpi-table"' in html and 'data-testid="explorer-empty"' in html


def test_pain_points_ranked_by_share(page: str, document: dict) -> None:
    """The report lists where frustration comes from, largest share first (issue #13)."""
    causes = document["metrics"]["journey"]["pain_points"]["causes"]
    table = re.search(r'<table[^>]*data-testid="pain-table".*?</table>', page, re.DOTALL)
    assert table
    body = table.group(0).split("<tbody>", 1)[1]
    shown = re.findall(r"<tr><th>([^<]+)</th>", body)
    ranked = sorted(
        (c for c in causes if causes[c]["share"]["mean"] > 0),
        key=lambda c: -causes[c]["share"]["mean"],
    )
    assert shown == [CAUSE_WORDS[c] for c in ranked], causes
    assert fmt("share", causes[ranked[0]]["share"]["mean"]) in table.group(0)
    # The executive summary tells the same story: the three largest causes, in that order,
    # before where on the journey frustration built up.
    sentence = re.search(r'<p data-testid="pain-causes">(.*?)</p>', page)
    assert sentence, "the summary names the causes"
    said = [sentence.group(1).index(html.escape(CAUSE_WORDS[c])) for c in ranked[:3]]
    assert said == sorted(said) and CAUSE_WORDS[ranked[3]] not in sentence.group(1)
    share = causes[ranked[0]]["share"]["mean"]
    assert f"{html.escape(CAUSE_WORDS[ranked[0]])} ({share:.0%})" in sentence.group(1)


def test_write_report(tmp_path: Path, document: dict, page: str) -> None:
    path = write_report(tmp_path / "out" / "report.html", document, {}, EXPLORER)
    assert path.read_text(encoding="utf-8") == render_report(document, {}, EXPLORER)
    assert not list(path.parent.glob("*.tmp"))


# --------------------------------------------------------------------------------------------
# In a real browser

needs_chromium = pytest.mark.skipif(
    not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()),
    reason="headless browser test needs Debian chromium + chromium-driver "
    "(/usr/bin/chromium, /usr/bin/chromedriver): apt-get install -y chromium chromium-driver",
)


@pytest.fixture
def browser(tmp_path: Path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="pip install selenium")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1366,900",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: Selenium Manager is not run and downloads nothing.
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def at_width(driver, width: int, height: int = 900) -> None:
    """Lay the page out at ``width`` CSS pixels, as a phone (< 500 px) or a desktop would."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )


def overflow(driver) -> int:
    """How many CSS pixels the page is wider than the viewport (0: nothing sticks out)."""
    return int(
        driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def open_report(driver, path: Path) -> list[dict]:
    driver.get(path.resolve().as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    return driver.get_log("browser")


@needs_chromium
def test_report_in_headless_chromium(tmp_path: Path, browser, document: dict, plots: dict) -> None:
    from selenium.webdriver.common.by import By

    path = write_report(tmp_path / "report.html", document, plots, EXPLORER)
    logs = open_report(browser, path)
    severe = [entry for entry in logs if entry["level"] == "SEVERE"]
    assert not severe, severe

    table = browser.find_element(By.CSS_SELECTOR, '[data-testid="kpi-table"]')
    assert table.is_displayed()
    offered = fmt("offered", document["metrics"]["overall"]["offered"]["mean"])
    assert offered in table.text

    # Every chart decoded (a broken data URI has naturalWidth 0).
    widths = browser.execute_script(
        "return Array.from(document.images).map(function (i) { return i.naturalWidth; })"
    )
    assert len(widths) == len(PLOTS) and all(w > 0 for w in widths)

    worst = browser.find_element(By.CSS_SELECTOR, '[data-testid="customer-17"]')
    timeline = browser.find_element(By.CSS_SELECTOR, '[data-testid="timeline-17"]')
    assert not timeline.is_displayed()
    worst.click()
    assert timeline.is_displayed()
    assert "gives up & tells 825 people" in timeline.text
    assert worst.get_attribute("aria-expanded") == "true"
    # Another customer opens under its own button; clicking again closes.
    typical = browser.find_element(By.CSS_SELECTOR, '[data-testid="customer-204"]')
    typical.click()
    assert browser.find_element(By.CSS_SELECTOR, '[data-testid="timeline-204"]').is_displayed()
    typical.click()
    assert not browser.find_element(By.CSS_SELECTOR, '[data-testid="timeline-204"]').is_displayed()
    worst.click()
    assert not timeline.is_displayed()

    # The escaped label shows as text, and no script ran from it.
    sample = browser.find_element(By.CSS_SELECTOR, '[data-testid="customer-311"]')
    assert HOSTILE in sample.text
    sample.click()
    story = browser.find_element(By.CSS_SELECTOR, '[data-testid="timeline-311"]')
    assert f"sample {HOSTILE}" in story.text

    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    screenshot = tmp_path / "report.png"
    # The whole page: size the window to the document's height first.
    height = browser.execute_script(
        "window.scrollTo(0, 0); return document.documentElement.scrollHeight"
    )
    browser.set_window_size(1366, min(int(height) + 100, 12000))
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000


@needs_chromium
def test_real_journeys_in_headless_chromium(tmp_path: Path, browser, document: dict) -> None:
    """With the journeys cxsim itself records and tells."""
    from selenium.webdriver.common.by import By

    from simulator.experiment.tracing import sample_traces
    from simulator.report.bundle import explorer_entries, journeys_document, write_html_report

    scenario = load_scenario(ROOT / "scenarios" / "ecommerce_ai_bot.yaml")
    entries = explorer_entries(sample_traces(scenario, sample=2, seed=document["seed"]))
    assert entries
    write_html_report(tmp_path, document, journeys_document(entries))
    logs = open_report(browser, tmp_path / "report.html")
    assert not [entry for entry in logs if entry["level"] == "SEVERE"], logs
    for entry in entries:
        button = browser.find_element(By.CSS_SELECTOR, f'[data-testid="customer-{entry["id"]}"]')
        panel = browser.find_element(By.CSS_SELECTOR, f'[data-testid="timeline-{entry["id"]}"]')
        assert not panel.is_displayed()
        button.click()
        assert panel.is_displayed() and entry["steps"][0][4] in panel.text


# --------------------------------------------------------------------------------------------
# Headline figures: no blended waits, money in two sums

#: Words that name an absolute wait.
WAIT_WORDS = re.compile(r"\b(ASA|wait|waits|speed of answer)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def voice_and_email_page() -> tuple[dict, str]:
    scenario = load_scenario_text(
        VOICE_AND_EMAIL + "costs: {agent_hour: 30, lifetime_value: 500}\n"
    )
    document = json.loads(json.dumps(results_document(run_replications(scenario, 2, workers=1))))
    return document, render_report(document, {}, [])


def test_headline_figures_never_blend_the_waits_of_several_channels(
    voice_and_email_page: tuple[dict, str],
) -> None:
    """Voice waits seconds and e-mail hours: the cards and the all-channels table of the key
    figures show counts and promise-relative shares, and each channel's ASA on its own card."""
    _, page = voice_and_email_page
    summary = re.search(r'<section id="summary">.*?</section>', page, re.DOTALL)
    assert summary
    cards = re.findall(r'<div class="card[^"]*" data-kpi="([^"]+)">(.*?)</div></div>', summary[0])
    assert cards
    waits = [(key, body) for key, body in cards if WAIT_WORDS.search(re.sub("<[^>]+>", " ", body))]
    assert {key for key, _ in waits} == {"by_channel.voice.asa_s", "by_channel.email.asa_s"}
    for key, _ in cards:
        assert not key.endswith(WAIT_KPIS) or key.startswith("by_channel."), key
    table = re.search(r'data-testid="kpi-table">.*?<tbody>(.*?)</tbody>', summary[0], re.DOTALL)
    assert table and not WAIT_WORDS.search(re.sub("<[^>]+>", " ", table[1]))
    assert "Answered within promise" in table[1]


def test_money_cards_show_operating_cost_and_value_at_risk_apart(
    voice_and_email_page: tuple[dict, str],
) -> None:
    """Operating cost and value at risk (churn above base only) as two cards, never a total."""
    document, page = voice_and_email_page
    cards = dict(
        re.findall(r'<div class="card money \w+" data-kpi="(costs\.\w+)">(.*?)</div></div>', page)
    )
    assert set(cards) == {"costs.operating", "costs.value_at_risk"}
    costs = document["metrics"]["costs"]
    for key in ("operating", "value_at_risk"):
        assert f"{costs[key]['mean']:,.0f}" in cards[f"costs.{key}"], cards[f"costs.{key}"]
    assert "total" not in costs


def test_the_mean_frustration_card_says_how_many_end_angry(page: str, document: dict) -> None:
    """A calm mean can hide an angry tail (the siloed bank: mean 10.9, 'calm', with voice at
    34 % service level): the card of the mean names the share ending angry or worse."""
    share = document["metrics"]["journey"]["frustration"]["share_angry_or_worse"]["mean"]
    card = re.search(
        r'<div class="card[^"]*" data-kpi="frustration.mean_final">.*?</div></div>', page, re.DOTALL
    )
    assert card
    assert (
        f"a mean: {fmt('share_angry_or_worse', share)} of customers end angry or worse"
        in card.group(0)
    )
