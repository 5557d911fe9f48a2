"""Files have one job: a module past about 800 lines says why in a comment, or is split.

The comment is a line starting ``# Long module:`` followed by the reason (a hot path kept in one
place for speed, say). Without one, the test names the file and its length.
"""

from __future__ import annotations

from tests.paths import ROOT

LIMIT = 800
MARKER = "# Long module:"


def test_long_modules_say_why() -> None:
    offenders = []
    for path in sorted((ROOT / "simulator").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > LIMIT and not any(line.startswith(MARKER) for line in lines):
            offenders.append(f"{path.relative_to(ROOT)}: {len(lines)} lines")
    assert not offenders, (
        f"modules over {LIMIT} lines without a '{MARKER} <why>' comment (split them along "
        "their seams, or say why they stay whole):\n" + "\n".join(offenders)
    )
