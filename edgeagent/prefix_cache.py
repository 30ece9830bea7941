"""The static prefix's llama.cpp state, evaluated once per (model, prefix) and kept in RAM, and in
the state directory once the prefix is used a second time, so neither the next decision nor a
restart pays its prefill again.

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


def prefix_key(model_id: str, tokens: list[int], marks: tuple[int, ...] = ()) -> str:
    digest = hashlib.sha256(model_id.encode())
    digest.update(b"\0" + ",".join(map(str, tokens)).encode())
    digest.update(b"\0" + ",".join(map(str, marks)).encode())
    return digest.hexdigest()[:32]


@dataclass
class PrefixResult:
    source: str  # "ram", "disk" or "prefill"
    evaluated: int  # the prefix's tokens evaluated now (the rest came from snapshots)
    ms: float = 0.0


class PrefixCache:
    """Every decision starts from a snapshot, never from whatever the KV was left holding:
    llama.cpp's numbers shift with where the KV's cells lie, which depends on every request
    and beam evaluated before, enough to change a close decision. Restored, a prefix always
    sits in the cells it was built in, so the same request gets the same decision whatever
    ran before, for the price of a memory copy (about 10 MB for 500 tokens of a 270M model)."""

    def __init__(self, model: LocalModel, directory: Path | None):
        self.model = model
        self.directory = directory
        self.ram: OrderedDict[str, bytes] = OrderedDict()
        self.uses: OrderedDict[str, int] = OrderedDict()

    def ensure(self, prefix: list[int], marks: tuple[int, ...] = ()) -> PrefixResult:
        """Make the model's KV hold exactly `prefix`, evaluated as `set_prompt(prefix, marks)`
        on an empty KV would, by the cheapest way available."""
        start = time.perf_counter()
        result = self._ensure(prefix, marks)
        result.ms = (time.perf_counter() - start) * 1000
        return result

    def _ensure(self, prefix: list[int], marks: tuple[int, ...]) -> PrefixResult:
        key = prefix_key(self.model.identity, prefix, marks)
        self.uses[key] = self.uses.pop(key, 0) + 1
        if len(self.uses) > 256:
            self.uses.popitem(last=False)
        if key in self.ram:
            self.ram.move_to_end(key)
            self.model.load_state_bytes(self.ram[key], prefix, marks)
            result = PrefixResult("ram", 0)
        elif (state := self._read(key)) is not None and self._load(key, state, prefix, marks):
            return PrefixResult("disk", 0)
        else:
            result = PrefixResult("prefill", self._build(prefix, marks))
            self._remember(key, self.model.state_bytes())
        # A prefix goes to disk when it is used again: a catalog that comes back is worth
        # keeping across restarts, a one-off catalog (a --jsonl line's own tools) is not
        # worth 10-60 MB of writes to an SD card.
        if self.uses[key] >= 2 and key in self.ram and not self._on_disk(key):
            self._write(key, self.ram[key])
        return result

    def _build(self, prefix: list[int], marks: tuple[int, ...]) -> int:
        """Evaluate `prefix` on top of its part before the last mark (the instructions, shared
        by every catalog), itself restored the same way; the number of tokens evaluated."""
        cuts = sorted(m for m in set(marks) if 0 < m < len(prefix))
        if cuts:
            evaluated = self._ensure(prefix[:cuts[-1]], tuple(cuts[:-1])).evaluated
        else:
            self.model.forget()
            evaluated = 0
        stats = self.model.set_prompt(prefix, marks)
        return evaluated + stats.prompt_tokens - stats.cached_tokens
    def _load(self, key: str, state: bytes, prefix: list[int], marks: tuple[int, ...]) -> bool:
        try:
            self.model.load_state_bytes(state, prefix, marks)
        except RuntimeError:
            self._discard(key)
            return False
        self._remember(key, state)
        return True

    def _on_disk(self, key: str) -> bool:
        path = self._path(key)
        return path is None or path.exists()

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
