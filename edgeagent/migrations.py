"""Schema migrations for the memory database: named functions, applied in order, each once, and
recorded in `_migrations`. Never edit or reorder a migration that has shipped; add a new one."""

from __future__ import annotations

import datetime
from typing import Callable

import sqlite_utils

MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = []
MIGRATIONS_TABLE = "_migrations"


def migration(fn: Callable[[sqlite_utils.Database], None]):
    """Register `fn` as the next migration; its name is its identity in `_migrations`."""
    if any(m.__name__ == fn.__name__ for m in MIGRATIONS):
        raise ValueError(f"duplicate migration name {fn.__name__}")
    MIGRATIONS.append(fn)
    return fn


def applied_migrations(db: sqlite_utils.Database) -> set[str]:
    if not db[MIGRATIONS_TABLE].exists():
        return set()
    return {row["name"] for row in db[MIGRATIONS_TABLE].rows}


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations; return the names applied now.

    Each migration and its record share one IMMEDIATE transaction: a process killed half-way
    leaves the migration unapplied and unrecorded, and a second process (daemon and CLI starting
    together) waits for the first and then sees its record instead of applying it twice."""
    if not MIGRATIONS or applied_migrations(db) >= {m.__name__ for m in MIGRATIONS}:
        return []  # the common case: no write lock taken
    applied_now = []
    for fn in MIGRATIONS:
        db.execute("BEGIN IMMEDIATE")
        try:
            _ensure_migrations_table(db)
            if fn.__name__ not in applied_migrations(db):
                fn(db)
                db[MIGRATIONS_TABLE].insert({
                    "name": fn.__name__,
                    "applied_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                })
                applied_now.append(fn.__name__)
            db.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.execute("ROLLBACK")
            raise
    return applied_now


def _ensure_migrations_table(db: sqlite_utils.Database) -> None:
    if not db[MIGRATIONS_TABLE].exists():
        db[MIGRATIONS_TABLE].create({"name": str, "applied_at": str}, pk="name")


def _enable_fts(db, table: str, column: str) -> None:
    """An FTS5 index over one column, with Porter stemming so "batteries" finds "battery".
    Triggers keep it in the same transaction as the row, so a kill can never leave the two out
    of step; the update trigger fires only when the text changes (touching a fact's timestamp
    must not re-index it)."""
    db[table].enable_fts([column], tokenize="porter", create_triggers=False)
    fts = f"{table}_fts"
    db.executescript(f"""
        CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN
          INSERT INTO {fts} (rowid, {column}) VALUES (new.id, new.{column});
        END;
        CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN
          INSERT INTO {fts} ({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});
        END;
        CREATE TRIGGER {table}_fts_au AFTER UPDATE OF {column} ON {table} BEGIN
          INSERT INTO {fts} ({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});
          INSERT INTO {fts} (rowid, {column}) VALUES (new.id, new.{column});
        END;""")


@migration
def m001_facts(db):
    # AUTOINCREMENT: ids are never reused, so a stale "#42" (from an old recall, a log, a second
    # writer) can never forget or update a newer fact. Times are unix seconds (REAL): retention
    # compares them and they sort without parsing.
    db.execute("""
        CREATE TABLE facts (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          content TEXT NOT NULL,
          hash TEXT NOT NULL,
          core INTEGER NOT NULL DEFAULT 0,
          source TEXT,
          created_at REAL NOT NULL,
          updated_at REAL NOT NULL
        )""")
    # The content hash is the de-duplication key: the same fact told twice is stored once.
    db["facts"].create_index(["hash"], unique=True)
    db["facts"].create_index(["core"])
    db["facts"].create_index(["updated_at"])
    _enable_fts(db, "facts", "content")


@migration
def m002_fact_vectors(db):
    # One vector per fact and model, float16 (1 KB at 512-d) to halve the size on an SD card.
    db["fact_vectors"].create(
        {"fact_id": int, "model": str, "vector": bytes},
        pk="fact_id",
        not_null={"model", "vector"},
    )
    # Deleting a fact deletes its vector whatever the foreign_keys pragma says.
    db.execute("""
        CREATE TRIGGER facts_vector_ad AFTER DELETE ON facts BEGIN
          DELETE FROM fact_vectors WHERE fact_id = old.id;
        END""")


@migration
def m003_sessions_and_turns(db):
    db["sessions"].create(
        {"id": str, "created_at": float, "updated_at": float},
        pk="id",
        not_null={"created_at", "updated_at"},
    )
    db["sessions"].create_index(["updated_at"])
    # decisions/calls/results are JSON; `text` is the rendering used in prompts and search.
    db["turns"].create(
        {"id": int, "session_id": str, "created_at": float, "request": str, "decisions": str,
         "calls": str, "results": str, "answer": str, "text": str, "tokens": int},
        pk="id",
        not_null={"session_id", "created_at", "text", "tokens"},
    )
    db["turns"].create_index(["session_id", "id"])
    db["turns"].create_index(["created_at"])
    _enable_fts(db, "turns", "text")
    # Compacted turns live on as extractive summaries, searchable like turns.
    db["summaries"].create(
        {"id": int, "session_id": str, "created_at": float, "first_turn_at": float,
         "last_turn_at": float, "turn_count": int, "text": str, "tokens": int},
        pk="id",
        not_null={"session_id", "created_at", "text", "tokens"},
    )
    db["summaries"].create_index(["session_id", "id"])
    db["summaries"].create_index(["created_at"])
    _enable_fts(db, "summaries", "text")
