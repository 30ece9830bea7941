"""How many BFCL ground-truth decisions the grounded call language can still express.

For each item, the ground-truth calls are written in the call language (for each argument, the
first acceptable value the grammar takes, or none when it takes none and the argument may be
left out) and fed to the matcher built for the item's request.
An item the grammar refuses cannot be scored right whatever the model does, so this is the
ceiling that grounding puts on accuracy. No model is run.

    .venv/bin/python tools/grounding_ceiling.py [--data ../shared/bfcl]
"""

import argparse
from itertools import permutations

from edgeagent.bfcl import CATEGORIES, SHARED_DATA, load_category
from edgeagent.grammar import Grounding, Matcher, python_literal
from edgeagent.tools import tools_from_definitions

CALLING = [c for c in CATEGORIES if c != "irrelevance"]  # the categories with calls to check


def expressible(item) -> bool:
    """In some order of its calls (BFCL scores parallel calls in any order)."""
    calls = item.ground_truth
    orders = permutations(calls) if len(calls) <= 5 else [calls]
    return any(expressible_in_order(item, order) for order in orders)


def expressible_in_order(item, calls) -> bool:
    tools = tools_from_definitions(item.functions, item.id)
    properties = {t.name: t.parameters.get("properties", {}) for t in tools}
    matcher = Matcher.for_decision(tools, 8, True, Grounding(item.request))
    for i, expected in enumerate(calls):
        (name, params), = expected.items()
        matcher = matcher.feed((" " if i == 0 else "; ") + name + "(")
        first = True
        for param in properties.get(name, {}):
            acceptable = params.get(param, [""])
            if matcher is None:
                continue
            options = (matcher.feed(("" if first else ", ") + f"{param}={python_literal(v)}")
                       for v in acceptable if v != "")
            given = next((m for m in options if m is not None), None)
            if given is None and "" in acceptable:
                continue
            matcher = given
            first = False
        matcher = matcher.feed(")") if matcher is not None else None
        if matcher is None:
            return False
    return matcher.feed("\n") is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=SHARED_DATA)
    args = parser.parse_args()
    print(f"{'category':18} {'items':>5} {'expressible':>11}")
    for category in CALLING:
        items = load_category(args.data, category)
        n = sum(expressible(item) for item in items)
        print(f"{category:18} {len(items):5d} {n:6d} ({n / len(items):.0%})")


if __name__ == "__main__":
    main()
