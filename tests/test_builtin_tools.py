import os

import pytest

from edgeagent.builtin_tools import FileRoots, calculate, current_time, register_builtin_tools, \
    system_status
from edgeagent.config import load_settings
from edgeagent.tools import ToolError, ToolRegistry


def test_calculate_is_safe_arithmetic():
    assert calculate("(3 + 4) * 2") == 14
    assert calculate("2^10") == 1024
    assert calculate("sqrt(16) + pi - pi") == 4
    for bad in ["__import__('os')", "open('x')", "[1, 2]", "9**99999"]:
        with pytest.raises(ToolError):
            calculate(bad)


def test_system_status_reports_real_figures():
    status = system_status()
    assert 0 <= status["memory_used_percent"] <= 100
    assert status["cpu_count"] >= 1
    assert status["disk_free_gb"] >= 0


def test_current_time_is_iso():
    assert current_time("utc").endswith("+00:00")


def test_file_tools_stay_inside_roots(tmp_path):
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("hello")
    (tmp_path / "secret.txt").write_text("no")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    settings = load_settings(environ={"EDGEAGENT_TOOLS__FILE_ROOTS": f'["{root}"]'})
    registry = register_builtin_tools(ToolRegistry(), settings)
    read, listing = registry.get("read_file").func, registry.get("list_dir").func
    assert read("sub/a.txt") == "hello"
    assert listing(".") == ["link.txt", "sub/"]
    for escape in ["../secret.txt", "link.txt", str(tmp_path / "secret.txt"), "sub/../../secret.txt"]:
        with pytest.raises(ToolError, match="outside the allowed roots"):
            read(escape)
    with pytest.raises(ToolError):
        FileRoots([root]).resolve("/etc/passwd")


def test_calculate_takes_whole_results_of_functions():
    assert calculate("floor(3.7)") == 3 and calculate("round(2.5)") == 2
