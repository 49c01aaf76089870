"""A notebook run by hand rebuilds the gallery after its exports; one run by `thbstats run` leaves
that to the runner."""

from __future__ import annotations

from pathlib import Path

from thbstats.publish import lab, manifest


def entry(fid: str) -> dict:
    return {"id": fid, "title": "T", "caption": "C", "source": "S", "files": {"png": f"{fid}.png"}}


def test_by_hand_the_gallery_lists_the_new_figure(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("THBSTATS_RUN_ID", raising=False)
    assert "No figure has been exported" in lab.refresh_gallery(tmp_path)
    manifest.add(tmp_path, entry("funnel-alb-2022"))
    said = lab.refresh_gallery(tmp_path)
    assert said.startswith("The gallery (index.html in the figures folder) lists 1 figure(s)")
    assert 'id="funnel-alb-2022"' in (tmp_path / "index.html").read_text()


def test_inside_thbstats_run_the_runner_rebuilds_it(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("THBSTATS_RUN_ID", "funnel[WORLD]")
    manifest.add(tmp_path, entry("funnel-world-2018"))
    assert "rebuilt by `thbstats run`" in lab.refresh_gallery(tmp_path)
    assert not (tmp_path / "index.html").exists()
