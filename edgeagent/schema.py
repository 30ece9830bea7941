"""JSON-schema helpers: read tool schemas written with Python-style type names, and validate
argument values against the subset of JSON schema that tool definitions use.

We validate ourselves instead of pulling in `jsonschema` because tool schemas only use a small,
well-defined subset (type, properties, required, enum, items, additionalProperties, minimum/maximum)
and the error messages must name the exact argument path for the model's observation.
"""

from __future__ import annotations

from typing import Any

# Python-style names seen in function docs (BFCL, hand-written catalogs), and the Java and
# JavaScript ones of BFCL's Java/JavaScript docs -> JSON-schema types.
_TYPE_ALIASES = {
    "dict": "object",
    "object": "object",
    "float": "number",
    "number": "number",
    "double": "number",
    "int": "integer",
    "integer": "integer",
    "long": "integer",
    "byte": "integer",
    "short": "integer",
    "bigint": "integer",
    "str": "string",
    "string": "string",
    "char": "string",
    "bool": "boolean",
    "boolean": "boolean",
    "list": "array",
    "tuple": "array",
    "array": "array",
    "set": "array",
    "arraylist": "array",
    "queue": "array",
    "stack": "array",
    "hashmap": "object",
    "hashtable": "object",
    "null": "null",
    "none": "null",
    "any": None,
}

_KEPT_KEYS = {"description", "enum", "default", "minimum", "maximum", "minItems", "maxItems",
              "maxLength", "const", "format", "pattern"}


class SchemaError(ValueError):
    """A tool definition whose schema cannot be read."""


def normalize_schema(schema: Any, where: str = "parameters") -> dict:
    """Return a plain JSON-schema copy of `schema` with Python-style type names mapped."""
    if schema is None:
        return {}
    if not isinstance(schema, dict):
        raise SchemaError(f"{where}: a schema must be a JSON object, got {type(schema).__name__}")
    out: dict[str, Any] = {k: v for k, v in schema.items() if k in _KEPT_KEYS}
    type_name = schema.get("type")
    if isinstance(type_name, list):
        # ["string", "null"] style: keep the first non-null type (omit the argument for null).
        non_null = [t for t in type_name if str(t).lower() not in ("null", "none")]
        type_name = non_null[0] if non_null else "null"
    if type_name is not None:
        if not isinstance(type_name, str) or type_name.lower() not in _TYPE_ALIASES:
            raise SchemaError(f"{where}: unknown type {type_name!r}")
        mapped = _TYPE_ALIASES[type_name.lower()]
        if mapped:
            out["type"] = mapped
    if "properties" in schema:
        props = schema["properties"]
        if not isinstance(props, dict):
            raise SchemaError(f"{where}.properties must be an object")
        out["type"] = "object"
        out["properties"] = {
            name: normalize_schema(sub, f"{where}.{name}") for name, sub in props.items()
        }
        required = schema.get("required", [])
        if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
            raise SchemaError(f"{where}.required must be a list of names")
        unknown = [r for r in required if r not in props]
        if unknown:
            raise SchemaError(f"{where}.required names unknown properties: {', '.join(unknown)}")
        out["required"] = list(required)
    if "items" in schema:
        items = schema["items"]
        if isinstance(items, list):  # tuple-style items: treat as a list of the first type
            items = items[0] if items else {}
        out["items"] = normalize_schema(items, f"{where}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        out["additionalProperties"] = normalize_schema(
            schema["additionalProperties"], f"{where}.*")
    if "enum" in out:
        enum = out["enum"]
        if not isinstance(enum, list) or not enum:
            raise SchemaError(f"{where}.enum must be a non-empty list")
        if out.get("type") and any(not _type_ok(v, out["type"]) for v in enum):
            raise SchemaError(f"{where}.enum values do not match type {out['type']!r}")
    for key in ("minimum", "maximum", "maxLength", "minItems", "maxItems"):
        if key in out and (isinstance(out[key], bool) or not isinstance(out[key], (int, float))):
            raise SchemaError(f"{where}.{key} must be a number")
    return out


def _type_ok(value: Any, type_name: str) -> bool:
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "array":
        return isinstance(value, list)
    if type_name == "object":
        return isinstance(value, dict)
    if type_name == "null":
        return value is None
    return True


def validation_errors(value: Any, schema: dict, path: str = "") -> list[str]:
    """Every way `value` breaks `schema`, each naming the argument path; empty when valid."""
    here = path or "arguments"
    type_name = schema.get("type")
    if value is None and "default" in schema and schema["default"] is None:
        return []
    if type_name and not _type_ok(value, type_name):
        return [f"{here}: expected {type_name}, got {type(value).__name__}"]
    errors: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{here}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{here}: {value} is below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{here}: {value} is above the maximum {schema['maximum']}")
    if isinstance(value, dict) and (type_name == "object" or "properties" in schema):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{here}: missing required argument {name!r}")
        for name, sub_value in value.items():
            sub_path = f"{path}.{name}" if path else name
            if name in props:
                errors.extend(validation_errors(sub_value, props[name], sub_path))
            elif isinstance(schema.get("additionalProperties"), dict):
                errors.extend(validation_errors(sub_value, schema["additionalProperties"], sub_path))
            elif props:
                errors.append(f"{here}: unknown argument {name!r}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors.extend(validation_errors(item, schema["items"], f"{here}[{i}]"))
    return errors
