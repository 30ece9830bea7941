"""Berkeley Function Calling Leaderboard (BFCL) data loader and AST checker for the non-live
Python categories.

The checker re-implements the rules of BFCL's `ast_checker.py` (ShishirPatil/gorilla,
`bfcl_eval/eval_checker/ast_eval/`) for the Python language so our scores are comparable with the
published leaderboard numbers, including its quirks (noted where they matter). Deliberate
differences:
  * function names are compared exactly; BFCL rewrites `.` to `_` only for models whose API
    forbids dots in names, which does not apply to a local model;
  * calls arrive as `[{"name", "arguments"}]` decoded from JSON, so tuples are already lists
    (BFCL converts tuples to lists for the same reason);
  * a type name BFCL does not know (none occur in the data) skips the type check instead of
    crashing.
BFCL has no special date parsing: dates only benefit from string standardization
("April 1, 2024" == "april 1 2024").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CATEGORIES = ("simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance")
# Where the project's copy of the data sits, beside a source checkout (../shared/bfcl).
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "bfcl"

# Type names used by the function docs -> the Python type a value must have exactly.
# "any" maps to str as in BFCL; "tuple" is a list because JSON has no tuples.
_PY_TYPES: dict[str, type] = {
    "string": str,
    "integer": int,
    "float": float,
    "boolean": bool,
    "array": list,
    "tuple": list,
    "dict": dict,
    "any": str,
}
_SEQUENCE_TYPES = ("array", "tuple")  # their items get a (one level deep) type check

_IGNORED_CHARS = re.compile(r"[ ,./\-_*^]")


@dataclass
class BfclItem:
    id: str
    category: str
    messages: list[dict]  # the first turn's messages, [{"role", "content"}]
    functions: list[dict]  # the raw function docs as in the data file
    ground_truth: list[dict] | None  # [{func_name: {param: [acceptable values]}}]; None for irrelevance

    @property
    def request(self) -> str:
        """The user text: content of the last user message of the first turn."""
        for message in reversed(self.messages):
            if message.get("role") == "user":
                return message.get("content", "")
        return ""


@dataclass
class Verdict:
    ok: bool
    reason: str  # "" when ok


_OK = Verdict(True, "")


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_category(data_dir: str | Path, category: str, limit: int | None = None) -> list[BfclItem]:
    """Load the first `limit` (all if None) items of one category, joined with their answers."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown BFCL category {category!r}; expected one of {CATEGORIES}")
    data_dir = Path(data_dir)
    entries = _read_jsonl(data_dir / f"BFCL_v4_{category}.json")
    if limit is not None:
        entries = entries[:limit]
    answers: dict[str, list[dict]] = {}
    if category != "irrelevance":
        for answer in _read_jsonl(data_dir / "possible_answer" / f"BFCL_v4_{category}.json"):
            answers[answer["id"]] = answer["ground_truth"]
    items = []
    for entry in entries:
        ground_truth = None
        if category != "irrelevance":
            if entry["id"] not in answers:
                raise ValueError(f"no possible answer for {entry['id']}")
            ground_truth = answers[entry["id"]]
        items.append(BfclItem(
            id=entry["id"],
            category=category,
            messages=entry["question"][0],
            functions=entry["function"],
            ground_truth=ground_truth,
        ))
    return items


# ---------------------------------------------------------------------------------------------
# Scoring


def score(item: BfclItem, calls: list[dict]) -> Verdict:
    """Judge a model's calls `[{"name": str, "arguments": dict}]` against the item's answer."""
    if item.category == "irrelevance":
        return Verdict(False, "irrelevance:made_call") if calls else _OK
    if item.ground_truth is None:
        raise ValueError(f"{item.id}: no ground truth for category {item.category!r}")
    for call in calls:
        if not (isinstance(call, dict) and isinstance(call.get("name"), str)
                and isinstance(call.get("arguments"), dict)):
            return Verdict(False, "malformed_call")
    if len(calls) != len(item.ground_truth):
        return Verdict(False, "wrong_count")
    if "parallel" in item.category:
        return _match_unordered(item.functions, calls, item.ground_truth)
    # simple and multiple: exactly one expected call (checked by the count above).
    return _check_call(item.functions, calls[0], item.ground_truth[0])


def _match_unordered(functions: list[dict], calls: list[dict], ground_truth: list[dict]) -> Verdict:
    """BFCL's parallel rule: each expected call, in order, takes the first still-unused model call
    that passes. Greedy, like BFCL, so an earlier expected call may take a model call a later one
    needed; we keep that to stay comparable."""
    used: set[int] = set()
    for expected in ground_truth:
        name = next(iter(expected))
        closest = ""  # why the first same-named candidate failed, to make the reason useful
        for index, call in enumerate(calls):
            if index in used:
                continue
            verdict = _check_call(functions, call, expected)
            if verdict.ok:
                used.add(index)
                break
            if not closest and call["name"] == name:
                closest = verdict.reason
        else:
            return Verdict(False, f"cannot_find_match:{name} ({closest or 'wrong_func_name'})")
    return _OK


def _check_call(functions: list[dict], call: dict, expected: dict) -> Verdict:
    """BFCL's simple_function_checker: one model call against one expected {name: params}."""
    name, accepted = next(iter(expected.items()))
    doc = next((f for f in functions if f["name"] == name), None)
    if doc is None:
        raise ValueError(f"ground truth names {name!r}, which is not among the function docs")
    if call["name"] != name:
        return Verdict(False, "wrong_func_name")
    args = call["arguments"]
    properties = doc["parameters"].get("properties", {})

    for param in doc["parameters"].get("required", []):
        if param not in args:
            return Verdict(False, f"missing_required:{param}")

    for param, value in args.items():
        # A param the answer does not list is wrong even if the doc allows it: BFCL treats it as
        # a hallucinated or unrequested argument.
        if param not in properties or param not in accepted:
            return Verdict(False, f"unexpected_param:{param}")
        reason = _check_param(param, value, properties[param], accepted[param])
        if reason:
            return Verdict(False, reason)

    # Omitting a listed param is only fine when "" (the "may be omitted" marker) is acceptable.
    for param, acceptable in accepted.items():
        if param not in args and "" not in acceptable:
            return Verdict(False, f"missing_optional:{param}")
    return _OK


def _answer_type(acceptable: list) -> type | None:
    """Type of the first acceptable value that is not the omission marker ""."""
    for value in acceptable:
        if value != "":
            return type(value)
    return None


def _check_param(param: str, value: Any, spec: dict, acceptable: list) -> str:
    """Type and value check of one argument; returns a failure reason or ""."""
    type_name = spec.get("type")
    expected = _PY_TYPES.get(type_name)
    if type_name == "float" and type(value) is int:
        value = float(value)  # BFCL lets Python widen int to float (never float to int)

    if expected is not None:
        # When the answer's values have another type than the doc's (e.g. a variable name given
        # as a string), BFCL accepts a value of the answer's type and compares it verbatim.
        answer_type = _answer_type(acceptable)
        verbatim = answer_type is not None and answer_type is not expected
        if type(value) is expected:  # exact type: bool is not an integer here
            if type_name in _SEQUENCE_TYPES and not _items_typed(value, spec, acceptable):
                return f"type_error:{param}"
        elif answer_type is not None and type(value) is answer_type:
            verbatim = True
        else:
            return f"type_error:{param}"

        if not verbatim:
            item_type = _PY_TYPES.get((spec.get("items") or {}).get("type"))
            if expected is dict:
                ok = _dict_matches(value, acceptable)
            elif expected is list and item_type is dict:
                ok = _dict_list_matches(value, acceptable)
            elif expected is str:
                ok = _std(value) in [_std(a) for a in acceptable if isinstance(a, str)]
            elif expected is list:
                ok = _list_matches(value, acceptable)
            else:
                ok = value in acceptable
            return "" if ok else f"value_error:{param}"

    return "" if value in acceptable else f"value_error:{param}"


def _items_typed(value: list, spec: dict, acceptable: list) -> bool:
    """BFCL's one-level item type check: the items must all have the doc's item type (or the type
    of that candidate's own items) for at least one acceptable candidate. No int->float widening
    happens here. Quirk kept from BFCL: a non-list candidate such as "" passes the check
    outright; the value check that follows still has to match."""
    item_type = _PY_TYPES.get((spec.get("items") or {}).get("type"))
    if item_type is None:
        return True
    for candidate in acceptable:
        if not isinstance(candidate, list):
            return True
        candidate_type = _answer_type(candidate)
        if all(type(x) is item_type or (candidate_type is not None and type(x) is candidate_type)
               for x in value):
            return True
    return False


def standardize(text: str) -> str:
    """BFCL string normalization: drop spaces and `,./-_*^`, lowercase, ' -> "."""
    return _IGNORED_CHARS.sub("", text).lower().replace("'", '"')


def _std(value: Any) -> Any:
    return standardize(value) if isinstance(value, str) else value


def _list_matches(value: list, acceptable: list) -> bool:
    """Order-sensitive; only top-level string items are standardized. The "" marker counts as an
    empty list, as in BFCL, so an explicit [] is fine where the param may be omitted."""
    wanted = [_std(x) for x in value]
    return any(wanted == [_std(x) for x in candidate]
               for candidate in acceptable if isinstance(candidate, (list, str)))


def _dict_matches(value: Any, acceptable: list) -> bool:
    """A candidate is {key: [acceptable values]}: every given key must be listed with an
    acceptable (standardized) value, and every key left out must allow omission."""
    if not isinstance(value, dict):
        return False
    for candidate in acceptable:
        if not isinstance(candidate, dict):
            continue
        if all(key in candidate and _std(v) in [_std(a) for a in candidate[key]]
               for key, v in value.items()) and \
           all(key in value or "" in options for key, options in candidate.items()):
            return True
    return False


def _dict_list_matches(value: list, acceptable: list) -> bool:
    """Lists of dicts: same length as a candidate and each dict matching its counterpart in order
    (a "" candidate has length 0, so it matches only an empty list)."""
    for candidate in acceptable:
        if not isinstance(candidate, (list, str)) or len(candidate) != len(value):
            continue
        if all(_dict_matches(v, [c]) for v, c in zip(value, candidate)):
            return True
    return False
