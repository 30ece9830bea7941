"""Does the clause rule find the tools a BFCL request asks for? No language model is run.

For each `multiple` and `parallel_multiple` item, the tools that are the best match of one of the
request's clauses (at or above the floor), plus the best tool overall, are compared with the set
of tools in the ground truth: exact, a subset (tools missed), a superset (a wrong tool added).

    .venv/bin/python tools/clause_tools.py [--data ../shared/bfcl] [--floor 0.30 ...]
"""

import argparse
from collections import Counter

from edgeagent.bfcl import SHARED_DATA, load_category
from edgeagent.config import load_settings
from edgeagent.embeddings import embedder_for
from edgeagent.ranking import ToolRanker
from edgeagent.tools import tools_from_definitions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=SHARED_DATA)
    parser.add_argument("--floor", type=float, nargs="+", default=[0.30, 2.0])
    args = parser.parse_args()
    ranker = ToolRanker(embedder_for(load_settings()))
    items = [item for category in ("multiple", "parallel_multiple")
             for item in load_category(args.data, category)]
    rows = []
    for item in items:
        tools = tools_from_definitions(item.functions, item.id)
        rows.append((item, tools, ranker.similarities(item.request, tools)))
    print(f"{'floor':>5} {'category':18} {'exact':>5} {'subset':>6} {'superset':>8} {'other':>5}")
    for floor in args.floor:
        counts = Counter()
        for item, tools, sims in rows:
            found = {int(sims.max(axis=0).argmax())}
            found |= {int(row.argmax()) for row in sims[1:] if row.max() >= floor}
            got = {tools[i].name for i in found}
            want = {name for call in item.ground_truth for name in call}
            verdict = "exact" if got == want else "subset" if got < want else \
                "superset" if got > want else "other"
            counts[item.category, verdict] += 1
        for category in ("multiple", "parallel_multiple"):
            c = {v: counts[category, v] for v in ("exact", "subset", "superset", "other")}
            print(f"{floor:5.2f} {category:18} {c['exact']:5d} {c['subset']:6d} "
                  f"{c['superset']:8d} {c['other']:5d}")


if __name__ == "__main__":
    main()
