#!/usr/bin/env python3
"""Memory benchmark: insert rate, recall latency (p50/p95) and recall@5 for FTS5, vector and hybrid
search at growing numbers of facts, in one run, printed as one table.

    python tools/bench_memory.py [--sizes 1000,10000,100000] [--rounds 5]

The store holds the labeled set (tests/data/memory_recall.json: 40 facts, 41 hard distractors,
42 queries) plus synthetic background facts from templates (sensor readings, shelf stock, tasks,
reminders, preferences) that share the labeled facts' vocabulary (robots, docks, batteries, rooms),
so keyword and vector search both meet realistic competition. Every fact is embedded with the real
model; nothing is faked. Latencies include embedding the query (vector, hybrid) and reading the
result rows; `remember/s` is one fact per transaction with synchronous=FULL (the agent's path),
`bulk/s` is `import_records` (one transaction, batched embedding). Target: FTS p95 <= 10 ms and
hybrid p95 <= 50 ms at 100k facts; hybrid R@5 >= max(FTS, vector).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELED = ROOT / "tests" / "data" / "memory_recall.json"

ROBOTS = [f"R{i}" for i in range(1, 61)] + ["Atlas", "Bolt", "Comet", "Dash", "Echo", "Flint",
                                            "Juno", "Kepler", "Lynx", "Nova", "Orbit", "Pixel"]
PLACES = ([f"bay {i}" for i in range(1, 41)] + [f"room {i}" for i in range(100, 160)]
          + [f"aisle {c}" for c in "ABCDEFGHJKLMN"]
          + ["the loading ramp", "the cold store", "the workshop", "the yard", "the office wing",
             "the roof", "the garage", "the shipping desk", "the server room", "the canteen"])
METRICS = [("battery voltage", "V", 20, 30), ("motor temperature", "degrees", 30, 90),
           ("wifi signal", "dBm", -90, -40), ("speed", "m/s", 0, 2), ("cpu load", "percent", 1, 99),
           ("humidity", "percent", 20, 80), ("wheel current", "A", 1, 9),
           ("charging time", "minutes", 10, 120), ("distance driven", "km", 1, 40)]
PEOPLE = ("Ana Ben Carla Dev Elif Femi Goran Hana Ivo Jia Kofi Lena Mateo Nia Omar Priya Quinn "
          "Rosa Sami Tariq Uma Viktor Wen Yusuf Zoe Alba Bruno Chen Dara Emil Farah Gil Ines "
          "Jonas Kira Luis Mei Nils Olga Pavel").split()
TOPICS = ["the battery order", "the safety audit", "the dock inspection", "the map update",
          "the firmware rollout", "the shift rota", "the lidar cleaning", "the camera review",
          "the pallet count", "the door sensors", "the network upgrade", "the heating repair",
          "the fleet report", "the charger swap", "the label printer", "the spare parts list",
          "the visitor badges", "the fire drill", "the roof inspection", "the tyre change"]
TASKS = ["move pallet", "scan shelf", "deliver parts", "patrol yard", "recharge", "clean floor",
         "inspect door", "count stock", "fetch tools", "return to dock", "calibrate lidar"]
ITEMS = ["bolts", "gripper pads", "fuses", "zip ties", "lidar covers", "wheel hubs", "cables",
         "battery packs", "labels", "gloves", "filters", "sensor mounts", "brackets", "belts"]
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def synthetic_facts(n: int, seed: int = 7) -> list[str]:
    """n distinct background facts (the ids and numbers make each one unique)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = i % 6
        robot, place, day = rng.choice(ROBOTS), rng.choice(PLACES), rng.choice(DAYS)
        if kind == 0:
            metric, unit, lo, hi = rng.choice(METRICS)
            value = round(rng.uniform(lo, hi), 1)
            out.append(f"Robot {robot} reported a {metric} of {value} {unit} in {place} on "
                       f"{day} at {rng.randrange(24):02d}:{rng.randrange(60):02d} (log {i}).")
        elif kind == 1:
            out.append(f"Item SKU-{i:06d} ({rng.choice(ITEMS)}) is on shelf "
                       f"{rng.randrange(1, 30)} in {place}, quantity {rng.randrange(1, 500)}.")
        elif kind == 2:
            out.append(f"{rng.choice(PEOPLE)} asked to be reminded about {rng.choice(TOPICS)} "
                       f"on {day} (note {i}).")
        elif kind == 3:
            out.append(f"Sensor s-{i:06d} in {place} was calibrated on {day} by "
                       f"{rng.choice(PEOPLE)}.")
        elif kind == 4:
            out.append(f"Task T{i:06d} ({rng.choice(TASKS)} in {place}) was assigned to robot "
                       f"{robot} with priority {rng.randrange(1, 6)}.")
        else:
            out.append(f"{rng.choice(PEOPLE)} prefers {rng.choice(TOPICS)} to be handled on "
                       f"{day} mornings in {place} (request {i}).")
    return out


def rate(n: int, run) -> float:
    """Items per second of `run()`, which handles `n` items (nan for none)."""
    started = time.perf_counter()
    run()
    return n / (time.perf_counter() - started) if n else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="fact counts to measure at, ascending (default 1000,10000,100000)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="times each of the 42 queries is timed per mode (default 5)")
    parser.add_argument("--remember", type=int, default=200,
                        help="facts stored one by one with remember() at each size (default 200)")
    parser.add_argument("--state-dir", default=None,
                        help="where the embedding model is installed (default: the usual "
                             "state directory; installed there if missing)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    from edgeagent.config import Settings, load_settings
    from edgeagent.embeddings import Embedder
    from edgeagent.evaluate import percentile
    from edgeagent.memory import Memory, MemorySettings
    from edgeagent.models import get_entry, install

    settings = Settings(state_dir=Path(args.state_dir)) if args.state_dir else load_settings()
    model_path = install(get_entry("use-multilingual"), settings)
    embedder = Embedder(model_path, threads=2)
    labeled = json.loads(LABELED.read_text())
    background = synthetic_facts(max(sizes))
    bg_next = 0

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        memory = Memory(Path(tmp) / "memory.db",
                        MemorySettings(max_facts=10**7, max_db_mb=10**6, maintenance_every=10**9),
                        embedder=embedder)
        ids = {key: memory.remember(text, source="labeled").id
               for key, text in labeled["facts"].items()}
        for text in labeled["distractors"]:
            memory.remember(text, source="distractor")
        for size in sizes:
            count = memory.stats()["facts"]
            # 1) the agent's path: one remember() per transaction, embedding included
            n_one = max(0, min(args.remember, size - count))
            one = background[bg_next:bg_next + n_one]
            remember_rate = rate(n_one, lambda: [memory.remember(t, source="bench") for t in one])
            bg_next += n_one
            # 2) the rest in bulk, as `edgeagent memory import` does
            n_bulk = max(0, size - count - n_one)
            bulk = background[bg_next:bg_next + n_bulk]
            bulk_rate = rate(n_bulk, lambda: memory.import_records(
                {"type": "fact", "content": t, "source": "bench"} for t in bulk))
            bg_next += n_bulk
            # The matrix is loaded once per process (a daemon start); not part of a recall.
            started = time.perf_counter()
            memory.search("warm up", limit=5, mode="vector")
            load_s = time.perf_counter() - started
            row = {"facts": memory.stats()["facts"], "remember/s": remember_rate,
                   "bulk/s": bulk_rate, "matrix load s": load_s}
            for mode in ("fts", "vector", "hybrid"):
                latencies, found = [], 0.0
                for round_ in range(args.rounds):
                    for item in labeled["queries"]:
                        started = time.perf_counter()
                        hits = memory.search(item["query"], limit=5, mode=mode)
                        latencies.append((time.perf_counter() - started) * 1000)
                        if round_ == 0:
                            got = {fact.id for fact in hits}
                            expect = item["expect"]
                            found += sum(ids[k] in got for k in expect) / len(expect)
                row[f"{mode} p50"] = statistics.median(latencies)
                row[f"{mode} p95"] = percentile(latencies, 0.95)
                row[f"{mode} R@5"] = found / len(labeled["queries"])
            rows.append(row)
            print(f"... {row['facts']} facts measured", file=sys.stderr, flush=True)
        memory.close()

    print(f"edgeagent memory benchmark: {os.cpu_count()} cores, SQLite {sqlite3.sqlite_version}, "
          f"{len(labeled['queries'])} labeled queries x {args.rounds} rounds, "
          f"synchronous=FULL, embedder threads=2; latencies in ms")
    columns = ["facts", "remember/s", "bulk/s", "fts p50", "fts p95", "vector p50", "vector p95",
               "hybrid p50", "hybrid p95", "fts R@5", "vector R@5", "hybrid R@5", "matrix load s"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        cells = []
        for column in columns:
            value = row[column]
            if column == "facts":
                cells.append(f"{value:,}")
            elif "R@5" in column:
                cells.append(f"{value:.2f}")
            elif column.endswith("/s"):
                cells.append("-" if value != value else f"{value:,.0f}")
            else:
                cells.append(f"{value:.1f}" if value >= 1 else f"{value:.2f}")
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
