"""`edgeagent plan` with the real default model, through the command line as users call it."""

import json
import subprocess
import sys

import pytest

from edgeagent.schema import normalize_schema, validation_errors

TOOL_SETS = {
    "robots": [
        {"type": "function", "function": {"name": "move_robot", "description": "Send a robot to a location.", "parameters": {"type": "object", "properties": {"robot_id": {"type": "string"}, "location": {"type": "string"}, "speed": {"type": "number", "description": "metres per second"}}, "required": ["robot_id", "location"]}}},
        {"type": "function", "function": {"name": "dock", "description": "Send a robot to its charger.", "parameters": {"type": "object", "properties": {"robot_id": {"type": "string"}}, "required": ["robot_id"]}}},
    ],
    "home": [
        {"name": "set_light", "description": "Switch a light.", "parameters": {"type": "dict", "properties": {"room": {"type": "string", "enum": ["kitchen", "bedroom", "garage"]}, "on": {"type": "boolean"}, "brightness": {"type": "integer", "description": "0-100"}}, "required": ["room", "on"]}},
        {"name": "set_thermostat", "description": "Set the target temperature.", "parameters": {"type": "dict", "properties": {"celsius": {"type": "float"}}, "required": ["celsius"]}},
    ],
    "data": [
        {"name": "query_sensors", "description": "Read sensor values.", "parameters": {"type": "dict", "properties": {"sensor_ids": {"type": "array", "items": {"type": "string"}}, "window": {"type": "dict", "properties": {"minutes": {"type": "integer"}, "aggregate": {"type": "string", "enum": ["mean", "max"]}}, "required": ["minutes"]}, "filters": {"type": "dict"}, "tag": {"type": "any"}}, "required": ["sensor_ids", "window"]}},
    ],
}

REQUESTS = [
    ("robots", "Send robot r2 to the loading dock at 0.4 metres per second."),
    ("robots", "Robot amr-7 is low on battery, send it to charge."),
    ("home", "Turn on the garage light at 40 percent."),
    ("home", "Make it 21.5 degrees in here."),
    ("home", "Switch off the bedroom light and set the heating to 19."),
    ("data", "Give me the max of sensors t1 and t2 over the last 15 minutes."),
    ("data", "What is the capital of France?"),
]


def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "edgeagent.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def tools_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("tools") / "robots.json"
    path.write_text(json.dumps(TOOL_SETS["robots"]))
    return path


@pytest.fixture(scope="module")
def batch(tools_file):
    lines = [json.dumps({"id": i, "request": r, "tools": TOOL_SETS[s]})
             for i, (s, r) in enumerate(REQUESTS)]
    lines += ['{"id": "bad-json", "request": ', json.dumps({"id": "no-request"}),
              json.dumps({"id": "bad-tools", "request": "x", "tools": [{"name": "t", "parameters": {"type": "blob"}}]}),
              json.dumps({"id": "chat", "messages": [{"role": "user", "content": "send r1 to bay 2"}]})]
    result = run_cli("plan", "--tools", str(tools_file), "--jsonl", "-", stdin="\n".join(lines))
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def schema_of(tool_set, name):
    for t in TOOL_SETS[tool_set]:
        doc = t.get("function", t)
        if doc["name"] == name:
            return normalize_schema(doc["parameters"])
    raise AssertionError(f"model called {name}, which is not in the tool set")


def test_every_call_validates_against_its_schema(batch):
    assert len(batch) == len(REQUESTS) + 4
    n_calls = 0
    for (tool_set, _), reply in zip(REQUESTS, batch):
        assert set(reply) == {"id", "calls", "answer", "escalate", "timing", "tokens", "prefix"}
        for call in reply["calls"]:
            assert validation_errors(call["arguments"], schema_of(tool_set, call["name"])) == []
            n_calls += 1
        assert reply["timing"]["total_ms"] > 0
        assert set(reply["tokens"]) >= {"prompt", "completion", "cached"}
    assert n_calls >= len(REQUESTS) // 2  # the model does call tools, not just decline


def test_prefix_state_is_reused_between_lines_of_one_catalog(batch):
    # lines 2-4 share the "home" catalog: the static prefix is evaluated once
    planned = [r for r in batch[2:5] if r["prefix"] != "skipped"]  # not declined by ranking
    assert len(planned) >= 2
    for later in planned[1:]:
        assert later["prefix"] == "ram"
        assert later["tokens"]["cached"] > later["tokens"]["prompt"] // 2


def test_bad_lines_get_errors_and_the_batch_goes_on(batch):
    errors = {r["id"]: r["error"]["code"] for r in batch if "error" in r}
    assert errors == {None: "invalid_json", "no-request": "invalid_request",
                      "bad-tools": "invalid_tools"}
    chat = batch[-1]
    assert chat["id"] == "chat" and "calls" in chat


def test_single_request_prints_the_contract(tools_file):
    result = run_cli("plan", "--tools", str(tools_file), "Send robot r9 to bay 4")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert list(reply) == ["calls", "answer", "escalate", "timing", "tokens", "prefix"]
    for call in reply["calls"]:
        assert validation_errors(call["arguments"], schema_of("robots", call["name"])) == []


def test_usage_errors_exit_2(tmp_path, tools_file):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = run_cli("plan", "--tools", str(bad), "hello")
    assert result.returncode == 2 and "not valid JSON" in result.stderr
    result = run_cli("plan", "--tools", str(tools_file), "--model", "nope", "hello")
    assert result.returncode == 2 and "unknown model 'nope'" in result.stderr
    result = run_cli("plan", "--tools", str(tools_file))
    assert result.returncode == 2


def test_a_request_too_long_for_the_context_gets_an_error_reply(agent):
    from edgeagent.cli import plan_reply
    from edgeagent.tools import tools_from_definitions
    tools = tools_from_definitions([{"name": "echo", "parameters": {
        "type": "dict", "properties": {"text": {"type": "string"}}, "required": ["text"]}}])
    reply = plan_reply(agent, "repeat after me: " + "lorem ipsum " * 4000, tools)
    assert reply["error"]["code"] == "context_overflow" and reply["error"]["message"]
