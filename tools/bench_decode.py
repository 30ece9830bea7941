#!/usr/bin/env python3
"""Decoding and prefix-state benchmark: one table from one run on the default model.

    .venv/bin/python tools/bench_decode.py [--data ../shared/bfcl] [--repeat 3]

Everything is measured in this one process, so the ratios hold even on a noisy machine:
  1. decoding speed on the same prompt: raw llama-cpp-python unconstrained, raw llama-cpp-python
     with a LlamaGrammar from the same tool's JSON schema, and edgeagent's decoder;
  2. time to decision for catalogs of 5, 20 and 50 tools: cold (prefill), warm (prefix in the
     KV cache), after a restart (a new llama.cpp context that loads the prefix state from disk);
  3. edgeagent `plan` against a raw `create_completion` producing as many tokens from the same
     prompt (the overhead of everything edgeagent adds).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from llama_cpp import LlamaGrammar

from edgeagent.agent import Agent
from edgeagent.bfcl import SHARED_DATA, load_category
from edgeagent.config import load_settings
from edgeagent.llm import open_model
from edgeagent.prefix_cache import PrefixCache
from edgeagent.prompt import request_suffix, static_prefix
from edgeagent.tools import tools_from_definitions


def catalog_items(data_dir: Path) -> list[dict]:
    """Distinct BFCL functions with one request each: realistic, varied tool docs."""
    seen, items = set(), []
    for item in load_category(data_dir, "simple_python"):
        fn = item.functions[0]
        if fn["name"] not in seen:
            seen.add(fn["name"])
            items.append({"function": fn, "request": item.request})
    return items


def raw_completion(model, prompt: str, max_tokens: int, grammar=None) -> tuple[int, float]:
    """Tokens generated and seconds spent decoding them (prompt already in the KV)."""
    llama = model.llama
    llama.create_completion(prompt, max_tokens=1, temperature=0.0)  # prefill, not timed
    start = time.perf_counter()
    out = llama.create_completion(prompt, max_tokens=max_tokens, temperature=0.0,
                                  grammar=grammar)
    return out["usage"]["completion_tokens"], time.perf_counter() - start


def greedy_loop(model, prompt: str, n: int) -> float:
    """tok/s of plain argmax decoding through our own eval loop: no grammar, no sampler chain."""
    model.set_prompt([model.bos] + model.tokenize(prompt))
    start = time.perf_counter()
    for _ in range(n):
        model.append([int(np.argmax(model.logits()))])
    return n / (time.perf_counter() - start)


# how often the decoder left its fast path (summed over the decoding-speed plans)
paths = {"sampled": 0, "rejected_greedy": 0, "full_scans": 0}


def decoding_speed(model, agent, items, repeat: int) -> list[tuple[str, float]]:
    tools = tools_from_definitions([i["function"] for i in items[:5]])
    rows = {"unconstrained (raw llama-cpp-python)": [], "LlamaGrammar (raw llama-cpp-python)": [],
            "unconstrained greedy, edgeagent's loop": [], "edgeagent decoder": []}
    for item in items[:repeat]:
        prompt = static_prefix(tools) + request_suffix(item["request"])
        schema = {"type": "object", "properties": {
            "name": {"type": "string", "enum": [t.name for t in tools]},
            "arguments": tools[0].parameters}, "required": ["name", "arguments"]}
        grammar = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
        n, secs = raw_completion(model, prompt, 48)
        rows["unconstrained (raw llama-cpp-python)"].append(n / secs)
        n, secs = raw_completion(model, prompt, 48, grammar)
        rows["LlamaGrammar (raw llama-cpp-python)"].append(n / secs)
        rows["unconstrained greedy, edgeagent's loop"].append(greedy_loop(model, prompt, 48))
        plan = agent.plan(item["request"], tools)
        rows["edgeagent decoder"].append(plan.tokens["completion"] / (plan.timing["decode_ms"]
                                                                      / 1000))
        for key in paths:
            paths[key] += getattr(plan.stats, key)
    return [(name, statistics.median(v)) for name, v in rows.items()]


def time_to_decision(settings, model, items, sizes, repeat: int) -> list[tuple]:
    rows = []
    for size in sizes:
        tools = tools_from_definitions([i["function"] for i in items[:size]])
        requests = [i["request"] for i in items[:repeat]]
        with tempfile.TemporaryDirectory() as state_dir:
            model.forget()  # forget any KV: a cold start for this catalog
            agent = Agent(model, settings.agent, prefix_cache=PrefixCache(model, Path(state_dir)))
            cold = agent.plan(requests[0], tools)
            warm = [agent.plan(r, tools).timing["total_ms"] for r in requests]
            restarted_model = open_model(settings)  # a new llama.cpp context, as after a restart
            restarted = Agent(restarted_model, settings.agent,
                              prefix_cache=PrefixCache(restarted_model, Path(state_dir)))
            after = restarted.plan(requests[0], tools)
            assert after.prefix == "disk", after.tokens
            del restarted, restarted_model
        rows.append((size, cold.tokens["prompt"], cold.timing["total_ms"],
                     statistics.median(warm), after.timing["total_ms"]))
    return rows


def overhead(model, agent, items, repeat: int) -> tuple[float, float]:
    tools = tools_from_definitions([i["function"] for i in items[:5]])
    ours, raw = [], []
    for item in items[:repeat]:
        plan = agent.plan(item["request"], tools)  # warms the prefix
        plan = agent.plan(item["request"], tools)
        ours.append(plan.timing["total_ms"])
        prompt = static_prefix(tools) + request_suffix(item["request"])
        model.llama.create_completion(prompt, max_tokens=1, temperature=0.0)
        start = time.perf_counter()
        model.llama.create_completion(prompt, max_tokens=plan.tokens["completion"],
                                      temperature=0.0)
        raw.append((time.perf_counter() - start) * 1000)
        model.forget()
    return statistics.median(ours), statistics.median(raw)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="5,20,50")
    args = parser.parse_args()
    settings = load_settings()
    settings.model.n_ctx = max(settings.model.n_ctx, 8192)  # a 50-tool catalog is ~4.9k tokens
    model = open_model(settings)
    items = catalog_items(args.data)
    agent = Agent(model, settings.agent)

    speed = decoding_speed(model, agent, items, args.repeat)
    base = speed[0][1]
    print(f"model {settings.model.name}, {model.n_threads} threads, median of {args.repeat}\n")
    print(f"{'decoding (same prompt)':40} {'tok/s':>7} {'vs unconstrained':>17}")
    for name, tps in speed:
        print(f"{name:40} {tps:7.1f} {tps / base:16.2f}x")
    print(f"sampled steps {paths['sampled']}: greedy token refused {paths['rejected_greedy']}, "
          f"vocabulary filter needed {paths['full_scans']}")

    print(f"\n{'catalog':>7} {'prompt tok':>10} {'cold ms':>8} {'warm ms':>8} "
          f"{'restart ms':>10} {'cold/warm':>9} {'cold/restart':>12}")
    for size, prompt, cold, warm, after in time_to_decision(
            settings, model, items, [int(s) for s in args.sizes.split(",")], args.repeat):
        print(f"{size:7d} {prompt:10d} {cold:8.0f} {warm:8.0f} {after:10.0f} "
              f"{cold / warm:8.1f}x {cold / after:11.1f}x")

    ours, raw = overhead(model, agent, items, args.repeat)
    print(f"\nplan, warm prefix: edgeagent {ours:.0f} ms, raw create_completion {raw:.0f} ms "
          f"for as many tokens: edgeagent/raw = {ours / raw:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
