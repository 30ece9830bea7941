"""SIGKILL during writes never corrupts the memory database or loses a committed fact.

Writers are the real thing (tools/kill_loop.py --child: remember, turns with compaction, forget,
retention with checkpoint and incremental vacuum); the full 100-iteration run is
`python tools/kill_loop.py --iterations 100`."""

from __future__ import annotations

import importlib.util
import random
import sqlite3
from pathlib import Path

import pytest

from edgeagent.memory import Memory
from edgeagent.models import get_entry, install

ROOT = Path(__file__).resolve().parent.parent


def load_kill_loop():
    spec = importlib.util.spec_from_file_location("kill_loop", ROOT / "tools" / "kill_loop.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("writers", [1, 2])
def test_sigkill_during_writes_loses_nothing(tmp_path, writers):
    kill_loop = load_kill_loop()
    db = tmp_path / "memory.db"
    rng = random.Random(writers)
    reported = 0
    for iteration in range(10):
        reports, problems = kill_loop.run_iteration(db, writers, None, rng, max_delay=1.5)
        assert problems == [], f"iteration {iteration}: {problems}"
        reported += sum(r["op"] == "add" for r in reports)
    assert reported > 0, "the writers never got to commit anything: the test proved nothing"
    # The survivor opens normally and everything it holds is consistent.
    with Memory(db) as mem:
        assert mem.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert mem.stats()["facts"] > 0


def test_sigkill_with_vectors_keeps_facts_and_vectors_together(tmp_path, settings):
    """With the embedder, a fact and its vector commit in one transaction."""
    model = install(get_entry("use-multilingual"), settings)  # a no-op when already there
    kill_loop = load_kill_loop()
    db = tmp_path / "memory.db"
    rng = random.Random(3)
    for iteration in range(4):
        reports, problems = kill_loop.run_iteration(db, 1, str(model), rng, max_delay=2.5)
        assert problems == [], f"iteration {iteration}: {problems}"
    conn = sqlite3.connect(db)
    orphans = conn.execute("SELECT count(*) FROM facts f LEFT JOIN fact_vectors v "
                           "ON v.fact_id = f.id WHERE v.fact_id IS NULL").fetchone()[0]
    assert orphans == 0
