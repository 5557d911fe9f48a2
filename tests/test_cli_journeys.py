"""The journey commands through the real executable: trace, run --html/--events, report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CXSIM = Path(sys.executable).with_name("cxsim")
SILOED = ROOT / "scenarios" / "retail_bank_siloed.yaml"
OMNI = ROOT / "scenarios" / "retail_bank_omnichannel.yaml"
BOT = ROOT / "scenarios" / "ecommerce_ai_bot.yaml"


def cxsim(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CXSIM), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_trace_tells_the_worst_journey_in_plain_text_without_colour_in_a_pipe():
    done = cxsim("trace", SILOED, "--pick", "worst")
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout  # stdout is a pipe here: no ANSI colours
    assert "You " in done.stdout and "In the end" in done.stdout
    assert done.stdout == cxsim("trace", SILOED, "--pick", "worst").stdout  # deterministic


def test_trace_json_and_markdown_formats():
    data = json.loads(cxsim("trace", BOT, "--pick", "typical", "--format", "json").stdout)
    assert data["scenario"] == "ecommerce-ai-bot" and data["pick"] == "typical"
    assert data["events"][0]["activity"] == "arrived"
    assert data["narrative"] and all(line["text"] for line in data["narrative"])
    markdown = cxsim("trace", BOT, "--pick", "best", "--format", "markdown").stdout
    assert markdown.lstrip().startswith("#")


def test_trace_filters_by_segment_and_intent():
    done = cxsim(
        "trace", SILOED, "--segment", "digital", "--intent", "card_lost", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "digital" in text and "card_lost" in text


def test_trace_compare_walks_the_same_customer_through_both_files():
    done = cxsim("trace", SILOED, "--compare", OMNI)
    assert done.returncode == 0, done.stderr
    assert "retail-bank-siloed" in done.stdout and "retail-bank-omnichannel" in done.stdout


def test_trace_compare_honours_every_format():
    text = cxsim("trace", SILOED, "--compare", OMNI).stdout
    customer = text.split(":", 1)[0]  # "Customer 2008"
    markdown = cxsim("trace", SILOED, "--compare", OMNI, "--format", "markdown").stdout
    assert markdown.startswith(f"## {customer}: ") and "### Key differences" in markdown
    data = json.loads(cxsim("trace", SILOED, "--compare", OMNI, "--format", "json").stdout)
    assert f"Customer {data['customer']}" == customer
    assert data["base"]["scenario"] == "retail-bank-siloed"
    assert data["variant"]["scenario"] == "retail-bank-omnichannel"
    assert data["summary"] and data["summary"] in " ".join(text.split())
    page = cxsim("trace", SILOED, "--compare", OMNI, "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert f'data-testid="pair-{data["customer"]}"' in page


def test_trace_html_is_a_complete_page():
    page = cxsim("trace", BOT, "--pick", "worst", "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and '<ol class="timeline"' in page
    assert "https://" not in page and "http://" not in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--customer", "99999999"), "customer 99999999"),
        (("--segment", "martians"), "martians"),
        (("--variant", "omnichannel"), "declares no variant 'omnichannel'"),
    ],
)
def test_trace_bad_requests_exit_2_with_a_reason(args, message):
    done = cxsim("trace", SILOED, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_run_html_and_events_then_report_rebuilds_the_folder(tmp_path):
    out = tmp_path / "bank"
    events = tmp_path / "events.csv"
    done = cxsim(
        "run", SILOED, "-n", "2", "--workers", "1", "--out", out, "--html", "--events", events, "-q"
    )
    assert done.returncode == 0, done.stderr
    html = (out / "report.html").read_text()
    assert "retail-bank-siloed" in html and "data:image/png;base64," in html
    assert "https://" not in html and "http://" not in html
    for name in ("waits.png", "funnel.png", "switch_matrix.png", "journeys.json"):
        assert (out / name).stat().st_size > 0, name
    header = events.read_text().splitlines()[0]
    assert header.startswith("case_id,activity,timestamp")

    (out / "report.html").unlink()
    rebuilt = subprocess.run(
        [sys.executable, "-c", WITHOUT_ENGINE, "report", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert (out / "report.html").read_text() == html  # same folder -> same page, no engine


#: ``cxsim ARGS`` in a Python where the engine cannot be imported (simulator.model, SimPy):
#: whatever needs it fails loudly instead of simulating.
WITHOUT_ENGINE = """
import sys
from importlib.abc import MetaPathFinder

class NoEngine(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "simpy" or name.startswith(("simulator.model", "simpy.")):
            raise ImportError(f"the engine is unavailable here: {name}")
        return None

sys.meta_path.insert(0, NoEngine())
from simulator.cli import cli
cli(sys.argv[1:], prog_name="cxsim")
"""


def test_report_on_a_folder_without_results_is_bad_input(tmp_path):
    done = cxsim("report", tmp_path)
    assert done.returncode == 2
    assert "results.json" in done.stderr and "Traceback" not in done.stderr


def test_trace_in_a_variant_and_against_a_variant():
    assert cxsim("trace", SILOED, "--variant", "shared_record").returncode == 0
    done = cxsim("trace", SILOED, "--compare", "shared_record")
    assert done.returncode == 0, done.stderr
    assert "(shared_record)" in done.stdout


def test_compare_selected_variants_and_an_unknown_one(tmp_path):
    done = cxsim("compare", SILOED, "--variants", "more_agents", "-n", "2", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    document = json.loads((tmp_path / "comparison.json").read_text())
    assert list(document["variants"]) == ["more_agents"]
    bad = cxsim("compare", SILOED, "--variants", "nope", "-n", "2", "--out", tmp_path)
    assert bad.returncode == 2 and "no variant nope" in bad.stderr


def test_validate_checks_the_variants_too(tmp_path):
    broken = tmp_path / "bank.yaml"
    text = SILOED.read_text().replace("context.shared_record: true", "context.shared_recrod: true")
    broken.write_text(text)
    done = cxsim("validate", broken)
    assert done.returncode == 2
    assert "shared_recrod" in done.stderr and "did you mean" in done.stderr


def test_run_with_events_and_html_simulates_each_replication_once(tmp_path, monkeypatch):
    """One run feeds the results, the event log and the explorer: a counting World.run sees
    every replication exactly once, and the outputs are those of separate serial runs."""
    from simulator.experiment.replicate import run_replications
    from simulator.model.world import World
    from simulator.observe.collector import journey_explorer
    from simulator.observe.eventlog import EventLogWriter
    from simulator.observe.journey_map import JourneyMap
    from simulator.report.bundle import explorer_entries, journeys_document
    from simulator.scenario import load_scenario
    from tests.test_cli import invoke

    runs: list[tuple[int, int]] = []
    original = World.run

    def counting_run(world: World) -> World:
        runs.append((world.replication, world.seed))
        return original(world)

    scenario = load_scenario(BOT)
    monkeypatch.setattr(World, "run", counting_run)
    out, events = tmp_path / "bot", tmp_path / "events.jsonl"
    done = invoke(
        "run", BOT, "-n", "3", "--workers", "1", "--out", out, "--html", "--events", events, "-q"
    )
    assert done.exit_code == 0, done.output
    assert sorted(runs) == [(r, scenario.seed) for r in range(3)]

    # The same files as separate serial runs write: the event log, the explorer's journeys.
    monkeypatch.setattr(World, "run", original)
    expected = tmp_path / "serial.jsonl"
    with EventLogWriter(expected, scenario) as writer:
        for r in range(3):
            World(scenario, r, recorder=writer).run()
    assert events.read_bytes() == expected.read_bytes()
    explorer, journey_map = journey_explorer(3), JourneyMap()
    run_replications(scenario, 3, observers=[explorer, journey_map])
    saved = json.loads((out / "journeys.json").read_text())
    assert saved == journeys_document(explorer_entries(explorer.journeys), journey_map.as_dict())
    assert [entry["pick"] for entry in saved["explorer"]][:3] == ["worst", "typical", "best"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_run_refuses_an_event_log_it_cannot_name_before_simulating(tmp_path):
    done = cxsim("run", BOT, "-n", "2", "--out", tmp_path / "o", "--events", tmp_path / "e.txt")
    assert done.returncode == 2
    assert "--events" in done.stderr and ".csv or .jsonl" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "o" / "results.json").exists()


def test_compare_html_follows_the_same_customers_without_simulating_again(tmp_path, monkeypatch):
    """The comparison's own runs record the customers its page follows through both designs:
    every replication of every design is simulated exactly once."""
    from simulator.model.world import World
    from tests.test_cli import invoke

    runs: list[tuple[str, int]] = []
    original = World.run

    def counting_run(world: World) -> World:
        runs.append((world.scenario.name, world.replication))
        return original(world)

    monkeypatch.setattr(World, "run", counting_run)
    out = tmp_path / "compare"
    done = invoke(
        "compare", SILOED, OMNI, "-n", "2", "--workers", "1", "--out", out, "--html", "-q"
    )
    assert done.exit_code == 0, done.output
    assert sorted(runs) == sorted(
        (name, r) for name in ("retail-bank-siloed", "retail-bank-omnichannel") for r in range(2)
    )
    page = (out / "comparison.html").read_text()
    assert page.count('<article class="pair"') == 3 and 'id="customers"' in page
