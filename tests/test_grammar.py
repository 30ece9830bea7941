import ctypes
from pathlib import Path

import pytest

from edgeagent.grammar import Matcher, format_call, python_literal
from edgeagent.tools import tools_from_definitions

TOOLS = tools_from_definitions([
    {"name": "area", "parameters": {"type": "dict", "properties": {
        "base": {"type": "integer"}, "height": {"type": "float"},
        "unit": {"type": "string"}}, "required": ["base", "height"]}},
    {"name": "light", "parameters": {"type": "dict", "properties": {
        "room": {"type": "string", "enum": ["kitchen", "hall"]}, "on": {"type": "boolean"},
        "levels": {"type": "array", "items": {"type": "integer"}},
        "extra": {"type": "dict"}, "anything": {"type": "any"}}, "required": ["room"]}},
])


def decide(text, max_calls=4):
    m = Matcher.for_decision(TOOLS, max_calls=max_calls).feed(text)
    return m.result if m is not None and m.finished else None


def test_accepts_valid_calls_and_builds_values():
    assert decide(' area(base=10, height=2.5)\n') == [
        {"name": "area", "arguments": {"base": 10, "height": 2.5}}]
    assert decide(' light(room="hall", on=False, levels=[1, -2], extra={"a": [1]}, '
                  'anything="x\\"y"); area(base=1, height=2, unit="cm")\n') == [
        {"name": "light", "arguments": {"room": "hall", "on": False, "levels": [1, -2],
                                        "extra": {"a": [1]}, "anything": 'x"y'}},
        {"name": "area", "arguments": {"base": 1, "height": 2, "unit": "cm"}}]
    assert decide(" none\n") == []


@pytest.mark.parametrize("text", [
    ' area(height=2, base=1)\n',          # order: required base cannot be skipped
    ' area(base=1)\n',                    # missing required
    ' area(base=1.5, height=2)\n',        # float for an integer
    ' area(base=01, height=2)\n',         # leading zero
    ' light(room="attic")\n',             # not in the enum
    ' light(room="hall", color=1)\n',     # unknown argument
    ' lamp(room="hall")\n',               # unknown tool
    ' area(base=1, height=2, unit="a\nb")\n',  # raw control character in a string
    ' area(base=1,  height=2)\n',         # free whitespace
])
def test_rejects_what_the_schema_forbids(text):
    assert decide(text) is None


def test_parallel_calls_are_bounded():
    one, two = " area(base=1, height=2)", " area(base=2, height=2)"
    assert decide(one + ";" + two + "\n", max_calls=1) is None
    assert len(decide(one + ";" + two + "\n", max_calls=2)) == 2


def test_forced_text_is_what_the_schema_fixes():
    m = Matcher.for_decision(TOOLS)
    assert m.feed(" ar").forced_text() == "ea(base="
    assert m.feed(' area(base=1,').forced_text() == " height="
    assert m.feed(' light(room=').forced_text() == '"'
    assert m.feed(' light(room="k').forced_text() == 'itchen"'


def test_literal_round_trip():
    args = {"s": 'a "quoted"\nline', "n": -3, "f": 0.25, "b": True, "xs": [1, "two"],
            "d": {"k": [False]}}
    text = " " + format_call("t", args) + "\n"
    tool = tools_from_definitions([{"name": "t", "parameters": {"type": "dict", "properties": {
        k: {} for k in args}}}])
    m = Matcher.for_decision(tool).feed(text)
    assert m.finished and m.result == [{"name": "t", "arguments": args}]
    assert python_literal(None) == "None"


def test_hand_written_envelopes_compile(model):
    import llama_cpp
    files = sorted(Path(__file__).parent.parent.glob("grammars/*.gbnf"))
    assert files
    vocab = model.llama._model.vocab
    for path in files:
        sampler = llama_cpp.llama_sampler_init_grammar(vocab, path.read_text().encode(),
                                                       b"root")
        assert sampler, f"{path.name} does not compile"
        llama_cpp.llama_sampler_free(sampler)
    broken = llama_cpp.llama_sampler_init_grammar(vocab, b"root ::= (", b"root")
    assert not broken


def test_a_repeated_call_ends_the_decision():
    one = " area(base=1, height=2)"
    m = Matcher.for_decision(TOOLS, max_calls=8).feed(one + ";" + one)
    assert m.finished and m.result == [{"name": "area", "arguments": {"base": 1, "height": 2}}]


def test_closing_mode_finishes_whatever_is_open():
    m = Matcher.for_decision(TOOLS, max_calls=8).feed(' light(room="hall", extra={"a": "x')
    closing = m.closing_mode()
    rest = closing.forced_text()
    assert rest == '"})\n'
    done = closing.feed(rest)
    assert done.finished and done.result[0]["arguments"]["extra"] == {"a": "x"}
    # open arrays take no new items and strings end at once
    m = Matcher.for_decision(TOOLS).feed(' light(room="hall", levels=[1, ').closing_mode()
    assert m.feed("2, ") is None and m.feed("2]").forced_text() == ")\n"


def test_decoding_finishes_within_a_small_budget(model):
    from edgeagent.decoding import decode
    from edgeagent.prompt import request_suffix, static_prefix
    tools = tools_from_definitions([{"name": "census", "description": "Count people.",
        "parameters": {"type": "dict", "properties": {"population": {"type": "dict"},
                                                      "city": {"type": "string"}},
                       "required": ["population", "city"]}}])
    request = "Count the people of every city in the United States, one by one."
    prompt = [model.bos] + model.tokenize(static_prefix(tools) + request_suffix(request))
    model.set_prompt(prompt)
    matcher, text, stats = decode(model, Matcher.for_decision(tools, max_calls=8), max_tokens=40)
    assert matcher.finished and stats.completion_tokens <= 40
    for call in matcher.result:
        assert tools[0].validate(call["arguments"])
