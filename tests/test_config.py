import subprocess
import sys

import pytest

from edgeagent.config import ConfigError, load_settings


def test_toml_then_environment(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[model]\nn_ctx = 2048\n[agent]\nmax_steps = 3\n')
    s = load_settings(cfg, environ={"EDGEAGENT_AGENT__MAX_STEPS": "5",
                                    "EDGEAGENT_STATE_DIR": str(tmp_path)})
    assert s.model.n_ctx == 2048
    assert s.agent.max_steps == 5
    assert s.state_dir == tmp_path


@pytest.mark.parametrize("text,key", [
    ("[model]\nn_ctxx = 1\n", "model.n_ctxx"),
    ("[model]\nn_ctx = 'big'\n", "model.n_ctx"),
    ("[agent]\nmax_steps = 0\n", "agent.max_steps"),
])
def test_bad_key_or_value_names_the_key(tmp_path, text, key):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_settings(cfg, environ={})


def test_cli_exits_2_with_one_line(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[model]\nbogus = 1\n")
    result = subprocess.run([sys.executable, "-m", "edgeagent.cli", "--config", str(cfg),
                             "config", "show"], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "model.bogus" in result.stderr


def test_shipped_example_config_is_valid():
    from pathlib import Path
    example = Path(__file__).resolve().parent.parent / "systemd" / "config.example.toml"
    s = load_settings(example, environ={})
    assert s.agent.allow_actuate is False and s.memory.max_db_mb == 64
