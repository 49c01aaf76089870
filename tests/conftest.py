"""Shared fixtures: the official releases (downloads folder) and the built dataset.

The tests mirror the layout: `unit/` (one module each, on hand-made inputs), `integration/` (the
real files and the table built from them), `notebooks/` (papermill runs of the pipeline and of
the project's notebooks; `notebooks/fixtures/` holds the runner's test notebooks). Tests that use
the official files or the built table are marked `official`, tests under `notebooks/` `notebook`,
so `pytest -m "not official"` runs without any release.

Tests that read the official files, or the table built from them (the docstring examples on the
table, the cookbook, the notebook documents...), skip with a reason when the files are absent (a
clone without ../shared/sources), and fail instead when THBSTATS_REQUIRE_DOWNLOADS=1 (set by
.ci/run, where ../shared/sources is present).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
_OFFICIAL_FIXTURES = {"official", "dataset", "official_dataset"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by what they need: the official releases, or a notebook kernel."""
    for item in items:
        if _OFFICIAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.official)
        if "notebooks" in Path(str(item.fspath)).relative_to(ROOT / "tests").parts[:1]:
            item.add_marker(pytest.mark.notebook)


def _downloads_folder() -> Path | None:
    from thbstats import paths

    folder = paths.downloads_dir()
    return folder if folder.is_dir() else None


@pytest.fixture(scope="session")
def official() -> dict[str, Path]:
    """Citation key -> path of every registered release found in the downloads folder (all required)."""
    from thbstats import paths
    from thbstats.ingest import releases

    folder = _downloads_folder()
    found, missing, _ = releases.locate(folder) if folder else ({}, releases.registered(), [])
    if missing:
        _without_releases(
            f"official releases missing from the downloads folder ({paths.downloads_dir()}): "
            + ", ".join(r.key for r in missing)
        )
    return found


def _without_releases(what: str) -> None:
    """Skip the test (fail it when THBSTATS_REQUIRE_DOWNLOADS=1): ``what`` is missing."""
    msg = what + "; set THBSTATS_DOWNLOADS or run `thbstats fetch`"
    if os.environ.get("THBSTATS_REQUIRE_DOWNLOADS") == "1":
        pytest.fail(msg)
    pytest.skip(msg)


def _lacking_releases() -> list[str]:
    """The registered releases the table in data/processed was not built from (its record)."""
    from thbstats import paths
    from thbstats.ingest import build_record, releases

    record = build_record.read(paths.processed_dir())
    used = {r["sha256"] for r in record.releases.values()} if record else set()
    return [r.key for r in releases.registered() if r.sha256 not in used]


@pytest.fixture(scope="session")
def dataset() -> pd.DataFrame:
    """The tidy table (every vintage), built once per test session into the project's data/processed.

    Skips (fails when THBSTATS_REQUIRE_DOWNLOADS=1) when the table lacks a registered release: the
    examples and documents that read it give the figures of the official releases.
    """
    import thbstats as thb
    from thbstats.ingest import build
    from thbstats.ingest.build_record import DowngradeError

    os.environ.setdefault("THBSTATS_ROOT", str(ROOT))
    try:
        build.build(log=lambda _msg: None)
    except DowngradeError:
        pass  # the project holds a fuller earlier build (made with the official files): use it
    lacking = _lacking_releases()
    if lacking:
        _without_releases(
            "the table in data/processed was built without the official releases "
            + ", ".join(lacking)
        )
    return thb.load(vintage="all")


@pytest.fixture(scope="session")
def official_dataset(official: dict[str, Path], dataset: pd.DataFrame) -> pd.DataFrame:
    """The tidy table, when it was built with every official release present."""
    return dataset
