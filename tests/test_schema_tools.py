import json

import pytest

from edgeagent.schema import SchemaError, normalize_schema, validation_errors
from edgeagent.tools import (Permission, ToolArgumentError, ToolError, ToolRegistry,
                             ToolTimeoutError, ToolsFileError, load_tools_file, run_tool,
                             tools_from_definitions)


def test_python_type_names_are_read_as_json_schema():
    schema = normalize_schema({"type": "dict", "properties": {
        "a": {"type": "float"}, "b": {"type": "tuple", "items": {"type": "int"}},
        "c": {"type": "any"}, "d": {"type": "dict"}}, "required": ["a"]})
    props = schema["properties"]
    assert schema["type"] == "object"
    assert props["a"]["type"] == "number"
    assert props["b"] == {"type": "array", "items": {"type": "integer"}}
    assert "type" not in props["c"]
    assert props["d"]["type"] == "object"


def test_java_and_javascript_type_names_are_read_as_json_schema():
    schema = normalize_schema({"type": "dict", "properties": {
        "s": {"type": "String"}, "n": {"type": "long"}, "b": {"type": "Boolean"},
        "xs": {"type": "ArrayList", "items": {"type": "short"}}, "m": {"type": "HashMap"},
        "big": {"type": "Bigint"}}})
    assert {name: sub["type"] for name, sub in schema["properties"].items()} == {
        "s": "string", "n": "integer", "b": "boolean", "xs": "array", "m": "object",
        "big": "integer"}
    assert schema["properties"]["xs"]["items"] == {"type": "integer"}


def test_bad_schemas_are_named():
    with pytest.raises(SchemaError, match="unknown type"):
        normalize_schema({"type": "weird"})
    with pytest.raises(SchemaError, match="unknown properties: z"):
        normalize_schema({"type": "object", "properties": {"a": {}}, "required": ["z"]})


def test_validation_names_the_argument():
    schema = normalize_schema({"type": "object", "properties": {
        "n": {"type": "integer"}, "mode": {"type": "string", "enum": ["a", "b"]},
        "xs": {"type": "array", "items": {"type": "number"}}}, "required": ["n"]})
    assert validation_errors({"n": 3, "mode": "a", "xs": [1, 2.5]}, schema) == []
    assert validation_errors({"n": True}, schema) == ["n: expected integer, got bool"]
    assert "missing required argument 'n'" in validation_errors({}, schema)[0]
    assert "not one of" in validation_errors({"n": 1, "mode": "c"}, schema)[0]
    assert validation_errors({"n": 1, "xs": [1, "x"]}, schema) == [
        "xs[1]: expected number, got str"]
    assert "unknown argument 'extra'" in validation_errors({"n": 1, "extra": 1}, schema)[0]


def test_decorator_builds_schema_and_validates_before_running():
    registry = ToolRegistry()
    ran = []

    @registry.tool(permission="actuate")
    def move(robot: str, speed: float = 0.5) -> str:
        """Move a robot.

        Longer text that is not part of the description."""
        ran.append(robot)
        return f"moving {robot}"

    tool = registry.get("move")
    assert tool.permission is Permission.ACTUATE
    assert tool.description == "Move a robot."
    assert tool.parameters["required"] == ["robot"]
    assert tool.parameters["properties"]["speed"]["type"] == "number"
    with pytest.raises(ToolArgumentError):
        tool.validate({"robot": 5})
    assert ran == []
    assert run_tool(tool, tool.validate({"robot": "r1"}), 1.0) == "moving r1"


def test_unknown_tool_lists_known_ones():
    registry = ToolRegistry()
    with pytest.raises(ToolError, match="unknown tool 'nope'"):
        registry.get("nope")


def test_tool_exceptions_and_timeouts_become_tool_errors():
    registry = ToolRegistry()

    @registry.tool()
    def boom() -> None:
        """Fail."""
        raise RuntimeError("broken sensor")

    @registry.tool()
    def slow() -> None:
        """Sleep."""
        import time
        time.sleep(2)

    with pytest.raises(ToolError, match="broken sensor"):
        run_tool(registry.get("boom"), {}, 1.0)
    with pytest.raises(ToolTimeoutError):
        run_tool(registry.get("slow"), {}, 0.1)


def test_loads_openai_objects_bare_docs_and_rejects_bad_files(tmp_path):
    good = tmp_path / "tools.json"
    good.write_text(json.dumps([
        {"type": "function", "function": {"name": "a", "parameters": {
            "type": "object", "properties": {"x": {"type": "string"}}}}},
        {"name": "b", "description": "bee", "parameters": {"type": "dict", "properties": {}}},
    ]))
    assert [t.name for t in load_tools_file(good)] == ["a", "b"]
    bad = tmp_path / "bad.json"
    bad.write_text("[{\"name\": \"a\",")
    with pytest.raises(ToolsFileError, match="not valid JSON"):
        load_tools_file(bad)
    with pytest.raises(ToolsFileError, match="duplicate tool names: a"):
        tools_from_definitions([{"name": "a"}, {"name": "a"}])
    with pytest.raises(ToolsFileError, match="cannot read"):
        load_tools_file(tmp_path / "missing.json")
