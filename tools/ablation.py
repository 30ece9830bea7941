"""The README's ablation table: each decision technique switched off in turn, one BFCL run each
(about 7 minutes a row here with --limit 100).

Every row is `edgeagent eval bfcl --category all --limit N` with one setting changed through its
environment variable (shown in the row), run one after another so no two model processes share
the cores. Prints a Markdown table of accuracy per category.

    .venv/bin/python tools/ablation.py [--data ../shared/bfcl] [--limit 100]
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from edgeagent.bfcl import CATEGORIES, SHARED_DATA

EDGEAGENT = str(Path(sys.executable).with_name("edgeagent"))
ROWS = [  # (what the row shows, the setting changed)
    ("all techniques", {}),
    ("without tool ranking", {"EDGEAGENT_AGENT__RANK_TOOLS": "false"}),
    ("without grounded required args", {"EDGEAGENT_AGENT__GROUND_REQUIRED_ARGS": "false"}),
    ("without grounded optional args", {"EDGEAGENT_AGENT__GROUND_OPTIONAL_ARGS": "false"}),
    ("without continuation rules", {"EDGEAGENT_AGENT__CONTINUE_UNCOVERED": "false"}),
    ("with divergence", {"EDGEAGENT_AGENT__DIVERGE_REPEATS": "true"}),
]
# The ranking's finer switches (CLAUSE_CALL_FLOOR=1, TASK_CALL_FLOOR=1, NAMED_TOOL_FLOOR=1,
# UNSTATED_NUMBER_CEILING=-1, CLAUSE_LOCAL_VALUES=false) and SIMILAR_EXAMPLES=3 run the same
# way: add a row to measure them.


def run(setting: dict, data: str, limit: int) -> dict[str, float]:
    command = [EDGEAGENT, "eval", "bfcl", "--data", str(data), "--category", "all",
               "--limit", str(limit), "--out", os.devnull]
    done = subprocess.run(command, env={**os.environ, **setting}, capture_output=True,
                          text=True, check=True)
    summaries = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    return {s["category"]: s["accuracy"] for s in summaries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=SHARED_DATA)
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    print(f"| first {args.limit} of each | setting | " + " | ".join(CATEGORIES) + " |")
    print("|---|---|" + "---:|" * len(CATEGORIES))
    for label, setting in ROWS:
        accuracy = run(setting, args.data, args.limit)
        switch = " ".join(f"`{k}={v}`" for k, v in setting.items()) or "defaults"
        print(f"| {label} | {switch} | " + " | ".join(f"{accuracy[c]:.0%}" for c in CATEGORIES)
              + " |", flush=True)


if __name__ == "__main__":
    main()
