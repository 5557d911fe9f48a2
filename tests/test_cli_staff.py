"""``cxsim staff``: the files it writes, the same bytes with one worker or two, and bad targets
exiting with status 2."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.scenario import load_variants_text
from tests.staffing.scenario_texts import SMALL


def test_cli_end_to_end(tmp_path):
    scenario_file = tmp_path / "small.yaml"
    scenario_file.write_text(SMALL)
    out = tmp_path / "staff"
    runner = CliRunner()
    done = runner.invoke(
        cli,
        [
            "staff",
            str(scenario_file),
            "--target",
            "service_level>=0.80@20s",
            "--target",
            "abandon_rate<=0.05",
            "-n",
            "4",
            "--workers",
            "2",
            "--out",
            str(out),
        ],
    )
    assert done.exit_code == 0, done.output
    assert "phones (shrinkage 30%)" in done.output
    for name in (
        "staffing.json",
        "staffing.csv",
        "staffing.png",
        "staffing.variant.yaml",
        "scenario.staffed.yaml",
    ):
        assert (out / name).is_file(), name
    document = json.loads((out / "staffing.json").read_text())
    assert document["service_level_thresholds_s"]["voice"] == 20.0
    assert len(document["rows"]) == 8
    assert document["search"]["simulations"] > 0
    rows = list(csv.DictReader((out / "staffing.csv").open()))
    assert len(rows) == 8
    assert {"erlang_c", "erlang_a", "required", "heads", "cost", "service_level@20s"} <= set(
        rows[0]
    )
    assert (out / "staffing.png").read_bytes().startswith(b"\x89PNG")
    # The overlay pasted into the scenario loads; the staffed scenario compares with the base.
    pasted = SMALL + "\n".join(
        line
        for line in (out / "staffing.variant.yaml").read_text().splitlines()
        if not line.startswith("#")
    )
    assert "recommended" in load_variants_text(pasted)
    compared = runner.invoke(
        cli,
        [
            "compare",
            str(scenario_file),
            str(out / "scenario.staffed.yaml"),
            "-n",
            "2",
            "--workers",
            "1",
            "--out",
            str(tmp_path / "cmp"),
        ],
    )
    assert compared.exit_code == 0, compared.output
    assert "warning" not in compared.output  # the same demand: customers are paired
    # The same search with one worker writes the same document, byte for byte.
    again = runner.invoke(
        cli,
        [
            "staff",
            str(scenario_file),
            "--target",
            "service_level>=0.80@20s",
            "--target",
            "abandon_rate<=0.05",
            "-n",
            "4",
            "--json",
            "--workers",
            "1",
            "--out",
            str(tmp_path / "again"),
            "-q",
        ],
    )
    assert again.exit_code == 0, again.output
    assert json.loads(again.output) == document
    assert (tmp_path / "again" / "staffing.json").read_bytes() == (
        out / "staffing.json"
    ).read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-t", "service_level>0.8"], "use >= or <="),
        ([], "no target given"),
        (["-t", "service_level>=0.8", "--group", "nobody"], "no such agent group"),
        (["-t", "nobody:service_level>=0.8"], "no agent group 'nobody'"),
        (["-t", "journey.nps>=20"], "a journey target alone cannot size a team"),
    ],
)
def test_cli_bad_targets_exit_2(tmp_path, args, message):
    scenario_file = tmp_path / "small.yaml"
    scenario_file.write_text(SMALL)
    done = CliRunner().invoke(
        cli,
        [
            "staff",
            str(scenario_file),
            *args,
            "-n",
            "2",
            "--workers",
            "1",
            "-q",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert done.exit_code == 2, done.output
    assert message in done.output
    assert "Traceback" not in done.output
