"""Memory in one SQLite file: short-term (sessions and their turns, compacted into extractive
summaries) and long-term (facts found by FTS5/BM25 and by embedding vectors, fused by reciprocal
rank). `context_for()` is the text block the agent puts in the prompt's dynamic suffix.

Durability: WAL journal, a busy timeout so the daemon and the CLI can share the file, and every
write in one BEGIN IMMEDIATE transaction (a fact, its FTS entry and its vector commit together or
not at all). `synchronous` defaults to FULL: in WAL mode NORMAL already keeps every committed
transaction when the *process* is killed (the WAL is in the OS page cache), but a board also loses
power, and only FULL fsyncs the WAL at each commit. Writes here are a few per request, so the fsync
is cheap next to the model; set NORMAL for bulk loads on a UPS-backed machine.
"""

import hashlib
import json
import logging
import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any, Callable, Iterable, Iterator, Literal, Optional

import numpy as np
import sqlite_utils
from pydantic import Field

from .config import MemorySettings
from .embeddings import EmbeddingError
from .migrations import migrate

log = logging.getLogger(__name__)
_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        log.warning(message)


DAY = 86400.0
RRF_K = 60  # the usual reciprocal-rank-fusion constant: damps the head of each list
SearchMode = Literal["hybrid", "fts", "vector"]


class FactNotFound(KeyError):
    def __str__(self) -> str:
        return f"no fact #{self.args[0]}"


class MemoryLimitError(ValueError):
    """A write that would break a configured bound (core facts, fact length)."""


def approx_tokens(text: str) -> int:
    return len(text) // 4 + 1


def normalize_content(text: str) -> str:
    return " ".join(str(text).split())


def content_hash(text: str) -> str:
    """Two facts that differ only in case, spacing or a final full stop are the same fact."""
    key = normalize_content(text).casefold().rstrip(" .!")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass
class Fact:
    id: int
    content: str
    core: bool
    source: Optional[str]
    created_at: float
    updated_at: float
    score: float = 0.0
    is_new: bool = False  # set by remember(): False when the fact was already known

    @classmethod
    def from_row(cls, row: dict, **extra) -> "Fact":
        return cls(id=row["id"], content=row["content"], core=bool(row["core"]),
                   source=row["source"], created_at=row["created_at"],
                   updated_at=row["updated_at"], **extra)

    def to_record(self) -> dict:
        record = {"type": "fact", **asdict(self)}
        del record["score"], record["is_new"]
        return record


# Words that match almost every fact and only slow an OR query down.
STOPWORDS = frozenset("""
a an and are as at be been but by can could did do does for from had has have how i if in into is
it its me my no not of on or our please should so that the their them then there these they this
to was we were what when where which who why will with would you your about any some tell know
""".split())
_WORD = re.compile(r"\w+")


def fts_terms(text: str, max_terms: int = 16) -> list[str]:
    """The request's content words as quoted FTS5 strings (so user text can never be FTS
    syntax), in order, without stop words and repeats."""
    words: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()) or word in words:
            continue
        words.append(word)
    return [f'"{w}"' for w in words[:max_terms]]


def fts_query(text: str, max_terms: int = 16) -> str | None:
    """An FTS5 query that ORs the request's content words; None when none are left."""
    return " OR ".join(fts_terms(text, max_terms)) or None


# BM25 costs ~1.7 us per matching row here, and an OR query scores every row that has any of
# its words: "robot" alone matches a third of 100k facts (58 ms). So words matching more than
# COMMON_TERM_ROWS rows are dropped when rarer words are there (their IDF adds little), and the
# rarest words are kept while their matches stay under SCORED_ROWS.
COMMON_TERM_ROWS = 2000
SCORED_ROWS = 4000


def rrf(*rankings: list[int], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: ids ranked by the sum of 1/(k + rank) over the lists."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


class VectorIndex:
    """All fact vectors of one model as a float32 matrix in RAM (200 MB at 100k facts, 40 MB at
    the default 20k): an exact scan is one matrix-vector product (~10 ms at 100k on one core),
    and appends are amortized."""

    def __init__(self, ids: np.ndarray, matrix: np.ndarray):
        self._ids = np.array(ids, dtype=np.int64)
        self._matrix = np.array(matrix, dtype=np.float32).reshape(len(self._ids), -1)
        self._n = len(self._ids)
        self._position = {int(fact_id): i for i, fact_id in enumerate(self._ids)}

    def __len__(self) -> int:
        return self._n

    def add(self, fact_id: int, vector: np.ndarray) -> None:
        if fact_id in self._position:
            self._matrix[self._position[fact_id]] = vector
            return
        if self._n == len(self._ids):  # grow by half: O(1) amortized appends
            capacity = max(16, self._n + self._n // 2)
            ids, matrix = np.empty(capacity, np.int64), np.empty(
                (capacity, len(vector)), np.float32)
            ids[:self._n], matrix[:self._n] = self._ids[:self._n], self._matrix[:self._n]
            self._ids, self._matrix = ids, matrix
        self._ids[self._n], self._matrix[self._n] = fact_id, vector
        self._position[fact_id] = self._n
        self._n += 1

    def remove(self, fact_id: int) -> None:
        i = self._position.pop(fact_id, None)
        if i is None:
            return
        last = self._n - 1
        if i != last:  # move the last row into the hole
            self._ids[i], self._matrix[i] = self._ids[last], self._matrix[last]
            self._position[int(self._ids[i])] = i
        self._n -= 1

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if self._n == 0 or k <= 0:
            return []
        # einsum runs numpy's own single-threaded SIMD loop, not BLAS: measured here it scans
        # 100k x 512 in ~10 ms against ~20 ms for OpenBLAS gemv, and it starts no BLAS threads
        # that would spin against onnxruntime and llama.cpp on a 2-core board.
        scores = np.einsum("ij,j->i", self._matrix[:self._n], query, optimize=False)
        k = min(k, self._n)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self._ids[i]), float(scores[i])) for i in top]


class Memory:
    """The agent's memory. Thread-safe (tools run in worker threads): one connection, one lock."""

    def __init__(self, path: str | Path, settings: MemorySettings | None = None,
                 embedder=None, count_tokens: Callable[[str], int] | None = None,
                 clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.settings = settings or MemorySettings()
        self.embedder = embedder  # None: keyword search only
        self.count_tokens = count_tokens or approx_tokens
        self.clock = clock
        self._lock = threading.RLock()
        self._vectors: VectorIndex | None = None
        self._vectors_version: int | None = None
        self._writes = 0
        self.db = self._connect()
        migrate(self.db)

    @classmethod
    def open(cls, settings, embedder=None, count_tokens: Callable[[str], int] | None = None,
             **kwargs) -> "Memory":
        """The memory database in `settings.state_dir`, configured by `settings.memory`."""
        memory_settings = getattr(settings, "memory", None) or MemorySettings()
        return cls(Path(settings.state_dir) / memory_settings.db_file, memory_settings,
                   embedder, count_tokens, **kwargs)

    def _connect(self) -> sqlite_utils.Database:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are ours (BEGIN IMMEDIATE), never implicit.
        conn = sqlite3.connect(str(self.path), timeout=self.settings.busy_timeout_ms / 1000,
                               isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {self.settings.busy_timeout_ms}")
        if conn.execute("PRAGMA page_count").fetchone()[0] == 0:
            # Only settable before the first table: lets maintenance hand freed pages back to
            # the file system without rewriting the whole file (VACUUM needs 2x the space).
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise sqlite3.OperationalError(f"{self.path}: cannot use WAL journal (got {mode})")
        conn.execute(f"PRAGMA synchronous = {self.settings.synchronous}")
        # After a checkpoint the WAL file is cut back to this size instead of staying at its peak.
        conn.execute("PRAGMA journal_size_limit = 4194304")
        return sqlite_utils.Database(conn)

    def close(self) -> None:
        with self._lock:
            try:
                self.db.conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
            self.db.close()

    def __enter__(self) -> "Memory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: it takes the write lock up front, so the busy timeout
        applies instead of a read-then-write upgrade failing with SQLITE_BUSY."""
        with self._lock:
            conn = self.db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                self._vectors = None  # the cache may hold rolled-back rows
                raise

    def _query(self, sql: str, params: Iterable = ()) -> list[dict]:
        with self._lock:
            cursor = self.db.conn.execute(sql, tuple(params))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def _rows_by_id(self, table: str, ids: list[int]) -> dict[int, dict]:
        return {r["id"]: r for r in self._query(
            f"SELECT * FROM {table} WHERE id IN ({','.join('?' * len(ids))})", ids)}

    def _after_write(self) -> None:
        self._writes += 1
        if self._writes % self.settings.maintenance_every == 0:
            self.maintain()

    # ---- long-term memory: facts -------------------------------------------------------------

    def _check_content(self, content: str) -> str:
        content = normalize_content(content)
        if not content:
            raise ValueError("a fact cannot be empty")
        if len(content) > self.settings.fact_max_chars:
            raise MemoryLimitError(
                f"a fact is at most {self.settings.fact_max_chars} characters "
                f"(got {len(content)}); store the essential sentence")
        return content

    def _check_core_room(self, conn: sqlite3.Connection) -> None:
        count = conn.execute("SELECT count(*) FROM facts WHERE core = 1").fetchone()[0]
        if count >= self.settings.core_facts_limit:
            raise MemoryLimitError(
                f"core facts are limited to {self.settings.core_facts_limit}; "
                "forget or demote one first")

    def _embed(self, texts: list[str]) -> np.ndarray | None:
        """Vectors for new text, or None: a fact is stored without its vector rather than lost
        when the model is missing or broken (a later search fills the vector in)."""
        if self.embedder is None or not texts:
            return None
        try:
            return self.embedder.embed(texts)
        except EmbeddingError as exc:
            _warn_once(f"facts are stored without vectors: {exc}")
            return None

    def _store_vector(self, conn: sqlite3.Connection, fact_id: int, vector: np.ndarray) -> None:
        conn.execute("INSERT OR REPLACE INTO fact_vectors (fact_id, model, vector) "
                     "VALUES (?, ?, ?)",
                     (fact_id, self.embedder.name, vector.astype(np.float16).tobytes()))

    def _cache_vector(self, fact_id: int, vector: np.ndarray) -> None:
        # Rounded like the stored copy, so results do not depend on when the matrix was loaded.
        if self._vectors is not None:
            self._vectors.add(fact_id, vector.astype(np.float16).astype(np.float32))

    def remember(self, content: str, core: bool = False, source: str | None = "agent") -> Fact:
        """Store a fact, or touch the existing one with the same content hash (its `is_new` is
        then False). `core=True` marks it as always in the prompt (and promotes a known fact)."""
        content = self._check_content(content)
        digest = content_hash(content)
        vectors = self._embed([content])  # before the lock: embedding takes milliseconds
        now = self.clock()
        with self._write() as conn:
            row = conn.execute("SELECT id, core FROM facts WHERE hash = ?", (digest,)).fetchone()
            if row is not None:
                fact_id, is_new = row[0], False
                if core and not row[1]:
                    self._check_core_room(conn)
                conn.execute("UPDATE facts SET updated_at = ?, core = max(core, ?) WHERE id = ?",
                             (now, int(core), fact_id))
            else:
                if core:
                    self._check_core_room(conn)
                fact_id, is_new = conn.execute(
                    "INSERT INTO facts (content, hash, core, source, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (content, digest, int(core), source, now, now)).lastrowid, True
            if vectors is not None:
                self._store_vector(conn, fact_id, vectors[0])
        if vectors is not None:
            with self._lock:
                self._cache_vector(fact_id, vectors[0])
        self._after_write()
        fact = self.get(fact_id)
        fact.is_new = is_new
        return fact

    def update(self, fact_id: int, content: str | None = None, core: bool | None = None) -> Fact:
        """Change a fact's text and/or core flag. New text equal to another fact merges the two:
        the other one is kept (and returned), this one goes."""
        current = self.get(fact_id)
        if current is None:
            raise FactNotFound(fact_id)
        new_content = current.content if content is None else self._check_content(content)
        changed = new_content != current.content
        vectors = self._embed([new_content]) if changed else None
        digest = content_hash(new_content)
        now = self.clock()
        keep_id = fact_id
        with self._write() as conn:
            twin = conn.execute("SELECT id, core FROM facts WHERE hash = ? AND id != ?",
                                (digest, fact_id)).fetchone()
            want_core = current.core if core is None else core
            if twin is not None:
                keep_id = twin[0]
                conn.execute("DELETE FROM facts WHERE id = ?", (fact_id,))
                if want_core and not twin[1]:
                    self._check_core_room(conn)
                conn.execute("UPDATE facts SET updated_at = ?, core = max(core, ?) WHERE id = ?",
                             (now, int(want_core), keep_id))
            else:
                if want_core and not current.core:
                    self._check_core_room(conn)
                conn.execute("UPDATE facts SET content = ?, hash = ?, core = ?, updated_at = ? "
                             "WHERE id = ?", (new_content, digest, int(want_core), now, fact_id))
                if vectors is not None:
                    self._store_vector(conn, fact_id, vectors[0])
        with self._lock:
            if keep_id != fact_id and self._vectors is not None:
                self._vectors.remove(fact_id)
            elif vectors is not None:
                self._cache_vector(fact_id, vectors[0])
        self._after_write()
        return self.get(keep_id)

    def forget(self, fact_id: int) -> bool:
        """Delete a fact (its search entry and vector go with it); False if there was none."""
        with self._write() as conn:
            deleted = conn.execute("DELETE FROM facts WHERE id = ?", (fact_id,)).rowcount > 0
        with self._lock:
            if deleted and self._vectors is not None:
                self._vectors.remove(fact_id)
        return deleted

    def get(self, fact_id: int) -> Fact | None:
        rows = self._query("SELECT * FROM facts WHERE id = ?", (fact_id,))
        return Fact.from_row(rows[0]) if rows else None

    def facts(self, limit: int | None = None, offset: int = 0, core: bool | None = None
              ) -> list[Fact]:
        """Facts, most recently updated first."""
        where = "" if core is None else f"WHERE core = {int(core)}"
        rows = self._query(f"SELECT * FROM facts {where} ORDER BY updated_at DESC, id DESC "
                           "LIMIT ? OFFSET ?", (-1 if limit is None else limit, offset))
        return [Fact.from_row(r) for r in rows]

    def core_facts(self) -> list[Fact]:
        rows = self._query("SELECT * FROM facts WHERE core = 1 ORDER BY id LIMIT ?",
                           (self.settings.core_facts_limit,))
        return [Fact.from_row(r) for r in rows]

    def _fts_ids(self, table: str, query: str, limit: int) -> list[int]:
        """Row ids of `table` ranked by BM25 for the words of `query`, with a bounded cost."""
        terms = fts_terms(query)
        if not terms:
            return []
        fts = f"{table}_fts"
        with self._lock:
            conn = self.db.conn

            def matches(match: str, cap: int) -> int:  # stops counting at cap: cheap
                return conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} "
                                    "MATCH ? LIMIT ?)", (match, cap)).fetchone()[0]

            counts = {term: matches(term, COMMON_TERM_ROWS + 1) for term in terms}
            chosen, scored = [], 0
            for term in sorted((t for t in terms if 0 < counts[t] <= COMMON_TERM_ROWS),
                               key=counts.get):
                if chosen and scored + counts[term] > SCORED_ROWS:
                    break
                chosen.append(term)
                scored += counts[term]
            order = "rank"
            if not chosen:  # every word that matches is common: require all of them
                chosen = [t for t in terms if counts[t]]
                if not chosen:
                    return []
                match = " AND ".join(chosen)
                if matches(match, SCORED_ROWS + 1) > SCORED_ROWS:
                    order = "rowid DESC"  # too many to score: the newest of them
            else:
                match = " OR ".join(chosen)
            rows = conn.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY {order} "
                                "LIMIT ?", (match, limit)).fetchall()
        return [r[0] for r in rows]

    def _vector_index(self) -> VectorIndex | None:
        """The in-RAM matrix, reloaded when another connection (the CLI, another process) has
        committed since it was built; our own writes update it in place."""
        if self.embedder is None:
            return None
        with self._lock:
            version = self.db.conn.execute("PRAGMA data_version").fetchone()[0]
            if self._vectors is not None and version == self._vectors_version:
                return self._vectors
            self.backfill_vectors()
            rows = self.db.conn.execute("SELECT fact_id, vector FROM fact_vectors WHERE model = ?",
                                        (self.embedder.name,)).fetchall()
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16)
            self._vectors = VectorIndex(ids, matrix.reshape(len(rows), -1).astype(np.float32))
            self._vectors_version = version
            return self._vectors

    def backfill_vectors(self, batch: int = 256) -> int:
        """Embed facts that have no vector from this model (stored while the model was absent,
        or by another model); returns how many."""
        if self.embedder is None:
            return 0
        done, after = 0, -1
        while True:  # keyset pagination: each batch starts where the last one ended
            rows = self._query(
                "SELECT f.id, f.content FROM facts f LEFT JOIN fact_vectors v ON v.fact_id = f.id "
                "AND v.model = ? WHERE v.fact_id IS NULL AND f.id > ? ORDER BY f.id LIMIT ?",
                (self.embedder.name, after, batch))
            if not rows:
                return done
            vectors = self.embedder.embed([r["content"] for r in rows])
            with self._write() as conn:
                for row, vector in zip(rows, vectors):
                    self._store_vector(conn, row["id"], vector)
            done, after = done + len(rows), rows[-1]["id"]

    def search(self, query: str, limit: int = 5, mode: SearchMode = "hybrid",
               min_similarity: float | None = None) -> list[Fact]:
        """Facts relevant to `query`, best first. hybrid = FTS5 (BM25) and vectors fused by
        reciprocal rank; without an embedder every mode but "vector" falls back to FTS.
        `min_similarity` drops vector matches below that cosine (keyword matches stay)."""
        if mode not in ("hybrid", "fts", "vector"):
            raise ValueError(f"unknown search mode {mode!r} (hybrid, fts or vector)")
        if mode == "vector" and self.embedder is None:
            raise ValueError("vector search needs the embedding model "
                             "(run `edgeagent models install use-multilingual`)")
        if mode == "hybrid" and self.embedder is None:
            mode = "fts"
        pool = max(limit * 4, 20)  # each list looks deeper than the answer so fusion can rerank
        keyword = self._fts_ids("facts", query, pool) if mode != "vector" else []
        semantic: list[tuple[int, float]] = []
        if mode != "fts":
            vector = None
            try:
                vector = self.embedder.embed_one(query)
            except EmbeddingError as exc:
                if mode == "vector":
                    raise
                _warn_once(f"memory search is keyword-only: {exc}")
            if vector is not None:
                with self._lock:  # the matrix may grow or shrink under a concurrent write
                    semantic = self._vector_index().search(vector, pool)
            if min_similarity is not None:
                semantic = [(fid, sim) for fid, sim in semantic if sim >= min_similarity]
        if mode == "fts":
            ranked = [(fid, 1.0 / (RRF_K + i + 1)) for i, fid in enumerate(keyword)]
        elif mode == "vector":
            ranked = semantic
        else:
            ranked = rrf(keyword, [fid for fid, _ in semantic])
        ranked = ranked[:limit]
        if not ranked:
            return []
        rows = self._rows_by_id("facts", [fid for fid, _ in ranked])
        # A fact deleted by another process since the matrix was built is simply skipped.
        return [Fact.from_row(rows[fid], score=score) for fid, score in ranked if fid in rows]

    # ---- short-term memory: sessions and turns -----------------------------------------------

    def record_turn(self, session: str | None, request: str, decisions: Any = None,
                    calls: list | None = None, results: list | None = None,
                    answer: str | None = None) -> int:
        """Store one request/response cycle; compacts the session's oldest turns into a summary
        when its live turns outgrow `turn_budget_tokens`. Returns the turn id."""
        session = session or "default"
        text = render_turn(request, calls or [], results or [], answer)
        now = self.clock()
        with self._write() as conn:
            conn.execute("INSERT INTO sessions (id, created_at, updated_at) VALUES (?, ?, ?) "
                         "ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at",
                         (session, now, now))
            turn_id = conn.execute(
                "INSERT INTO turns (session_id, created_at, request, decisions, calls, results, "
                "answer, text, tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session, now, request, _json(decisions), _json(calls), _json(results), answer,
                 text, self.count_tokens(text))).lastrowid
            self._compact_session(conn, session)
        self._after_write()
        return turn_id

    def _compact_session(self, conn: sqlite3.Connection, session: str) -> int:
        """Fold the oldest turns into an extractive summary until the live turns use at most
        half the budget (the slack means compaction runs every few turns, not on every one)."""
        rows = conn.execute("SELECT id, created_at, request, calls, answer, tokens FROM turns "
                            "WHERE session_id = ? ORDER BY id", (session,)).fetchall()
        total = sum(r[5] for r in rows)
        if total <= self.settings.turn_budget_tokens:
            return 0
        folded = []
        while (total > self.settings.turn_budget_tokens // 2
               and len(rows) - len(folded) > self.settings.keep_recent_turns):
            folded.append(rows[len(folded)])
            total -= folded[-1][5]
        if not folded:
            return 0
        text = "\n".join(summarize_turn(r[2], json.loads(r[3] or "[]"), r[4]) for r in folded)
        conn.execute(
            "INSERT INTO summaries (session_id, created_at, first_turn_at, last_turn_at, "
            "turn_count, text, tokens) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (session, self.clock(), folded[0][1], folded[-1][1], len(folded), text,
             self.count_tokens(text)))
        conn.executemany("DELETE FROM turns WHERE id = ?", [(r[0],) for r in folded])
        return len(folded)

    def recent_turns(self, session: str, limit: int = 8) -> list[dict]:
        """The session's live turns, oldest first."""
        rows = self._query("SELECT * FROM turns WHERE session_id = ? ORDER BY id DESC LIMIT ?",
                           (session, limit))
        return [_turn_from_row(r) for r in reversed(rows)]

    def summaries(self, session: str, limit: int = 8) -> list[dict]:
        """The session's summaries of compacted turns, oldest first."""
        rows = self._query("SELECT * FROM summaries WHERE session_id = ? ORDER BY id DESC "
                           "LIMIT ?", (session, limit))
        return list(reversed(rows))

    def search_turns(self, query: str, limit: int = 5) -> list[dict]:
        """Past turns and summaries relevant to `query` (each dict has a "kind"), best first."""
        pool = max(limit * 4, 20)
        rankings, found = [], {}
        for kind, table in (("turn", "turns"), ("summary", "summaries")):
            ids = self._fts_ids(table, query, pool)
            if not ids:
                rankings.append([])
                continue
            rows = self._rows_by_id(table, ids)
            keys = []
            for row_id in ids:
                row = rows.get(row_id)
                if row is None:
                    continue
                key = f"{kind}:{row_id}"
                found[key] = {"kind": kind, **(_turn_from_row(row) if kind == "turn" else row)}
                keys.append(key)
            rankings.append(keys)
        return [found[key] for key, _ in rrf(*rankings)[:limit]]

    # ---- the prompt block --------------------------------------------------------------------

    def context_for(self, request: str, session: str | None = None,
                    budget_tokens: int | None = None) -> str:
        """The memory block for the prompt's dynamic suffix, within `budget_tokens`: core facts,
        the facts most relevant to `request`, the session's recent turns and its latest summary,
        and related past turns. Filled in that order of priority; "" when there is nothing."""
        budget = self.settings.prompt_budget_tokens if budget_tokens is None else budget_tokens
        sections: dict[str, list[str]] = {}
        used = 0

        def offer(title: str, line: str) -> bool:
            nonlocal used
            cost = self.count_tokens(line) + (0 if title in sections else
                                              self.count_tokens(title) + 1)
            if used + cost > budget:
                return False
            sections.setdefault(title, []).append(line)
            used += cost
            return True

        core = self.core_facts()
        for fact in core:
            offer("Known facts:", f"- {fact.content}")
        shown = {f.id for f in core}
        if request.strip():
            for fact in self.search(request, limit=self.settings.recall_k,
                                    min_similarity=self.settings.min_similarity):
                if fact.id not in shown:
                    offer("Relevant memories:", f"- {fact.content}")
                    shown.add(fact.id)
        recent: list[dict] = []
        shown_turns: set[str] = set()
        if session:
            for turn in reversed(self.recent_turns(session, limit=4)):
                if not offer("Recent turns:", turn["text"]):
                    break
                recent.append(turn)
                shown_turns.add(f"turn:{turn['id']}")
            for summary in self.summaries(session, limit=1):
                if offer("Earlier in this conversation:", summary["text"]):
                    shown_turns.add(f"summary:{summary['id']}")
        if request.strip():
            for item in self.search_turns(request, limit=3):
                key = f"{item['kind']}:{item['id']}"
                if key not in shown_turns:
                    offer("Related past conversation:", item["text"])
        if "Recent turns:" in sections:  # newest was offered first; show them in order
            sections["Recent turns:"].reverse()
        order = ["Known facts:", "Relevant memories:", "Earlier in this conversation:",
                 "Related past conversation:", "Recent turns:"]
        blocks = [title + "\n" + "\n".join(sections[title]) for title in order
                  if title in sections]
        text = "\n\n".join(blocks)
        # Real tokenizers are not additive: cut whole lines from the end until it fits.
        while text and self.count_tokens(text) > budget:
            text = text.rsplit("\n", 1)[0] if "\n" in text else ""
        return text

    # ---- bounded growth ----------------------------------------------------------------------

    def maintain(self, full: bool = False) -> dict:
        """Apply retention (age, count, size budget) and give freed pages back to the file
        system. `full` also merges the FTS indexes and VACUUMs (rewrites the file: slower,
        needs free space for a copy). Returns what was removed."""
        s = self.settings
        now = self.clock()
        removed = {"facts": 0, "turns": 0, "summaries": 0, "sessions": 0}
        with self._write() as conn:
            if s.max_age_days:
                cutoff = now - s.max_age_days * DAY
                for table in ("turns", "summaries"):
                    removed[table] += conn.execute(
                        f"DELETE FROM {table} WHERE created_at < ?", (cutoff,)).rowcount
            if s.fact_max_age_days:
                removed["facts"] += conn.execute(
                    "DELETE FROM facts WHERE core = 0 AND updated_at < ?",
                    (now - s.fact_max_age_days * DAY,)).rowcount
            for table in ("turns", "summaries"):
                removed[table] += conn.execute(
                    f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id DESC "
                    "LIMIT -1 OFFSET ?)", (s.max_turns,)).rowcount
            removed["facts"] += conn.execute(
                "DELETE FROM facts WHERE id IN (SELECT id FROM facts WHERE core = 0 "
                "ORDER BY updated_at DESC, id DESC LIMIT -1 OFFSET ?)", (s.max_facts,)).rowcount
        budget = s.max_db_mb * 1e6
        for _ in range(50):
            used = self._used_bytes()
            if used <= budget:
                break
            # Cut a share matching the overshoot (at least a tenth): few passes, little overshoot.
            share = min(1.0, max(0.1, 1 - budget / used + 0.05))
            with self._write() as conn:
                # Conversation history goes before facts: it is the less valuable memory.
                cut = {t: _delete_oldest(conn, t, share) for t in ("turns", "summaries")}
                removed["turns"] += cut["turns"]
                removed["summaries"] += cut["summaries"]
                if not any(cut.values()):
                    cut["facts"] = conn.execute(
                        "DELETE FROM facts WHERE id IN (SELECT id FROM facts WHERE core = 0 "
                        "ORDER BY updated_at, id LIMIT (SELECT CAST(count(*) * ? AS INTEGER) + 1 "
                        "FROM facts WHERE core = 0))", (share,)).rowcount
                    removed["facts"] += cut["facts"]
                    if not cut["facts"]:
                        break  # only core facts left: nothing more we may delete
                # FTS5 records deletions as new index entries; merging the segments is what
                # gives the space back, so the next measurement sees it.
                for table, count in cut.items():
                    if count:
                        conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('optimize')")
        with self._write() as conn:
            removed["sessions"] = conn.execute(
                "DELETE FROM sessions WHERE id NOT IN (SELECT session_id FROM turns) "
                "AND id NOT IN (SELECT session_id FROM summaries)").rowcount
            if full:
                for table in ("facts", "turns", "summaries"):
                    conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('optimize')")
        if removed["facts"]:
            self._vectors = None
        with self._lock:
            conn = self.db.conn
            if full:
                conn.execute("VACUUM")
            else:
                # It frees one page per step and execute() steps a row-less statement only
                # once; executescript() steps it to the end.
                conn.executescript("PRAGMA incremental_vacuum;")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        return removed

    def _used_bytes(self) -> int:
        with self._lock:
            conn = self.db.conn
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            free = conn.execute("PRAGMA freelist_count").fetchone()[0]
            size = conn.execute("PRAGMA page_size").fetchone()[0]
        return (pages - free) * size

    def stats(self) -> dict:
        counts = self._query(
            "SELECT (SELECT count(*) FROM facts) AS facts, "
            "(SELECT count(*) FROM facts WHERE core = 1) AS core_facts, "
            "(SELECT count(*) FROM fact_vectors) AS vectors, "
            "(SELECT count(*) FROM sessions) AS sessions, "
            "(SELECT count(*) FROM turns) AS turns, "
            "(SELECT count(*) FROM summaries) AS summaries")[0]
        wal = self.path.with_name(self.path.name + "-wal")
        return {
            "path": str(self.path),
            **counts,
            "db_bytes": self.path.stat().st_size,
            "wal_bytes": wal.stat().st_size if wal.exists() else 0,
            "used_bytes": self._used_bytes(),
            "budget_bytes": int(self.settings.max_db_mb * 1e6),
            "embedder": self.embedder.name if self.embedder is not None else None,
            "synchronous": self.settings.synchronous,
        }

    # ---- export / import (JSONL records) -----------------------------------------------------

    def export_records(self, include_turns: bool = False) -> Iterator[dict]:
        for fact in reversed(self.facts()):  # oldest first, so an import keeps the order
            yield fact.to_record()
        if not include_turns:
            return
        for row in self._query("SELECT * FROM summaries ORDER BY id"):
            yield {"type": "summary", "session": row["session_id"],
                   **{k: row[k] for k in ("created_at", "first_turn_at", "last_turn_at",
                                          "turn_count", "text")}}
        for row in self._query("SELECT * FROM turns ORDER BY id"):
            turn = _turn_from_row(row)
            yield {"type": "turn", "session": turn["session_id"], "created_at": turn["created_at"],
                   **{k: turn[k] for k in ("request", "decisions", "calls", "results", "answer")}}

    def import_records(self, records: Iterable[dict]) -> dict:
        """Add exported records in one transaction (all or nothing). Facts are de-duplicated by
        content hash; vectors are computed here, in batches. Raises ValueError on a bad record."""
        records = list(records)
        for n, record in enumerate(records, 1):
            problem = record_problem(record)
            if problem:
                raise ValueError(f"record {n}: {problem}")
        facts = [r for r in records if r["type"] == "fact"]
        for record in facts:
            record["content"] = self._check_content(record["content"])
        now = self.clock()
        counts = {"facts": 0, "duplicates": 0, "turns": 0, "summaries": 0}
        with self._write() as conn:
            for record in facts:
                created = float(record.get("created_at") or now)
                updated = float(record.get("updated_at") or created)
                core = bool(record.get("core"))
                digest = content_hash(record["content"])
                row = conn.execute("SELECT id, core FROM facts WHERE hash = ?",
                                   (digest,)).fetchone()
                if row is not None:
                    counts["duplicates"] += 1
                    if core and not row[1]:
                        self._check_core_room(conn)
                        conn.execute("UPDATE facts SET core = 1 WHERE id = ?", (row[0],))
                    continue
                if core:
                    self._check_core_room(conn)
                conn.execute(
                    "INSERT INTO facts (content, hash, core, source, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (record["content"], digest, int(core),
                     record.get("source") or "import", created, updated))
                counts["facts"] += 1
            for record in records:
                session = str(record.get("session") or "default")
                created = float(record.get("created_at") or now)
                if record["type"] == "turn":
                    calls, results = record.get("calls") or [], record.get("results") or []
                    text = render_turn(record["request"], calls, results, record.get("answer"))
                    conn.execute(
                        "INSERT INTO turns (session_id, created_at, request, decisions, calls, "
                        "results, answer, text, tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (session, created, record["request"], _json(record.get("decisions")),
                         _json(calls), _json(results), record.get("answer"), text,
                         self.count_tokens(text)))
                elif record["type"] == "summary":
                    conn.execute(
                        "INSERT INTO summaries (session_id, created_at, first_turn_at, "
                        "last_turn_at, turn_count, text, tokens) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (session, created, record.get("first_turn_at"),
                         record.get("last_turn_at"), record.get("turn_count"), record["text"],
                         self.count_tokens(record["text"])))
                else:
                    continue
                counts[record["type"] + "s"] += 1
                conn.execute("INSERT INTO sessions (id, created_at, updated_at) VALUES (?, ?, ?) "
                             "ON CONFLICT(id) DO UPDATE SET updated_at = "
                             "max(updated_at, excluded.updated_at)", (session, created, created))
        # Vectors after the commit: the facts are safe even if embedding fails; a later search
        # backfills whatever is missing.
        if self.embedder is not None and counts["facts"]:
            self.backfill_vectors()
        self._vectors = None
        return counts


def record_problem(record: Any) -> str | None:
    """Why `record` is not an importable memory record, or None."""
    if not isinstance(record, dict):
        return "not a JSON object"
    kind = record.get("type", "fact")
    record.setdefault("type", kind)
    required = {"fact": "content", "turn": "request", "summary": "text"}
    if kind not in required:
        return f"unknown type {kind!r} (fact, turn or summary)"
    field = required[kind]
    if not isinstance(record.get(field), str) or not record[field].strip():
        return f"a {kind} needs a non-empty string {field!r}"
    for key in ("created_at", "updated_at"):
        if record.get(key) is not None and not isinstance(record[key], (int, float)):
            return f"{key!r} must be unix seconds (a number)"
    return None


def _delete_oldest(conn: sqlite3.Connection, table: str, fraction: float) -> int:
    return conn.execute(
        f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT "
        f"(SELECT CAST(count(*) * {fraction} AS INTEGER) + 1 FROM {table}))").rowcount


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _turn_from_row(row: dict) -> dict:
    turn = dict(row)
    for key in ("decisions", "calls", "results"):
        turn[key] = json.loads(turn[key]) if turn.get(key) else None
    return turn


def _one_line(value: Any, limit: int) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def render_turn(request: str, calls: list, results: list, answer: str | None) -> str:
    """A turn as the prompt shows it (and as it is searched): request, calls, answer."""
    lines = [f"User: {_one_line(request, 400)}"]
    for i, call in enumerate(calls):
        name = call.get("name", "?") if isinstance(call, dict) else str(call)
        args = call.get("arguments", {}) if isinstance(call, dict) else {}
        line = f"Call: {name} {_one_line(args, 160)}"
        if i < len(results):
            line += f" -> {_one_line(results[i], 240)}"
        lines.append(line)
    if answer:
        lines.append(f"Agent: {_one_line(answer, 400)}")
    return "\n".join(lines)


def _first_sentence(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return _one_line(match.group(1) if match else text, limit)


def summarize_turn(request: str | None, calls: list | None, answer: str | None) -> str:
    """One extractive line per compacted turn: what was asked, which tools ran, what came back.
    A base model cannot be trusted to summarize; the first sentences carry the gist."""
    line = f"- asked: {_first_sentence(request, 120)}"
    names = [c.get("name", "?") if isinstance(c, dict) else str(c) for c in calls or []]
    if names:
        line += f"; used {', '.join(dict.fromkeys(names))}"
    if answer:
        line += f"; answered: {_first_sentence(answer, 160)}"
    return line


def register_memory_tools(registry, memory: Memory) -> None:
    """Add the built-in `remember` (write), `recall` (read) and `forget` (write) tools."""
    from .tools import ToolError

    @registry.tool(permission="write")
    def remember(fact: str) -> str:
        """Store a short fact to keep across conversations, e.g. where something is or what
        the owner prefers.

        Core facts (always in the prompt) are set by the owner with `edgeagent memory add --core`,
        never by the model, so a request cannot pin text into every future prompt."""
        try:
            stored = memory.remember(fact, source="agent")
        except ValueError as exc:
            raise ToolError(str(exc)) from None
        return f"remembered as #{stored.id}" if stored.is_new else f"already known as #{stored.id}"

    @registry.tool(permission="read")
    def recall(query: str, limit: Annotated[int, Field(ge=1, le=20)] = 5) -> str:
        """Search long-term memory for facts about a topic; returns matching facts with ids."""
        found = memory.search(query, limit=limit, min_similarity=memory.settings.min_similarity)
        if not found:
            return "nothing remembered about that"
        return "\n".join(f"#{fact.id} {fact.content}" for fact in found)

    @registry.tool(permission="write")
    def forget(fact_id: int) -> str:
        """Delete a remembered fact by its id (the #number shown by recall)."""
        if not memory.forget(fact_id):
            raise ToolError(f"no fact #{fact_id}")
        return f"forgot #{fact_id}"
