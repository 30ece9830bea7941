"""The static prefix's llama.cpp state, evaluated once per (model, prefix) and kept in RAM and in
the state directory, so neither the next decision nor a restart pays its prefill again.

A state file is a JSON header line followed by the raw llama.cpp state. The header names the
model identity, the prefix tokens' hash, the llama.cpp version and the payload's sha256; any
mismatch or a short file means the file is deleted and the prefix rebuilt, never loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import llama_cpp

from .llm import LocalModel

FORMAT = "edgeagent-prefix-state/1"
RAM_ENTRIES = 4
DISK_ENTRIES = 16  # each is a few MB to a few tens of MB; an SD card is small


def prefix_key(model_id: str, tokens: list[int]) -> str:
    digest = hashlib.sha256(model_id.encode())
    digest.update(b"\0" + ",".join(map(str, tokens)).encode())
    return digest.hexdigest()[:32]


@dataclass
class PrefixResult:
    source: str  # "kv" (already there), "ram", "disk" or "prefill"
    tokens: int
    ms: float = 0.0


class PrefixCache:
    def __init__(self, model: LocalModel, directory: Path | None):
        self.model = model
        self.directory = directory
        self.ram: OrderedDict[str, bytes] = OrderedDict()

    def ensure(self, prefix: list[int]) -> PrefixResult:
        """Make the model's KV start with `prefix`, by the cheapest way available."""
        start = time.perf_counter()
        result = self._ensure(prefix)
        result.ms = (time.perf_counter() - start) * 1000
        return result

    def _ensure(self, prefix: list[int]) -> PrefixResult:
        evaluated = self.model.llama.input_ids[: self.model.llama.n_tokens]
        if len(evaluated) >= len(prefix) and list(evaluated[: len(prefix)]) == prefix:
            return PrefixResult("kv", len(prefix))
        key = prefix_key(self.model.identity, prefix)
        if key in self.ram:
            self.ram.move_to_end(key)
            self.model.load_state_bytes(self.ram[key], prefix)
            return PrefixResult("ram", len(prefix))
        state = self._read(key)
        if state is not None:
            try:
                self.model.load_state_bytes(state, prefix)
                self._remember(key, state)
                return PrefixResult("disk", len(prefix))
            except RuntimeError:
                self._discard(key)
        self.model.set_prompt(prefix)  # reuses whatever start it shares with the KV (examples)
        state = self.model.state_bytes()
        self._remember(key, state)
        self._write(key, state)
        return PrefixResult("prefill", len(prefix))

    def _remember(self, key: str, state: bytes) -> None:
        self.ram[key] = state
        while len(self.ram) > RAM_ENTRIES:
            self.ram.popitem(last=False)

    def _path(self, key: str) -> Path | None:
        return self.directory / f"{key}.state" if self.directory else None

    def _header(self, key: str) -> dict:
        return {"format": FORMAT, "model": self.model.identity, "key": key,
                "llama_cpp": llama_cpp.__version__}

    def _write(self, key: str, state: bytes) -> None:
        path = self._path(key)
        if path is None:
            return
        header = {**self._header(key), "size": len(state),
                  "sha256": hashlib.sha256(state).hexdigest()}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with tmp.open("wb") as f:
                f.write(json.dumps(header).encode() + b"\n")
                f.write(state)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)  # a crash leaves the old file or none, never half of one
            old = sorted(self.directory.glob("*.state"), key=lambda p: p.stat().st_mtime)
            for stale in old[:-DISK_ENTRIES]:
                stale.unlink(missing_ok=True)
        except OSError:
            pass  # a full or read-only disk costs a prefill after restart, nothing more

    def _read(self, key: str) -> bytes | None:
        path = self._path(key)
        if path is None or not path.exists():
            return None
        try:
            with path.open("rb") as f:
                header = json.loads(f.readline())
                state = f.read()
        except (OSError, ValueError):
            self._discard(key)
            return None
        expected = {**self._header(key), "size": len(state),
                    "sha256": hashlib.sha256(state).hexdigest()}
        if header != expected:
            self._discard(key)
            return None
        return state

    def _discard(self, key: str) -> None:
        path = self._path(key)
        if path is not None:
            path.unlink(missing_ok=True)
