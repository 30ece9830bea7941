"""Settings: a TOML file overlaid with EDGEAGENT_* environment variables, validated by pydantic.

Environment names are the key path in upper case joined by `__`, e.g. `EDGEAGENT_MODEL__N_CTX=2048`
sets `[model] n_ctx`; `EDGEAGENT_STATE_DIR` sets the top-level `state_dir`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Literal, Optional

import pydantic
from pydantic import BaseModel, ConfigDict, Field

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10 (JetPack 6)
    import tomli as tomllib

ENV_PREFIX = "EDGEAGENT_"


def default_state_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "edgeagent"


def default_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "edgeagent" / "config.toml"


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ModelSettings(Section):
    name: str = "gemma3-270m"           # a name from models/manifest.json
    path: Optional[Path] = None          # or any GGUF file; overrides `name`
    n_ctx: int = Field(4096, ge=256, le=131072)
    n_threads: Optional[int] = Field(None, ge=1)  # default: the board's physical cores
    n_batch: int = Field(512, ge=1)
    prefix_cache: bool = True            # keep/save the static prefix's KV state


class AgentSettings(Section):
    max_steps: int = Field(4, ge=1, le=32)
    tool_timeout_s: float = Field(10.0, gt=0)
    observation_chars: int = Field(1200, ge=64)  # budget for a tool result fed back to the model
    max_answer_tokens: int = Field(96, ge=8)
    allow_write: bool = True
    allow_actuate: bool = False          # actuate-class tools run only when this is true
    # Decision techniques (each switchable, for the ablation table in the README):
    ground_optional_args: bool = True    # optional arguments only take values the request states
    ground_required_args: bool = True    # required ones keep to its words and numbers where it has them
    continue_uncovered: bool = True      # another call while the request states an unused number
    diverge_repeats: bool = False        # a stalled call is decoded again from its least sure
    # step (measured neutral over all BFCL items; see README)
    beam_width: int = Field(4, ge=1, le=4)  # hypotheses of the beam search; 1: greedy
    beam_margin: float = Field(4.0, gt=0)  # a hypothesis this far behind the best is dropped
    similar_examples: int = Field(0, ge=0, le=8)  # worked examples chosen by likeness to the
    # catalog (needs rank_tools); 0: the three fixed ones (measured neutral; see README)
    rank_tools: bool = True              # embeddings rank tools (needs models install use-multilingual)
    relevance_floor: float = Field(0.32, ge=-1, le=1)    # best tool below this: no call
    relevance_ceiling: float = Field(0.32, ge=-1, le=1)  # best tool above this: no declining
    named_tool_floor: float = Field(0.20, ge=-1, le=1)   # down to this when the request says
    # every word of the best tool's name
    shared_word_floor: float = Field(0.15, ge=-1, le=1)  # down to this when the request says
    shared_words: int = Field(2, ge=1)   # this many distinctive words of the best tool's definition
    unstated_number_ceiling: float = Field(0.50, ge=-1, le=1)  # below this, no call when the
    # best tool needs a number (a required integer or float) and the request states none
    first_call_margin: float = Field(0.10, ge=0, le=2)   # first call among tools this near the best
    clause_call_floor: float = Field(0.30, ge=-1, le=1)  # a clause this near its best tool asks for a call
    clauses_in_order: bool = True        # when clauses ask for several tools, the first call
    # is the one the earliest such clause asks for
    task_call_floor: float = Field(0.30, ge=-1, le=1)  # two tasks this near a tool ask for two calls
    clause_local_values: bool = True     # a call's texts not from a clause about another tool,
    # when a clause about its own tool names something


class ToolSettings(Section):
    # list_dir/read_file see only these roots (no `..` or symlink escape); empty means
    # STATE_DIR/files. Never the whole home directory by default: it holds keys and tokens.
    file_roots: list[Path] = Field(default_factory=list)
    read_max_bytes: int = Field(64 * 1024, ge=1)


class MemorySettings(Section):
    """SQLite memory (edgeagent/memory.py)."""

    db_file: str = "memory.db"                 # inside state_dir
    synchronous: Literal["NORMAL", "FULL"] = "FULL"  # FULL survives power loss, see module doc
    busy_timeout_ms: int = Field(5000, ge=0)   # the daemon and the CLI share the file
    max_facts: int = Field(20000, ge=1)        # non-core facts beyond this go, least recent first
    fact_max_age_days: float = Field(0, ge=0)  # non-core facts untouched this long go; 0 = keep
    fact_max_chars: int = Field(1000, ge=16)   # a fact is a sentence or two, not a document
    core_facts_limit: int = Field(16, ge=0)    # core facts are in every prompt: keep them few
    max_turns: int = Field(5000, ge=10)        # turns kept (and, separately, summaries)
    max_age_days: float = Field(30, ge=0)      # turns and summaries older than this go; 0 = keep
    max_db_mb: float = Field(64, gt=0)         # size budget of the file on a small SD card
    prompt_budget_tokens: int = Field(384, ge=16)  # default budget of context_for()
    turn_budget_tokens: int = Field(768, ge=32)    # live turns per session before compaction
    keep_recent_turns: int = Field(2, ge=1)    # never compacted: the last exchange stays verbatim
    recall_k: int = Field(5, ge=1, le=50)      # facts offered to the prompt per request
    # Cosine below which a vector-only match is left out of the prompt block and the recall
    # tool. On the labeled set this encoder scores 95% of relevant pairs >= 0.15 and 92% of
    # unrelated pairs below it; keyword matches are kept whatever their cosine.
    min_similarity: float = Field(0.15, ge=-1, le=1)
    maintenance_every: int = Field(200, ge=1)  # writes between automatic retention passes


class Settings(Section):
    state_dir: Path = Field(default_factory=default_state_dir)
    device_id: str = Field(default_factory=lambda: os.uname().nodename or "edge")
    model: ModelSettings = Field(default_factory=ModelSettings)
    agent: AgentSettings = Field(default_factory=AgentSettings)
    tools: ToolSettings = Field(default_factory=ToolSettings)
    memory: MemorySettings = Field(default_factory=MemorySettings)

    @property
    def models_dir(self) -> Path:
        return self.state_dir / "models"

    def show(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2)


class ConfigError(ValueError):
    """A bad config file, key or value; the message is one line naming the key."""


def _env_overrides(environ: dict[str, str]) -> dict:
    """EDGEAGENT_A__B=v -> {"a": {"b": v}}; lists and tables are written as JSON, scalars stay
    strings for pydantic to read ("2048" -> 2048 for an int, "42" stays "42" for a str)."""
    out: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name == ENV_PREFIX + "CONFIG":
            continue
        path = name[len(ENV_PREFIX):].lower().split("__")
        value = raw
        if raw.lstrip().startswith(("[", "{")):
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                raise ConfigError(f"{name}: not valid JSON") from None
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"{name}: conflicts with another EDGEAGENT_ variable")
        node[path[-1]] = value
    return out


def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_settings(path: str | Path | None = None, environ: dict[str, str] | None = None
                  ) -> Settings:
    """Read the config file (if any) and the environment; raise ConfigError naming the bad key."""
    environ = dict(os.environ if environ is None else environ)
    explicit = path or environ.get(ENV_PREFIX + "CONFIG")
    config_path = Path(explicit) if explicit else default_config_path()
    data: dict = {}
    if config_path.exists():
        try:
            data = tomllib.loads(config_path.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_path}: not valid TOML ({exc})") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{config_path}: not UTF-8 text") from None
        except OSError as exc:
            raise ConfigError(f"{config_path}: cannot read ({exc.strerror})") from None
    elif explicit:
        raise ConfigError(f"{config_path}: config file not found")
    data = _merge(data, _env_overrides(environ))
    try:
        return Settings.model_validate(data)
    except pydantic.ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            raise ConfigError(f"unknown config key {key!r} (in {config_path} or "
                              f"{ENV_PREFIX}{key.upper().replace('.', '__')})") from None
        raise ConfigError(f"config key {key!r}: {err['msg']} (got {err.get('input')!r})") from None
