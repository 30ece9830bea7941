"""The prompt: a static prefix (instructions, worked examples, the tool catalog) that stays
byte-identical between decisions so its KV state can be kept, and a dynamic suffix (memory,
earlier turns, the request)."""

from __future__ import annotations

from .examples import DEFAULT, Example, render
from .grammar import NO_CALL, python_literal
from .tools import Tool

INSTRUCTIONS = """\
Each request below is answered with one line of Python that calls the tools listed before it.
Argument values are taken from the request. Optional arguments are left out unless the request \
gives them. Several calls are separated by "; ". When no tool fits the request, the line is: none
"""

_TYPE_NAMES = {"integer": "int", "number": "float", "string": "str", "boolean": "bool",
               "object": "dict", "null": "None"}
MAX_DESCRIPTION_CHARS = 240


def type_hint(schema: dict) -> str:
    if schema.get("enum"):
        return "Literal[" + ", ".join(python_literal(v) for v in schema["enum"]) + "]"
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items")
        return f"list[{type_hint(items)}]" if items else "list"
    return _TYPE_NAMES.get(kind, "Any")


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_DESCRIPTION_CHARS else text[:MAX_DESCRIPTION_CHARS - 3] + "..."


def render_tool(tool: Tool) -> str:
    props = tool.parameters.get("properties", {})
    required = set(tool.parameters.get("required", []))
    params = [f"{name}: {type_hint(sub)}" + ("" if name in required else " = None")
              for name, sub in props.items()]
    lines = [f"def {tool.name}({', '.join(params)}):", f'    """{_short(tool.description)}']
    for name, sub in props.items():
        if sub.get("description"):
            lines.append(f"    {name}: {_short(sub['description'])}")
    lines[-1] += '"""'
    return "\n".join(lines)


def static_parts(tools: list[Tool], examples: list[Example] = DEFAULT) -> tuple[str, str]:
    """Instructions with worked examples that have tools of their own, then the real
    catalog: the catalog (and its KV state) can change without changing the text before it."""
    catalog = "\n".join(render_tool(t) for t in tools)
    return f"{INSTRUCTIONS}\n{render(examples)}", f"Tools:\n{catalog}\n\n"


def static_prefix(tools: list[Tool], examples: list[Example] = DEFAULT) -> str:
    return "".join(static_parts(tools, examples))


def request_suffix(request: str, history: list[tuple[str, str]] = (), context: str = "") -> str:
    """The dynamic part: optional memory context, earlier turns, then the request."""
    parts = []
    if context:
        parts.append(f"Notes:\n{context.strip()}\n\n")
    for role, text in history:
        label = "Request" if role == "user" else "Answer"
        parts.append(f"{label}: {_one_line(text)}\n")
    parts.append(f"Request: {_one_line(request)}\nCall:")
    return "".join(parts)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


__all__ = ["static_parts", "static_prefix", "request_suffix", "render_tool", "NO_CALL"]
