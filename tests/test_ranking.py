"""Tool ranking with the real USE encoder: which requests get no call, which cannot be declined,
and which ask for several tools."""

import numpy as np
import pytest

from edgeagent.agent import Agent
from edgeagent.ranking import (ToolRanker, named_apart, named_by_tasks, names_tool, request_parts,
                               shared_words)
from edgeagent.tools import tools_from_definitions

TOOLS = tools_from_definitions([
    {"name": "get_weather", "description": "Get the current weather forecast in a city.",
     "parameters": {"type": "dict", "properties": {"city": {"type": "string"}},
                    "required": ["city"]}},
    {"name": "convert_currency", "description": "Convert an amount of money between currencies.",
     "parameters": {"type": "dict", "properties": {"amount": {"type": "float"}},
                    "required": ["amount"]}},
    {"name": "count_words", "description": "Count the words in a text.",
     "parameters": {"type": "dict", "properties": {"text": {"type": "string"}},
                    "required": ["text"]}},
])


@pytest.fixture(scope="module")
def gate(settings, embedder):
    agent = Agent(None, settings.agent, ranker=ToolRanker(embedder))
    return lambda request, ground_text=None: agent.gate(request, TOOLS, ground_text)


def test_request_parts_are_the_request_and_its_clauses():
    assert request_parts("Get the weather in Oslo, and convert 5 USD to EUR.") == [
        "Get the weather in Oslo, and convert 5 USD to EUR.",
        "Get the weather in Oslo", "convert 5 USD to EUR."]
    assert request_parts("Count words") == ["Count words"]


def test_an_unrelated_request_gets_no_call_and_a_related_one_cannot_decline(gate):
    assert gate("Who painted the Mona Lisa?") is None
    weather = gate("What is the weather forecast in Oslo today?")
    assert weather is not None and not weather.allow_none
    assert "get_weather" in weather.first and "count_words" not in weather.first


def test_each_clause_about_a_tool_asks_for_a_call_of_it(gate):
    both = gate("What is the weather forecast in Oslo, and convert 250 dollars to euros.")
    assert both.wanted == ["convert_currency", "get_weather"]
    assert gate("What is the weather forecast in Oslo today?").wanted == []
    # the first call is the earliest clause's tool, so its values come from that clause
    assert both.first == ["get_weather"]
    later = gate("Convert 250 dollars to euros, and what is the weather forecast in Oslo?")
    assert later.first == ["convert_currency"]


def test_a_request_of_several_tasks_asks_for_two_calls(gate):
    from edgeagent.grammar import request_tasks
    assert request_tasks("What was the Treaty of Paris about? Also, what was the importance "
                         "of Magna Carta in history?") == [
        "What was the Treaty of Paris about?", "what was the importance of Magna Carta in history?"]
    assert len(request_tasks("The population of elephants in the next 5 years, please.")) == 1
    # an abbreviation's full stop ends no task; "followed by" begins one
    assert len(request_tasks("The price of a house of 3000 sq ft. in location New York and "
                             "4000 sq ft. in Los Angeles.")) == 1
    assert request_tasks("A trip to Paris, followed by a trip to Rome.") == [
        "A trip to Paris", "a trip to Rome."]
    assert gate("What is the weather forecast in Oslo? Then the forecast for Bergen, "
                "please.").min_calls == 2
    assert gate("What is the weather forecast in Oslo and Bergen today?").min_calls == 1


def test_the_clauses_about_tools_keep_their_tools_values(gate):
    both = gate("What is the weather forecast in Oslo, and convert 250 dollars to euros.")
    assert both.owners == {"what is the weather forecast in oslo": "get_weather",
                           "convert 250 dollars to euros.": "convert_currency"}
    assert gate("What is the weather forecast in Oslo today?").owners == {}


def test_a_fairly_near_tool_that_needs_an_unstated_number_gets_no_call(gate):
    assert gate("How much is that in euros?") is None          # 0.37, and no amount stated
    assert gate("How much is 40 dollars in euros?") is not None
    assert gate("How much is that in euros?", "I have 40 dollars.\nHow much is that in euros?")
    assert gate("Convert dollars to euros") is not None         # clearly about the tool


def test_examples_are_chosen_by_likeness_to_the_catalog(embedder):
    from edgeagent import examples
    from edgeagent.prompt import static_prefix
    ranker = ToolRanker(embedder)
    physics = tools_from_definitions([{
        "name": "kinematics.final_speed", "description": "Final speed of a body that "
        "accelerates uniformly for some time.", "parameters": {"type": "dict", "properties": {
            "acceleration": {"type": "float"}}, "required": ["acceleration"]}}])
    chosen = examples.choose(ranker, physics, 3)
    assert len(chosen) == 3 and chosen[-1].tool.startswith("def final_velocity(")
    prefix = static_prefix(physics, chosen)
    assert "starts from rest" in prefix                             # the example is there
    assert prefix.index("Request:") < prefix.rindex("Tools:") < prefix.index("def kinematics")
    assert examples.choose(ranker, physics, 0) == examples.DEFAULT


def test_a_request_names_a_tool_when_it_says_every_word_of_its_name():
    [tool] = tools_from_definitions([{"name": "geometry.calculateTriangleArea",
                                      "parameters": {"type": "dict", "properties": {}}}])
    assert names_tool("Calculate the areas of these triangles in geometry class", tool)
    assert not names_tool("Calculate the area of a triangle", tool)  # no "geometry"
    [get] = tools_from_definitions([{"name": "get_the_weather",
                                     "parameters": {"type": "dict", "properties": {}}}])
    assert names_tool("Is the weather nice?", get)                   # fillers need not be said


def test_near_tools_narrow_to_those_whose_name_says_a_word_of_the_request_apart():
    roots = tools_from_definitions([{"name": n, "parameters": {"type": "dict", "properties": {}}}
                                    for n in ("math.roots.cubic", "math_roots.quadratic",
                                              "math.roots.polynomial")])
    request = "Calculate the roots of a quadratic equation with coefficients 5, 20, and -25"
    assert [t.name for t in named_apart(request, roots)] == ["math_roots.quadratic"]
    # "roots" is every tool's word, so it tells none apart
    assert named_apart("Calculate the roots of x^3 + 2", roots) == []


def test_tasks_that_name_different_tools_apart_ask_for_each(settings, embedder):
    near = tools_from_definitions([{"name": n, "parameters": {"type": "dict", "properties": {}}}
                                   for n in ("library.find_nearby", "store.find_nearby")])
    request = ("Find a pet-friendly library with a cafe in New York City, and also a store in the "
               "same city that has disabled access")
    assert named_by_tasks(request, near) == {"library.find_nearby", "store.find_nearby"}
    assert named_by_tasks("Find a library with a cafe in New York City", near) == set()
    agent = Agent(None, settings.agent, ranker=ToolRanker(embedder))
    assert set(agent.gate(request, near).wanted) == {"library.find_nearby", "store.find_nearby"}


def test_in_a_request_of_several_tasks_a_clause_that_names_a_tool_most_asks_for_it():
    museum = tools_from_definitions([{"name": n, "parameters": {"type": "dict", "properties": {}}}
                                     for n in ("museum.get_hours", "museum.get_waiting_time",
                                               "location.get_travel_time")])
    request = ("Find the operational hours for Louvre Museum and the waiting time, then tell me "
               "how long it will take to travel from my current location to the museum.")
    assert named_by_tasks(request, museum) == {t.name for t in museum}
    # in a request of one task, a clause's words ask for no call of their own
    one = "Find the hours of the Louvre Museum and the waiting time there"
    assert named_by_tasks(one, museum) == set()
    # "perimeter" names the rectangle's tool apart, but "circle" names as many of the others
    shapes = tools_from_definitions([{"name": n, "parameters": {"type": "dict", "properties": {}}}
                                     for n in ("circle.calculate_area",
                                               "circle.calculate_circumference",
                                               "rectangle.calculate_perimeter")])
    assert "rectangle.calculate_perimeter" not in named_by_tasks(
        "Find the area and perimeter of a circle with a radius of 5. Also find the "
        "circumference of a circle with a radius of 10.", shapes)


def test_a_fairly_near_tool_fits_when_the_request_says_two_of_its_distinctive_words(
        settings, embedder):
    rain = tools_from_definitions([{"name": "precipitation_stats",
        "description": "Retrieve precipitation data for a place and a period.",
        "parameters": {"type": "dict", "properties": {
            "place": {"type": "string"}, "period": {"type": "string"}},
            "required": ["place", "period"]}}])
    assert shared_words("Find the precipitation between two periods", rain[0]) == [
        "precipitation", "periods"]                               # "find", "between": generic
    ranker = ToolRanker(embedder)
    agent = Agent(None, settings.agent, ranker=ranker)
    two = "Precipitation in the Sahara for that period?"           # 0.31, below the floor
    assert 0.25 < ranker.similarities(two, rain).max() < settings.agent.relevance_floor
    fits = agent.gate(two, rain)
    assert fits is not None and not fits.allow_none
    assert agent.gate("Average precipitation in the Sahara last year, please.", rain) is None
    off = Agent(None, settings.agent.model_copy(update={"shared_word_floor": 1.0}),
                ranker=ranker)
    assert off.gate(two, rain) is None


def test_a_texts_vector_does_not_depend_on_what_was_embedded_with_it(embedder):
    text = "Convert an amount from one currency to another."
    longer = ("A much longer description of a tool that does many things, with a lot of words "
              "in it, so that a batch of both would be padded much further")
    alone = ToolRanker(embedder).vectors([text])[0]
    together = ToolRanker(embedder).vectors([longer, text])[1]
    assert np.array_equal(alone, together)


def test_a_request_naming_both_ends_of_a_tools_conversion_gets_its_call(settings, embedder):
    exchange = tools_from_definitions([{"name": "currency_exchange.convert",
        "description": "Convert an amount from a base currency to a target currency based on "
                       "the current exchange rate.",
        "parameters": {"type": "dict", "properties": {
            "base_currency": {"type": "string", "description": "The base currency."},
            "target_currency": {"type": "string", "description": "The target currency."},
            "amount": {"type": "integer"}},
            "required": ["base_currency", "target_currency", "amount"]}}])
    ranker = ToolRanker(embedder)
    agent = Agent(None, settings.agent, ranker=ranker)
    request = "How many Canadian dollars can I get for 500 US dollars?"   # 0.23
    assert ranker.similarities(request, exchange).max() < settings.agent.relevance_floor
    assert agent.gate(request, exchange) is not None
    assert agent.gate("How many inches are in 10 meters?", exchange) is None  # no currencies
