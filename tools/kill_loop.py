#!/usr/bin/env python3
"""Kill-during-write loop for the memory database.

Each iteration starts writer processes on one database; they remember facts (plus turns with
compaction, forgets, and retention passes that checkpoint and vacuum) and print each fact's id only
after its transaction committed. The writers are SIGKILLed at a random moment; then the database
must pass `PRAGMA integrity_check` and the FTS5 integrity check, and every fact a writer reported
must be there with its content (and its vector, with --vectors), unless it reported forgetting it.

    python tools/kill_loop.py --iterations 100 [--writers 2] [--vectors MODEL.onnx] [--db PATH]

Exit status 0 when every iteration passed. `--child DB` is the writer (used by the loop and tests).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("battery dock wheel lidar camera shelf pallet sensor door ramp bay aisle charger motor "
         "gripper map route owner site robot warehouse forklift conveyor").split()


def child(db: str, vectors: str | None, tag: str) -> None:
    from edgeagent.memory import Memory, MemorySettings

    embedder = None
    if vectors:
        from edgeagent.embeddings import Embedder
        embedder = Embedder(vectors)
    # Retention that could delete facts is off: every reported fact must survive.
    settings = MemorySettings(max_facts=10**9, max_turns=10**6, max_db_mb=10**6,
                              turn_budget_tokens=200, maintenance_every=25)
    rng = random.Random()
    memory = Memory(db, settings, embedder=embedder)
    print("ready", flush=True)
    mine: list[int] = []
    i = 0
    while True:
        i += 1
        words = " ".join(rng.choice(WORDS) for _ in range(6))
        content = f"kill-loop fact {tag}-{i}-{rng.getrandbits(32):08x}: {words}"
        fact = memory.remember(content)
        print(json.dumps({"op": "add", "id": fact.id, "content": fact.content}), flush=True)
        mine.append(fact.id)
        if i % 7 == 0:
            memory.record_turn(f"kill-{tag}", f"request {i} about {words}",
                               calls=[{"name": "recall", "arguments": {"query": words}}],
                               results=[content], answer=f"answer {i}")
        if i % 11 == 0 and mine:
            victim = mine.pop(rng.randrange(len(mine)))
            print(json.dumps({"op": "intent-forget", "id": victim}), flush=True)
            memory.forget(victim)
            print(json.dumps({"op": "forget", "id": victim}), flush=True)


def check_database(db: Path, reports: list[dict], vectors: bool) -> list[str]:
    """Problems found in `db` given the writers' reports; [] means it passed."""
    problems = []
    conn = sqlite3.connect(str(db), timeout=30)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            problems.append(f"integrity_check: {result[:3]}")
        for table in ("facts", "turns", "summaries"):
            try:
                conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('integrity-check')")
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):  # killed before the first migration
                    problems.append(f"{table}_fts integrity-check: {exc}")
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'facts'").fetchone():
            if any(r["op"] == "add" for r in reports):
                problems.append("facts were reported but the facts table is missing")
            return problems
        expected: dict[int, str] = {}
        in_doubt: set[int] = set()
        for report in reports:
            if report["op"] == "add":
                expected[report["id"]] = report["content"]
            elif report["op"] == "intent-forget":
                in_doubt.add(report["id"])  # killed before or after the delete committed
            elif report["op"] == "forget":
                expected.pop(report["id"], None)
                in_doubt.discard(report["id"])
        for fact_id, content in expected.items():
            row = conn.execute("SELECT content FROM facts WHERE id = ?", (fact_id,)).fetchone()
            if row is None:
                if fact_id not in in_doubt:
                    problems.append(f"committed fact #{fact_id} is missing")
            elif row[0] != content:
                problems.append(f"fact #{fact_id} changed: {row[0]!r} != {content!r}")
            elif vectors and not conn.execute(
                    "SELECT 1 FROM fact_vectors WHERE fact_id = ?", (fact_id,)).fetchone():
                problems.append(f"fact #{fact_id} has no vector")
        forgotten = [r["id"] for r in reports if r["op"] == "forget"]
        for fact_id in forgotten:
            if conn.execute("SELECT 1 FROM facts WHERE id = ?", (fact_id,)).fetchone():
                problems.append(f"forgotten fact #{fact_id} is back")
    finally:
        conn.close()
    return problems


def run_iteration(db: Path, writers: int, vectors: str | None, rng: random.Random,
                  max_delay: float) -> tuple[list[dict], list[str]]:
    """Start writers, kill them at a random moment, return (their reports, problems)."""
    cmd = [sys.executable, "-u", str(Path(__file__).resolve()), "--child", str(db)]
    if vectors:
        cmd += ["--vectors", vectors]
    procs = [subprocess.Popen(cmd + ["--tag", f"{os.getpid()}.{time.time_ns()}.{w}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for w in range(writers)]
    time.sleep(rng.uniform(0.05, max_delay))
    for proc in procs:
        proc.send_signal(signal.SIGKILL)
    reports: list[dict] = []
    problems: list[str] = []
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode != -signal.SIGKILL:
            problems.append(f"writer exited with {proc.returncode} before the kill: "
                            f"{err.strip().splitlines()[-1:] or ''}")
        for line in out.splitlines(keepends=True):
            if line.endswith("\n") and line.startswith("{"):  # a half-printed line never counts
                reports.append(json.loads(line))
    problems += check_database(db, reports, vectors is not None)
    return reports, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--tag", default="w", help=argparse.SUPPRESS)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--writers", type=int, default=2, help="concurrent writer processes")
    parser.add_argument("--vectors", metavar="MODEL.onnx",
                        help="also embed each fact with this model (slower start per writer)")
    parser.add_argument("--db", help="database to hammer (default: a temporary file)")
    parser.add_argument("--max-delay", type=float, default=2.0,
                        help="kill within this many seconds of the start (default 2)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.vectors, args.tag)
        return 0
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "memory.db"
        committed = failures = 0
        started = time.perf_counter()
        for n in range(1, args.iterations + 1):
            reports, problems = run_iteration(db, args.writers, args.vectors, rng, args.max_delay)
            committed += sum(r["op"] == "add" for r in reports)
            if problems:
                failures += 1
                print(f"iteration {n}: FAILED: " + "; ".join(problems[:5]), flush=True)
        facts = sqlite3.connect(str(db)).execute("SELECT count(*) FROM facts").fetchone()[0]
        elapsed = time.perf_counter() - started
    print("| iterations | writers | vectors | facts committed | facts in db | failed | seconds |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {args.iterations} | {args.writers} | {'yes' if args.vectors else 'no'} | "
          f"{committed} | {facts} | {failures} | {elapsed:.0f} |")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
