"""`edgeagent eval bfcl`: run the planner over BFCL items and score them by BFCL's AST rules."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import IO

from .bfcl import BfclItem, load_category, score
from .decoding import DecodeError
from .llm import ContextOverflowError
from .schema import validation_errors
from .tools import ToolError, ToolsFileError, tools_from_definitions

# Verdict reasons that mean the call could not even run as written (vs. ran with wrong values).
_NOT_EXECUTABLE = ("wrong_func_name", "missing_required", "unexpected_param", "type_error",
                   "malformed_call")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_item(agent, item: BfclItem) -> dict:
    history = [(m["role"], m["content"]) for m in item.messages[:-1]
               if m.get("role") in ("user", "assistant")]
    try:
        tools = tools_from_definitions(item.functions, item.id)
        plan = agent.plan(item.request, tools, history)
    except (DecodeError, ContextOverflowError, ToolError, ToolsFileError) as exc:
        # plan() refuses a call that fails validation, so this is where validity is lost
        return {"id": item.id, "ok": False, "reason": f"{type(exc).__name__}: {exc}",
                "calls": [], "schema_valid": False, "executable": False, "latency_ms": None,
                "tokens": {}}
    by_name = {t.name: t for t in tools}
    schema_valid = all(c["name"] in by_name and not validation_errors(
        c["arguments"], by_name[c["name"]].parameters) for c in plan.calls)
    verdict = score(item, plan.calls)
    return {"id": item.id, "ok": verdict.ok, "reason": verdict.reason, "calls": plan.calls,
            "text": plan.text.strip(), "schema_valid": schema_valid,
            "executable": schema_valid and not verdict.reason.startswith(_NOT_EXECUTABLE),
            "latency_ms": plan.timing["total_ms"], "tokens": plan.tokens}


def evaluate(agent, data_dir: str | Path, category: str, limit: int | None = None,
             out: IO[str] | None = None) -> dict:
    """Score one category; write one JSON line per item to `out`; return the summary."""
    results = []
    for item in load_category(data_dir, category, limit):
        result = run_item(agent, item)
        results.append(result)
        if out is not None:
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            out.flush()
    return summarize(category, results)


def summarize(category: str, results: list[dict]) -> dict:
    n = len(results) or 1
    latencies = [r["latency_ms"] for r in results if r["latency_ms"] is not None]
    tokens = [r["tokens"] for r in results if r["tokens"]]
    reasons: dict[str, int] = {}
    for r in results:
        if not r["ok"]:
            key = r["reason"].split(":")[0]
            reasons[key] = reasons.get(key, 0) + 1
    return {
        "category": category, "items": len(results),
        "accuracy": sum(r["ok"] for r in results) / n,
        "schema_validity": sum(r["schema_valid"] for r in results) / n,
        "executable_rate": sum(r["executable"] for r in results) / n,
        "latency_p50_ms": percentile(latencies, 0.5),
        "latency_p95_ms": percentile(latencies, 0.95),
        "prompt_tokens": statistics.mean(t["prompt"] for t in tokens) if tokens else 0,
        "completion_tokens": statistics.mean(t["completion"] for t in tokens) if tokens else 0,
        "failures": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
    }


def format_table(summaries: list[dict]) -> str:
    head = (f"{'category':18} {'items':>5} {'accuracy':>8} {'valid':>6} {'exec':>6} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'prompt':>6} {'compl':>5}")
    rows = [head, "-" * len(head)]
    for s in summaries:
        rows.append(f"{s['category']:18} {s['items']:5d} {s['accuracy']:8.1%} "
                    f"{s['schema_validity']:6.1%} {s['executable_rate']:6.1%} "
                    f"{s['latency_p50_ms']:7.0f} {s['latency_p95_ms']:7.0f} "
                    f"{s['prompt_tokens']:6.0f} {s['completion_tokens']:5.1f}")
    return "\n".join(rows)
