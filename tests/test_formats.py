from edgeagent.formats import (as_schema_writes, date_format, measured_in, rewrite_dates,
                               stated_dates, with_region)
from edgeagent.grammar import Grounding, Matcher
from edgeagent.tools import tools_from_definitions


def test_a_date_argument_takes_the_format_its_description_names():
    assert date_format({"type": "string", "description": "Format: yyyy-mm-dd."}, "day") == \
        "%Y-%m-%d"
    assert date_format({"type": "string", "description": "In the format MM/DD/YYYY"}, "on") == \
        "%m/%d/%Y"
    assert date_format({"type": "string", "description": "The date (month-day-year)."}, "d") == \
        "%m-%d-%Y"
    assert date_format({"type": "string"}, "start_date") == "%Y-%m-%d"  # ISO when unnamed
    assert date_format({"type": "string", "description": "The city."}, "city") is None
    assert date_format({"type": "integer"}, "date") is None


def test_dates_are_read_in_every_common_spelling_and_written_once():
    text = "from March 11th, 2022, 1 Apr 2023, Jun.20,2023 and 2022/08/16 to 08/17/2022"
    assert rewrite_dates(text, "%Y-%m-%d") == \
        "from 2022-03-11, 2023-04-01, 2023-06-20 and 2022-08-16 to 2022-08-17"
    # a day-first output is not read back as month-first
    assert rewrite_dates("on March 4, 2022", "%d/%m/%Y") == "on 04/03/2022"
    assert rewrite_dates("on March 40, 2022 at 5", "%Y-%m-%d") == "on March 40, 2022 at 5"


def test_currencies_become_codes_only_for_currency_arguments():
    text = "Convert 200 British pounds to US dollars and euros"
    currency = {"type": "string", "description": "The currency to convert to."}
    assert as_schema_writes(text, currency, "target") == "Convert 200 GBP to USD and EUR"
    assert as_schema_writes(text, {"type": "string"}, "note") == text


def test_a_country_argument_reads_a_peoples_adjective_as_the_country():
    text = "Key war events in German history"
    assert as_schema_writes(text, {"type": "string"}, "country") == \
        "Key war events in Germany history"
    assert as_schema_writes(text, {"type": "string"}, "nationality") == text
    tools = tools_from_definitions([{"name": "f", "parameters": {"type": "dict", "properties": {
        "country": {"type": "string"}}, "required": ["country"]}}])
    m = Matcher.for_decision(tools, ground=Grounding(text))
    assert m.feed(' f(country="German"') is None
    assert m.feed(' f(country="Germany")\n').finished


def test_a_grounded_date_and_currency_are_written_as_the_schema_asks():
    tools = tools_from_definitions([{"name": "rate", "parameters": {"type": "dict", "properties": {
        "currency": {"type": "string", "description": "Currency code."},
        "date": {"type": "string", "description": "Date in yyyy-mm-dd format."}},
        "required": ["currency", "date"]}}])
    ground = Grounding("What was the rate of the Japanese yen on May 3rd 2022?")
    m = Matcher.for_decision(tools, ground=ground).feed(" rate(currency=")
    assert m.feed('"Japanese') is None and m.feed('"JPY", date="May') is None
    assert m.feed('"JPY", date="03"') is None      # a whole date, not a piece of one
    done = m.feed('"JPY", date="2022-05-03")\n')
    assert done.result == [{"name": "rate", "arguments": {"currency": "JPY",
                                                          "date": "2022-05-03"}}]


def test_two_date_arguments_take_two_stated_dates():
    tools = tools_from_definitions([{"name": "book", "parameters": {"type": "dict", "properties": {
        "check_in": {"type": "string", "description": "yyyy-mm-dd"},
        "check_out": {"type": "string", "description": "yyyy-mm-dd"}},
        "required": ["check_in", "check_out"]}}])
    ground = Grounding("A room from 2023 April 4th to April 8th")  # the year carries over
    m = Matcher.for_decision(tools, ground=ground).feed(' book(check_in="2023-04-08", ')
    assert m.feed('check_out="2023-04-08"') is None   # the other date is left
    assert m.feed('check_out="2023-04-04")\n').finished
    assert stated_dates("on 1 Apr 2023 and 04/01/2023", "%Y-%m-%d") == ["2023-04-01"]


def test_a_place_the_request_writes_with_its_region_keeps_it():
    assert with_region({"description": "The city and state, e.g. Boston, MA"})
    assert not with_region({"description": "The city, e.g. Boston"})
    tools = tools_from_definitions([{"name": "find", "parameters": {"type": "dict", "properties": {
        "location": {"type": "string", "description": "The city and state, e.g. Boston, MA"},
        "city": {"type": "string"}}, "required": ["location", "city"]}}])
    ground = Grounding("Libraries in Denver, Colorado and Austin")
    m = Matcher.for_decision(tools, ground=ground).feed(" find(location=")
    assert m.feed('"Denver",') is None
    m = m.feed('"Denver, Colorado", city=')
    assert m.feed('"Denver")') is not None  # an argument that asks for no region may end early
    assert m.feed('"Austin")\n').finished  # a place the request writes alone may end there


def test_a_format_of_months_takes_a_month_of_a_year():
    months = {"type": "string", "description": "Date of the concert in 'mm-yyyy' format."}
    assert date_format(months, "date") == "%m-%Y"
    assert stated_dates("in San Diego next month (April 2022)", "%m-%Y") == ["04-2022"]
    assert stated_dates("on April 4, 2022", "%m-%Y") == ["04-2022"]
    assert stated_dates("in April 2022", "%Y-%m-%d") == []  # a day's format wants a day


def test_a_day_said_from_today_is_a_date_when_no_date_is_said():
    assert stated_dates("concerts next Friday", "%Y-%m-%d") == ["next Friday"]
    assert stated_dates("on May 5, 2022 or next week", "%Y-%m-%d") == ["2022-05-05"]


def test_a_description_names_a_quotient_unit_wherever_it_says_it():
    assert measured_in("The rate of change of speed, m/s^2.") == {"m/s^2"}
    assert measured_in("The acceleration of the object in m/s^2.") == {"m/s^2"}
    assert measured_in("Speed (in km/h)") == {"km/h"}  # not the m/s^2 of an acceleration
    assert measured_in("The initial speed in m/s.") != measured_in("Acceleration, m/s^2.")
