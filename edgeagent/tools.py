"""The typed tool registry: a decorator that turns a typed Python function into a tool,
permission classes, and loaders for tool definitions written as JSON."""

from __future__ import annotations

import concurrent.futures
import enum
import inspect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pydantic

from .schema import SchemaError, normalize_schema, validation_errors


class Permission(str, enum.Enum):
    READ = "read"        # looks at the world
    WRITE = "write"      # changes stored state (files, memory)
    ACTUATE = "actuate"  # moves or switches something physical


class ToolError(Exception):
    """A tool call that could not run; the message is fed back to the model as an observation."""

    code = "tool_error"


class UnknownToolError(ToolError):
    code = "unknown_tool"


class ToolArgumentError(ToolError):
    code = "invalid_arguments"


class ToolTimeoutError(ToolError):
    code = "tool_timeout"


class PermissionDeniedError(ToolError):
    code = "permission_denied"


@dataclass
class Tool:
    name: str
    description: str
    parameters: dict  # normalized JSON schema of the arguments, always an object
    permission: Permission = Permission.READ
    func: Callable[..., Any] | None = None
    args_model: type[pydantic.BaseModel] | None = None

    def validate(self, arguments: Any) -> dict:
        """Check the arguments before anything runs; return them as the function receives them."""
        if not isinstance(arguments, dict):
            raise ToolArgumentError(f"{self.name}: arguments must be an object")
        errors = validation_errors(arguments, self.parameters)
        if errors:
            raise ToolArgumentError(f"{self.name}: " + "; ".join(errors))
        if self.args_model is None:
            return arguments
        try:
            model = self.args_model.model_validate(arguments)
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "arguments"
            raise ToolArgumentError(f"{self.name}: {where}: {first['msg']}") from None
        return {name: getattr(model, name) for name in self.args_model.model_fields}

    def spec(self) -> dict:
        """The definition as an OpenAI-style function doc."""
        return {"name": self.name, "description": self.description,
                "parameters": self.parameters}


def _strip_titles(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _strip_titles(v) for k, v in schema.items() if k != "title"}
    if isinstance(schema, list):
        return [_strip_titles(v) for v in schema]
    return schema


def tool_from_function(func: Callable, permission: Permission | str = Permission.READ,
                       name: str | None = None) -> Tool:
    """Build a Tool from a typed function; its docstring's first paragraph is the description."""
    fields: dict[str, Any] = {}
    for pname, param in inspect.signature(func).parameters.items():
        if param.annotation is inspect.Parameter.empty:
            raise TypeError(f"tool {func.__name__}: parameter {pname!r} needs a type annotation")
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[pname] = (param.annotation, default)
    args_model = pydantic.create_model(
        f"{func.__name__}_args", __config__=pydantic.ConfigDict(extra="forbid"), **fields)
    raw_schema = _strip_titles(args_model.model_json_schema())
    # Optional[X] comes out as anyOf [X, null]; the decoder wants the plain type.
    for prop in raw_schema.get("properties", {}).values():
        if "anyOf" in prop:
            first = next((s for s in prop.pop("anyOf") if s.get("type") != "null"), {})
            prop.update(first)
    doc = inspect.getdoc(func) or ""
    return Tool(
        name=name or func.__name__,
        description=doc.split("\n\n")[0].replace("\n", " "),
        parameters=normalize_schema(raw_schema),
        permission=Permission(permission),
        func=func,
        args_model=args_model,
    )


@dataclass
class ToolRegistry:
    tools: dict[str, Tool] = field(default_factory=dict)

    def tool(self, permission: Permission | str = Permission.READ, name: str | None = None):
        """Decorator: register a typed function as a tool."""

        def register(func: Callable) -> Callable:
            self.add(tool_from_function(func, permission, name))
            return func

        return register

    def add(self, tool: Tool) -> None:
        self.tools[tool.name] = tool

    def get(self, name: str) -> Tool:
        try:
            return self.tools[name]
        except KeyError:
            known = ", ".join(sorted(self.tools)) or "none"
            raise UnknownToolError(f"unknown tool {name!r} (known: {known})") from None

    def __iter__(self):
        return iter(self.tools.values())

    def __len__(self) -> int:
        return len(self.tools)


class ToolsFileError(ValueError):
    """A tools file or tool list that cannot be read; the message says where and why."""


def tool_from_definition(obj: Any, where: str = "tool") -> Tool:
    """Read one OpenAI tool object or bare function doc."""
    if not isinstance(obj, dict):
        raise ToolsFileError(f"{where}: expected an object, got {type(obj).__name__}")
    if obj.get("type") == "function" and isinstance(obj.get("function"), dict):
        obj = obj["function"]
    name = obj.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ToolsFileError(f"{where}: missing a \"name\" string")
    try:
        params = normalize_schema(obj.get("parameters") or {"type": "object", "properties": {}},
                                  f"{name}.parameters")
    except SchemaError as exc:
        raise ToolsFileError(f"{where}: {exc}") from None
    params.setdefault("type", "object")
    params.setdefault("properties", {})
    if params["type"] != "object":
        raise ToolsFileError(f"{where}: {name}.parameters must be an object schema")
    permission = obj.get("permission", "read")
    try:
        permission = Permission(permission)
    except ValueError:
        raise ToolsFileError(f"{where}: permission must be read, write or actuate") from None
    return Tool(name=name, description=str(obj.get("description", "")), parameters=params,
                permission=permission)


def tools_from_definitions(items: Any, where: str = "tools") -> list[Tool]:
    if isinstance(items, dict):
        items = items.get("tools", [items])
    if not isinstance(items, list) or not items:
        raise ToolsFileError(f"{where}: expected a non-empty list of tool definitions")
    tools = [tool_from_definition(obj, f"{where}[{i}]") for i, obj in enumerate(items)]
    names = [t.name for t in tools]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ToolsFileError(f"{where}: duplicate tool names: {', '.join(dupes)}")
    return tools


def load_tools_file(path: str | Path) -> list[Tool]:
    """Tools from a JSON file: a list, {"tools": [...]}, or one JSON object per line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ToolsFileError(f"{path}: cannot read tools file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ToolsFileError(f"{path}: not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        try:  # one definition per line
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            raise ToolsFileError(
                f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from None
    return tools_from_definitions(data, str(path))


def run_tool(tool: Tool, arguments: dict, timeout_s: float) -> Any:
    """Run a validated call in a worker thread and give up waiting after `timeout_s`."""
    if tool.func is None:
        raise ToolError(f"{tool.name} has no local implementation")
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    future = pool.submit(tool.func, **arguments)
    try:
        return future.result(timeout=timeout_s)
    except concurrent.futures.TimeoutError:
        raise ToolTimeoutError(f"{tool.name} did not finish within {timeout_s:g}s") from None
    except ToolError:
        raise
    except Exception as exc:  # a tool's own failure becomes an observation, never a crash
        raise ToolError(f"{tool.name} failed: {type(exc).__name__}: {exc}") from None
    finally:
        pool.shutdown(wait=False)
