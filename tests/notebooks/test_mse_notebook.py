"""notebooks/mse.ipynb runs top to bottom through papermill, with its parameters."""

from __future__ import annotations

from pathlib import Path

import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_mse_notebook_runs_on_a_registered_table(official, dataset, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("THBSTATS_ROOT", str(ROOT))
    out = tmp_path / "mse.out.ipynb"
    nb = pm.execute_notebook(
        str(ROOT / "notebooks" / "mse.ipynb"),
        str(out),
        parameters={"table_key": "mse-korea-palembang", "method": "downhill", "n_boot": 20},
        cwd=str(ROOT),
        kernel_name="python3",
        progress_bar=False,
    )
    text = "".join(
        "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c["outputs"]
    )
    # Silverman, Chan and Vincent (2024), Table 6: downhill estimate for Korea, 157
    assert "'model': '[12,23]'" in text and "'estimate': 157.2" in text
    assert "homeoffice-2014-modern-slavery-mse" in text
