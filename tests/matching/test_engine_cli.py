"""The engine stands alone: no Django import, and a command line that the judge accepts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# The shared folder sits beside the repository, or above the worktree a branch is checked out in.
MATCHER = next(
    (p / "shared" / "matcher" for p in REPO.parents if (p / "shared" / "matcher").exists()),
    REPO.parent / "shared" / "matcher",
)


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_the_engine_imports_no_django():
    code = (
        "import sys, matching.engine, matching.__main__; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('django'))"
    )
    done = run("-c", code)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(not (MATCHER / "gen.py").exists(), reason="no instance generator here")
@pytest.mark.parametrize("variant", ["staffing", "mediation"])
def test_a_generated_instance_round_trips_through_the_judge(tmp_path, variant):
    instance = tmp_path / "instance.json"
    made = run(str(MATCHER / "gen.py"), variant, "small", "--seed", "3", "--out", str(instance))
    assert made.returncode == 0, made.stderr
    solved = run("-m", "matching", "solve", str(instance), "--time-limit", "30", "--seed", "1")
    assert solved.returncode == 0, solved.stderr
    solution = json.loads(solved.stdout)
    assert solution["instance"] == json.loads(instance.read_text())["meta"]
    assert solution["bound_only"] is False
    stats = solution["stats"]
    assert stats["bound"]["value"] >= len(solution["assignments"]) > 0
    assert {"timings", "objective"} <= set(stats)
    path = tmp_path / "solution.json"
    path.write_text(solved.stdout)

    ours = run("-m", "matching", "validate", str(instance), str(path))
    assert ours.returncode == 0, ours.stdout
    if (MATCHER / "check.py").exists():
        judged = run(str(MATCHER / "check.py"), str(instance), str(path), "--json")
        assert judged.returncode == 0, judged.stdout
        verdict = json.loads(judged.stdout)
        if variant == "staffing":
            assert verdict["filled"] == stats["objective"]["filled"]
            assert verdict["cost"] == pytest.approx(stats["objective"]["cost"], abs=0.01)
        else:
            assert verdict["urgency_weight"] == stats["objective"]["urgency_weight"]


def test_validate_reports_a_broken_solution(tmp_path):
    instance = {
        "meta": {"variant": "staffing"},
        "skills": [],
        "venues": [{"id": "V0", "lat": 51.0, "lon": 10.0}],
        "volunteers": [
            {
                "id": "P0",
                "lat": 51.0,
                "lon": 10.0,
                "skills": [],
                "languages": ["de"],
                "availability": [],
                "max_hours": 2,
            }
        ],
        "slots": [
            {
                "id": "S0",
                "venue": "V0",
                "activity": "x",
                "start": "2025-03-03T10:00",
                "end": "2025-03-03T12:00",
                "required_skills": [],
                "needed": 1,
            }
        ],
    }
    (tmp_path / "i.json").write_text(json.dumps(instance))
    (tmp_path / "s.json").write_text(
        json.dumps({"assignments": [{"slot": "S0", "volunteer": "P0"}]})
    )
    done = run("-m", "matching", "validate", str(tmp_path / "i.json"), str(tmp_path / "s.json"))
    assert done.returncode == 1
    assert "availability" in done.stdout
