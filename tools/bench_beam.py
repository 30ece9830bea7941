#!/usr/bin/env python3
"""Beam search against greedy decoding: accuracy and time to decision on the same BFCL items,
in one process (each item is planned once to warm its prefix, then greedily, then with the
beam, on the same model).

    .venv/bin/python tools/bench_beam.py [--data ../shared/bfcl] [--limit 40]
"""

from __future__ import annotations

import argparse
import statistics

from edgeagent.bfcl import SHARED_DATA, load_category
from edgeagent.cli import _agent
from edgeagent.config import load_settings
from edgeagent.evaluate import run_item

CATEGORIES = ["simple_python", "multiple", "parallel", "parallel_multiple"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=SHARED_DATA)
    parser.add_argument("--limit", type=int, default=40)
    args = parser.parse_args()
    agent = _agent(load_settings())
    widths = {"greedy": 1, "beam": agent.settings.beam_width}
    print(f"{'category':18} {'items':>5} {'greedy ok':>9} {'beam ok':>7} {'greedy p50':>10} "
          f"{'beam p50':>8} {'beam/greedy time':>16}")
    for category in CATEGORIES:
        ok = {name: 0 for name in widths}
        ms = {name: [] for name in widths}
        items = load_category(args.data, category, args.limit)
        for item in items:
            agent.settings.beam_width = 1
            run_item(agent, item)  # the catalog's prefix into the KV cache: not timed
            for name, width in widths.items():
                agent.settings.beam_width = width
                result = run_item(agent, item)
                ok[name] += result["ok"]
                ms[name].append(result["latency_ms"] or 0.0)
        agent.settings.beam_width = widths["beam"]
        print(f"{category:18} {len(items):5d} {ok['greedy']:9d} {ok['beam']:7d} "
              f"{statistics.median(ms['greedy']):10.0f} {statistics.median(ms['beam']):8.0f} "
              f"{sum(ms['beam']) / sum(ms['greedy']):15.2f}x")


if __name__ == "__main__":
    main()
