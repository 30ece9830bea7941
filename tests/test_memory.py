"""Memory: real SQLite files, the real ONNX embedder, the real CLI entry point."""

from __future__ import annotations

import argparse
import io
import json
import os
from pathlib import Path

import numpy as np
import pytest

from edgeagent.config import Settings
from edgeagent.embeddings import Embedder, EmbeddingError
from edgeagent.memory import (FactNotFound, Memory, MemoryLimitError, MemorySettings,
                              content_hash, fts_query, register_memory_tools)
from edgeagent.memory_cli import add_memory_parser, run_memory_command
from edgeagent.migrations import MIGRATIONS, migrate
from edgeagent.models import get_entry
from edgeagent.tools import ToolError, ToolRegistry, run_tool

LABELED = json.loads((Path(__file__).parent / "data" / "memory_recall.json").read_text())


@pytest.fixture
def memory(tmp_path, embedder):
    with Memory(tmp_path / "memory.db", embedder=embedder) as mem:
        yield mem


@pytest.fixture(scope="module")
def labeled_memory(tmp_path_factory, embedder):
    """The labeled recall set, stored once for the retrieval tests."""
    mem = Memory(tmp_path_factory.mktemp("labeled") / "memory.db", embedder=embedder)
    ids = {key: mem.remember(text).id for key, text in LABELED["facts"].items()}
    mem.import_records({"content": text} for text in LABELED["distractors"])
    yield mem, ids
    mem.close()


# ---- embeddings ------------------------------------------------------------------------------

def test_embedder_returns_unit_vectors_that_rank_paraphrases_first(embedder):
    vectors = embedder.embed(["Where does the robot recharge?",
                              "The charging station is next to the ramp.",
                              "The owner's daughter studies in Lisbon."])
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert embedder.embed([]).shape == (0, 512)
    # Batching must not change the meaning. (Not bit-identical: the int8 model quantizes its
    # activations per batch, so batch mates move a vector by ~1e-3.)
    texts = ["the gate is open", "battery at 40%", "call Maria"]
    batched = Embedder(embedder.path, batch_size=2).embed(texts)
    alone = np.stack([embedder.embed_one(t) for t in texts])
    assert np.all(np.sum(batched * alone, axis=1) > 0.99)


def test_missing_model_says_how_to_install(tmp_path):
    lazy = Embedder(tmp_path / "nope.onnx")  # constructing costs nothing
    with pytest.raises(EmbeddingError, match="edgeagent models install use-multilingual"):
        lazy.embed(["x"])


# ---- database and migrations -----------------------------------------------------------------

def test_migrations_apply_once_and_pragmas_hold(tmp_path):
    path = tmp_path / "m.db"
    Memory(path).close()
    with Memory(path) as mem:
        names = [r["name"] for r in mem.db["_migrations"].rows]
        assert names == [m.__name__ for m in MIGRATIONS]
        assert migrate(mem.db) == []
        conn = mem.db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental


def test_two_connections_see_each_others_writes(tmp_path, embedder):
    """The daemon and the CLI share the file: a fact added by one is found by the other's
    vector search (its in-RAM matrix notices the foreign commit), and a forget is honoured."""
    daemon = Memory(tmp_path / "m.db", embedder=embedder)
    cli = Memory(tmp_path / "m.db", embedder=embedder)
    daemon.remember("The printer toner is in the supply closet.")
    assert daemon.search("toner", mode="vector")  # matrix loaded now
    fact = cli.remember("The freezer alarm beeps when the door stays open.")
    assert daemon.search("why is the freezer beeping", limit=1, mode="vector")[0].id == fact.id
    cli.forget(fact.id)
    assert fact.id not in {f.id for f in daemon.search("freezer alarm", mode="vector")}
    daemon.close()
    cli.close()


# ---- facts -----------------------------------------------------------------------------------

def test_duplicates_are_stored_once(memory):
    first = memory.remember("The charging dock is in bay 3.")
    again = memory.remember("  the charging   dock is in BAY 3 ")
    assert first.is_new and not again.is_new and again.id == first.id
    assert memory.stats()["facts"] == 1 and memory.stats()["vectors"] == 1
    assert content_hash("A b.") == content_hash("a  B")


def test_update_changes_text_vector_and_index(memory):
    fact = memory.remember("The spare key is under the blue mat.")
    memory.remember("Visitors park in lot C.")
    updated = memory.update(fact.id, content="The spare key is in the key safe by the door.")
    assert updated.id == fact.id and "key safe" in updated.content
    assert memory.search("mat", mode="fts") == []
    assert memory.search("key safe", mode="fts")[0].id == fact.id
    assert memory.search("where is the spare key kept?", limit=1, mode="vector")[0].id == fact.id
    # Updating a fact into the text of another merges them into the other one.
    other = memory.remember("The router is in the server room.")
    merged = memory.update(fact.id, content="the router is in the server room")
    assert merged.id == other.id and memory.get(fact.id) is None
    with pytest.raises(FactNotFound):
        memory.update(999_999, content="x")


def test_forget_removes_fact_everywhere(memory):
    fact = memory.remember("The gate code is 7741.")
    keep = memory.remember("Lunch is at noon.")
    assert memory.search("gate code", mode="hybrid")[0].id == fact.id
    assert memory.forget(fact.id) is True
    assert memory.forget(fact.id) is False
    assert memory.get(fact.id) is None
    assert all(f.id != fact.id for mode in ("fts", "vector", "hybrid")
               for f in memory.search("gate code 7741", mode=mode))
    assert memory.stats()["vectors"] == 1 and memory.get(keep.id) is not None
    # ids are never reused, so a stale id cannot hit a newer fact
    assert memory.remember("Something new.").id > fact.id


def test_fact_limits(memory):
    with pytest.raises(ValueError):
        memory.remember("   ")
    with pytest.raises(MemoryLimitError):
        memory.remember("x" * (memory.settings.fact_max_chars + 1))


def test_fts_query_never_passes_user_syntax_through():
    assert fts_query('the "NEAR" OR (robot*) AND -dock') == '"near" OR "robot" OR "dock"'
    assert fts_query("what is it?") is None


def test_memory_without_embedder_is_keyword_only(tmp_path, embedder):
    path = tmp_path / "m.db"
    with Memory(path) as plain:
        fact = plain.remember("The lidar on R2 has serial LX-4471-B.")
        assert plain.search("LX-4471-B")[0].id == fact.id  # hybrid falls back to FTS
        with pytest.raises(ValueError, match="embedding model"):
            plain.search("x", mode="vector")
        assert plain.stats()["vectors"] == 0
    # Opened later with the model, the missing vectors are filled in.
    with Memory(path, embedder=embedder) as full:
        assert full.search("which serial number does the laser scanner have?", limit=1,
                           mode="vector")[0].id == fact.id
        assert full.stats()["vectors"] == 1


def test_broken_embedder_degrades_to_keywords_without_losing_facts(tmp_path):
    with Memory(tmp_path / "m.db", embedder=Embedder(tmp_path / "missing.onnx")) as mem:
        fact = mem.remember("The ladder is chained to the east fence.")
        assert mem.get(fact.id) is not None and mem.stats()["vectors"] == 0
        assert mem.search("ladder")[0].id == fact.id
        with pytest.raises(EmbeddingError):
            mem.search("ladder", mode="vector")


def test_concurrent_threads_share_one_memory(memory):
    """Tools run in worker threads: writes and vector searches interleave safely."""
    import concurrent.futures

    def work(worker):
        for i in range(15):
            memory.remember(f"worker {worker} stored item {i} in crate {worker * 100 + i}")
            memory.search(f"crate {worker * 100 + i}", limit=3)
            memory.record_turn(f"t{worker}", f"request {i}", answer="ok")
        return worker

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        assert sorted(pool.map(work, range(4))) == [0, 1, 2, 3]
    assert memory.stats()["facts"] == 60 and memory.stats()["vectors"] == 60
    top = memory.search("worker 2 stored item 7 in crate 207", limit=1, mode="vector")
    assert top[0].content == "worker 2 stored item 7 in crate 207"


# ---- retrieval quality -----------------------------------------------------------------------

def recall_at_5(mem, ids, mode):
    found = 0.0
    for item in LABELED["queries"]:
        got = {f.id for f in mem.search(item["query"], limit=5, mode=mode)}
        found += sum(ids[k] in got for k in item["expect"]) / len(item["expect"])
    return found / len(LABELED["queries"])


def test_hybrid_recall_is_at_least_the_better_of_fts_and_vector(labeled_memory):
    mem, ids = labeled_memory
    scores = {mode: recall_at_5(mem, ids, mode) for mode in ("fts", "vector", "hybrid")}
    assert scores["hybrid"] >= max(scores["fts"], scores["vector"]), scores
    assert scores["hybrid"] >= 0.9, scores


def test_hybrid_finds_exact_identifiers_and_paraphrases(labeled_memory):
    mem, ids = labeled_memory
    assert mem.search("KR-20931", limit=1)[0].id == ids["vendor"]
    assert ids["elevator"] in {f.id for f in mem.search("can robots take the lift?", limit=3)}
    assert ids["ph"] in {f.id for f in mem.search("aquarium acidity range", limit=5)}


# ---- turns, compaction, prompt block ---------------------------------------------------------

def test_compaction_keeps_old_turns_searchable(tmp_path):
    settings = MemorySettings(turn_budget_tokens=120, keep_recent_turns=2)
    with Memory(tmp_path / "m.db", settings) as mem:
        mem.record_turn("s1", "Please note the flamingo statue is broken.",
                        calls=[{"name": "remember", "arguments": {"fact": "statue broken"}}],
                        results=["remembered as #1"], answer="Noted. I will remember it.")
        for i in range(12):
            mem.record_turn("s1", f"What is the battery level of robot R{i}?",
                            calls=[{"name": "robot_status", "arguments": {"robot": f"R{i}"}}],
                            results=[{"battery": 50 + i}], answer=f"Robot R{i} is at {50 + i}%.")
        live = mem.recent_turns("s1", limit=100)
        assert sum(t["tokens"] for t in live) <= settings.turn_budget_tokens
        assert len(live) >= settings.keep_recent_turns
        assert live[-1]["request"] == "What is the battery level of robot R11?"
        summaries = mem.summaries("s1", limit=100)
        assert summaries and "flamingo" in summaries[0]["text"]
        assert "remember" in summaries[0]["text"]  # the tools used survive compaction
        assert all("flamingo" not in t["text"] for t in live)
        found = mem.search_turns("flamingo statue")
        assert found and found[0]["kind"] == "summary"
        assert "flamingo" in mem.context_for("is the flamingo statue ok?", "s2", 200)


def test_context_for_puts_core_facts_first_and_respects_the_budget(memory):
    memory.remember("This board is the conveyor controller for line 2.", core=True)
    memory.remember("The owner prefers short answers in Portuguese.", core=True)
    for i in range(60):
        memory.remember(f"Shelf {i} in aisle B holds {i * 7} boxes of fuses.")
    memory.remember("The charging dock is in bay 3 next to the ramp.")
    for i in range(10):
        memory.record_turn("s", f"where is box {i}?", answer=f"Box {i} is on shelf {i}.")
    block = memory.context_for("where can robots go to charge?", "s", budget_tokens=400)
    assert block.startswith("Known facts:\n- This board is the conveyor controller")
    assert "Portuguese" in block and "charging dock" in block
    assert "Recent turns:" in block and "Box 9 is on shelf 9." in block
    for budget in (5, 40, 80, 160, 400):
        for count in (None, lambda t: len(t.split())):
            mem_counter = count or memory.count_tokens
            memory.count_tokens = mem_counter
            assert mem_counter(memory.context_for("boxes of fuses", "s", budget)) <= budget
    assert memory.context_for("", None, 0) == ""


def test_unrelated_facts_stay_out_of_the_prompt(memory):
    memory.remember("The wifi password is in the blue binder.")
    block = memory.context_for("what is the capital of Mongolia?", None, 300)
    assert "wifi" not in block


def test_core_facts_are_limited(tmp_path):
    with Memory(tmp_path / "m.db", MemorySettings(core_facts_limit=2)) as mem:
        mem.remember("core one", core=True)
        second = mem.remember("core two", core=True)
        with pytest.raises(MemoryLimitError):
            mem.remember("core three", core=True)
        mem.update(second.id, core=False)
        assert mem.remember("core three", core=True).core


# ---- bounded growth --------------------------------------------------------------------------

def test_retention_by_count_and_age(tmp_path):
    now = [1_700_000_000.0]
    settings = MemorySettings(max_facts=50, fact_max_age_days=10, max_age_days=5, max_turns=20)
    with Memory(tmp_path / "m.db", settings, clock=lambda: now[0]) as mem:
        core = mem.remember("The site is Lisbon warehouse 2.", core=True)
        for i in range(80):
            now[0] += 1
            mem.remember(f"reading number {i}")
        for i in range(30):
            mem.record_turn("s", f"turn {i}", answer="ok")
        mem.maintain()
        kept = [f.content for f in mem.facts(core=False)]
        assert len(kept) == 50 and "reading number 79" in kept and "reading number 29" not in kept
        assert len(mem.recent_turns("s", limit=100)) == 20
        now[0] += 6 * 86400  # turns expire first
        mem.maintain()
        assert mem.recent_turns("s") == [] and mem.stats()["sessions"] == 0
        assert len(mem.facts(core=False)) == 50
        now[0] += 5 * 86400  # then untouched facts, but never core ones
        mem.maintain()
        assert [f.id for f in mem.facts()] == [core.id]


def test_size_budget_is_enforced_and_space_returned(tmp_path):
    settings = MemorySettings(max_db_mb=0.4, max_facts=100_000, max_turns=100_000,
                              turn_budget_tokens=100_000)
    path = tmp_path / "m.db"
    with Memory(path, settings) as mem:
        core = mem.remember("The device role is gate camera.", core=True)
        mem.import_records({"content": f"fact {i} " + "lorem ipsum dolor " * 10}
                           for i in range(2000))
        for i in range(300):
            mem.record_turn("s", f"request {i} " + "x " * 100, answer="y " * 100)
        assert mem.stats()["used_bytes"] > settings.max_db_mb * 1e6
        removed = mem.maintain()
        assert removed["turns"] > 0
        assert mem.stats()["used_bytes"] <= settings.max_db_mb * 1e6
        assert path.stat().st_size <= settings.max_db_mb * 1e6 * 1.1  # pages handed back
        # A tighter budget reaches the facts, but only once the history is gone, never the core.
        mem.settings.max_db_mb = 0.2
        removed = mem.maintain()
        assert removed["facts"] > 0 and mem.stats()["turns"] == 0
        assert mem.stats()["used_bytes"] <= 0.2e6
        assert mem.get(core.id) is not None
        assert mem.stats()["facts"] > 1  # trimmed, not wiped
        assert mem.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# ---- CLI -------------------------------------------------------------------------------------

def run_cli(settings, *argv, stdin: str | None = None):
    parser = argparse.ArgumentParser(prog="edgeagent")
    add_memory_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        import sys
        old, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        code = run_memory_command(args, settings, out=out, err=err)
    finally:
        if stdin is not None:
            sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def test_cli_round_trip_export_import(tmp_path, embedder):
    source = Settings(state_dir=tmp_path / "a")
    # Give the CLI the installed model so `search` is hybrid, as on a real install.
    (source.models_dir).mkdir(parents=True)
    model = get_entry("use-multilingual")
    os.symlink(embedder.path, model.path(source))

    assert run_cli(source, "memory", "add", "This board runs the gate camera.", "--core")[0] == 0
    code, out, _ = run_cli(source, "memory", "add", "The gate opens at 06:00.")
    assert code == 0 and out.strip().isdigit()
    assert "already known" in run_cli(source, "memory", "add", "the gate opens at 06:00")[1]
    code, out, _ = run_cli(source, "memory", "search", "when does the gate open?", "--json")
    assert code == 0 and json.loads(out.splitlines()[0])["content"] == "The gate opens at 06:00."
    code, out, _ = run_cli(source, "memory", "list")
    assert code == 0 and len(out.splitlines()) == 2 and "core" in out

    with Memory.open(source) as mem:
        mem.record_turn("s1", "open the gate", calls=[{"name": "gate", "arguments": {}}],
                        results=["opened"], answer="The gate is open.")
    dump = tmp_path / "dump.jsonl"
    assert run_cli(source, "memory", "export", str(dump), "--turns")[0] == 0
    records = [json.loads(line) for line in dump.read_text().splitlines()]
    assert [r["type"] for r in records] == ["fact", "fact", "turn"]

    target = Settings(state_dir=tmp_path / "b")
    code, out, _ = run_cli(target, "memory", "import", str(dump))
    assert code == 0 and "2 facts" in out and "1 turns" in out
    code, out, _ = run_cli(target, "memory", "export", "-", "--turns")
    again = [json.loads(line) for line in out.splitlines()]
    strip = lambda rs: [{k: v for k, v in r.items() if k != "id"} for r in rs]
    assert strip(again) == strip(records)
    # Importing the same file again adds no duplicate facts.
    code, out, _ = run_cli(target, "memory", "import", "-", stdin=dump.read_text())
    assert code == 0 and "0 facts" in out and "2 duplicates" in out


def test_cli_errors_and_exit_codes(tmp_path):
    settings = Settings(state_dir=tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"content": "fine"}\nnot json\n')
    code, _, err = run_cli(settings, "memory", "import", str(bad))
    assert code == 2 and "line 2" in err and len(err.strip().splitlines()) == 1
    assert run_cli(settings, "memory", "import", str(tmp_path / "missing.jsonl"))[0] == 2
    code, out, _ = run_cli(settings, "memory", "list")
    assert code == 0 and out == ""  # the bad file imported nothing
    assert run_cli(settings, "memory", "forget", "12345")[0] == 1
    assert run_cli(settings, "memory", "add", "   ")[0] == 2
    # vector mode without the model installed: a usage problem with a one-line reason
    code, _, err = run_cli(settings, "memory", "search", "x", "--mode", "vector")
    assert code == 2 and "models install use-multilingual" in err
    code, out, _ = run_cli(settings, "memory", "stats")
    assert code == 0 and "facts: 0" in out


# ---- tools -----------------------------------------------------------------------------------

def test_memory_tools(memory):
    registry = ToolRegistry()
    register_memory_tools(registry, memory)
    remember, recall, forget = (registry.get(n) for n in ("remember", "recall", "forget"))
    assert (remember.permission.value, recall.permission.value, forget.permission.value) == (
        "write", "read", "write")
    assert "core" not in remember.parameters["properties"]  # the model cannot pin core facts
    out = run_tool(remember, remember.validate({"fact": "The drill is in drawer 4."}), 5)
    fact_id = int(out.rsplit("#", 1)[1])
    assert "already known" in run_tool(remember, {"fact": "the drill is in drawer 4"}, 5)
    found = run_tool(recall, recall.validate({"query": "where is the drill?"}), 5)
    assert f"#{fact_id} The drill is in drawer 4." in found
    assert run_tool(recall, recall.validate({"query": "zebra migration patterns"}), 5) == (
        "nothing remembered about that")
    with pytest.raises(ToolError):
        recall.validate({"query": "x", "limit": 500})
    assert run_tool(forget, forget.validate({"fact_id": fact_id}), 5) == f"forgot #{fact_id}"
    with pytest.raises(ToolError, match="no fact"):
        run_tool(forget, {"fact_id": fact_id}, 5)
