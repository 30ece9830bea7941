"""What the grounded grammar lets a numeric or boolean argument be, against BFCL's ground truth.

For each ground-truth call (its calls in the ground truth's order, each argument after the ones
before it), the frame the grammar builds for every integer, float and boolean argument is
compared with the acceptable values: one allowed value and it is acceptable ("decided right"),
several including an acceptable one, none acceptable, or left to the model. No model is run.

    .venv/bin/python tools/value_grounding.py [--data ../shared/bfcl]
"""

import argparse
from collections import Counter

from edgeagent.bfcl import CATEGORIES, SHARED_DATA, load_category
from edgeagent.grammar import Grounding, Literal, NumberValue
from edgeagent.tools import tools_from_definitions

VERDICTS = ("decided right", "several, right among them", "right excluded", "model's choice")


def allowed_values(frame):
    """The values a frame allows, or None when it leaves the choice to the model."""
    if isinstance(frame, NumberValue) and frame.allowed is not None:
        return {float(a) for a in frame.allowed}
    if isinstance(frame, Literal):
        return {frame.value}
    return None


def verdict(frame, acceptable) -> str:
    allowed = allowed_values(frame)
    if allowed is None:
        return VERDICTS[3]
    right = {v if isinstance(v, bool) else float(v) for v in acceptable
             if isinstance(v, (bool, int, float))}
    if not allowed & right:
        return VERDICTS[2]
    return VERDICTS[0] if len(allowed) == 1 else VERDICTS[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=SHARED_DATA)
    args = parser.parse_args()
    counts = Counter()
    for category in (c for c in CATEGORIES if c != "irrelevance"):
        for item in load_category(args.data, category):
            tools = {t.name: t for t in tools_from_definitions(item.functions, item.id)}
            ground, earlier = Grounding(item.request), []
            for expected in item.ground_truth:
                (name, params), = expected.items()
                if name not in tools:
                    break
                used, arguments = [], {}
                for param, schema in tools[name].parameters.get("properties", {}).items():
                    acceptable = params.get(param, [""])
                    if "" in acceptable:
                        continue  # may be left out
                    kind = schema.get("type")
                    if kind in ("integer", "number", "boolean") and not schema.get("enum"):
                        frame = ground.after(tuple(earlier), name).frame(schema, used, name=param)
                        counts[category, kind == "boolean", verdict(frame, acceptable)] += 1
                    used.append(acceptable[0])
                    arguments[param] = acceptable[0]
                earlier.append({"name": name, "arguments": arguments})
    print(f"{'category':18} {'kind':8} " + " ".join(f"{v:>26}" for v in VERDICTS))
    for category in (c for c in CATEGORIES if c != "irrelevance"):
        for flag in (False, True):
            row = " ".join(f"{counts[category, flag, v]:26d}" for v in VERDICTS)
            print(f"{category:18} {'boolean' if flag else 'number':8} {row}")


if __name__ == "__main__":
    main()
