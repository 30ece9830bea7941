"""The command line. Exit codes: 0 success, 2 usage/config error (one-line reason), 1 runtime
failure."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import IO

from . import __version__
from .config import ConfigError, Settings, load_settings
from .models import ModelError, UnknownModelError

MAX_LINE_BYTES = 1 << 20  # a --jsonl line larger than this is refused, not parsed


class UsageError(Exception):
    """Exit 2 with this one-line message."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edgeagent", description=__doc__)
    parser.add_argument("--config", help="TOML config file (default: "
                        "~/.config/edgeagent/config.toml or $EDGEAGENT_CONFIG)")
    parser.add_argument("--version", action="version", version=f"edgeagent {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("plan", help="decide tool calls for a request, never execute them")
    p.add_argument("request", nargs="?", help="the request (or use --jsonl)")
    p.add_argument("--tools", help="JSON file of tool definitions (default: built-in tools)")
    p.add_argument("--jsonl", metavar="IN", help="JSON lines file of requests, or - for stdin")
    p.add_argument("--model", help="model name from the manifest")

    p = sub.add_parser("ask", help="run the agent loop with the built-in tools")
    p.add_argument("request")
    p.add_argument("--model", help="model name from the manifest")
    p.add_argument("--verbose", "-v", action="store_true", help="print each tool call")

    p = sub.add_parser("chat", help="interactive offline assistant")
    p.add_argument("--model", help="model name from the manifest")

    p = sub.add_parser("tools", help="tool catalog")
    p.add_argument("action", choices=["list"])
    p.add_argument("--tools", help="JSON file of tool definitions (default: built-in tools)")

    p = sub.add_parser("models", help="known models")
    p.add_argument("action", choices=["list", "path", "verify", "install"])
    p.add_argument("name", nargs="?")

    p = sub.add_parser("config", help="configuration")
    p.add_argument("action", choices=["show"])

    sub.add_parser("doctor", help="check the model, llama.cpp, threads and memory")

    p = sub.add_parser("eval", help="accuracy benchmarks")
    p.add_argument("suite", choices=["bfcl"])
    p.add_argument("--data", required=True, help="directory with BFCL_v4_*.json files")
    p.add_argument("--category", default="simple_python",
                   help="a BFCL category, a comma-separated list, or all")
    p.add_argument("--limit", type=int, help="only the first N items of each category")
    p.add_argument("--model", help="model name from the manifest")
    p.add_argument("--out", help="per-item JSONL file (default: STATE_DIR/eval/...)")

    from .memory_cli import add_memory_parser
    add_memory_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
        if getattr(args, "model", None):
            from .models import get_entry
            get_entry(args.model)  # an unknown name is a usage error, before any loading
            settings.model.name = args.model
            settings.model.path = None
        return COMMANDS[args.command](args, settings)
    except (ConfigError, UsageError, UnknownModelError) as exc:
        print(f"edgeagent: {exc}", file=sys.stderr)
        return 2
    except ModelError as exc:
        print(f"edgeagent: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


# -- helpers ----------------------------------------------------------------------------------
def _registry(settings: Settings):
    from .builtin_tools import register_builtin_tools
    from .tools import ToolRegistry
    return register_builtin_tools(ToolRegistry(), settings)


def _tools_from_file(path: str | None, settings: Settings):
    from .tools import ToolsFileError, load_tools_file
    if path is None:
        return list(_registry(settings))
    try:
        return load_tools_file(path)
    except ToolsFileError as exc:
        raise UsageError(str(exc)) from None


def _agent(settings: Settings, registry=None, memory=None, embedder=None):
    """The agent; `embedder` is shared with memory when there is one (one ONNX session)."""
    from .agent import Agent
    from .embeddings import optional_embedder
    from .llm import open_model
    from .prefix_cache import PrefixCache
    from .ranking import ToolRanker
    model = open_model(settings)
    cache = PrefixCache(model, settings.state_dir / "prefix" if settings.model.prefix_cache
                        else None)
    embedder = (embedder or optional_embedder(settings)) if settings.agent.rank_tools else None
    ranker = ToolRanker(embedder) if embedder else None
    return Agent(model, settings.agent, registry, cache, memory, ranker)


def _assistant(settings: Settings):
    """The agent of `ask` and `chat`: built-in tools plus memory and its tools."""
    from .embeddings import optional_embedder
    from .memory import Memory, register_memory_tools
    registry = _registry(settings)
    embedder = optional_embedder(settings)
    memory = Memory.open(settings, embedder)
    register_memory_tools(registry, memory)
    return _agent(settings, registry, memory, embedder)


def _emit(obj: dict, out: IO[str] = sys.stdout) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out.flush()


# -- plan -------------------------------------------------------------------------------------
def cmd_plan(args, settings: Settings) -> int:
    if bool(args.request) == bool(args.jsonl):
        raise UsageError("plan needs either a REQUEST or --jsonl IN (not both)")
    tools = _tools_from_file(args.tools, settings)
    if args.jsonl:
        source = (open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
                  if args.jsonl == "-" else _open_input(args.jsonl))
    agent = _agent(settings)
    if args.jsonl:
        for line_no, line in enumerate(source, 1):
            if line.strip():
                _emit(plan_line(agent, line, tools, line_no))
        return 0
    reply = plan_reply(agent, args.request, tools)
    if "error" in reply:
        print(f"edgeagent: {reply['error']['message']}", file=sys.stderr)
        return 1
    _emit(reply)
    return 0


def _open_input(path: str):
    try:  # a line with bad bytes gets an error reply, it does not end the batch
        return open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None


class LineError(Exception):
    def __init__(self, code: str, message: str, line_id=None):
        super().__init__(message)
        self.code, self.line_id = code, line_id


def parse_request_line(line: str, default_tools: list, line_no: int):
    """(id, request, history, tools) from one --jsonl line, or LineError saying what is wrong."""
    from .tools import ToolsFileError, tools_from_definitions
    if len(line.encode("utf-8", errors="replace")) > MAX_LINE_BYTES:
        raise LineError("payload_too_large", f"line {line_no} is larger than "
                        f"{MAX_LINE_BYTES} bytes")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError("invalid_json", f"line {line_no}: {exc.msg} at column {exc.colno}")
    except RecursionError:
        raise LineError("invalid_json", f"line {line_no}: nested too deeply")
    if not isinstance(obj, dict):
        raise LineError("invalid_request", f"line {line_no}: expected a JSON object")
    line_id = obj.get("id")
    history: list[tuple[str, str]] = []
    if isinstance(obj.get("request"), str) and obj["request"].strip():
        request = obj["request"]
    elif isinstance(obj.get("messages"), list) and obj["messages"]:
        msgs = obj["messages"]
        if not all(isinstance(m, dict) and isinstance(m.get("content"), str) for m in msgs):
            raise LineError("invalid_request",
                            f"line {line_no}: each message needs a string \"content\"", line_id)
        users = [i for i, m in enumerate(msgs) if m.get("role", "user") == "user"]
        if not users:
            raise LineError("invalid_request", f"line {line_no}: no user message", line_id)
        request = msgs[users[-1]]["content"]
        history = [("user" if m.get("role", "user") == "user" else "assistant", m["content"])
                   for m in msgs[:users[-1]] if m.get("role") in ("user", "assistant")]
    else:
        raise LineError("invalid_request",
                        f"line {line_no}: needs a non-empty \"request\" string or \"messages\"",
                        line_id)
    tools = default_tools
    if "tools" in obj:
        try:
            tools = tools_from_definitions(obj["tools"], f"line {line_no} tools")
        except ToolsFileError as exc:
            raise LineError("invalid_tools", str(exc), line_id)
    return line_id, request, history, tools


def plan_line(agent, line: str, default_tools: list, line_no: int) -> dict:
    try:
        obj_id, request, history, tools = parse_request_line(line, default_tools, line_no)
    except LineError as exc:
        return {"id": exc.line_id, "error": {"code": exc.code, "message": str(exc)}}
    return {"id": obj_id, **plan_reply(agent, request, tools, history)}


def plan_reply(agent, request: str, tools: list, history=()) -> dict:
    """The plan contract, or {"error": {"code", "message"}} for a request that cannot be
    planned; nothing a request carries may take the process down."""
    from .decoding import DecodeError
    from .llm import ContextOverflowError
    from .tools import ToolError
    codes = {ContextOverflowError: "context_overflow", DecodeError: "decode_error",
             ToolError: "invalid_call"}  # ToolError: a call that failed validation after decoding
    try:
        return agent.plan(request, tools, history).to_json()
    except tuple(codes) as exc:
        code = next(c for kind, c in codes.items() if isinstance(exc, kind))
        return {"error": {"code": code, "message": str(exc)}}


# -- ask / chat ---------------------------------------------------------------------------------
def cmd_ask(args, settings: Settings) -> int:
    agent = _assistant(settings)
    result = agent.run(args.request, session="ask")
    if args.verbose:
        for step in result.steps:
            print(f"> {json.dumps(step.call)} -> {agent.observation(step)}", file=sys.stderr)
    print(result.answer)
    return 0


def cmd_chat(args, settings: Settings) -> int:
    agent = _assistant(settings)
    session = f"chat-{int(time.time())}"
    history: list[tuple[str, str]] = []
    print("edgeagent chat (offline). Empty line or Ctrl-D to quit.")
    while True:
        try:
            line = input("you> ").strip()
        except EOFError:
            print()
            return 0
        if not line:
            return 0
        result = agent.run(line, history=history[-6:], session=session)
        for step in result.steps:
            print(f"  [{step.call['name']}] {agent.observation(step)[:200]}")
        print(f"agent> {result.answer}")
        history += [("user", line), ("assistant", result.answer)]


# -- tools / models / config / doctor ------------------------------------------------------------
def cmd_tools(args, settings: Settings) -> int:
    from .prompt import type_hint
    for tool in _tools_from_file(args.tools, settings):
        props = tool.parameters.get("properties", {})
        required = set(tool.parameters.get("required", []))
        params = ", ".join(f"{n}: {type_hint(s)}" + ("" if n in required else "?")
                           for n, s in props.items())
        print(f"{tool.name}({params})  [{tool.permission.value}]  {tool.description}")
    return 0


def cmd_models(args, settings: Settings) -> int:
    from . import models
    default, entries = models.load_manifest()
    if args.action == "list":
        for e in entries.values():
            path = e.path(settings)
            state = "installed" if path.exists() else "not installed"
            mark = "*" if e.name == default else " "
            print(f"{mark} {e.name:18} {e.kind:9} {e.quantization:7} {e.size / 1e6:7.1f} MB  "
                  f"{state:13}  {e.file}  (from PyPI {e.source['package']})")
        return 0
    if args.action == "path":
        if not args.name:
            raise UsageError("models path needs a NAME")
        print(models.get_entry(args.name).path(settings))
        return 0
    # install with no NAME: what the default setup uses (the LLM and the embedding model)
    names = [args.name] if args.name else (
        [default, "use-multilingual"] if args.action == "install" else
        [n for n, e in entries.items() if e.path(settings).exists()] or [default])
    failed = 0
    for name in names:
        entry = models.get_entry(name)
        try:
            if args.action == "install":
                path = models.install(entry, settings)
                print(f"{name}: installed at {path} (sha256 verified)")
            else:
                models.verify_file(entry, entry.path(settings))
                print(f"{name}: ok ({entry.path(settings)}, sha256 {entry.sha256[:12]}...)")
        except ModelError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def cmd_config(args, settings: Settings) -> int:
    print(settings.show())
    return 0


def cmd_doctor(args, settings: Settings) -> int:
    import psutil

    from . import models
    from .llm import LocalModel, default_threads
    problems = 0

    def report(ok: bool, what: str, fix: str = "") -> None:
        nonlocal problems
        problems += not ok
        print(f"[{'ok' if ok else 'FAIL'}] {what}" + ("" if ok else f"\n       fix: {fix}"))

    report(True, f"config: state_dir {settings.state_dir}, model {settings.model.name}")
    try:
        if settings.model.path:
            path = models.resolve(settings)
            report(True, f"model file {path} (custom path; sha256 not in the manifest)")
        else:
            entry = models.get_entry(settings.model.name)
            path = entry.path(settings)
            models.verify_file(entry, path)
            report(True, f"model file {path} ({entry.size / 1e6:.0f} MB, sha256 matches)")
    except ModelError as exc:
        report(False, str(exc), f"edgeagent models install {settings.model.name}")
        path = None
    threads = settings.model.n_threads or default_threads()
    report(True, f"threads: {threads} (physical cores {psutil.cpu_count(logical=False)}, "
                 f"logical {psutil.cpu_count()})")
    mem = psutil.virtual_memory()
    need = (path.stat().st_size if path else 0) + 300 * 2**20
    report(mem.available > need, f"free memory {mem.available / 2**20:.0f} MiB "
           f"(model + context need about {need / 2**20:.0f} MiB)",
           "stop other services or use a smaller model / model.n_ctx")
    free = shutil.disk_usage(settings.state_dir if settings.state_dir.exists()
                             else Path.home()).free
    report(free > 200 * 2**20, f"free disk {free / 2**30:.1f} GiB for the state directory",
           "free space on the state directory's disk")
    if path:
        try:
            t = time.perf_counter()
            model = LocalModel(path, n_ctx=min(settings.model.n_ctx, 512), n_threads=threads)
            load_s = time.perf_counter() - t
            t = time.perf_counter()
            model.set_prompt([model.bos] + model.tokenize("Hello"))
            report(True, f"llama.cpp loads the model in {load_s:.2f} s and evaluates "
                         f"({(time.perf_counter() - t) * 1000:.0f} ms for a 2-token prompt)")
        except Exception as exc:  # any llama.cpp failure is what doctor exists to report
            report(False, f"llama.cpp could not load {path}: {exc}",
                   "reinstall llama-cpp-python, or check the file is a GGUF model")
    print("all checks passed" if not problems else f"{problems} problem(s) found")
    return 1 if problems else 0


def cmd_eval(args, settings: Settings) -> int:
    from .bfcl import CATEGORIES
    from .evaluate import evaluate, format_table
    categories = list(CATEGORIES) if args.category == "all" else args.category.split(",")
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise UsageError(f"unknown BFCL category {unknown[0]!r} (known: {', '.join(CATEGORIES)})")
    if not Path(args.data).is_dir():
        raise UsageError(f"{args.data}: not a directory")
    agent = _agent(settings)
    out_path = Path(args.out) if args.out else (
        settings.state_dir / "eval" / f"bfcl-{settings.model.name}-{int(time.time())}.jsonl")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    summaries = []
    with out_path.open("w") as out:
        for category in categories:
            summaries.append(evaluate(agent, args.data, category, args.limit, out))
            print(json.dumps(summaries[-1]), file=sys.stderr)
    print(format_table(summaries))
    print(f"per-item results: {out_path}")
    return 0


def cmd_memory(args, settings: Settings) -> int:
    from .memory_cli import run_memory_command
    return run_memory_command(args, settings)


COMMANDS = {"plan": cmd_plan, "ask": cmd_ask, "chat": cmd_chat, "tools": cmd_tools,
            "models": cmd_models, "config": cmd_config, "doctor": cmd_doctor,
            "memory": cmd_memory, "eval": cmd_eval}


if __name__ == "__main__":
    sys.exit(main())
