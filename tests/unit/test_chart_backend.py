"""Charts leave a researcher's matplotlib alone: no backend switch, no pyplot figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
import matplotlib
matplotlib.use("svg")
before = matplotlib.get_backend()
import thbstats.publish.charts as ch
import thbstats.publish.export
assert matplotlib.get_backend() == before, (before, matplotlib.get_backend())
import thbstats as thb
from matplotlib.figure import Figure
df = thb.load()
chart = ch.funnel_chart(df, "WORLD", 2018)
assert type(chart.fig) is Figure
png = chart._repr_png_()
assert png.startswith(b"\\x89PNG")
assert matplotlib.get_backend() == before
assert "matplotlib.pyplot" not in sys.modules, "a chart imported pyplot"
print("ok")
"""


def test_importing_charts_keeps_the_backend_and_pyplot_untouched(dataset, tmp_path) -> None:
    env = {"THBSTATS_ROOT": str(ROOT), "PATH": "", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
