"""The tools shipped with the daemon: small, real and useful on a board."""

from __future__ import annotations

import ast
import datetime as dt
import math
import operator
import os
from pathlib import Path

import psutil

from .config import Settings
from .tools import Permission, ToolError, ToolRegistry


def system_status() -> dict:
    """Report CPU load, memory, disk use and temperatures of this device."""
    mem = psutil.virtual_memory()
    disk = psutil.disk_usage("/")
    status = {
        "cpu_percent": psutil.cpu_percent(interval=0.2),
        "cpu_count": psutil.cpu_count(),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "memory_used_percent": mem.percent,
        "memory_available_mb": mem.available // (1 << 20),
        "disk_used_percent": disk.percent,
        "disk_free_gb": round(disk.free / (1 << 30), 1),
        "uptime_s": int(dt.datetime.now().timestamp() - psutil.boot_time()),
    }
    temps = getattr(psutil, "sensors_temperatures", lambda: {})() or {}
    readings = {f"{chip}/{s.label or i}": s.current
                for chip, sensors in temps.items() for i, s in enumerate(sensors)}
    if readings:  # boards without thermal zones (VMs, some laptops) simply omit this
        status["temperatures_c"] = readings
    return status


def current_time(timezone: str = "local") -> str:
    """Return the current date and time (ISO 8601), in local time or UTC."""
    now = dt.datetime.now(dt.timezone.utc)
    if timezone.lower() != "utc":
        now = now.astimezone()
    return now.isoformat(timespec="seconds")


_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
           ast.Pow: operator.pow}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_FUNCS = {"sqrt": math.sqrt, "log": math.log, "log10": math.log10, "exp": math.exp,
          "sin": math.sin, "cos": math.cos, "tan": math.tan, "abs": abs, "round": round,
          "min": min, "max": max, "floor": math.floor, "ceil": math.ceil}
_CONSTS = {"pi": math.pi, "e": math.e}


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        return float(node.value)  # floats overflow (caught) where ints grow without bound
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.Name) and node.id in _CONSTS:
        return _CONSTS[node.id]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in _FUNCS and not node.keywords:
        # in floats like everything else: floor, ceil and round return ints
        return float(_FUNCS[node.func.id](*[_evaluate(a) for a in node.args]))
    raise ToolError(f"calculate: unsupported expression part {ast.dump(node)[:40]}")


def calculate(expression: str) -> float | int:
    """Evaluate an arithmetic expression such as (3 + 4) * 2 or sqrt(16)."""
    if len(expression) > 200:
        raise ToolError("calculate: expression longer than 200 characters")
    try:
        tree = ast.parse(expression.replace("^", "**"), mode="eval")
    except SyntaxError:
        raise ToolError(f"calculate: not an arithmetic expression: {expression!r}") from None
    try:
        result = _evaluate(tree.body)
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise ToolError(f"calculate: {exc}") from None
    if not isinstance(result, float) or math.isnan(result) or math.isinf(result):
        raise ToolError(f"calculate: {expression!r} has no real, finite value")
    return int(result) if result.is_integer() and abs(result) < 2**53 else result


class FileRoots:
    """Confines paths to configured roots: resolved (symlinks followed) before the check,
    so neither `..` nor a symlink can lead outside."""

    def __init__(self, roots: list[Path]):
        self.roots = [Path(r).expanduser().resolve() for r in roots]

    def resolve(self, path: str) -> Path:
        candidate = Path(path).expanduser()
        if not candidate.is_absolute():
            candidate = self.roots[0] / candidate
        real = candidate.resolve()
        if not any(real == root or root in real.parents for root in self.roots):
            allowed = ", ".join(str(r) for r in self.roots)
            raise ToolError(f"{path}: outside the allowed roots ({allowed})")
        return real


def register_builtin_tools(registry: ToolRegistry, settings: Settings) -> ToolRegistry:
    default_root = settings.state_dir / "files"
    if not settings.tools.file_roots:
        default_root.mkdir(parents=True, exist_ok=True)
    roots = FileRoots(settings.tools.file_roots or [default_root])
    max_bytes = settings.tools.read_max_bytes

    def list_dir(path: str = ".") -> list[str]:
        """List the entries of a directory (directories end with /)."""
        real = roots.resolve(path)
        if not real.is_dir():
            raise ToolError(f"{path}: not a directory")
        entries = sorted(real.iterdir(), key=lambda p: p.name)
        return [p.name + ("/" if p.is_dir() else "") for p in entries[:200]]

    def read_file(path: str) -> str:
        """Read a text file and return its contents."""
        real = roots.resolve(path)
        if not real.is_file():
            raise ToolError(f"{path}: not a file")
        with real.open("rb") as f:
            data = f.read(max_bytes + 1)
        text = data[:max_bytes].decode("utf-8", errors="replace")
        return text + ("\n[... truncated]" if len(data) > max_bytes else "")

    for func in (system_status, current_time, calculate, list_dir, read_file):
        registry.tool(Permission.READ)(func)
    return registry
