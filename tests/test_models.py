import subprocess
import sys

import pytest

from edgeagent import models
from edgeagent.config import load_settings


@pytest.fixture
def tmp_settings(tmp_path):
    return load_settings(environ={"EDGEAGENT_STATE_DIR": str(tmp_path)})


def test_manifest_names_default_and_second_model():
    default, entries = models.load_manifest()
    assert default == "gemma3-270m"
    assert entries["gemma3-270m"].sha256.startswith("a5fd3b62")
    assert entries["smollm2-135m"].quantization == "Q4_1"
    for e in entries.values():
        assert len(e.sha256) == 64 and e.size > 0 and e.source["package"]


def test_missing_truncated_and_corrupt_files_are_named(tmp_settings):
    entry = models.get_entry("gemma3-270m")
    path = entry.path(tmp_settings)
    with pytest.raises(models.ModelError, match="missing; run `edgeagent models install"):
        models.verify_file(entry, path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"GGUF" + b"\0" * 100)
    with pytest.raises(models.ModelError, match="truncated"):
        models.verify_file(entry, path)
    with open(path, "wb") as f:  # right size, wrong bytes (sparse)
        f.truncate(entry.size)
    with pytest.raises(models.ModelError, match=f"expected {entry.sha256}"):
        models.verify_file(entry, path)


def test_unknown_model_is_a_usage_error(tmp_settings):
    with pytest.raises(models.UnknownModelError, match="known models"):
        models.get_entry("gpt-5")
    result = subprocess.run([sys.executable, "-m", "edgeagent.cli", "models", "path", "gpt-5"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "unknown model 'gpt-5'" in result.stderr


def test_installed_default_verifies(settings):
    path = models.resolve(settings)  # assembles from the PyPI package on first use
    models.verify_file(models.get_entry("gemma3-270m"), path)
    assert path.stat().st_size == models.get_entry("gemma3-270m").size


def test_missing_custom_model_path_is_explained(tmp_path):
    s = load_settings(environ={"EDGEAGENT_MODEL__PATH": str(tmp_path / "none.gguf")})
    with pytest.raises(models.ModelError, match="does not exist"):
        models.resolve(s)
