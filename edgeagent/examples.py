"""Worked examples for the base model's few-shot prefix, and their choice by similarity.

A base model copies the examples in front of it. Examples from the catalog's own domain show
it how such arguments are written (a rate as a decimal, "from rest" as 0, a unit in its own
argument, one call per item of a list). They are chosen by similarity to the catalog, not to the
request, so the prefix stays byte-identical between requests on the same tools and its KV state
can be kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ranking import tool_text


@dataclass(frozen=True)
class Example:
    tool: str       # the example tool's definition, as the prompt writes tools
    about: str      # what it does: compared with the catalog's descriptions
    lines: str      # the request, the call and (for some) the result and the answer


def _example(tool: str, lines: str) -> Example:
    about = tool.split('"""')[1].splitlines()[0]
    return Example(tool, about, lines)


POOL = [
    _example('''def get_weather(city: str, unit: Literal["celsius", "fahrenheit"] = None):
    """Get the current weather in a city."""''', '''\
Request: How warm is it in Lisbon right now, in fahrenheit?
Call: get_weather(city="Lisbon", unit="fahrenheit")
Result: {"city": "Lisbon", "temperature": 68, "unit": "fahrenheit", "sky": "clear"}
Answer: It is 68 degrees fahrenheit and clear in Lisbon.
'''),
    _example('''def count_words(text: str):
    """Count the words in a text."""''', '''\
Request: How many words are in "the quick brown fox"?
Call: count_words(text="the quick brown fox")
Result: 4
Answer: There are 4 words.
'''),
    _example('''def convert_currency(amount: float, from_currency: str, to_currency: str):
    """Convert an amount of money from one currency to another (ISO codes)."""''', '''\
Request: Convert 250.5 EUR to USD and 100 GBP to JPY.
Call: convert_currency(amount=250.5, from_currency="EUR", to_currency="USD"); \
convert_currency(amount=100, from_currency="GBP", to_currency="JPY")
Result: 271.9
Result: 19050.0
Answer: 250.5 EUR is 271.90 USD, and 100 GBP is 19050 JPY.
'''),
    _example('''def final_velocity(initial_velocity: float, acceleration: float, time: float):
    """Calculate the final velocity of an object under constant acceleration.
    initial_velocity: in m/s
    acceleration: in m/s^2
    time: in seconds"""''', '''\
Request: A cart starts from rest and accelerates at 2.5 m/s^2 for 8 seconds. How fast is it then?
Call: final_velocity(initial_velocity=0, acceleration=2.5, time=8)
'''),
    _example('''def loan_payment(principal: float, annual_rate: float, years: int):
    """Calculate the monthly payment of a loan.
    annual_rate: the annual interest rate as a decimal"""''', '''\
Request: What is the monthly payment on a $250,000 loan at 3.5% over 20 and 30 years?
Call: loan_payment(principal=250000, annual_rate=0.035, years=20); \
loan_payment(principal=250000, annual_rate=0.035, years=30)
'''),
    _example('''def circle_area(radius: float, unit: str = None):
    """Calculate the area of a circle from its radius."""''', '''\
Request: What are the areas of two circles with radius 3 cm and 5 cm?
Call: circle_area(radius=3, unit="cm"); circle_area(radius=5, unit="cm")
'''),
    _example('''def mean(numbers: list[float]):
    """Calculate the arithmetic mean of a list of numbers."""''', '''\
Request: What is the average of 4, 8, 15 and 16?
Call: mean(numbers=[4.0, 8.0, 15.0, 16.0])
'''),
    _example('''def find_recipes(dish: str, diet: list[str] = None, max_minutes: int = None):
    """Find recipes for a dish, optionally for a diet and within a cooking time."""''', '''\
Request: Find vegan and gluten-free lasagna recipes that are ready in under 45 minutes.
Call: find_recipes(dish="lasagna", diet=["vegan", "gluten-free"], max_minutes=45)
'''),
    _example('''def book_flight(origin: str, destination: str, date: str, passengers: int = None):
    """Book a flight between two cities on a date."""''', '''\
Request: Book a flight from Boston to Denver on 2024-05-03 for two people.
Call: book_flight(origin="Boston", destination="Denver", date="2024-05-03", passengers=2)
'''),
    _example('''def team_stats(team: str, season: int, include_playoffs: bool = None):
    """Get a sports team's statistics for a season."""''', '''\
Request: Show the Chicago Bulls' stats for the 2019 season, playoffs included.
Call: team_stats(team="Chicago Bulls", season=2019, include_playoffs=True)
'''),
    _example('''def molar_mass(formula: str):
    """Calculate the molar mass of a chemical compound in g/mol."""''', '''\
Request: What is the molar mass of table salt (NaCl)?
Call: molar_mass(formula="NaCl")
'''),
    _example('''def move_robot(robot_id: str, location: str, speed: float = None):
    """Send a mobile robot to a named location, optionally at a speed in m/s."""''', '''\
Request: Drive robot a7 to the charging station at 0.2 m/s.
Call: move_robot(robot_id="a7", location="charging station", speed=0.2)
'''),
    _example('''def search_papers(topic: str, year_from: int = None, year_to: int = None):
    """Search scientific papers on a topic published within a range of years."""''', '''\
Request: Find papers on protein folding published between 2015 and 2020.
Call: search_papers(topic="protein folding", year_from=2015, year_to=2020)
'''),
    _example('''def court_case(case_number: str, court: str, include_verdict: bool = None):
    """Look up a court case by its number."""''', '''\
Request: Get case 22-0415 at the Denver District Court, and case 19-8830 at the Boston \
Municipal Court, without the verdicts.
Call: court_case(case_number="22-0415", court="Denver District Court", include_verdict=False); \
court_case(case_number="19-8830", court="Boston Municipal Court", include_verdict=False)
'''),
]

DEFAULT = POOL[:3]  # the examples when none are chosen by similarity

DECLINE = '''\
Request: Write me a short poem about the sea.
Call: none
Answer: None of my tools can do that.
'''


def choose(ranker, tools: list, k: int) -> list[Example]:
    """The k examples whose tools are most like the catalog's (each scored by its best match
    in `ranker`'s embeddings), the most alike last, nearest the request."""
    if not tools or k <= 0:
        return DEFAULT
    pool = ranker.vectors([e.about for e in POOL])
    scores = (pool @ ranker.vectors([tool_text(t) for t in tools]).T).max(axis=1)
    best = sorted(np.argsort(-scores, kind="stable")[:k], key=lambda i: scores[i])
    return [POOL[i] for i in best]


def render(examples: list[Example]) -> str:
    """The examples' own tools, then their requests and calls, then a declined request."""
    tools = "\n".join(e.tool for e in examples)
    return f"Tools:\n{tools}\n\n" + "\n".join(e.lines for e in examples) + "\n" + DECLINE + "\n"
