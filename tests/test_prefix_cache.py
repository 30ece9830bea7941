"""The static prefix's state: kept, restored from disk, and rebuilt (never loaded) when the
file is corrupt, truncated or made for another model or catalog."""

import json

import numpy as np
import pytest

from edgeagent.agent import Agent
from edgeagent.prefix_cache import PrefixCache
from edgeagent.tools import tools_from_definitions

TOOLS = tools_from_definitions([
    {"name": "water_plant", "description": "Water a plant.", "parameters": {"type": "dict",
     "properties": {"plant": {"type": "string"}, "ml": {"type": "integer"}},
     "required": ["plant", "ml"]}},
    {"name": "open_window", "description": "Open a window.", "parameters": {"type": "dict",
     "properties": {"room": {"type": "string"}}, "required": ["room"]}},
])
REQUEST = "Give the basil 200 ml of water."


@pytest.fixture
def fresh(model, settings, tmp_path):
    """An agent whose model KV is empty, with a prefix cache in a temporary directory."""
    def make():
        model.forget()
        return Agent(model, settings.agent, prefix_cache=PrefixCache(model, tmp_path))
    return make


def test_prefill_then_ram_then_disk_give_the_same_decision(fresh, tmp_path):
    agent = fresh()
    cold = agent.plan(REQUEST, TOOLS)
    assert cold.prefix == "prefill" and cold.tokens["cached"] == 0
    assert not list(tmp_path.glob("*.state"))  # a one-off catalog is not written
    warm = agent.plan(REQUEST, TOOLS)
    assert warm.prefix == "ram" and warm.tokens["cached"] == cold.tokens["cached"] + len(
        agent.prefix_tokens(TOOLS)[0])
    assert len(list(tmp_path.glob("*.state"))) == 1  # used again: worth keeping
    restarted = fresh().plan(REQUEST, TOOLS)
    assert restarted.prefix == "disk"
    assert restarted.tokens["cached"] >= restarted.tokens["prompt"] // 2
    assert cold.text == warm.text == restarted.text


def test_ram_copy_serves_alternating_catalogs(fresh):
    agent = fresh()
    other = TOOLS[:1]
    agent.plan(REQUEST, TOOLS)
    agent.plan(REQUEST, other)
    assert agent.plan(REQUEST, TOOLS).prefix == "ram"


@pytest.mark.parametrize("damage", ["flip", "truncate", "other_model", "garbage_header"])
def test_damaged_state_is_rebuilt_not_loaded(fresh, tmp_path, damage):
    agent = fresh()
    reference = agent.plan(REQUEST, TOOLS)
    agent.plan(REQUEST, TOOLS)
    path = next(tmp_path.glob("*.state"))
    data = path.read_bytes()
    header, payload = data.split(b"\n", 1)
    if damage == "flip":
        middle = len(payload) // 2
        payload = payload[:middle] + bytes([payload[middle] ^ 0xFF]) + payload[middle + 1:]
    elif damage == "truncate":
        payload = payload[: len(payload) // 3]
    elif damage == "other_model":
        fields = json.loads(header)
        fields["model"] = "someone-else" + fields["model"]
        header = json.dumps(fields).encode()
    else:
        header = b"{not json"
    path.write_bytes(header + b"\n" + payload)
    agent = fresh()
    again = agent.plan(REQUEST, TOOLS)
    assert again.prefix == "prefill"
    assert again.text == reference.text
    assert not path.exists()  # the damaged file was deleted, not loaded
    agent.plan(REQUEST, TOOLS)
    assert path.exists() and path.read_bytes() != header + b"\n" + payload  # rebuilt


def test_changed_catalog_gets_its_own_state(fresh, tmp_path):
    agent = fresh()
    agent.plan(REQUEST, TOOLS)
    agent.plan(REQUEST, TOOLS)
    changed = tools_from_definitions([{**TOOLS[0].spec(), "description": "Water a plant now."},
                                      TOOLS[1].spec()])
    agent = fresh()
    assert agent.plan(REQUEST, changed).prefix == "prefill"
    agent.plan(REQUEST, changed)
    assert len(list(tmp_path.glob("*.state"))) == 2


def test_a_prompt_gets_the_same_logits_whatever_the_kv_held_before(model):
    """llama.cpp's numbers shift with how tokens are batched; with marks, the KV is reused only
    where it was built the same way, so the logits are bit-identical to a cold evaluation."""
    head = [model.bos] + model.tokenize("Tools and their calls, one line each.\n" * 20)
    one = head + model.tokenize("Request: water the basil\nCall:")
    other = head + model.tokenize("Request: open the window in the kitchen\nCall:")
    model.forget()
    model.set_prompt(one, marks=(len(head),))
    cold = model.logits().copy()
    model.forget()
    model.set_prompt(other[:len(head) + 3])  # a KV built another way that shares the head
    model.set_prompt(one, marks=(len(head),))
    assert np.array_equal(model.logits(), cold)
    model.set_prompt(one, marks=(len(head),))  # the same prompt again, straight from the KV
    assert np.array_equal(model.logits(), cold)

