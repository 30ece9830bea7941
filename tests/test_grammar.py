import os
import random
import string
from pathlib import Path

import pytest

from edgeagent.bfcl import CATEGORIES, SHARED_DATA, load_category
from edgeagent.grammar import (Grounding, Matcher, codes_in, format_call, python_literal,
                               sentence_at)
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
    assert not m.stalled                      # the model went on by itself
    asked = Matcher.for_decision(TOOLS, max_calls=8, min_calls=2).feed(one + ";" + one)
    assert asked.finished and asked.stalled  # the rules asked for another call
    swapped = Matcher.for_decision(TOOLS, max_calls=8).feed(one + "; area(base=2, height=1)")
    assert swapped.finished and len(swapped.result) == 1  # the same values in other places


def test_a_call_that_only_adds_arguments_replaces_the_one_before():
    tools = _tool_with({
        "hits": {"type": "integer"}, "at_bats": {"type": "integer"},
        "decimals": {"type": "integer"}}, ["hits", "at_bats"])
    m = _after(tools, "A player has 180 hits and 600 at-bats. Give the average to 3 decimals.",
               " f(hits=180, at_bats=600); f(hits=180, at_bats=600, decimals=3)\n")
    assert m.result == [{"name": "f", "arguments": {"hits": 180, "at_bats": 600, "decimals": 3}}]


def test_a_repeat_of_an_asked_for_call_diverges_where_the_model_was_least_sure(model):
    from edgeagent.decoding import decode
    from edgeagent.prompt import request_suffix, static_prefix
    tools = tools_from_definitions([{"name": "distance", "description": "Distance between two "
        "planets.", "parameters": {"type": "dict", "properties": {
            "body1": {"type": "string"}, "body2": {"type": "string"}}, "required": [
            "body1", "body2"]}}])
    request = "The distance from Earth to Mars. Then the distance from Earth to Saturn."
    prompt = [model.bos] + model.tokenize(static_prefix(tools) + request_suffix(request))
    decisions = {}
    for diverge in (False, True):
        model.set_prompt(prompt)
        matcher = Matcher.for_decision(tools, max_calls=4, ground=Grounding(request), min_calls=2)
        decisions[diverge], _, stats = decode(model, matcher, diverge=diverge)
    assert decisions[False].stalled and len(decisions[False].result) == 1
    calls = decisions[True].result  # the model wrote Saturn twice; Mars was left
    assert len(calls) == 2 and stats.diverged >= 1
    assert "Mars" in calls[0]["arguments"].values() or "Mars" in calls[1]["arguments"].values()


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


def test_a_character_with_no_token_of_its_own_is_decoded_from_its_bytes(model):
    from edgeagent.decoding import decode
    from edgeagent.prompt import request_suffix, static_prefix
    assert None in [model.token_text(t) for t in model.tokenize("ℵ")]  # bytes in this vocabulary
    tools = tools_from_definitions([{"name": "lookup", "description": "Look up a symbol.",
        "parameters": {"type": "dict", "properties": {"symbol": {"type": "string"}},
                       "required": ["symbol"]}}])
    request = "ℵ"  # the grounded string can only be this character
    model.set_prompt([model.bos] + model.tokenize(static_prefix(tools) + request_suffix(request)))
    matcher, text, _ = decode(model, Matcher.for_decision(
        tools, allow_none=False, ground=Grounding(request)), max_tokens=40)
    assert matcher.result == [{"name": "lookup", "arguments": {"symbol": "ℵ"}}]
    assert 'symbol="ℵ"' in text


BOUNDED = tools_from_definitions([{"name": "k", "parameters": {"type": "dict", "properties": {
    "level": {"type": "integer", "minimum": 10, "maximum": 20},
    "speed": {"type": "number", "minimum": 0, "maximum": 100},
    "gear": {"type": "integer", "enum": [1, 10]},
    "tags": {"type": "dict", "additionalProperties": {"type": "integer"}}},
    "required": ["level", "speed", "gear", "tags"]}}])


@pytest.mark.parametrize("text,ok", [
    (' k(level=15, speed=2.5, gear=10, tags={"a": 1})\n', True),
    (' k(level=1, speed=2.5, gear=10, tags={"a": 1})\n', False),     # below minimum
    (' k(level=15, speed=250, gear=10, tags={"a": 1})\n', False),    # above maximum
    (' k(level=15, speed=-1, gear=10, tags={"a": 1})\n', False),     # negative, minimum 0
    (' k(level=15, speed=2, gear=1, tags={"a": 1})\n', True),        # 1 and 10 told apart
    (' k(level=15, speed=2, gear=3, tags={"a": 1})\n', False),
    (' k(level=15, speed=2, gear=1, tags={"a": "x"})\n', False),     # typed additionalProperties
])
def test_bounds_enums_and_typed_maps_match_the_validator(text, ok):
    m = Matcher.for_decision(BOUNDED).feed(text)
    accepted = m is not None and m.finished
    assert accepted == ok
    if accepted:
        BOUNDED[0].validate(m.result[0]["arguments"])


def test_bad_schema_keywords_are_refused_at_load():
    from edgeagent.tools import ToolsFileError
    for prop in [{"type": "string", "enum": []}, {"type": "integer", "enum": ["1"]},
                 {"type": "string", "maxLength": None}, {"type": "integer", "minimum": "0"}]:
        with pytest.raises(ToolsFileError):
            tools_from_definitions([{"name": "t", "parameters": {"type": "dict",
                                                                  "properties": {"p": prop}}}])


def test_grounded_strings_have_no_dead_ends():
    tools = tools_from_definitions([{"name": "c", "parameters": {"type": "dict", "properties": {
        "city": {"type": "string"}}}}])
    m = Matcher.for_decision(tools, ground=Grounding("weather  in\nParis for the city")).feed(
        ' c(city="Par')
    assert m is not None and m.feed("\\") is None       # no escape can stay grounded
    assert m.feed('"') is None                           # "Par" is not a word of the request
    assert m.feed('is"').forced_text() == ")\n"
    assert Matcher.for_decision(tools, ground=Grounding("the city of Paris")).feed(
        ' c(city="Rome')  is None
    assert Matcher.for_decision(tools, ground=Grounding("the city of Paris")).feed(
        ' c(city="paris')  is None                       # the request's own spelling
    assert Matcher.for_decision(tools, ground=Grounding("the city of Paris")).feed(
        ' c(city="aris')  is None                        # from where a word starts
    assert Matcher.for_decision(_tool(unit={"type": "string"}), ground=Grounding(
        "a 6cm side")).feed(' f(unit="cm")\n').finished  # a unit after a number starts one


def test_a_required_enum_keeps_to_the_value_the_request_names():
    light = Matcher.for_decision(TOOLS, ground=Grounding("switch on the hall light"))
    assert light.feed(' light(room=').forced_text().startswith('"hall"')
    free = Matcher.for_decision(TOOLS, ground=Grounding("switch on the light"))
    assert free.feed(' light(room="kitchen")\n').finished  # nothing named: any value


def _tool(**props):
    """A tool `f` all of whose arguments are required."""
    return _tool_with(props, list(props))


def _tool_with(props: dict, required: list, description: str = ""):
    """A tool `f` with these arguments, of which `required` are required."""
    return tools_from_definitions([{"name": "f", "description": description, "parameters": {
        "type": "dict", "properties": props, "required": required}}])


def _after(tools, request: str, text: str) -> Matcher | None:
    """A decision of up to four calls grounded in `request`, after `text`."""
    return Matcher.for_decision(tools, max_calls=4, ground=Grounding(request)).feed(text)


def test_required_numbers_come_from_the_request_and_are_used_once_per_mention():
    tools = _tool(current={"type": "integer"}, distance={"type": "integer"},
                  rate={"type": "float"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "field 10 meters from a wire with a current of 20 A, at 5% loss"))
    assert m.feed(" f(current=15") is None                       # 15 is not stated
    after = m.feed(" f(current=20, distance=")
    assert after.feed("20") is None and after.feed("10") is not None  # 20 is used up
    assert after.feed("10, rate=0.05)\n").finished                 # "5%" also reads 0.05
    free = Matcher.for_decision(tools, ground=Grounding("no numbers here"))
    assert free.feed(" f(current=7, distance=8, rate=1.5)\n").finished


def test_grounded_lists_end_when_the_request_runs_out_and_hold_floats():
    tools = _tool(data={"type": "array", "items": {"type": "float"}},
                  stops={"type": "array", "items": {"type": "string"}})
    m = Matcher.for_decision(tools, ground=Grounding(
        "plot 85 and 90, stopping at Santa Barbara and Monterey"))
    assert m.feed(" f(data=[85,") is None                         # a float list holds floats
    full = m.feed(" f(data=[85.0, 90.0")
    assert full.feed(",") is None and full.feed("]") is not None  # nothing left to add
    stops = full.feed('], stops=["Santa Barbara", ')
    assert stops.feed('"Santa Barbara"') is None                  # no repeats in one call
    assert stops.feed('"Monterey"])\n').finished


def test_a_stated_list_is_given_whole_and_a_later_call_takes_another():
    tools = _tool(data={"type": "array", "items": {"type": "integer"}})
    first = list(range(1, 21))                                   # longer than a free list
    second = list(range(31, 51))
    request = f"the first set is {first} and the second set is {second}; a histogram of each"
    m = _after(tools, request, f" f(data={first})")
    assert m is not None
    assert m.feed("; f(data=[1") is None                          # that list is given
    assert m.feed(f"; f(data={second})\n").finished
    again = _after(tools, f"a histogram of {first}, then another of it", f" f(data={first})")
    assert again.feed("; f(data=[1") is not None                  # no other list: it may repeat


def test_values_listed_after_both_go_with_each_of_the_other_calls():
    tools = _tool(start={"type": "string"}, end={"type": "string"}, route={"type": "string"})
    request = "Drive from Paris to Lyon, then from Lyon to Nice, considering both fast and scenic routes"
    two = _after(tools, request, ' f(start="Paris", end="Lyon", route="fast"); '
                                 'f(start="Lyon", end="Nice", route="scenic")')
    assert two.feed("\n") is None                                  # each trip goes both ways
    third = two.feed('; f(start="Paris", end="Lyon", route=')
    assert third.feed('"fast"') is None and third.feed('"scenic")') is not None
    assert two.feed('; f(start="Nice"') is None                    # no such trip
    four = third.feed('"scenic"); f(start="Lyon", end="Nice", route="fast")')
    assert four.feed("\n").finished
    plain = _after(tools, request.replace("both ", ""), ' f(start="Paris", end="Lyon", '
                   'route="fast"); f(start="Lyon", end="Nice", route="scenic")')
    assert plain.feed("\n").finished                               # without "both": paired


def test_a_wanted_tool_is_called_before_the_decision_ends():
    m = Matcher.for_decision(TOOLS, max_calls=4, wanted=["area", "light"]).feed(
        ' light(room="hall")')
    assert m.feed("\n") is None                       # area is still wanted
    assert m.feed("; light(") is None                 # and comes next
    assert m.feed('; area(base=1, height=2)\n').finished


def test_a_list_of_numbers_shares_its_label_and_a_repeat_call_takes_the_next_one():
    tools = _tool(loan_amount={"type": "integer"}, loan_term={"type": "integer"})
    m = Matcher.for_decision(tools, max_calls=4, ground=Grounding(
        "a loan amount of $400,000 and a loan term of 15, 20 and 30 years"))
    assert m.feed(" f(loan_amount=15") is None              # 400000 is the labelled amount
    second = m.feed(" f(loan_amount=400000, loan_term=15); f(loan_amount=400000, loan_term=")
    assert second is not None                               # the amount repeats
    assert second.feed("15") is None                        # the term moves on along its list
    assert second.feed("20)").feed("; f(loan_amount=400000, loan_term=30)\n").finished


def test_thousands_groups_are_whole_and_not_read_in_a_list_written_without_spaces():
    flows = _tool(cash_flows={"type": "array", "items": {"type": "integer"}})
    m = Matcher.for_decision(flows, ground=Grounding("NPV of cash_flows=[200,300,400]"))
    assert m.feed(" f(cash_flows=[200300400") is None
    assert m.feed(" f(cash_flows=[200, 300, 400])\n").finished
    year = _tool(day={"type": "integer"}, year={"type": "integer"})
    dated = Matcher.for_decision(year, ground=Grounding("the museum on Jun. 20,2023"))
    assert dated.feed(" f(day=20202") is None                # 20, then 2023
    assert dated.feed(" f(day=20, year=2023)\n").finished
    big = _tool(amount={"type": "integer"})
    assert Matcher.for_decision(big, ground=Grounding("a loan of 1,250,000 dollars")).feed(
        " f(amount=1250000)\n").finished


def test_a_list_that_takes_a_stated_list_takes_it_from_start_to_end():
    flows = _tool(cash_flows={"type": "array", "items": {"type": "integer"}})
    m = Matcher.for_decision(flows, ground=Grounding("NPV of the flows [-500, 100, 150] at 8"))
    assert m.feed(" f(cash_flows=[100") is None               # not without its first item
    assert m.feed(" f(cash_flows=[-500, 100, 150])\n").finished
    assert m.feed(" f(cash_flows=[-500, 150") is None         # and in its order
    assert m.feed(" f(cash_flows=[-500, 100]") is None        # to its end
    numbers = _tool(data={"type": "array", "items": {"type": "integer"}})
    m = Matcher.for_decision(numbers, ground=Grounding("sort the numbers 5, 3, 8 and 1"))
    assert m.feed(" f(data=[5, 3, 1") is None
    assert m.feed(" f(data=[5, 3, 8, 1])\n").finished


def test_a_tables_rows_take_the_numbers_no_earlier_row_took():
    tables = _tool(table={"type": "array", "items": {"type": "array", "items": {"type": "integer"}}})
    m = Matcher.for_decision(tables, ground=Grounding("a 2x2 table [ [10, 20], [30, 40] ]"))
    assert m.feed(" f(table=[[10, 20], [10") is None         # not the first row again
    assert m.feed(" f(table=[[10, 20], [30, 40], [") is None  # one 2 is no row of two
    assert m.feed(" f(table=[[10, 20], [30, 40]])\n").finished


def test_a_label_names_an_argument_by_its_abbreviation_and_by_most_words():
    tools = _tool(sample_std_dev={"type": "integer"}, sample_size={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "a standard deviation of 10, a sample size of 50 and a sample mean of 25"))
    assert m.feed(" f(sample_std_dev=50") is None
    assert m.feed(" f(sample_std_dev=10, sample_size=25") is None
    assert m.feed(" f(sample_std_dev=10, sample_size=50)\n").finished


def test_a_number_is_named_by_the_word_after_it():
    tools = _tool(hits={"type": "integer"}, at_bats={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "a player who has 180 hits and 600 at-bats"))
    assert m.feed(" f(hits=600") is None   # "hits and 600": hits names 180, not 600
    assert m.feed(" f(hits=180, at_bats=600)\n").finished


def test_a_percentage_reads_as_a_fraction_unless_the_argument_asks_for_a_percentage():
    tools = _tool(rate={"type": "float", "description": "The annual interest rate."},
                  yield_={"type": "float", "description": "The yield as a percentage."},
                  years={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding("at 5% with a 3% yield over 7 years"))
    assert m.feed(" f(rate=5,") is None and m.feed(" f(rate=0.05,") is not None
    m = m.feed(" f(rate=0.05, yield_=")
    assert m.feed("0.03,") is None and m.feed("3, years=7)\n").finished


def test_a_listed_item_sharing_a_word_with_the_value_still_asks_for_its_call():
    tools = _tool(protein={"type": "string"})
    m = Matcher.for_decision(tools, max_calls=3, ground=Grounding(
        "Get the sequence of HbA1c, normal hemoglobin, and rat hemoglobin"))
    two = ' f(protein="HbA1c"); f(protein="rat hemoglobin")'
    assert m.feed(two + "\n") is None                     # "normal hemoglobin" has no call
    assert m.feed(two + '; f(protein="normal hemoglobin")\n').finished


def test_an_exponent_is_no_stated_number():
    tools = _tool(acceleration={"type": "integer"}, time={"type": "integer"})
    m = Matcher.for_decision(tools, max_calls=4, ground=Grounding(
        "Accelerating at 3 m/s^2 for 5 seconds"))
    assert m.feed(" f(acceleration=2") is None                   # the 2 of s^2
    assert m.feed(" f(acceleration=3, time=5)\n").finished      # no number is left for more


def test_a_number_times_a_power_of_ten_is_one_number():
    tools = _tool(permittivity={"type": "float"})
    m = Matcher.for_decision(tools, ground=Grounding("in a vacuum of 8.854 x 10^-12 F/m"))
    assert m.feed(" f(permittivity=8.854)") is None and m.feed(" f(permittivity=10)") is None
    assert m.feed(" f(permittivity=8.854e-12)\n").finished


def test_a_text_does_not_run_over_the_year_another_argument_takes():
    tools = _tool(act_name={"type": "string"}, amendment_year={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding("Details of the Crime Act of 2013, please"))
    assert m.feed(' f(act_name="Crime Act of') is None        # nor over the word leading it
    assert m.feed(' f(act_name="Crime Act", amendment_year=2013)\n').finished
    codes = _tool(case={"type": "string"}, year={"type": "integer"})
    coded = Matcher.for_decision(codes, ground=Grounding("Case 2018ABC, filed in 2018"))
    assert coded.feed(' f(case="2018ABC", year=2018)\n').finished   # a code is no year


def test_a_text_is_no_choice_of_another_argument():
    tools = _tool(color={"type": "string"}, kinds={"type": "array", "items": {
        "type": "string", "enum": ["RGB", "HEX"]}})
    m = Matcher.for_decision(tools, ground=Grounding("The RGB and HEX values for navy?"))
    assert m.feed(' f(color="RGB"') is None
    assert m.feed(' f(color="navy", kinds=["RGB", "HEX"])\n').finished


# A tool whose name says what kind of thing its value is.
_RECIPES = tools_from_definitions([{"name": "recipe_search.find", "parameters": {
    "type": "dict", "properties": {"dish": {"type": "string"}}, "required": ["dish"]}}])


def test_a_text_does_not_take_a_word_of_the_tools_name_written_in_lower_case():
    tools = _RECIPES
    m = Matcher.for_decision(tools, ground=Grounding("Find a Chicken Soup recipe, or a Recipe"))
    assert m.feed(' recipe_search.find(dish="Chicken Soup recipe') is None
    assert m.feed(' recipe_search.find(dish="recipe') is None
    assert m.feed(' recipe_search.find(dish="Chicken Soup")\n').finished
    assert m.feed(' recipe_search.find(dish="Recipe")\n').finished  # as a name it may
    # unless the argument's description names it as a value
    roles = tools_from_definitions([{"name": "get_president", "parameters": {
        "type": "dict", "properties": {"position": {"type": "string", "description":
                                                    "Either 'president' or 'vice president'."}},
        "required": ["position"]}}])
    said = Matcher.for_decision(roles, ground=Grounding("Who was vice president in 1990?"))
    assert said.feed(' get_president(position="vice president")\n').finished


def test_a_text_does_not_start_inside_a_name():
    tools = _tool(model={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding("Price of a used Gibson Les Paul guitar"))
    assert m.feed(' f(model="Les') is None
    assert m.feed(' f(model="Gibson Les Paul")\n').finished
    code = Matcher.for_decision(tools, ground=Grounding("The building with building Id B1004"))
    assert code.feed(' f(model="B1004")\n').finished  # a code may follow a short label
    piano = Matcher.for_decision(tools, ground=Grounding("Stock of a Yamaha P125 piano"))
    assert piano.feed(' f(model="P125') is None  # but not a maker's name
    assert piano.feed(' f(model="Yamaha P125")\n').finished
    first = Matcher.for_decision(tools, ground=Grounding("Paris is where? And Find Rome"))
    assert first.feed(' f(model="Paris")\n').finished


def test_quotes_around_a_request_of_several_lines_mark_no_value():
    tools = _RECIPES
    m = Matcher.for_decision(tools, ground=Grounding('"Plan a dinner.\n\nFind a Soup recipe."'))
    assert m.feed(' recipe_search.find(dish="Soup recipe') is None


def test_a_later_call_takes_no_number_labelled_for_another_argument_of_its_tool():
    tools = _tool(charge={"type": "integer"}, distance={"type": "float"})
    later = _after(tools, "The field at a distance of 0.5 meters from a charge of 2. Then at a "
                   "distance of 1 meter from the same charge.",
                   " f(charge=2, distance=0.5); f(charge=")
    assert later.feed("1") is None
    assert later.feed("2, distance=1)\n").finished


def test_a_number_in_the_arguments_unit_comes_before_one_its_label_names():
    tools = _tool(mass={"type": "integer", "description": "Mass of the substance in grams."})
    m = Matcher.for_decision(tools, ground=Grounding(
        "Melt 500 grams of ice, then boil the same mass of water at 100 degrees."))
    assert m.feed(" f(mass=1") is None
    assert m.feed(" f(mass=500)\n").finished


def test_a_text_whose_description_names_the_only_values_takes_one_of_them():
    tools = _tool(method={"type": "string", "description":
                          "Choices are 'trapezoid' or 'simpson'."}, function={"type": "string"})
    later = _after(tools, "Integrate 'x^2' with the 'trapezoid' method, then do the same but "
                   "with 'simpson'.", ' f(method="trapezoid", function="x^2"); f(method="')
    assert later.feed('same') is None
    assert later.feed('simpson", function="x^2")\n').finished
    # one it says in another form; not one it does not say ("'list' for a list of ...")
    phases = _tool(mass={"type": "integer"}, phase={"type": "string", "description":
        "Can be 'melting', 'vaporization' or 'freezing'; 'list' for a list of all."})
    m = _after(phases, "The energy for melting 500 g of ice, then freezing and vaporizing it",
               ' f(mass=500, phase="melting"); f(mass=500, phase="')
    assert m.feed('list') is None and m.feed('vaporizing') is None
    assert m.feed('vaporization")') is not None


def test_a_described_value_said_only_in_another_form_is_written_the_descriptions_way():
    tools = _tool(suit={"type": "string", "description":
                        "The card suit. Valid values include: 'spades', 'hearts', 'clubs'."})
    m = Matcher.for_decision(tools, ground=Grounding("The odds of drawing a heart card"))
    assert m.feed(' f(suit="heart"') is None
    assert m.feed(' f(suit="hearts")\n').finished
    detail = _tool(level={"type": "string", "description": "Can be 'summary' or 'detailed'."},
                   company={"type": "string"})
    m = Matcher.for_decision(detail, ground=Grounding("Give me detail information on Apple Inc."))
    assert m.feed(' f(level="Apple') is None
    assert m.feed(' f(level="detailed", company="Apple Inc.")\n').finished
    # an optional choice too, as the schema spells it
    crime = tools_from_definitions([{"name": "g", "parameters": {"type": "dict", "properties": {
        "crime": {"type": "string"},
        "level": {"type": "string", "enum": ["basic", "detailed"]}}, "required": ["crime"]}}])
    m = Matcher.for_decision(crime, ground=Grounding("Punishments for theft, in detail."))
    assert m.feed(' g(crime="theft", level="basic"') is None
    assert m.feed(' g(crime="theft", level="detailed")\n').finished


def test_a_named_optional_number_is_not_one_an_earlier_call_gave_another_argument():
    tools = tools_from_definitions([
        {"name": "history", "parameters": {"type": "dict", "properties": {
            "days": {"type": "integer"}}, "required": ["days"]}},
        {"name": "balance", "parameters": {"type": "dict", "properties": {
            "account": {"type": "string"}, "starting_balance": {"type": "float"}},
            "required": ["account"]}}])
    m = _after(tools, "Get the history of account 'A1' for 7 days and the total balance.",
               ' history(days=7); balance(account="A1"')
    assert m.feed(", starting_balance=") is None
    assert m.feed(")\n").finished


def test_a_unit_the_description_names_is_written_as_it_does():
    tools = tools_from_definitions([{"name": "distance", "parameters": {"type": "dict",
        "properties": {"to": {"type": "string"}, "units": {"type": "string", "description":
                                                           "The units ('miles' or 'km')."}},
        "required": ["to"]}}])
    m = Matcher.for_decision(tools, ground=Grounding("How far is Boston in mile?"))
    assert m.feed(' distance(to="Boston", units="mile"') is None
    assert m.feed(' distance(to="Boston", units="miles")\n').finished


def test_a_number_the_call_has_used_up_is_the_models_choice_not_a_repeat():
    tools = _tool(total={"type": "integer"}, hearts={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding("Draw a heart from a deck of 52 cards."))
    assert m.feed(" f(total=52, hearts=13)\n").finished


def test_an_email_address_argument_takes_an_address_the_request_gives():
    tools = _tool(to={"type": "string", "description": "The email address to send to."})
    m = Matcher.for_decision(tools, ground=Grounding("Email John Doe at john.doe@example.com."))
    assert m.feed(' f(to="John') is None
    assert m.feed(' f(to="john.doe@example.com")\n').finished


def test_a_repeat_call_varies_a_string_the_request_lists_with_others():
    tools = _tool(location={"type": "string"}, movie={"type": "string"})
    listed = _after(tools, "Find movies in Seattle and Los Angeles: Tenet",
                    ' f(location="Seattle", movie="Tenet"); f(location=')
    assert listed.feed('"Seattle"') is None                # listed with a city no call used
    assert listed.feed('"Los Angeles", movie="Tenet")\n').finished
    shared = _after(tools, "Find showings near San Diego of Tenet and No Time To Die",
                    ' f(location="San Diego", movie="Tenet"); f(location="San Diego", movie=')
    assert shared is not None                               # not listed: it may repeat
    assert shared.feed('"Tenet"') is None and shared.feed('"No Time To Die")\n').finished


def test_a_decision_has_at_least_min_calls():
    m = Matcher.for_decision(TOOLS, max_calls=4, min_calls=2).feed(' light(room="hall")')
    assert m.feed("\n") is None
    assert m.feed('; light(room="kitchen")\n').finished


def test_a_flag_the_request_names_is_on_unless_negated():
    tools = tools_from_definitions([{"name": "case", "parameters": {"type": "dict", "properties": {
        "docket": {"type": "integer"}, "full_text": {"type": "boolean"},
        "include_history": {"type": "boolean"}}, "required": ["docket"]}}])
    def after_docket(request):
        return Matcher.for_decision(tools, ground=Grounding(request)).feed(" case(docket=1, ")
    history = after_docket("Case 1 with its history")
    assert history.feed("include_history=False") is None
    assert history.feed("full_text") is None                  # not named: left out
    assert history.feed("include_history=True)\n").finished
    assert after_docket("Case 1. Don't return full text").feed("full_text=True") is None
    both = after_docket("Case 1 with full text, and case 2 without full text").feed("full_text=")
    assert both.feed("True") is not None and both.feed("False") is not None


def test_scaled_numbers_read_scaled_and_from_rest_or_dropped_reads_zero():
    tools = _tool(population={"type": "integer"}, initial_speed={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "a population of 213 million that starts from rest"))
    assert m.feed(" f(population=213,") is None                   # not 213 alone
    assert m.feed(" f(population=213000000, initial_speed=0)\n").finished
    fall = _tool(initial_velocity={"type": "integer"}, height={"type": "integer"})
    dropped = Matcher.for_decision(fall, ground=Grounding("An object dropped from 100 m"))
    assert dropped.feed(" f(initial_velocity=100") is None         # dropped: from rest
    assert dropped.feed(" f(initial_velocity=0, height=100)\n").finished


def test_how_often_a_year_reads_as_a_number_for_the_argument_it_labels():
    tools = _tool(principal={"type": "integer"}, years={"type": "integer"},
                  periods_per_year={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "Interest on $5000 for 5 years, compounded quarterly"))
    assert m.feed(" f(principal=5000, years=5, periods_per_year=5") is None  # 4, not 5 again
    assert m.feed(" f(principal=5000, years=5, periods_per_year=4)\n").finished
    monthly = Matcher.for_decision(tools, ground=Grounding("$5000 for 3 years, paid monthly"))
    assert monthly.feed(" f(principal=5000, years=3, periods_per_year=12)\n").finished
    rate = _tool(distance={"type": "integer"}, reduction={
        "type": "integer", "description": "The percentage decrease per year."})
    annual = Matcher.for_decision(rate, ground=Grounding("12,000 miles annually, 5% less"))
    assert annual.feed(" f(distance=12000, reduction=1") is None  # a rate, not how often
    often = _tool(n={"type": "integer", "description": "The number of times interest applied "
                     "per time period."}, years={"type": "integer"})
    first = Matcher.for_decision(often, ground=Grounding(
        "A savings account that compounds interest quarterly for 5 years"))
    assert first.feed(" f(n=5") is None  # how often comes first for how often
    assert first.feed(" f(n=4, years=5)\n").finished


def test_a_time_of_day_reads_as_its_hour_for_an_argument_on_a_24_hour_clock():
    tools = _tool_with({
        "city": {"type": "string"},
        "closing_hour": {"type": "integer", "description": "Latest closing time, 24 hour format."},
        "hours": {"type": "integer", "description": "The hour hand's position."}}, ["city"])
    m = Matcher.for_decision(tools, ground=Grounding("A cafe in Boston open until 11 PM"))
    assert m.feed(' f(city="Boston", closing_hour=23)\n').finished
    assert m.feed(' f(city="Boston", hours=23') is None      # a clock's hand: 11 only
    again = Matcher.for_decision(tools, max_calls=2, ground=Grounding(
        "A cafe in Boston open until 11 PM"))
    assert again.feed(' f(city="Boston", closing_hour=23)\n').finished  # 11 PM is used
    late = Matcher.for_decision(tools, ground=Grounding("A cafe in Boston open until 22:00"))
    assert late.feed(' f(city="Boston", closing_hour=22)\n').finished


def test_a_span_of_time_without_a_number_reads_in_the_arguments_unit():
    tools = _tool_with({
        "city": {"type": "string"},
        "days": {"type": "integer", "description": "Number of days for the forecast."}},
        ["city", "days"])
    week = Grounding("Air quality in Boston for the next week")
    m = Matcher.for_decision(tools, ground=week)
    assert m.feed(' f(city="Boston", days=1') is None         # a week is 7 days
    assert m.feed(' f(city="Boston", days=7)\n').finished
    assert not week.misses_numbers(tools[0])                  # so the request states one
    assert Grounding("Air quality in Boston").misses_numbers(tools[0])


def test_a_first_call_takes_the_one_described_example_the_request_says():
    tools = _tool_with({
        "field": {"type": "string", "description": "The field of law, e.g., constitutional law, "
                                                   "criminal law."},
        "color": {"type": "string", "description": "The color. Default is 'Blue'."}},
        ["field", "color"])
    m = Matcher.for_decision(tools, ground=Grounding(
        "Top cases in constitutional law in China, painted blue and then red"))
    assert m.feed(' f(field="China') is None                   # not the example it says
    assert m.feed(' f(field="constitutional law", color="red")\n').finished  # a default: free
    scale = tools_from_definitions([{"name": "g", "parameters": {"type": "dict", "properties": {
        "key": {"type": "string", "description": "The root, e.g., 'C', 'F#'."}},
        "required": ["key"]}}])
    sharp = Matcher.for_decision(scale, ground=Grounding("The key signature of C# major"))
    assert sharp.feed(' g(key="C#")\n').finished               # "C#" does not say "C"
    sort = tools_from_definitions([{"name": "h", "parameters": {"type": "dict", "properties": {
        "order": {"type": "string", "description": "This can be 'asc' for ascending order, or "
                                                   "'desc' for descending order."}},
        "required": ["order"]}}])
    meant = Matcher.for_decision(sort, ground=Grounding("Sort the names in ascending order"))
    assert meant.feed(' h(order="ascending') is None           # the value that means it
    assert meant.feed(' h(order="asc")\n').finished


def test_an_optional_date_the_request_states_is_asked_for():
    tools = _tool_with({
        "stock": {"type": "string", "description": "The stock."},
        "date": {"type": "string", "description": "The date of the rate."},
        "end_date": {"type": "string", "description": "The last day."}}, ["stock"])
    m = Matcher.for_decision(tools, ground=Grounding("The price of Apple at January 1, 2022"))
    assert m.feed(' f(stock="Apple")\n') is None                 # the date is not left out
    assert m.feed(' f(stock="Apple", date="2022-01-01")\n').finished  # end_date: it gave it


def test_a_list_that_begins_with_a_stated_list_keeps_to_it():
    tools = _tool(data={"type": "array", "items": {"type": "integer"}}, bins={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "a histogram of 85, 90 and 88 with 5 bins")).feed(" f(data=[85, 90, 88")
    assert m.feed(", 5") is None                                  # 5 is not in that list
    assert m.feed("], bins=5)\n").finished


def test_items_of_a_list_neither_contain_nor_repeat_each_other():
    tools = _tool(indexes={"type": "array", "items": {"type": "string"}})
    m = Matcher.for_decision(tools, ground=Grounding(
        "Market performance of the S&P 500 and the Dow Jones, and of the Dow Jones alone"))
    assert m.feed(' f(indexes=["S&P 500", "S&P 500 and the Dow Jones"') is None  # holds one
    assert m.feed(' f(indexes=["S&P 500 and the Dow Jones", "S&P 500"') is None  # lies inside
    assert m.feed(' f(indexes=["S&P 500", "Dow Jones", ') is None      # nothing else listed
    assert m.feed(' f(indexes=["S&P 500", "Dow Jones"])\n').finished
    one = Matcher.for_decision(tools, ground=Grounding("the Dow Jones and the Dow"))
    assert one.feed(' f(indexes=["Dow Jones", "Dow"') is None      # inside, word for word


def test_a_list_takes_only_items_the_request_lists_with_it():
    tools = _tool(start={"type": "string"}, stops={"type": "array", "items": {"type": "string"}})
    m = Matcher.for_decision(tools, ground=Grounding(
        "Travel time from San Francisco with stops at Santa Barbara and Monterey. Leave on Monday"))
    start = m.feed(' f(start="San Francisco", stops=[')
    assert start.feed('"San Francisco"') is None                 # the call's other value
    two = start.feed('"Santa Barbara", "Monterey"')
    assert two.feed(", ") is None                                # the request lists no more
    assert start.feed('"Santa Barbara", "Monday"') is None       # not listed with it
    assert two.feed("])\n").finished
    notes = Matcher.for_decision(_tool(notes={"type": "array", "items": {"type": "string"}}),
                                 ground=Grounding("a melody with C4, E4, F4, G4."))
    assert notes.feed(' f(notes=["C4", "E4", "F4", "G4"])\n').finished
    assert notes.feed(' f(notes=["C4", "C4, E4"') is None        # holds an item


def test_a_decision_goes_on_while_the_request_lists_items_no_call_used():
    tools = _tool(city={"type": "string"})
    listed = _after(tools, "Prices of a piano in Berlin, Madrid and Rome",
                    ' f(city="Berlin")')
    assert listed.feed("\n") is None                          # Madrid and Rome are left
    more = listed.feed('; f(city="Rome")')
    assert more.feed("\n") is None                            # Madrid is left
    assert more.feed('; f(city="Madrid")\n').finished
    one_place = _after(tools, "The weather in Seattle, Washington",
                       ' f(city="Seattle")')
    assert one_place.feed("\n").finished                      # a comma alone is no list
    named = _after(tools, "The religion of the Persian Empire and Mauryan Empire",
                   ' f(city="Persian Empire")')
    assert named.feed("\n") is None                          # Mauryan Empire is left


def test_a_string_value_ends_before_and_unless_quoted():
    tools = _tool(title={"type": "string"})
    plain = Matcher.for_decision(tools, ground=Grounding("Find the books Dune and Emma"))
    assert plain.feed(' f(title="Dune and') is None
    quoted = Matcher.for_decision(tools, ground=Grounding("Find the book 'Pride and Prejudice'"))
    assert quoted.feed(' f(title="Pride and Prejudice")\n').finished


def test_a_decision_goes_on_until_two_lists_of_the_request_meet_in_every_combination():
    tools = _tool(team={"type": "string"}, season={"type": "integer"})
    start = Matcher.for_decision(tools, max_calls=6, ground=Grounding(
        "The winning percentage of Lakers and Bulls in seasons 2018 and 2020"))
    m = start.feed(' f(team="Lakers", season=2018); f(team="Bulls", season=2020)')
    assert m.feed("\n") is None                                  # Lakers in 2020 is left
    assert m.feed('; f(team="Lakers", season=2018') is None       # made already
    three = m.feed('; f(team="Lakers", season=2020)')
    assert three is not None and three.feed("\n") is None         # and Bulls in 2018
    assert three.feed('; f(team="Bulls", season=2018)\n').finished
    paired = Matcher.for_decision(tools, max_calls=6, ground=Grounding(
        "Lakers and Bulls in seasons 2018 and 2020 respectively")).feed(
        ' f(team="Lakers", season=2018); f(team="Bulls", season=2020)')
    assert paired.feed("\n").finished
    apart = Matcher.for_decision(tools, max_calls=6, ground=Grounding(
        "Lakers in season 2018, and Bulls in season 2020")).feed(
        ' f(team="Lakers", season=2018); f(team="Bulls", season=2020)')
    assert apart.feed("\n").finished                             # no lists: pairs as said


def test_a_decision_goes_on_while_the_request_gives_another_choice_or_quote():
    tools = _tool(genre={"type": "string", "enum": ["Pop", "Rock", "Jazz"]},
                  region={"type": "string"})
    choices = _after(tools, "The most played Pop song, and the most played Rock song in Australia",
                     ' f(genre="Pop", region="Australia")')
    assert choices.feed("\n") is None                         # Rock is left
    assert choices.feed('; f(genre="Pop"') is None            # the next call varies the choice
    assert choices.feed('; f(genre="Rock", region="Australia")\n').finished
    shows = _tool(show={"type": "string"}, region={"type": "string"})
    quoted = _after(shows, "Use 'f' to rate 'Friends' in 'Europe'; then rate 'The Office'",
                    ' f(show="Friends", region="Europe")')
    assert quoted.feed("\n") is None                          # 'The Office' is left
    assert quoted.feed('; f(show="Friends"') is None
    assert quoted.feed('; f(show="The Office", region="Europe")\n').finished  # all said
    alone = _after(shows, "Use 'f' to rate 'Friends' in Europe",
                   ' f(show="Friends", region="Europe")')
    assert alone.feed("\n").finished                          # a tool's name is no value


def test_a_decision_goes_on_while_a_task_of_the_request_names_what_no_call_said():
    tools = _tool(start={"type": "string"}, end={"type": "string"})
    m = _after(
        tools, "The fastest route from San Francisco to Palo Alto, then from my office to San Jose",
        ' f(start="San Francisco", end="Palo Alto")')
    assert m.feed("\n") is None                                  # San Jose's task is left
    assert m.feed('; f(start="my office", end="San Jose")\n').finished
    events = _tool(event={"type": "string"})
    held = _after(
        events, "What was the Treaty of Paris about? Also, why does the Magna Carta matter?",
        ' f(event="Treaty of Paris")')
    assert held.feed("\n") is None                  # a value that holds a name counts too
    assert held.feed('; f(event="Magna Carta")\n').finished


def test_a_later_call_takes_the_name_of_a_task_no_call_did():
    events = _tool(event={"type": "string"})
    request = "What was the Treaty of Paris about? Also, why does the Magna Carta matter?"
    held = _after(events, request, ' f(event="Treaty of Paris")')
    assert held.feed('; f(event="Treaty') is None               # the next task's name, not it
    assert held.feed('; f(event="Magna Carta")\n').finished
    keys = _tool(key={"type": "string"}, tempo={"type": "integer"})
    music = _after(keys, "Write music in D Minor at 120 bpm. Then write music in E Major at 90 bpm.",
                   ' f(key="D Minor", tempo=120)')
    assert music.feed('; f(key="E Major", tempo=90)\n').finished   # from its letter on
    routes = _tool(start={"type": "string"}, end={"type": "string"})
    both = _after(routes, "From San Francisco to Palo Alto, then from my office to San Jose",
                  ' f(start="San Francisco", end="Palo Alto")')
    assert both.feed('; f(start="my office"') is not None      # two arguments gave names


def test_a_decision_goes_on_while_the_request_leads_another_name_the_same_way():
    tools = _tool(start={"type": "string"}, end={"type": "string"})
    m = _after(
        tools, "The distance between New York and Washington, and between Los Angeles and Fresno",
        ' f(start="New York", end="Washington")')
    assert m.feed("\n") is None                            # "between" leads Los Angeles too
    assert m.feed('; f(start="Los Angeles", end="Fresno")\n').finished
    weight = _after(_tool(planet={"type": "string"}),
                    "How heavy am I on Mars if I weigh a lot on Earth", ' f(planet="Mars")\n')
    assert weight.finished                                  # not joined: one task
    pairs = _tool(base={"type": "string"}, target={"type": "string"})
    earlier = _after(pairs, "The exchange rates of USD to AUD and USD to CAD",
                     ' f(base="USD", target="CAD")')
    assert earlier.feed("\n") is None                     # "to" led AUD before CAD
    assert earlier.feed('; f(base="USD", target="AUD")\n').finished


def test_a_decision_goes_on_while_the_noun_after_a_value_follows_another_name():
    tools = _tool(species={"type": "string"}, model={"type": "string"})
    m = _after(
        tools, "The rate for the African Elephant using the Darwin model, and with the Lamarck "
        "model",
        ' f(species="African Elephant", model="Darwin")')
    assert m.feed("\n") is None                                # the Lamarck model is left
    assert m.feed('; f(species="African Elephant", model="Lamarck")\n').finished
    alone = _after(tools, "The rate for the African Elephant using the Darwin model",
                   ' f(species="African Elephant", model="Darwin")')
    assert alone.feed("\n").finished                           # no other name says "model"
    lamarck_first = _after(
        tools, "The rate for the African Elephant using the Darwin model, and with the Lamarck "
        "model", ' f(species="African Elephant", model="Lamarck")')
    assert lamarck_first.feed("\n") is None                    # and the one before it is left


def test_an_abbreviation_dot_does_not_end_a_list():
    tools = _tool(company={"type": "string"})
    m = _after(tools, "Prices for Apple Inc., Google LLC., and Microsoft Corporation",
               ' f(company="Apple Inc.")')
    assert m.feed("\n") is None                                 # Google and Microsoft are left


def test_a_decision_goes_on_while_the_request_gives_another_code():
    tools = _tool(case={"type": "string"}, court={"type": "string"})
    m = _after(
        tools, "The status of case XY1234 in Los Angeles Court, and of case GH5678 in Orange Court",
        ' f(case="XY1234", court="Los Angeles Court")')
    assert m.feed("\n") is None                                  # GH5678 is left
    assert m.feed('; f(case="GH5678", court="Orange Court")\n').finished
    alone = _after(tools, "The status of case XY1234 in Los Angeles Court",
                   ' f(case="XY1234", court="Los Angeles Court")')
    assert alone.feed("\n").finished
    assert codes_in("BRCA1, C6H12O6 or P125 on a 12x18 sheet, 5ft 10in, 100µF, 1e-9") == [
        "BRCA1", "C6H12O6", "P125"]                       # sizes and measures are no codes


def test_a_choice_said_only_inside_a_longer_one_is_not_stated():
    tools = _tool(condition={"type": "string", "enum": ["New", "Like New", "Used"]})
    m = Matcher.for_decision(tools, ground=Grounding("A game from 1985 in like new condition"))
    assert m.feed(' f(condition="New"') is None
    assert m.feed(' f(condition="Like New")\n').finished


def test_an_asked_for_call_that_adds_nothing_stalls_the_decision():
    def f(**arguments):
        return {"name": "f", "arguments": arguments}
    ground = Grounding("Weather in Berlin and Madrid for 3 days, in Celsius")
    earlier = [f(city="Berlin", days=3)]
    assert not ground.advances(earlier, f(city="Berlin", days=4))     # 4 is not stated
    assert ground.advances(earlier, f(city="Madrid", days=3))         # Madrid is new
    assert ground.advances(earlier, f(city="Berlin", days=3, unit="Celsius"))
    more = Grounding("A painting in oil and in red, 12x18")
    assert not more.advances([f(medium="oil")], f(medium="oil and in red"))  # "oil", said on
    assert more.advances([f(medium="oil")], f(medium="red"))
    back = Grounding("From Palo Alto to San Jose, and back from San Jose to Palo Alto")
    assert back.advances([f(start="Palo Alto", end="San Jose")],  # a text new to its argument
                         f(start="San Jose", end="Palo Alto"))
    tools = _tool(city={"type": "string"}, days={"type": "integer"})
    m = Matcher.for_decision(tools, max_calls=4, min_calls=2).feed(' f(city="Berlin", days=3)')
    stalled = m.feed('; f(city="Berlin", days=3)')
    assert stalled.finished and stalled.stalled and len(stalled.result) == 1


def test_a_call_the_model_adds_that_adds_nothing_ends_the_decision():
    tools = _tool(city={"type": "string"}, days={"type": "integer"})
    request = "Weather in Berlin and Madrid for 3 days, and the week after for 4 days"
    m = _after(tools, request, ' f(city="Berlin", days=3); f(city="Madrid", days=4)')
    ended = m.feed('; f(city="Berlin", days=4)')           # no city nor number new
    assert ended.finished and not ended.stalled and len(ended.result) == 2
    first = _after(tools, request, ' f(city="Berlin", days=3)')
    goes_on = first.feed('; f(city="Madrid", days=4)')          # Madrid is new: it goes on
    assert goes_on is not None and not goes_on.finished


def test_a_grounded_string_has_no_dead_end_at_a_quote():
    def dead_ends(m, depth):  # the prefixes from which no character goes on
        if m.finished:
            return []
        nexts = [(c, after) for c in string.printable if (after := m.feed(c)) is not None]
        if not nexts:
            return [""]
        return [c + rest for c, after in nexts if depth for rest in dead_ends(after, depth - 1)]
    tools = _tool(sequence={"type": "string"}, reference={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding(
        'Analyze "AGCT" and "AGGT" against the reference "AGCT"'))
    assert dead_ends(m.feed(' f(sequence="AGCT'), 2) == []            # at its closing quote
    taken = m.feed(' f(sequence="AGCT", reference="AG')
    assert taken.feed("CT") is None       # taken, and it could only run past its quote
    assert dead_ends(taken, 3) == [] and taken.feed('GT")\n').finished


def test_a_list_goes_on_only_where_an_item_can_start_and_values_end_on_no_comma():
    tools = _tool(items={"type": "array", "items": {"type": "string"}}, city={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "I need to do some shopping, can you price olive oil in San Francisco, California?"))
    listed = m.feed(' f(items=["do some shopping"')
    assert listed.feed(",") is None                    # "can you ..." starts no item
    city = listed.feed('], city="San Francisco,')
    assert city.feed('"') is None and city.feed(' California")\n').finished
    named = Matcher.for_decision(_tool(method_used={"type": "string"}), ground=Grounding(
        "Who discovered gravity and what was the method used?"))
    assert named.feed(' f(method_used="method"') is None   # only words of its own name


def test_a_value_does_not_start_with_a_word_that_frames_the_request():
    tools = _tool(text={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding("Can you check 'Can you hear me' for me?"))
    assert m.feed(' f(text="Can you check') is None              # the request's own words
    assert m.feed(' f(text="Can you hear me")\n').finished       # quoted: a value
    name = Matcher.for_decision(tools, ground=Grounding("What was the Treaty of Paris about?"))
    assert name.feed(' f(text="the Treaty') is None               # "the" is not the name's
    assert name.feed(' f(text="Treaty of Paris")\n').finished


def test_a_list_of_choices_holds_each_choice_the_request_lists_together():
    tools = _tool(info={"type": "array", "items": {
        "type": "string", "enum": ["Elevation", "Area", "Location"]}})
    m = Matcher.for_decision(tools, ground=Grounding(
        "The elevation and area of Yellowstone, and its location")).feed(' f(info=["Elevation"')
    assert m.feed("]") is None                               # area is listed with it
    assert m.feed(', "Area"])\n').finished                   # location is not: it may end
    choices = {"type": "string", "enum": ["scenic_views", "Camping", "Picnic Areas", "A", "C"]}
    park = Matcher.for_decision(_tool(parts={"type": "array", "items": choices}), ground=Grounding(
        "A park that allows camping and has a scenic view, near the lake with picnic areas"))
    assert park.feed(' f(parts=["Camping"]') is None      # other forms, words between
    assert park.feed(' f(parts=["Camping", "scenic_views"])\n').finished
    assert Grounding("A park, then C").stated_enum(choices) == ["C"]  # "A park" says no "A"


def test_a_value_ends_before_a_preposition_or_a_clause_unless_quoted():
    tools = _tool(city={"type": "string"}, body={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "The crime rate in San Francisco in 2020, and mail 'meet me in town' to Ann"))
    assert m.feed(' f(city="San Francisco in') is None
    assert m.feed(' f(city="rate in San Francisco') is None    # nor runs through one
    assert m.feed(' f(city="2020, and') is None
    done = m.feed(' f(city="San Francisco", body="meet me in town")\n')
    assert done.result[0]["arguments"] == {"city": "San Francisco", "body": "meet me in town"}
    assert m.feed(""" f(city="San Francisco", body="meet me in town'""") is None  # past quotes
    sentences = Matcher.for_decision(_tool(place={"type": "string"}), ground=Grounding(
        "A day at the beach. Then Mr. Smith came"))
    assert sentences.feed(' f(place="the beach. Then') is None  # into the next sentence
    assert sentences.feed(' f(place="Mr. Smith")\n').finished  # an abbreviation ends none


def test_an_optional_argument_is_given_a_value_its_description_names():
    tools = tools_from_definitions([{"name": "movies", "parameters": {"type": "dict",
        "properties": {"city": {"type": "string"}, "format": {
            "type": "string", "description": "Format of movies, could be 'IMAX', '2D' etc."},
            "diet": {"type": "string", "description": "A diet, such as vegan or keto."}},
        "required": ["city"]}}])
    m = Matcher.for_decision(tools, ground=Grounding("Find imax movies in Seattle"))
    after_city = m.feed(' movies(city="Seattle"')
    assert after_city.feed(', diet=') is None              # the request names no diet
    assert after_city.feed(', format="Seattle"') is None   # only the value it names
    assert after_city.feed(', format="imax")\n').finished  # in the request's spelling
    plain = Matcher.for_decision(tools, ground=Grounding("Find movies in Seattle"))
    assert plain.feed(' movies(city="Seattle", format=') is None


def test_an_optional_number_takes_only_a_number_the_call_has_not_used():
    tools = tools_from_definitions([{"name": "forecast", "parameters": {"type": "dict",
        "properties": {"days": {"type": "integer"}, "min_humidity": {"type": "integer"}},
        "required": ["days"]}}])
    m = Matcher.for_decision(tools, ground=Grounding("The humidity in Miami for the next 7 days"))
    assert m.feed(" forecast(days=7, min_humidity=") is None  # 7 is the days' number
    two = Matcher.for_decision(tools, ground=Grounding("Humidity over 60 for the next 7 days"))
    assert two.feed(" forecast(days=7, min_humidity=60)\n").finished


def test_an_optional_unit_takes_the_unit_the_request_asks_for_or_gives_its_numbers_in():
    tools = tools_from_definitions([{"name": "circle", "parameters": {"type": "dict",
        "properties": {"radius": {"type": "integer"}, "unit": {"type": "string"}},
        "required": ["radius"]}}])
    m = Matcher.for_decision(tools, ground=Grounding("The circumference of a circle with a "
                                                     "radius of 4 inches"))
    assert m.feed(' circle(radius=4, unit="circle"') is None
    assert m.feed(' circle(radius=4, unit="inches")\n').finished
    asked = Matcher.for_decision(tools, ground=Grounding("The area of a circle of radius 4 cm, "
                                                         "in inches"))
    assert asked.feed(' circle(radius=4, unit="cm"') is None  # the answer is asked in inches
    mixed = Matcher.for_decision(tools, ground=Grounding("The BMI for 85 kg and 180 cm"))
    assert mixed.feed(" circle(radius=85, unit=") is None     # two units: neither is it


def test_an_argument_for_a_year_takes_a_stated_year():
    tools = tools_from_definitions([{"name": "crime_rate", "parameters": {"type": "dict",
        "properties": {"city": {"type": "string"}, "year": {"type": "integer"}},
        "required": ["city"]}}])
    m = Matcher.for_decision(tools, ground=Grounding("The crime rate in Denver in 2020, top 5"))
    assert m.feed(' crime_rate(city="Denver", year=5') is None
    assert m.feed(' crime_rate(city="Denver", year=2020)\n').finished
    none = Matcher.for_decision(tools, ground=Grounding("The top 5 crime rates in Denver"))
    assert none.feed(' crime_rate(city="Denver", year=') is None
    # once the year its label names is taken, a later call takes the year no call took
    later = _after(tools, "The crime rate in Denver in 2015? And the same for the year 2020?",
                   ' crime_rate(city="Denver", year=2020); crime_rate(city="Denver", year=')
    assert later.feed("2020") is None and later.feed("2015)\n").finished


def test_a_call_takes_no_number_of_a_sentence_that_states_another_calls_numbers():
    tools = _tool(bedrooms={"type": "integer"}, baths={"type": "integer"})
    m = Matcher.for_decision(tools, max_calls=2, ground=Grounding(
        "The first house has 3 bedrooms and 2 baths. The second house has 4 bedrooms and 1 bath."))
    second = m.feed(" f(bedrooms=3, baths=2); f(bedrooms=4, baths=")
    assert second.feed("2") is None and second.feed("1)\n").finished
    shared = Matcher.for_decision(_tool(trials={"type": "integer"}, p={"type": "float"}),
                                  max_calls=2, ground=Grounding(
        "A player scores 60% of shots. Out of 10 shots, how likely is 7? And out of 15?"))
    assert shared.feed(" f(trials=10, p=0.6)").feed("; f(trials=15, p=0.6)\n").finished
    # a number labelled with the argument, which the call's own sentence labels none so
    groups = Matcher.for_decision(_tool(total={"type": "integer"}, extroverts={"type": "integer"},
                                        introverts={"type": "integer"}), ground=Grounding(
        "Divide your class of 30 students into groups. You know that 15 of your students are "
        "extroverts and 15 are introverts. Then mix 2 paints at 70%."))
    assert groups.feed(" f(total=30, extroverts=15, introverts=15)\n").finished


def test_a_number_all_calls_share_does_not_place_a_later_call_in_its_sentence():
    tools = _tool(mass={"type": "integer"}, initial={"type": "integer"}, final={"type": "integer"})
    m = Matcher.for_decision(tools, max_calls=2, ground=Grounding(
        "An experiment heats a 2 kg sample from an initial temperature of 25 to a final "
        "temperature of 75. The experiment is repeated, but this time the initial temperature "
        "is 10 and the final temperature is 50."))
    second = m.feed(" f(mass=2, initial=25, final=75); f(mass=2, initial=")
    assert second.feed("25") is None                       # the mass, shared, places nothing
    assert second.feed("10, final=50)\n").finished


def test_a_first_call_takes_the_numbers_of_the_first_sentence_that_states_them():
    tools = _tool(charge={"type": "integer"}, distance={"type": "float"})
    m = Matcher.for_decision(tools, max_calls=3, ground=Grounding(
        "The field at a distance of 0.5 meters from a charge of 2 coulombs. Then at a "
        "distance of 1 meter and 3 meters from a charge of 2 coulombs."))
    assert m.feed(" f(charge=2, distance=1") is None          # the second sentence's
    assert m.feed(" f(charge=2, distance=0.5); f(charge=2, distance=1.0); "
                  "f(charge=2, distance=3.0)\n").finished
    assert m.feed(" f(charge=2, distance=3") is None
    # nor a number of a later sentence that states only one
    m = Matcher.for_decision(tools, max_calls=3, ground=Grounding(
        "The field at a distance of 0.5 meters from a charge of 2 coulombs? Then at a "
        "distance of 1 meter and 3 meters? Lastly at a distance of 4 meters in air?"))
    assert m.feed(" f(charge=2, distance=4") is None
    assert m.feed(" f(charge=2, distance=0.5)").finished is False


def test_a_start_from_rest_is_a_labelled_initial_speed():
    tools = _tool(initial_velocity={"type": "integer"}, time={"type": "integer"})
    m = Matcher.for_decision(tools, max_calls=2, ground=Grounding(
        "Car A starts from rest for 10 seconds. Car B starts with an initial velocity of 20 "
        "m/s for 15 seconds."))
    assert m.feed(" f(initial_velocity=20") is None            # the second car's
    assert m.feed(" f(initial_velocity=0, time=10); f(initial_velocity=20, time=15)\n").finished


def test_a_label_reaches_four_words_back():
    tools = _tool(short_term_gain={"type": "integer"}, long_term_gain={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "the tax for a short term gain of $15000 and a long term gain of $25000"))
    assert m.feed(" f(short_term_gain=25000") is None
    assert m.feed(" f(short_term_gain=15000, long_term_gain=25000)\n").finished


def test_a_value_does_not_end_inside_a_name():
    tools = _tool(location={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "Predict the growth of forest in Yellowstone National Park for the next 5 years."))
    assert m.feed(' f(location="Yellowstone")') is None
    assert m.feed(' f(location="Yellowstone National Park")\n').finished
    place = _tool(location={"type": "string", "description": "The city and state, e.g. Boston, MA"})
    m = Matcher.for_decision(place, ground=Grounding("A hospital around Denver, Colorado"))
    assert m.feed(' f(location="Denver")') is None            # nor before its region
    assert m.feed(' f(location="Denver, Colorado")\n').finished
    assert m.feed(' f(location="Denver, Colorado, U') is None  # it has its region: no code
    bare = Matcher.for_decision(place, ground=Grounding("A hospital around Denver"))
    assert bare.feed(' f(location="Denver, CO")\n').finished


def test_an_optional_date_is_offered_when_the_request_states_a_date():
    tools = tools_from_definitions([{"name": "weather", "parameters": {"type": "dict",
        "properties": {"city": {"type": "string"},
                       "date": {"type": "string", "description": "The day, YYYY-MM-DD."}},
        "required": ["city"]}}])
    m = Matcher.for_decision(tools, ground=Grounding("The weather in Oslo at January 1, 2022"))
    assert m.feed(' weather(city="Oslo", date="2022-01-01")\n').finished
    assert m.feed(' weather(city="Oslo", date=True') is None    # a date, and only that one
    assert m.feed(' weather(city="Oslo", date="2022-01-02"') is None


def test_value_depth_tells_a_value_from_the_structure_around_it():
    m = Matcher.for_decision(TOOLS, max_calls=4)
    at = {text: m.feed(text).value_depth() for text in (
        " area(", " area(base=", " area(base=1", " area(base=1, height=2, unit=\"c",
        ' light(room="hall", levels=[', ' light(room="hall", levels=[1, ',
        ' light(room="hall", levels=[1', ' light(room="h', ' light(room="hall"',
        " area(base=1, height=2)", " area(base=1, height=2); ")}
    assert at[" area("] is None                      # a key or the call's end comes next
    assert at[" area(base="] == at[" area(base=1"]   # the number about to start, and in it
    assert at[' area(base=1, height=2, unit="c'] is not None
    assert at[' light(room="h'] is not None           # an enum's literal is a value too
    assert at[' light(room="hall"'] is None
    assert at[' light(room="hall", levels=['] is None   # whether the list has an item
    assert at[' light(room="hall", levels=[1, '] is not None
    assert at[' light(room="hall", levels=[1'] is not None
    assert at[" area(base=1, height=2)"] is None and at[" area(base=1, height=2); "] is None


def test_a_later_call_takes_a_number_like_the_earlier_calls_one_that_no_call_used():
    tools = _tool(trials={"type": "integer"}, successes={"type": "integer"},
                  p={"type": "float"})
    ground = Grounding("You win a round with a 0.3 probability. If you play 20 times, what is "
                       "the chance of winning exactly 5 times? And if you play 50 times, of "
                       "winning exactly 15 times?")
    m = Matcher.for_decision(tools, max_calls=2, ground=ground)
    second = m.feed(" f(trials=20, successes=5, p=0.3); f(trials=")
    assert second.feed("20") is None and second.feed("5,") is None  # used by the first call
    assert second.feed("50, successes=15, p=0.3)\n").finished       # 0.3 is said once
    again = Matcher.for_decision(tools, max_calls=2, ground=Grounding(
        "If you play 20 times, what is the chance of winning 5 times? Then the same with a "
        "0.3 and a 0.5 probability."))
    assert again.feed(" f(trials=20, successes=5, p=0.3); f(trials=20, successes=5, p=0.5)\n"
                      ).finished                                    # "the same": may repeat


def test_quotes_around_the_whole_request_mark_no_value():
    tools = _tool(name={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding(
        '"Can you find the chess club named \'Knight Gambit\' in Boston?"'))
    assert m.feed(' f(name="Can you find') is None    # not one quoted value
    assert m.feed(' f(name="Knight Gambit")\n').finished
    inches = Matcher.for_decision(tools, ground=Grounding(
        '"Can you tell me who discovered the Higgs Boson? I am 5\'11" tall."'))
    assert inches.feed(' f(name="Can you') is None   # an inch mark is no quote
    assert inches.feed(' f(name="Higgs Boson")\n').finished


def test_a_flag_the_request_names_in_another_form_is_asked_for_and_set_that_way():
    tools = _tool_with({
        "target": {"type": "string"}, "standardize": {"type": "boolean"},
        "detailed": {"type": "boolean"}}, ["target"])
    m = Matcher.for_decision(tools, ground=Grounding("Fit 'price', with standardization."))
    assert m.feed(' f(target="price", detailed') is None     # no word of it is said
    assert m.feed(' f(target="price")') is None              # asked for: not left out
    assert m.feed(' f(target="price", standardize=False') is None
    assert m.feed(' f(target="price", standardize=True)\n').finished
    no = Matcher.for_decision(tools, ground=Grounding("Fit 'price' without standardization."))
    assert no.feed(' f(target="price", standardize=True') is None


def test_an_argument_for_one_end_takes_no_value_the_request_gives_the_other_end():
    tools = _tool(from_currency={"type": "string"}, to_currency={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding("Convert 200 euros to US dollars"))
    assert m.feed(' f(from_currency="USD') is None             # said after "to"
    assert m.feed(' f(from_currency="EUR", to_currency="USD")\n').finished
    asked_in = Matcher.for_decision(tools, ground=Grounding("I have 100 euro. How much in USD?"))
    assert asked_in.feed(' f(from_currency="USD') is None    # a currency "in" USD is the target
    route = _tool(origin={"type": "string"}, destination={"type": "string"})
    trip = Matcher.for_decision(route, max_calls=2, ground=Grounding(
        "Drive from Boston to Albany, then from Albany to the coast"))
    assert trip.feed(' f(origin="Albany", destination="Boston') is None
    assert trip.feed(' f(origin="Boston", destination="Albany"); '
                     'f(origin="Albany", destination="coast")\n').finished


def test_a_value_for_one_end_does_not_run_into_the_other_ends():
    route = _tool(start={"type": "string"}, end={"type": "string"})
    m = Matcher.for_decision(route, ground=Grounding("Directions from New York to Los Angeles"))
    assert m.feed(' f(start="New York to Los') is None         # into the end's value
    assert m.feed(' f(start="New York", end="Los Angeles")\n').finished


def test_a_percentage_one_argument_took_is_used_up_for_the_others():
    tools = _tool(rate={"type": "float"}, time={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "Compound interest at an annual rate of 3% for 5 years"))
    after = m.feed(" f(rate=0.03, time=")
    assert after.feed("3") is None                              # the 3 of "3%", taken as 0.03
    assert after.feed("5)\n").finished


def test_an_optional_list_of_choices_takes_the_choices_the_request_asks_for():
    tools = _tool_with({
        "start": {"type": "string"}, "end": {"type": "string"},
        "avoid": {"type": "array", "items": {"type": "string",
                                             "enum": ["tolls", "highways", "ferries"]}}},
        ["start", "end"])
    m = Matcher.for_decision(tools, ground=Grounding(
        "Directions from New York to Los Angeles avoiding highways and toll roads"))
    assert m.feed(' f(start="New York", end="Los Angeles")\n') is None  # asked for outright
    assert m.feed(' f(start="New York", end="Los Angeles", avoid=["highways", "tolls"])\n'
                  ).finished
    plain = Matcher.for_decision(tools, ground=Grounding("Directions from New York to Boston"))
    assert plain.feed(' f(start="New York", end="Boston")\n').finished
    # a choice the request names asks for the list, its name said or not
    unnamed = Matcher.for_decision(tools, ground=Grounding(
        "Directions from New York to Boston with no ferries"))
    assert unnamed.feed(' f(start="New York", end="Boston")\n') is None
    assert unnamed.feed(' f(start="New York", end="Boston", avoid=["ferries"])\n').finished


def test_a_quoted_value_named_for_another_argument_is_not_this_ones():
    tools = _tool(artist={"type": "string"}, title={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "Find the size of the sculpture with title 'David' by Michelangelo."))
    assert m.feed(' f(artist="David') is None                  # "title 'David'"
    assert m.feed(' f(artist="Michelangelo", title="David")\n').finished


def test_a_place_that_wants_its_state_adds_the_state_code_the_request_leaves_out():
    tools = _tool(location={"type": "string", "description": "The city and state, e.g. Boston, MA"})
    def written(request, text):
        m = Matcher.for_decision(tools, ground=Grounding(request)).feed(text)
        return m is not None and m.finished
    assert written("Vegan food in Los Angeles.", ' f(location="Los Angeles, CA")\n')
    assert not written("Vegan food in Los Angeles.", ' f(location="Los Angeles")\n')
    assert not written("Vegan food in Los Angeles.", ' f(location="Los Angeles, C")\n')
    assert not written("Vegan food in Los Angeles.", ' f(location="Los, CA")\n')  # name goes on
    assert not written("Food in Boston, MA today", ' f(location="Boston, NY")\n')  # it says MA
    plain = _tool(location={"type": "string", "description": "The city."})
    m = Matcher.for_decision(plain, ground=Grounding("Vegan food in Los Angeles."))
    assert m.feed(' f(location="Los Angeles, CA') is None
    # the place is still read where the request writes it: "in" leads another place
    two = _after(tools, "Vegan food in New York and sushi in Los Angeles.",
                 ' f(location="New York, NY")')
    assert two.feed("\n") is None
    assert two.feed('; f(location="Los Angeles, CA")\n').finished


def test_an_optional_argument_the_request_asks_for_outright_is_not_left_out():
    tools = _tool_with({
        "player_name": {"type": "string"}, "starting_level": {"type": "integer"},
        "power": {"type": "integer"}}, ["player_name"])
    asked = Matcher.for_decision(tools, ground=Grounding(
        "Create the player 'Sam' and set the starting level to 5.")).feed(' f(player_name="Sam"')
    assert asked.feed(")") is None and asked.feed(", power") is None
    assert asked.feed(", starting_level=5)\n").finished
    unnamed = Matcher.for_decision(tools, ground=Grounding("Create the player 'Sam' at 5."))
    assert unnamed.feed(' f(player_name="Sam")\n').finished  # 5 is not said to be the level


def test_an_optional_number_given_in_the_unit_its_description_names_is_asked_for():
    tools = _tool_with({
        "city": {"type": "string"},
        "max_distance": {"type": "integer", "description": "Maximum distance (in miles)."},
        "max_price": {"type": "integer", "description": "Highest price in USD."}}, ["city"])
    m = Matcher.for_decision(tools, ground=Grounding("Restaurants in Seattle within 10 miles."))
    after = m.feed(' f(city="Seattle"')
    assert after.feed(")") is None and after.feed(", max_price") is None
    assert after.feed(", max_distance=10)\n").finished
    other = Matcher.for_decision(tools, ground=Grounding("Restaurants in Seattle for 10 people."))
    assert other.feed(' f(city="Seattle")\n').finished
    assert other.feed(' f(city="Seattle", max_distance') is None


def test_a_number_in_a_quotient_unit_its_description_names_comes_before_a_labelled_one():
    tools = _tool_with({
        "speed": {"type": "float", "description": "The initial speed in m/s."},
        "acceleration": {"type": "float", "description": "The rate of change of speed, m/s^2."},
        "time": {"type": "float", "description": "The time, in seconds."}},
        ["speed", "acceleration", "time"])
    request = ("It moves at 5 m/s and starts to accelerate at a rate of 2 m/s^2. It keeps this "
               "acceleration for 10 seconds.")
    m = _after(tools, request, ' f(speed=5, acceleration=')
    assert m.feed("10") is None  # labelled "acceleration", but in seconds
    assert m.feed("2, time=10)\n").finished


def test_a_call_of_another_tool_that_says_a_one_task_request_better_replaces_the_last():
    number = {"type": "integer"}
    tools = tools_from_definitions([
        {"name": "base_height", "parameters": {"type": "dict", "properties": {
            "base": number, "height": number}, "required": ["base", "height"]}},
        {"name": "heron", "parameters": {"type": "dict", "properties": {
            "a": number, "b": number, "c": number}, "required": ["a", "b", "c"]}}])
    text = " base_height(base=3, height=4); heron(a=3, b=4, c=5)\n"
    one = _after(tools, "The area of a triangle with sides 3, 4 and 5.", text)
    assert one.result == [{"name": "heron", "arguments": {"a": 3, "b": 4, "c": 5}}]
    two = _after(tools, "The area of a triangle with base 3 and height 4. Then the area of "
                        "one with sides 3, 4 and 5.", text)
    assert [c["name"] for c in two.result] == ["base_height", "heron"]


def test_a_value_does_not_end_on_a_word_that_leads_to_more():
    tools = _tool(title={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding("Is 'To Kill a Mockingbird' in San Jose?"))
    assert m.feed(' f(title="To Kill a"') is None
    assert m.feed(' f(title="To Kill a Mockingbird")\n').finished
    place = Matcher.for_decision(tools, ground=Grounding("The crime rate in San Francisco in 2020"))
    assert place.feed(' f(title="San Francisco in"') is None
    assert place.feed(' f(title="San Francisco")\n').finished


def test_an_optional_text_the_request_names_and_gives_a_described_value_of_is_asked_for():
    tools = _tool_with({
        "a": {"type": "integer"},
        "root_type": {"type": "string",
                      "description": "'real' for real roots, 'all' for both real and complex."}},
        ["a"])
    asked = Matcher.for_decision(tools, ground=Grounding("Find all the roots for a = 3."))
    assert asked.feed(" f(a=3)") is None
    assert asked.feed(' f(a=3, root_type="all")\n').finished
    unsaid = Matcher.for_decision(tools, ground=Grounding("Solve it for a = 3."))
    assert unsaid.feed(" f(a=3)\n").finished


def test_a_quoted_value_whose_leading_word_leads_another_quote_asks_for_another_call():
    tools = _tool(length={"type": "integer"}, nucleotide={"type": "string"})
    request = "Two sequences of length 500: one rich in nucleotide 'A', one in nucleotide 'T'."
    first = _after(tools, request, ' f(length=500, nucleotide="A")')
    assert first.feed("\n") is None                          # 'T' is not called yet
    assert first.feed('; f(length=500, nucleotide="T")\n').finished
    plain = _after(tools, "A sequence of length 500 rich in nucleotide 'A'.",
                   ' f(length=500, nucleotide="A")')
    assert plain.feed("\n").finished


def test_a_place_argument_may_take_the_place_the_request_says_something_is_in():
    tools = _tool_with({
        "artist": {"type": "string"}, "location": {"type": "string"}}, ["artist"])
    ground = Grounding("Find sculptures by Michelangelo in Rome, Italy.")
    place = Matcher.for_decision(tools, ground=ground)
    assert place.feed(' f(artist="Michelangelo", location="Rome, Italy")\n').finished
    assert place.feed(' f(artist="Michelangelo", location="Rome")\n').finished
    assert place.feed(' f(artist="Michelangelo", location="Michelangelo")') is None
    assert place.feed(' f(artist="Michelangelo")\n') is None  # said: asked for
    named = Grounding("Find sculptures by Michelangelo in the city of Florence.")
    assert Matcher.for_decision(tools, ground=named).feed(
        ' f(artist="Michelangelo", location="Florence")\n').finished
    elsewhere = Matcher.for_decision(tools, ground=Grounding("Find sculptures by Michelangelo."))
    assert elsewhere.feed(' f(artist="Michelangelo", location=') is None


def test_an_optional_text_given_a_value_its_description_names_is_asked_for():
    tools = _tool_with({
        "city": {"type": "string"},
        "diet": {"type": "array", "items": {"type": "string"},
                 "description": "Dietary requirements, e.g. vegan, gluten-free."}}, ["city"])
    asked = Matcher.for_decision(tools, ground=Grounding("Find Thai food in Boston with a vegan menu."))
    assert asked.feed(' f(city="Boston")\n') is None
    assert asked.feed(' f(city="Boston", diet=["vegan"])\n').finished
    unsaid = Matcher.for_decision(tools, ground=Grounding("Find Thai food in Boston."))
    assert unsaid.feed(' f(city="Boston")\n').finished


def test_a_chained_route_starts_each_call_where_the_request_starts_a_move():
    tools = tools_from_definitions([{"name": "d", "parameters": {"type": "dict", "properties": {
        "origin": {"type": "string"}, "destination": {"type": "string"}},
        "required": ["origin", "destination"]}}])
    ground = Grounding("Distance from New York to Los Angeles, then from Los Angeles to Miami, "
                       "and finally from Miami back to New York?")
    route = Matcher.for_decision(tools, 4, ground=ground)
    first = ' d(origin="New York", destination="Los Angeles")'
    assert route.feed(first + "\n") is None  # two moves are left
    assert route.feed(first + '; d(origin="New York", ') is None  # started from already
    assert route.feed(first + '; d(origin="Los Angeles", destination="Miami"); '
                      'd(origin="Miami", destination="New York")\n').finished
    fan = Grounding("Distance from New York to Los Angeles and to Miami?")
    assert Matcher.for_decision(tools, 4, ground=fan).feed(
        first + '; d(origin="New York", destination="Miami")\n').finished


def test_a_function_value_leaves_out_the_name_the_request_gives_it():
    tools = _tool(function={"type": "string"})
    ground = Grounding("Integrate the function y = x^3 from 1 to 2.")
    assert Matcher.for_decision(tools, ground=ground).feed(' f(function="x^3")\n').finished
    assert Matcher.for_decision(tools, ground=ground).feed(' f(function="y') is None
    named = Grounding("Find the integral of the function f(x) = 3x^2 from 1 to 2.")
    assert Matcher.for_decision(tools, ground=named).feed(' f(function="f(') is None


def test_listed_values_shared_by_two_tools_go_to_each():
    tools = tools_from_definitions([
        {"name": name, "parameters": {"type": "dict", "properties": {"year": {"type": "integer"}},
                                      "required": ["year"]}} for name in ("life", "gdp")])
    ground = Grounding("The life expectancy in 1900 and 1950, and the GDP in these years?")
    calls = ' life(year=1900); gdp(year=1950)'
    m = Matcher.for_decision(tools, 4, ground=ground)
    assert m.feed(calls + "\n") is None  # life in 1950 and gdp in 1900 are left
    assert m.feed(calls + "; life(year=1900)") is None
    assert m.feed(calls + "; life(year=1950); gdp(year=1900)\n").finished
    one = Grounding("The life expectancy in 1900 and the GDP in 1950?")
    assert Matcher.for_decision(tools, 4, ground=one).feed(calls + "\n").finished


def test_random_walks_through_bfcl_grammars_reach_no_dead_end():
    """From every prefix the grammar accepts some character goes on, whatever the model
    writes: random walks over the call language of 150 BFCL requests (grounded values,
    lists, quotes, several calls) until each decision finishes."""
    data = Path(os.environ.get("BFCL_DATA_DIR", SHARED_DATA))
    items = [item for c in CATEGORIES if c != "irrelevance" for item in load_category(data, c)]
    rng = random.Random(4)
    for item in rng.sample(items, 150):
        m = Matcher.for_decision(tools_from_definitions(item.functions, item.id), 4, True,
                                 Grounding(item.request))
        chars, text = sorted(set(string.printable) | set(item.request)), ""
        while not m.finished and len(text) < 400:
            nexts = [(c, after) for c in chars if (after := m.feed(c)) is not None]
            assert nexts, f"{item.id}: dead end after {text!r}"
            c, m = rng.choice(nexts)
            text += c


def test_a_short_name_word_labels_a_number_as_it_is_said():
    tools = _tool(company={"type": "string"}, employee_id={"type": "integer"})
    request = ("Fetch the data for the employee with the ID of 12345 from 'Acme'. Then do the "
               "same for the employee with the ID of 67890 from the same company.")
    m = _after(tools, request, ' f(company="Acme", employee_id=12345)')
    assert m.feed('; f(company="Acme", employee_id=12345') is None   # its ID is taken
    assert m.feed('; f(company="Acme", employee_id=67890)\n').finished


def test_a_count_of_a_whole_is_not_the_least_number_its_part_could_be():
    tools = _tool(number_of_trials={"type": "integer"}, number_of_successes={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding("Exactly 5 heads in 8 tosses of a coin"))
    assert m.feed(' f(number_of_trials=5') is None
    assert m.feed(' f(number_of_trials=8, number_of_successes=5)\n').finished
    alone = _tool(total={"type": "integer"}, size={"type": "integer"})
    m = Matcher.for_decision(alone, ground=Grounding("A total of 5 in groups of 8"))
    assert m.feed(' f(total=5') is not None                  # no part beside it


def test_west_and_south_coordinates_are_negative():
    tools = _tool(coord1={"type": "array", "items": {"type": "float"}})
    m = Matcher.for_decision(tools, ground=Grounding(
        "The distance between (33.4484 N, 112.0740 W) and (34.0522 N, 118.2437 W)"))
    assert m.feed(' f(coord1=[33.4484, 112.074') is None
    assert m.feed(' f(coord1=[33.4484, -112.074])\n').finished
    plain = Matcher.for_decision(_tool(size={"type": "integer"}), ground=Grounding("5 S shirts"))
    assert plain.feed(' f(size=5)\n').finished               # no coordinates, no sign


def test_a_call_takes_no_text_from_a_clause_about_another_tool():
    tools = tools_from_definitions([
        {"name": "flight", "parameters": {"type": "dict", "properties": {
            "to": {"type": "string"}}, "required": ["to"]}},
        {"name": "hotel", "parameters": {"type": "dict", "properties": {
            "city": {"type": "string"}}, "required": ["city"]}}])
    request = "Book a flight to Seattle and a hotel in Boston for 4 nights."
    owners = {"book a flight to seattle": "flight", "a hotel in boston for 4 nights.": "hotel"}

    def after(text, request=request, owners=owners):
        return Matcher.for_decision(tools, max_calls=2,
                                    ground=Grounding(request, owners=owners)).feed(text)
    assert after(' flight(to="Seattle"); hotel(city="Seattle') is None   # the flight's clause
    assert after(' flight(to="Seattle"); hotel(city="Boston")\n').finished
    assert after(' flight(to="Boston') is None
    assert after(' flight(to="Boston', owners={}) is not None          # without the ranking
    # a clause that names nothing of its own, or refers back, takes what another clause says
    back = "Book a flight to Seattle and a hotel in the same city for 4 nights."
    keys = {"book a flight to seattle": "flight", "a hotel in the same city for 4 nights.": "hotel"}
    assert after(' flight(to="Seattle"); hotel(city="Seattle")\n', back, keys).finished
    vague = "Book a flight to Seattle and a hotel there for 4 nights."
    keys = {"book a flight to seattle": "flight", "a hotel there for 4 nights.": "hotel"}
    assert after(' flight(to="Seattle"); hotel(city="Seattle")\n', vague, keys).finished


def test_a_clause_that_gives_its_own_formula_keeps_the_other_clauses_formula_out():
    """BFCL's parallel_multiple_19: "from -2 to 2. Also" ends a sentence after one digit."""
    integral = {"type": "dict", "properties": {
        "function": {"type": "string"}, "lower_limit": {"type": "number"},
        "upper_limit": {"type": "number"}}, "required": ["function", "lower_limit", "upper_limit"]}
    tools = tools_from_definitions([{"name": "gaussian", "parameters": integral},
                                    {"name": "definite", "parameters": integral}])
    request = ("Perform Gaussian integral of the function exp(-x^2) from -2 to 2. "
               "Also calculate the definite integral from 0 to 3.1416 of sin(x).")
    assert sentence_at(request, request.index("0 to")) == 1
    owners = {"perform gaussian integral of the function exp(-x^2) from -2 to 2.": "gaussian",
              "also calculate the definite integral from 0 to 3.1416 of sin(x).": "definite"}
    m = Matcher.for_decision(tools, max_calls=2, ground=Grounding(request, owners=owners))
    first = ' gaussian(function="exp(-x^2)", lower_limit=-2, upper_limit=2); '
    assert m.feed(first + 'definite(function="exp') is None
    assert m.feed(first + 'definite(function="sin(x)", lower_limit=0, upper_limit=3.1416)\n'
                  ).finished
    # a list's numbers start no sentence of their own ("\n2. Find ...")
    listed = "Two tasks:\n1. Find the area.\n2. Find the volume."
    assert sentence_at(listed, listed.index("area")) == 0


def test_a_number_in_words_counts_what_follows_it():
    tools = _tool(adults={"type": "integer"}, children={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding("A room for two adults and one child"))
    assert m.feed(' f(adults=1') is None                     # "one" is the child's
    assert m.feed(' f(adults=2, children=1)\n').finished
    # what a number counts is no value of an argument named like it ("two charges of 5C")
    charges = _tool(charge1={"type": "integer"}, charge2={"type": "integer"})
    m = Matcher.for_decision(charges, ground=Grounding("The force between two charges of 5C "
                                                       "and 7C"))
    assert m.feed(' f(charge1=5, charge2=7)\n').finished


def test_a_call_takes_no_number_from_a_clause_about_another_tool():
    tools = tools_from_definitions([
        {"name": "factorial", "parameters": {"type": "dict", "properties": {
            "number": {"type": "integer"}}, "required": ["number"]}},
        {"name": "primes", "parameters": {"type": "dict", "properties": {
            "start": {"type": "integer"}, "end": {"type": "integer"}},
            "required": ["start", "end"]}}])
    request = "Calculate the factorial of 8 and generate the prime numbers from 1 to 50."
    owners = {"calculate the factorial of 8": "factorial",
              "generate the prime numbers from 1 to 50.": "primes"}

    def after(text, owners=owners):
        return Matcher.for_decision(tools, max_calls=2,
                                    ground=Grounding(request, owners=owners)).feed(text)
    assert after(' factorial(number=1') is None
    assert after(' factorial(number=8); primes(start=1, end=50)\n').finished
    assert after(' factorial(number=1', owners={}) is not None   # without the ranking


def test_a_call_the_rules_ask_for_is_of_the_tool_whose_clause_states_an_unused_number():
    tools = tools_from_definitions([
        {"name": "stock", "parameters": {"type": "dict", "properties": {
            "company": {"type": "string"}, "days": {"type": "integer"}},
            "required": ["company", "days"]}},
        {"name": "weather", "parameters": {"type": "dict", "properties": {
            "city": {"type": "string"}, "days": {"type": "integer"}},
            "required": ["city", "days"]}}])
    request = ("The stock forecast for Apple for 30 days, and then the stock forecast for "
               "Microsoft for 45 days. After that, the weather in Boston for 7 days, and then in "
               "Denver for 14 days.")
    owners = {"the stock forecast for apple for 30 days": "stock",
              "then the stock forecast for microsoft for 45 days.": "stock",
              "the weather in boston for 7 days": "weather",
              "then in denver for 14 days.": "weather"}
    m = Matcher.for_decision(tools, max_calls=4, ground=Grounding(request, owners=owners))
    # numbers are left in clauses about both tools: the call is for the one stated first
    assert m.feed(' stock(company="Apple", days=30); weather(') is None
    calls = ' stock(company="Apple", days=30); stock(company="Microsoft", days=45); ' \
            'weather(city="Boston", days=7); '
    assert m.feed(calls[:-2] + "\n") is None                    # 14 is left: one call more
    assert m.feed(calls + 'weather(city="Denver", days=14)\n').finished
    assert m.feed(' weather(city="Boston", days=7); stock(') is not None  # a first call is free


def test_a_later_call_takes_a_number_named_for_it_that_no_call_took():
    tools = _tool(short_term_gain={"type": "integer"}, long_term_gain={"type": "integer"},
                  state={"type": "string"})
    request = ("The capital gains tax for a short term capital gains of $15000, long term "
               "gains of $25000 in the state of California and $20000 short term, $50000 long "
               "term in Florida")
    m = _after(tools, request, ' f(short_term_gain=15000, long_term_gain=25000, '
                               'state="California"); f(short_term_gain=')
    assert m.feed('15000') is None
    assert m.feed('20000, long_term_gain=50000, state="Florida")\n').finished


def test_a_kind_is_no_bare_number_and_a_named_word_before_of_is_left_out():
    tools = _tool(room_type={"type": "string"}, nights={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding("Book a deluxe room for 2 nights"))
    assert m.feed(' f(room_type="2"') is None
    assert m.feed(' f(room_type="2 nights"') is None
    assert m.feed(' f(room_type="deluxe", nights=2)\n').finished
    crimes = _tool(crime={"type": "string"})
    m = Matcher.for_decision(crimes, ground=Grounding("The punishments for the crime of theft"))
    assert m.feed(' f(crime="crime of theft"') is None
    assert m.feed(' f(crime="theft")\n').finished


def test_a_time_of_day_gives_hours_and_minutes_and_without_any_reads_zero():
    tools = _tool(hours={"type": "integer"}, minutes={"type": "integer"})
    m = Matcher.for_decision(tools, max_calls=2, ground=Grounding(
        "The angle between the hands at 3:15, and at 8:20"))
    assert m.feed(' f(hours=15') is None
    assert m.feed(' f(hours=3, minutes=15); f(hours=8, minutes=20)\n').finished
    cars = _tool(time={"type": "integer"}, acceleration={"type": "float"})
    m = Matcher.for_decision(cars, ground=Grounding("A car travels 8 seconds without any "
                                                    "acceleration"))
    assert m.feed(' f(time=8, acceleration=0)\n').finished
    firms = _tool(net_income={"type": "integer"}, dividends_paid={"type": "integer"})
    m = _after(firms, "The first company has a net income of $1,000,000 and paid dividends of "
                      "$200,000. The second has a net income of $2,000,000 but did not pay any "
                      "dividends.", ' f(net_income=1000000, dividends_paid=200000); '
                                    'f(net_income=2000000, dividends_paid=')
    assert m.feed('200000') is None
    assert m.feed('0)\n').finished


def test_a_term_after_a_minus_in_a_polynomial_is_negative():
    tools = _tool(a={"type": "integer"}, b={"type": "integer"}, c={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding("Find the roots of 5x^2 - 7x + 3 = 0"))
    assert m.feed(' f(a=5, b=7') is None
    assert m.feed(' f(a=5, b=-7, c=3)\n').finished
    span = _tool(start={"type": "integer"}, end={"type": "integer"})
    m = Matcher.for_decision(span, ground=Grounding("Over 10 - 20 years"))
    assert m.feed(' f(start=10, end=20)\n').finished             # no polynomial


def test_an_optional_number_named_beside_the_calls_own_numbers_is_asked_for():
    """In a request of several tasks (BFCL's parallel_multiple_194), as in one of one task."""
    item = next(i for i in load_category(Path(os.environ.get("BFCL_DATA_DIR", SHARED_DATA)),
                                         "parallel_multiple") if i.id.endswith("_194"))
    m = Matcher.for_decision(tools_from_definitions(item.functions, item.id), 4,
                             ground=Grounding(item.request))
    wave = ' plot_sine_wave(start_range=0, end_range=10, frequency=5, '
    assert m.feed(wave + 'phase_shift=1') is None    # "with an amplitude of 2" is stated
    assert m.feed(wave + 'amplitude=2, phase_shift=1); ') is not None
    # a sentence ends after a percentage ("... of 60%? Lastly, ...")
    text = "With a minimum humidity of 60%? Lastly, London for 7 days."
    assert sentence_at(text, text.index("7")) == 1

def test_an_optional_value_its_task_names_is_asked_for_in_a_request_of_several_tasks():
    """A text quoted after the argument's name, or a number that counts what the argument
    counts, in the task of the call's values: a later call may not leave it out."""
    films = _tool(actor={"type": "string"})
    flights = {"name": "book", "description": "", "parameters": {"type": "dict", "properties": {
        "origin": {"type": "string"}, "destination": {"type": "string"},
        "time": {"type": "string"}}, "required": ["origin", "destination"]}}
    tools = films + tools_from_definitions([flights])
    request = ("Find the films of 'Tom Hanks'. Lastly, book a flight from 'Paris' to 'Rome', "
               "and I prefer the time to be around '10:00AM'.")
    m = Matcher.for_decision(tools, 4, ground=Grounding(request))
    call = ' f(actor="Tom Hanks"); book(origin="Paris", destination="Rome"'
    assert m.feed(call + ')') is None
    assert m.feed(call + ', time="10:00AM")\n').finished
    assert Matcher.for_decision(tools, 4, ground=Grounding(request.replace(
        "the time to be around ", ""))).feed(call + ')') is not None  # no name leads it
    players = _tool_with({"city": {"type": "string"}, "rating": {"type": "integer"},
                          "number_of_players": {"type": "integer",
                                                "description": "Number of players to get"}},
                         ["city", "rating"])
    m = _after(players, "Find the chess players in 'Denver' rated 2000. Second, the top 5 "
                        "chess players in 'Boston' rated 2500.",
               ' f(city="Denver", rating=2000); f(city="Boston", rating=2500')
    assert m.feed(')') is None
    assert m.feed(', number_of_players=5)\n').finished
    hospitals = _tool_with({"city": {"type": "string"}, "radius": {"type": "integer"},
                            "department": {"type": "string", "enum": ["Emergency", "Cardiology"]},
                            "field": {"type": "string", "description": "such as 'Physics'"}},
                           ["city", "radius"])
    request = "First, a hospital in 'Denver' within 5 km. Also, those in 'Boston' within 10 km, "
    m = _after(hospitals, request + "with an Emergency department.",
               ' f(city="Denver", radius=5); f(city="Boston", radius=10')
    assert m.feed(')') is None                        # the choice and the argument's name
    assert m.feed(', department="Emergency")\n').finished
    assert _after(hospitals, request + "with Emergency care.",
                  ' f(city="Denver", radius=5); f(city="Boston", radius=10)') is not None
    m = _after(hospitals, request + "for Physics.",
               ' f(city="Denver", radius=5); f(city="Boston", radius=10')
    assert m.feed(')') is None                        # a value the description names
    assert m.feed(', field="Physics")\n').finished
    flights = _tool_with({"origin": {"type": "string"}, "seats": {"type": "integer"},
                          "direct_flight": {"type": "boolean"}}, ["origin", "seats"])
    m = _after(flights, "First, a flight from 'Rome' for 2 people. Then book a direct flight "
                        "from 'Paris' for 3 people.", ' f(origin="Rome", seats=2); '
                                                      'f(origin="Paris", seats=3')
    assert m.feed(')') is None                        # the flag's name
    assert m.feed(', direct_flight=True)\n').finished


def test_a_range_starts_at_the_number_stated_first():
    tools = _tool(subject={"type": "string"}, from_year={"type": "integer"},
                  to_year={"type": "integer"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "Find a case about 'fraud' between the years 1990 and 2000. Then a library in Boston."))
    assert m.feed(' f(subject="fraud", from_year=2000') is None   # no number after it
    assert m.feed(' f(subject="fraud", from_year=1990, to_year=2000)\n').finished
    ends = _tool(upper_limit={"type": "integer"}, lower_limit={"type": "integer"})
    m = Matcher.for_decision(ends, ground=Grounding("Integrate it from 3 to 5 now."))
    assert m.feed(' f(upper_limit=3') is None                     # the end comes after
    assert m.feed(' f(upper_limit=5, lower_limit=3)\n').finished


def test_feet_and_inches_are_inches():
    tools = _tool_with({
        "height": {"type": "integer", "description": "Height of the person in inches."}},
        ["height"])
    m = Matcher.for_decision(tools, ground=Grounding("A person 5ft 10in tall"))
    assert m.feed(' f(height=5') is None
    assert m.feed(' f(height=70)\n').finished
    quoted = Matcher.for_decision(tools, ground=Grounding('A 180 lbs, 5\'11" tall man'))
    assert quoted.feed(' f(height=71)\n').finished
    # one number, whatever the description says: not the 6 of "6 feet 2 inches" nor the 2
    other = _tool_with({"weight": {"type": "integer"}, "height": {
        "type": "integer", "description": "Height of the person in centimeters."}},
        ["weight", "height"])
    m = Matcher.for_decision(other, ground=Grounding("He weighs 200 pounds and is 6 feet 2 "
                                                     "inches tall"))
    assert m.feed(' f(weight=200, height=6') is None and m.feed(' f(weight=200, height=2') is None
    assert m.feed(' f(weight=200, height=74)\n').finished


def test_a_later_call_does_not_cut_an_earlier_calls_value_short():
    tools = _tool(protein_name={"type": "string"})
    m = _after(tools, "The sequence of human HbA1c, normal hemoglobin, and rat hemoglobin",
               ' f(protein_name="human HbA1c"); f(protein_name="')
    assert m.feed('human"') is None
    assert m.feed('human HbA1c"') is not None  # said again whole: the repeat rule decides
    assert m.feed('normal hemoglobin"') is not None


def test_a_loss_is_negative_where_the_schema_asks_so():
    lost = {"type": "integer", "description": "The amount gained or lost. If lose, provide "
                                              "as negative value."}
    tools = _tool(initial_investment={"type": "integer"}, gain_loss=lost)
    m = Matcher.for_decision(tools, ground=Grounding(
        "An initial investment of $5000 with a loss of $1000"))
    assert m.feed(' f(initial_investment=5000, gain_loss=1000') is None
    assert m.feed(' f(initial_investment=5000, gain_loss=-1000)\n').finished
    plain = _tool(initial_investment={"type": "integer"}, gain_loss={"type": "integer"})
    m = Matcher.for_decision(plain, ground=Grounding(
        "An initial investment of $5000 with a loss of $1000"))
    assert m.feed(' f(initial_investment=5000, gain_loss=1000)\n').finished


def test_a_date_said_from_today_keeps_its_next():
    tools = _tool(location={"type": "string"}, date={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding("Concerts in Berlin next Friday"))
    assert m.feed(' f(location="Berlin", date="Friday"') is None
    assert m.feed(' f(location="Berlin", date="next Friday")\n').finished


def test_a_number_said_as_the_tools_description_says_it_is_no_value():
    tools = _tool_with({"weight": {"type": "integer"}}, ["weight"], "Predict diabetes type 2.")
    m = Matcher.for_decision(tools, ground=Grounding("The type 2 diabetes risk at 150 lbs"))
    assert m.feed(' f(weight=2') is None
    assert m.feed(' f(weight=150)\n').finished


def test_a_later_call_takes_no_number_that_names_another_argument_in_all_its_words():
    tools = _tool(payment_per_year={"type": "integer"}, years={"type": "integer"})
    m = _after(tools, "An investment paying $1000 per year, with an interest rate of 5%, for "
                      "10, 20 and 30 years", ' f(payment_per_year=1000, years=20); '
                                             'f(payment_per_year=')
    assert m.feed('10,') is None
    assert m.feed('1000, years=30)') is not None


def test_cases_taken_up_in_turn_give_each_call_its_own_sentences_values():
    tools = _tool(color={"type": "string"}, habitat={"type": "string"})
    request = ("Which birds did I see? The first one was a blue bird in a forest. The second "
               "one was a black bird near a lake. Lastly, the third one was a green bird in a "
               "desert.")
    m = Matcher.for_decision(tools, max_calls=4, ground=Grounding(request))
    assert m.feed(' f(color="green"') is None
    m = m.feed(' f(color="blue", habitat="forest"); f(color="')
    assert m.feed('blue') is None and m.feed('green') is None
    m = m.feed('black", habitat="lake")')
    assert m.feed('\n') is None  # the third case has no call yet
    assert m.feed('; f(color="green", habitat="desert")\n').finished
    # ordinals out of turn are no cases: "The first charge ... The first time"
    m = Matcher.for_decision(tools, max_calls=4, ground=Grounding(
        "The first bird is blue. The first time it was in a forest."))
    assert m.feed(' f(color="blue", habitat="forest")\n').finished


def test_a_value_of_any_type_is_a_text_of_the_request():
    tools = _tool_with({
        "data": {"type": "any", "description": "The training data."}}, ["data"])
    m = Matcher.for_decision(tools, ground=Grounding("Train a model on the data my_data"))
    assert m.feed(' f(data=True') is None
    assert m.feed(' f(data="my_data")\n').finished


def test_a_number_in_the_span_of_time_an_argument_counts_in_comes_first():
    tools = _tool(time={"type": "integer",
                        "description": "The time the money is invested for in years."})
    m = Matcher.for_decision(tools, ground=Grounding(
        "Interest applied per time period is 4 and the money is invested for 10 years"))
    assert m.feed(' f(time=4') is None
    assert m.feed(' f(time=10)') is not None


def test_a_conversion_goes_from_the_unit_of_the_stated_amount():
    tools = _tool(value={"type": "integer"}, from_unit={"type": "string"},
                  to_unit={"type": "string"})
    m = Matcher.for_decision(tools, ground=Grounding("How many teaspoons are in 2 tablespoons?"))
    assert m.feed(' f(value=2, from_unit="teaspoons", to_unit="tablespoons"') is None
    assert m.feed(' f(value=2, from_unit="tablespoons", to_unit="teaspoons")\n').finished


def test_a_text_ends_with_its_sharp_and_before_another_arguments_choice():
    tools = _tool(key={"type": "string"}, scale_type={"type": "string",
                                                       "enum": ["major", "minor"]})
    m = Matcher.for_decision(tools, ground=Grounding("What key signature does C# major have?"))
    assert m.feed(' f(key="C"') is None
    assert m.feed(' f(key="C# major"') is None
    assert m.feed(' f(key="C#", scale_type="major")\n').finished


def test_an_optional_choice_the_request_says_is_given_in_a_request_of_one_task():
    tools = _tool_with({
        "century": {"type": "integer"},
        "category": {"type": "string", "enum": ["Wars", "Culture", "Politics"]}}, ["century"])
    m = Matcher.for_decision(tools, ground=Grounding("Important Wars of the 19th century"))
    assert m.feed(' f(century=19)') is None
    assert m.feed(' f(century=19, category="Wars")\n').finished


def test_an_optional_count_is_stated_by_a_number_counting_what_it_counts():
    tools = _tool_with({
        "century": {"type": "integer"},
        "count": {"type": "integer", "description": "Number of events to return."}}, ["century"])
    m = Matcher.for_decision(tools, ground=Grounding(
        "Find ten major historical events of the 16th century"))
    assert m.feed(' f(century=16)') is None
    assert m.feed(' f(century=16, count=10)\n').finished


def test_a_percentage_is_a_chance_and_no_count():
    tools = _tool(number_of_trials={"type": "integer"}, number_of_successes={"type": "integer"},
                  probability_of_success={"type": "float"})
    m = Matcher.for_decision(tools, ground=Grounding(
        "A player has a 60% chance of making a shot. In a series of 10 shots, what is the "
        "probability that the player makes exactly 7 shots?"))
    assert m.feed(' f(number_of_trials=60') is None
    assert m.feed(' f(number_of_trials=10, number_of_successes=7, probability_of_success=7') \
        is None
    assert m.feed(' f(number_of_trials=10, number_of_successes=7, '
                  'probability_of_success=0.6)\n').finished


def test_an_offered_unit_keeps_to_the_sentence_of_the_calls_numbers():
    tools = _tool_with({
        "distance": {"type": "integer"}, "time": {"type": "integer"},
        "to_unit": {"type": "string", "description": "The unit of the speed."}},
        ["distance", "time"])
    request = ("A car traveled 500 meters in 25 seconds; give it in km/h. Also a bicycle traveled "
               "1000 meters in 200 seconds; give it in m/s.")
    m = _after(tools, request, ' f(distance=500, time=25, to_unit="km/h"); '
                               'f(distance=1000, time=200, to_unit="')
    assert m.feed('km/h') is None
    assert m.feed('m/s")') is not None


def test_a_later_calls_choices_keep_to_the_task_of_its_values():
    tools = _tool_with({
        "location": {"type": "string"}, "amenities": {"type": "array", "items": {
            "type": "string", "enum": ["Tennis Court", "Picnic Area", "Playground"]}}},
        ["location", "amenities"])
    request = ("Find parks in Boston that have a Tennis Court and a Picnic Area, and then parks "
               "in Denver that have a Playground")
    m = _after(tools, request, ' f(location="Boston", amenities=["Tennis Court", "Picnic Area"]);'
                               ' f(location="Denver", amenities=["')
    assert m.feed('Tennis') is None
    assert m.feed('Playground"])\n').finished


def test_a_function_is_no_bound_of_its_interval():
    tools = _tool(function={"type": "string"}, interval={"type": "array",
                                                         "items": {"type": "float"}})
    m = Matcher.for_decision(tools, ground=Grounding(
        "Calculate the area under the curve y=x^2 from x=1 to x=3."))
    assert m.feed(' f(function="x=1') is None
    assert m.feed(' f(function="x^2", interval=[1.0, 3.0])\n').finished
