"""Do the continuation rules go on where a BFCL decision has more calls? No model is run.

For each prefix of each ground-truth decision (its calls in the ground truth's order, each
argument at its first acceptable value), the grammar's rule (`Grounding.asks_for_more`) says
whether the request asks for another call; the table counts where it agrees with the ground
truth (another call follows, or the prefix is the whole decision).

    .venv/bin/python tools/continuation_check.py [--data ../shared/bfcl] [--show]
"""

import argparse
from collections import Counter

from edgeagent.bfcl import CATEGORIES, SHARED_DATA, load_category
from edgeagent.grammar import Grounding
from edgeagent.tools import tools_from_definitions


def ground_truth_calls(item) -> list[dict]:
    calls = []
    for expected in item.ground_truth:
        (name, params), = expected.items()
        arguments = {}
        for param, acceptable in params.items():
            given = [v for v in acceptable if v != ""]
            if given:
                arguments[param] = given[0]
        calls.append({"name": name, "arguments": arguments})
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=SHARED_DATA)
    parser.add_argument("--show", action="store_true", help="list the prefixes it gets wrong")
    args = parser.parse_args()
    print(f"{'category':18} {'prefixes':>8} {'goes on, should':>15} {'ends, should':>12} "
          f"{'goes on, should not':>19} {'ends, should not':>16}")
    for category in [c for c in CATEGORIES if c != "irrelevance"]:
        counts, wrong = Counter(), []
        for item in load_category(args.data, category):
            tools = {t.name: t for t in tools_from_definitions(item.functions, item.id)}
            ground = Grounding(item.request).for_tools(tools)
            calls = ground_truth_calls(item)
            for n in range(1, len(calls) + 1):
                more, wanted = ground.asks_for_more(tuple(calls[:n]), tools), n < len(calls)
                counts[more, wanted] += 1
                if more != wanted:
                    wrong.append(f"{item.id} after {n} of {len(calls)}")
        print(f"{category:18} {sum(counts.values()):8d} {counts[True, True]:15d} "
              f"{counts[False, False]:12d} {counts[True, False]:19d} {counts[False, True]:16d}")
        if args.show:
            print("  " + "\n  ".join(wrong))


if __name__ == "__main__":
    main()
