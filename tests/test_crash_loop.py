"""The crash loop in its short form: real kithbook processes killed at random moments
during import, merge, undo, erase and backup; nothing half done, nothing acknowledged
lost, the database sound after every kill. bench/crash_loop.py runs 1,000 kills."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "bench" / "crash_loop.py"


def test_crash_loop_short(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("crash_loop", BENCH)
    assert spec is not None and spec.loader is not None
    loop = importlib.util.module_from_spec(spec)
    sys.modules["crash_loop"] = loop  # dataclasses look their module up there
    spec.loader.exec_module(loop)
    report = loop.run(12, seed=5, work=tmp_path)
    assert report.kills == 12
    assert report.integrity_failures == 0
    assert report.partial == [] and report.lost == []
