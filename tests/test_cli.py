"""The remaining commands, run as users run them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

BFCL = Path(__file__).resolve().parents[2] / "shared" / "bfcl"


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


def test_eval_bfcl_scores_and_explains(tmp_path):
    out = tmp_path / "items.jsonl"
    result = run_cli("eval", "bfcl", "--data", str(BFCL), "--category",
                     "simple_python,irrelevance", "--limit", "3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "simple_python" in result.stdout and "irrelevance" in result.stdout
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(items) == 6
    for item in items:
        assert item["schema_valid"] is True
        assert item["ok"] or item["reason"]  # every failure says why


def test_eval_rejects_unknown_category():
    result = run_cli("eval", "bfcl", "--data", str(BFCL), "--category", "java")
    assert result.returncode == 2 and "unknown BFCL category" in result.stderr
