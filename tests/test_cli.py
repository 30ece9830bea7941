"""The remaining commands, run as users run them."""

import json
import subprocess
import sys

import pytest

# A tiny data set in BFCL's own format, so the test does not depend on where ../shared is.
QUESTIONS = {
    "simple_python": [
        {"id": "simple_python_0", "question": [[{"role": "user", "content": "Find the area of a triangle with a base of 10 units and height of 5 units."}]],
         "function": [{"name": "calculate_triangle_area", "description": "Calculate the area of a triangle given its base and height.", "parameters": {"type": "dict", "properties": {"base": {"type": "integer", "description": "The base of the triangle."}, "height": {"type": "integer", "description": "The height of the triangle."}, "unit": {"type": "string", "description": "The unit of measure (defaults to 'units' if not specified)"}}, "required": ["base", "height"]}}]},
        {"id": "simple_python_1", "question": [[{"role": "user", "content": "Calculate the factorial of 5 using math functions."}]],
         "function": [{"name": "math.factorial", "description": "Calculate the factorial of a given number.", "parameters": {"type": "dict", "properties": {"number": {"type": "integer", "description": "The number for which factorial needs to be calculated."}}, "required": ["number"]}}]},
    ],
    "irrelevance": [
        {"id": "irrelevance_0", "question": [[{"role": "user", "content": "Who wrote the novel Moby Dick?"}]],
         "function": [{"name": "calculate_triangle_area", "description": "Calculate the area of a triangle given its base and height.", "parameters": {"type": "dict", "properties": {"base": {"type": "integer"}, "height": {"type": "integer"}}, "required": ["base", "height"]}}]},
    ],
}
ANSWERS = [
    {"id": "simple_python_0", "ground_truth": [{"calculate_triangle_area": {"base": [10], "height": [5], "unit": ["units", ""]}}]},
    {"id": "simple_python_1", "ground_truth": [{"math.factorial": {"number": [5]}}]},
]


@pytest.fixture
def bfcl_dir(tmp_path):
    (tmp_path / "possible_answer").mkdir()
    for category, items in QUESTIONS.items():
        (tmp_path / f"BFCL_v4_{category}.json").write_text(
            "\n".join(json.dumps(i) for i in items))
    (tmp_path / "possible_answer" / "BFCL_v4_simple_python.json").write_text(
        "\n".join(json.dumps(a) for a in ANSWERS))
    return tmp_path


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "edgeagent.cli", *args], capture_output=True,
                          text=True, timeout=600, env=env)


def test_doctor_checks_the_real_model():
    result = run_cli("doctor")
    assert result.returncode == 0, result.stdout
    assert "sha256 matches" in result.stdout and "all checks passed" in result.stdout


def test_doctor_says_what_to_fix(tmp_path):
    import os
    env = {**os.environ, "EDGEAGENT_STATE_DIR": str(tmp_path)}
    result = run_cli("doctor", env=env)
    assert result.returncode == 1
    assert "missing" in result.stdout and "fix: edgeagent models install gemma3-270m" in result.stdout


def test_models_and_tools_listings():
    listing = run_cli("models", "list")
    assert listing.returncode == 0 and "gemma3-270m" in listing.stdout
    assert run_cli("models", "verify", "gemma3-270m").returncode == 0
    tools = run_cli("tools", "list")
    assert "calculate(expression: str)" in tools.stdout


def test_config_show_is_json():
    shown = json.loads(run_cli("config", "show").stdout)
    assert shown["model"]["name"] == "gemma3-270m" and "memory" in shown


def test_eval_bfcl_scores_and_explains(tmp_path, bfcl_dir):
    out = tmp_path / "items.jsonl"
    result = run_cli("eval", "bfcl", "--data", str(bfcl_dir), "--category",
                     "simple_python,irrelevance", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "simple_python" in result.stdout and "irrelevance" in result.stdout
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert [i["id"] for i in items] == ["simple_python_0", "simple_python_1", "irrelevance_0"]
    for item in items:
        assert item["schema_valid"] is True
        assert item["ok"] or item["reason"]  # every failure says why


def test_eval_rejects_unknown_category(bfcl_dir):
    result = run_cli("eval", "bfcl", "--data", str(bfcl_dir), "--category", "java")
    assert result.returncode == 2 and "unknown BFCL category" in result.stderr
