"""Does a decision depend on what ran before it? Evaluates the prompts of the first N items of
one BFCL category twice, each time with a freshly loaded model: alone, and after running M items
of another category; counts the prompts whose next-token logits differ.

    .venv/bin/python tools/order_dependence.py --data ../shared/bfcl
"""

import argparse

import numpy as np

from edgeagent.bfcl import load_category
from edgeagent.cli import _agent
from edgeagent.config import load_settings
from edgeagent.evaluate import run_item
from edgeagent.tools import tools_from_definitions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/bfcl")
    parser.add_argument("--targets", default="multiple")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--before", default="simple_python")
    parser.add_argument("--before-limit", type=int, default=10)
    args = parser.parse_args()
    settings = load_settings(None)
    targets = load_category(args.data, args.targets, args.limit)

    def logits(agent) -> list[np.ndarray]:
        seen = []
        for item in targets:
            prompt, marks, _ = agent.prompt(tools_from_definitions(item.functions, item.id),
                                            item.request)
            agent.model.set_prompt(prompt, marks)
            seen.append(agent.model.logits().copy())
        return seen

    alone = logits(_agent(settings))
    agent = _agent(settings)
    for item in load_category(args.data, args.before, args.before_limit):
        run_item(agent, item)
    after = logits(agent)
    diffs = [float(np.abs(a - b).max()) for a, b in zip(alone, after)]
    print(f"| {args.targets} prompts | after {args.before_limit} {args.before} items "
          "| logits differ | largest difference |")
    print("|---|---|---|---|")
    print(f"| {len(targets)} | {args.before_limit} | {sum(d > 0 for d in diffs)} "
          f"| {max(diffs):.3f} |")


if __name__ == "__main__":
    main()
