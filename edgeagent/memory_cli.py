"""`edgeagent memory ...`: look at and edit the memory database from the shell (JSONL in and out).
Safe while the daemon runs: both sides use WAL and a busy timeout."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import sys
from typing import IO

from .models import ModelError


def add_memory_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("memory", help="list, search and edit the agent's memory",
                                   description="List, search and edit the agent's memory.")
    commands = parser.add_subparsers(dest="memory_command", metavar="COMMAND")
    commands.required = True

    listing = commands.add_parser("list", help="facts, most recently updated first")
    listing.add_argument("--core", action="store_true", help="only core facts")
    listing.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")

    search = commands.add_parser("search", help="facts relevant to a query")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=5)
    search.add_argument("--mode", choices=["hybrid", "fts", "vector"], default="hybrid",
                        help="hybrid (default; keywords only without the embedding model), "
                             "fts or vector")
    search.add_argument("--json", action="store_true", help="one JSON object per line")

    add = commands.add_parser("add", help="remember a fact")
    add.add_argument("text")
    add.add_argument("--core", action="store_true",
                     help="a core fact: in every prompt (device role, site, owner preferences)")

    forget = commands.add_parser("forget", help="delete a fact by id")
    forget.add_argument("id", type=int)

    commands.add_parser("stats", help="counts and sizes")

    export = commands.add_parser("export", help="write facts as JSONL")
    export.add_argument("file", nargs="?", default="-", help="output file, or - (default)")
    export.add_argument("--turns", action="store_true",
                        help="also export conversation turns and summaries")

    load = commands.add_parser("import", help="add facts (and turns) from JSONL")
    load.add_argument("file", help="input file, or - for standard input")

    commands.add_parser("compact", help="apply retention now and rewrite the file (VACUUM)")
    return parser


class UsageError(ValueError):
    pass


def run_memory_command(args: argparse.Namespace, settings, out: IO[str] | None = None,
                       err: IO[str] | None = None) -> int:
    """Run `edgeagent memory <command>`: 0 ok, 2 usage error (one line), 1 runtime failure."""
    out, err = out or sys.stdout, err or sys.stderr
    command = getattr(args, "memory_command", None)
    try:
        if command == "import":
            records = _read_jsonl(args.file)  # before opening: a bad file changes nothing
        memory = _open(settings)
    except UsageError as exc:
        print(f"edgeagent memory: {exc}", file=err)
        return 2
    except Exception as exc:
        print(f"edgeagent memory: cannot open memory: {exc}", file=err)
        return 1
    try:
        with memory:
            if command == "list":
                for fact in memory.facts(limit=args.limit, core=True if args.core else None):
                    _print_fact(fact, args.json, out)
            elif command == "search":
                for fact in memory.search(args.query, limit=args.limit, mode=args.mode,
                                          min_similarity=memory.settings.min_similarity):
                    _print_fact(fact, args.json, out)
            elif command == "add":
                fact = memory.remember(args.text, core=args.core, source="cli")
                print(f"{fact.id}" + ("" if fact.is_new else " (already known)"), file=out)
            elif command == "forget":
                if not memory.forget(args.id):
                    print(f"edgeagent memory: no fact #{args.id}", file=err)
                    return 1
                print(f"forgot {args.id}", file=out)
            elif command == "stats":
                for key, value in memory.stats().items():
                    print(f"{key}: {value}", file=out)
            elif command == "export":
                _write_jsonl(memory.export_records(include_turns=args.turns), args.file, out)
            elif command == "import":
                counts = memory.import_records(records)
                memory.maintain()
                print(", ".join(f"{v} {k}" for k, v in counts.items()), file=out)
            elif command == "compact":
                removed = memory.maintain(full=True)
                print("removed " + ", ".join(f"{v} {k}" for k, v in removed.items()), file=out)
            else:
                print("edgeagent memory: a command is required "
                      "(list, search, add, forget, stats, export, import, compact)", file=err)
                return 2
    except (UsageError, ValueError) as exc:  # bad text, limits, unknown mode
        print(f"edgeagent memory: {exc}", file=err)
        return 2
    except (ModelError, OSError) as exc:
        print(f"edgeagent memory: {exc}", file=err)
        return 1
    except Exception as exc:  # sqlite errors and the like: say what, no traceback
        print(f"edgeagent memory: {type(exc).__name__}: {exc}", file=err)
        return 1
    return 0


def _open(settings):
    from .embeddings import optional_embedder
    from .memory import Memory

    # The embedder loads its model on first use, so list/stats/forget stay instant.
    return Memory.open(settings, embedder=optional_embedder(settings))


def _print_fact(fact, as_json: bool, out: IO[str]) -> None:
    if as_json:
        record = fact.to_record()
        if fact.score:
            record["score"] = round(fact.score, 4)
        print(json.dumps(record, ensure_ascii=False), file=out)
        return
    when = datetime.datetime.fromtimestamp(fact.updated_at).strftime("%Y-%m-%d %H:%M")
    print(f"{fact.id}\t{'core' if fact.core else '-'}\t{when}\t{fact.content}", file=out)


def _read_jsonl(name: str) -> list[dict]:
    from .memory import record_problem

    try:
        stream = sys.stdin if name == "-" else open(name, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror}") from None
    records = []
    with stream if name != "-" else contextlib.nullcontext(stream):
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{name} line {n}: not valid JSON ({exc.msg})") from None
            problem = record_problem(record)
            if problem:
                raise UsageError(f"{name} line {n}: {problem}")
            records.append(record)
    return records


def _write_lines(records, stream: IO[str]) -> None:
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")


def _write_jsonl(records, name: str, out: IO[str]) -> None:
    if name == "-":
        _write_lines(records, out)
        return
    # Write beside the target and rename: an interrupted export never leaves half a file.
    tmp = f"{name}.part"
    try:
        with open(tmp, "w", encoding="utf-8") as stream:
            _write_lines(records, stream)
        os.replace(tmp, name)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
