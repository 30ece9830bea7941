"""Values written the way an argument's schema asks, so a grounded value can be copied from the
request in that form:

- a date the request spells "March 11th, 2022" reads 2022-03-11 for an argument whose
  description says yyyy-mm-dd (ISO 8601 when it names no format), and such an argument takes
  a whole date when the request states one;
- a currency it names ("Canadian dollars") reads CAD for a currency argument;
- "5%" reads 0.05 unless the argument is an integer or asks for a percentage;
- a place argument described as "city and state" wants the region the request gives with it;
- a unit argument takes the unit the request asks for, or gives all its numbers in;
- a country argument reads "German" as Germany."""

from __future__ import annotations

import functools
import re

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATES = [re.compile(p, re.IGNORECASE) for p in (
    r"\b" + _MONTH + r"\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s*(?P<year>\d{4})\b",  # Mar 11th, 2022
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s*(?P<year>\d{4})\b",
    r"\b(?P<year>\d{4})[-/.](?P<nmonth>\d{1,2})[-/.](?P<day>\d{1,2})\b",     # 2022/03/11
    r"\b(?P<nmonth>\d{1,2})[-/](?P<day>\d{1,2})[-/](?P<year>\d{4})\b",       # 03/11/2022 (US)
    r"\b(?P<year>\d{4}),?\s+" + _MONTH + r"\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?\b",  # 2023 April 4th
)]
# A month and day with no year ("to April 8th"): the year of the date stated before it.
_YEARLESS = [re.compile(p, re.IGNORECASE) for p in (
    r"\b" + _MONTH + r"\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?\b",
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH,
)]
# "yyyy-mm-dd", "MM/DD/YYYY", "month-day-year" in a description
_FORMAT = re.compile(r"\b(y{3,4}|mm|dd)([-/.])(y{3,4}|mm|dd)\2(y{3,4}|mm|dd)\b", re.IGNORECASE)
# a month of a year: "in 'mm-yyyy' format", and the months a request spells so ("April 2022")
_MONTH_FORMAT = re.compile(r"\b(y{4}|mm)([-/.])(y{4}|mm)\b(?![-/.])", re.IGNORECASE)
_MONTHS_OF_YEARS = [re.compile(p, re.IGNORECASE) for p in (
    r"\b" + _MONTH + r",?\s+(?P<year>\d{4})\b", r"\b(?P<nmonth>\d{1,2})[-/](?P<year>\d{4})\b")]
_WORD_FORMAT = re.compile(r"\b(year|month|day)-(year|month|day)-(year|month|day)\b",
                          re.IGNORECASE)

# ISO 4217 codes and the names a request may give them, longest first when matched.
CURRENCIES = {
    "USD": ("us dollar", "u.s. dollar", "united states dollar", "american dollar", "dollar"),
    "EUR": ("euro",), "GBP": ("british pound", "pound sterling", "pound"),
    "JPY": ("japanese yen", "yen"), "CAD": ("canadian dollar",),
    "AUD": ("australian dollar",), "NZD": ("new zealand dollar",),
    "CHF": ("swiss franc",), "CNY": ("chinese yuan", "yuan", "renminbi"),
    "INR": ("indian rupee", "rupee"), "MXN": ("mexican peso",), "HKD": ("hong kong dollar",),
    "SGD": ("singapore dollar",), "SEK": ("swedish krona",), "NOK": ("norwegian krone",),
    "DKK": ("danish krone",), "KRW": ("south korean won", "korean won"),
    "RUB": ("russian ruble", "ruble"), "BRL": ("brazilian real",), "ZAR": ("south african rand",),
}
_CURRENCY_NAMES = sorted(((name, code) for code, names in CURRENCIES.items() for name in names),
                         key=lambda pair: -len(pair[0]))
_CURRENCY = re.compile(r"\b(" + "|".join(re.escape(n) for n, _ in _CURRENCY_NAMES) + r")s?\b",
                       re.IGNORECASE)


def date_format(schema: dict, name: str) -> str | None:
    """How a date argument wants its dates ("%Y-%m-%d"); None for an argument that is not a
    date. A date argument that names no format gets ISO 8601."""
    description = str(schema.get("description", ""))
    if schema.get("type") != "string":
        return None
    if m := _FORMAT.search(description):
        parts, sep = (m.group(1), m.group(3), m.group(4)), m.group(2)
    elif m := _WORD_FORMAT.search(description):
        parts, sep = m.groups(), "-"
    elif (m := _MONTH_FORMAT.search(description)) and m.group(1)[0] != m.group(3)[0]:
        parts, sep = (m.group(1), m.group(3)), m.group(2)
    elif "date" in name.lower() or re.search(r"\bdate\b", description, re.IGNORECASE):
        return "%Y-%m-%d"
    else:
        return None
    codes = {"y": "%Y", "m": "%m", "d": "%d"}
    return sep.join(codes[p[0].lower()] for p in parts)


@functools.lru_cache(maxsize=256)
def _date_spans(text: str, fmt: str) -> tuple[tuple[int, int, str], ...]:
    """Where the text spells a date, in order, each with the date as `fmt` writes it. Cached:
    a date argument's frame is built for every candidate token the decoder tries."""
    found = []  # (start, end, year, month, day)
    months = "%d" not in fmt  # a format of months takes a month of a year as it is
    for patterns in (_DATES, _MONTHS_OF_YEARS, _YEARLESS) if months else (_DATES, _YEARLESS):
        for pattern in patterns:
            for m in pattern.finditer(text):
                if any(m.start() < f[1] and f[0] < m.end() for f in found):
                    continue
                parts = m.groupdict()
                month = (int(parts["nmonth"]) if parts.get("nmonth") else
                         next(i for i, full in enumerate(_MONTHS, 1)
                              if full.startswith(parts["month"].lower())))
                years = [f[2] for f in sorted(found) if f[0] < m.start()] or [
                    f[2] for f in sorted(found)]
                year = int(parts["year"]) if parts.get("year") else years[-1] if years else None
                day = int(parts["day"]) if parts.get("day") else 1
                if year is not None and 1 <= month <= 12 and 1 <= day <= 31:
                    found.append((m.start(), m.end(), year, month, day))
    return tuple((start, end, fmt.replace("%Y", f"{year:04d}").replace("%m", f"{month:02d}")
                  .replace("%d", f"{day:02d}")) for start, end, year, month, day in sorted(found))


def stated_dates(text: str, fmt: str) -> list[str]:
    """The dates the text spells, written in `fmt`; without one, the days it names from today
    as it says them ("next Friday", "this weekend": not "Friday")."""
    return list(dict.fromkeys(date for _, _, date in _date_spans(text, fmt))) or \
        list(dict.fromkeys(m.group() for m in _RELATIVE_DATE.finditer(text)))


_RELATIVE_DATE = re.compile(
    r"\b(?:next|this|coming|upcoming)\s+(?:week(?:end)?|month|year|(?:mon|tues|wednes|thurs|fri|"
    r"satur|sun)day)\b", re.IGNORECASE)


def rewrite_dates(text: str, fmt: str) -> str:
    """The text with each date it spells written in `fmt`."""
    for start, end, date in reversed(_date_spans(text, fmt)):
        text = text[:start] + date + text[end:]
    return text


_REGION = re.compile(r"(?i:city and state|city, state)|"
                     r"e\.g\.,? [A-Z][\w.]*(?: [A-Z][\w.]*)*, [A-Z]{2}\b")


def with_region(schema: dict) -> bool:
    """Whether a place argument wants its region too: "The city and state, e.g. Boston, MA"."""
    return bool(_REGION.search(str(schema.get("description", ""))))


# Words that name a place argument ("location", "state", "country"; not "statement").
_PLACE_WORDS = frozenset("location state region country city".split())
# A name the request gives as where something is: "in California", "in Rome, Italy",
# "in the state of California", "in the Midwest region".
_IN_PLACE = re.compile(r"\bin (?:the )?(?:[a-z]+ of (?:the )?)?([A-Z][a-zA-Z]+(?: [A-Z][a-zA-Z]+)*)"
                       r"(, [A-Z][a-zA-Z]+)?")


def name_parts(name: str) -> list[str]:
    """The words of an argument name, lower-cased ("to_currency", "maxCalories")."""
    return re.split(r"[_\W]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower())


def is_place(name: str) -> bool:
    """Whether an argument names a place ("location", "state", "store_location")."""
    return bool(_PLACE_WORDS & set(name_parts(name)))


def places_in(text: str) -> tuple:
    """The places a request says something is in, each also with its region when it gives
    one ("Rome" and "Rome, Italy")."""
    found = []
    for m in _IN_PLACE.finditer(text):
        found += [m.group(1), m.group(1) + m.group(2)] if m.group(2) else [m.group(1)]
    return tuple(dict.fromkeys(found))


def percent_as_whole(schema: dict) -> bool:
    """Whether a percentage ("5%") is given as 5 rather than 0.05: for an integer, or a number
    whose description asks for a percentage and not a decimal."""
    description = str(schema.get("description", "")).lower()
    return schema.get("type") == "integer" or (
        "percent" in description and "decimal" not in description)


def negative_when_lost(schema: dict) -> bool:
    """Whether a number argument is given as negative for a loss ("The amount gained or lost.
    If lose, provide as negative value.")."""
    description = str(schema.get("description", "")).lower()
    return "negative" in description and LOSS_WORD.search(description) is not None


# A word saying an amount is lost ("a loss of $1000", "lost 20 pounds", "a decrease of 5%").
LOSS_WORD = re.compile(r"\b(?:los[est]|losing|losses|deficit|decreas\w*|declin\w*)\b")


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def emails_in(text: str) -> list[str]:
    """The email addresses a text gives, each once."""
    return list(dict.fromkeys(m.group().rstrip(".") for m in _EMAIL.finditer(text)))


def is_email(schema: dict, name: str) -> bool:
    """Whether a string argument holds an email address ("The email address to send to")."""
    return schema.get("type") == "string" and "email address" in (
        f"{name.replace('_', ' ')} {schema.get('description', '')}".lower())


def is_currency(schema: dict, name: str) -> bool:
    """Whether a string argument holds a currency (its name or description says so)."""
    return schema.get("type") == "string" and (
        "currency" in name.lower() or "currency" in str(schema.get("description", "")).lower())


# Units of measure a request may ask its answer in, or give its numbers in.
_UNITS = frozenset((
    "mm cm m km inch inches ft feet foot yard yards mile miles mi meter meters metre metres "
    "millimeter millimeters centimeter centimeters kilometer kilometers kilometre kilometres "
    "g gram grams kg kilogram kilograms mg milligram milligrams lb lbs pound pounds oz ounce "
    "ounces ton tons tonne tonnes s sec second seconds min minute minutes hr hour hours km/h "
    "kmh mph m/s ft/s knots celsius fahrenheit kelvin l liter liters litre litres ml "
    "milliliter milliliters gallon gallons cup cups joule joules kj calorie calories kcal watt "
    "watts kw kwh volt volts amp amps ohm ohms hz hertz pascal pascals atm psi mol moles degree "
    "degrees radian radians acre acres hectare hectares teaspoon teaspoons tsp tablespoon "
    "tablespoons tbsp m/s^2 m/s² ft/s^2 ft/s²").split())
_SHORT_UNITS = frozenset("m g s l min".split())  # also words or letters: not after "in"
_UNIT_AFTER_NUMBER = re.compile(
    r"\d\s?((?:(?:square|cubic|sq\.?)\s+)?[a-zA-Z]+(?:/[a-zA-Z]+)?[²³]?)")
_UNIT_ASKED = re.compile(r"\b(?:in|into)\s+([a-zA-Z]+(?:/[a-zA-Z]+)?(?:\^\d|[²³])?)(?![\w/^])",
                         re.IGNORECASE)  # "in kg/m³" asks for no "kg"
# A unit of a quotient, wherever a description says it ("The rate of change of speed, m/s^2").
_RATE_UNIT = re.compile(r"(?<![\w/])([a-zA-Z]+/[a-zA-Z]+(?:\^\d|[²³])?)(?![\w/^])")


@functools.lru_cache(maxsize=1024)
def measured_in(description: str) -> frozenset:
    """The units a description says its value is in ("Maximum distance (in miles)", "in
    minutes"), lower-cased and without a plural's s."""
    return frozenset(u.lower().rstrip("s") for u in
                     _UNIT_ASKED.findall(description) + _RATE_UNIT.findall(description)
                     if u.lower() in _UNITS | _SPANS and u.lower() not in _SHORT_UNITS)


# Spans of time an argument can be counted in ("The time the money is invested for in years"),
# which are no units of a unit argument.
_SPANS = frozenset("day days week weeks month months year years".split())


def is_unit(name: str) -> bool:
    """Whether an argument names a unit of measure ("unit", "to_unit", "tempUnits")."""
    words = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    return bool(re.search(r"(?:_|\b)units?(?:_|\b)", words))


@functools.lru_cache(maxsize=256)
def stated_units(text: str) -> tuple:
    """The units a request asks its answer in ("in km/h", "in miles"); else the one unit its
    numbers are all given in ("a radius of 5 meters ... of 10 meters"), none when they mix
    units (a weight in kg and a height in cm ask for neither)."""
    asked = [u for u in _UNIT_ASKED.findall(text)
             if u.lower() in _UNITS and u.lower() not in _SHORT_UNITS]
    if asked:
        return tuple(dict.fromkeys(asked))
    given = {u.lower(): u for u in _UNIT_AFTER_NUMBER.findall(text)
             if u.lower().split()[-1].rstrip("²³") in _UNITS}  # "cubic meters" is no "meters"
    return tuple(given.values()) if len(given) == 1 else ()


# What a request may call a country by ("German history"), and the country.
DEMONYMS = {
    "american": "United States", "british": "United Kingdom", "english": "England",
    "scottish": "Scotland", "irish": "Ireland", "french": "France", "german": "Germany",
    "italian": "Italy", "spanish": "Spain", "portuguese": "Portugal", "dutch": "Netherlands",
    "belgian": "Belgium", "swiss": "Switzerland", "austrian": "Austria", "swedish": "Sweden",
    "norwegian": "Norway", "danish": "Denmark", "finnish": "Finland", "polish": "Poland",
    "greek": "Greece", "turkish": "Turkey", "russian": "Russia", "ukrainian": "Ukraine",
    "chinese": "China", "japanese": "Japan", "korean": "Korea", "indian": "India",
    "pakistani": "Pakistan", "vietnamese": "Vietnam", "thai": "Thailand",
    "indonesian": "Indonesia", "filipino": "Philippines", "iranian": "Iran", "iraqi": "Iraq",
    "israeli": "Israel", "egyptian": "Egypt", "nigerian": "Nigeria", "kenyan": "Kenya",
    "canadian": "Canada", "mexican": "Mexico", "brazilian": "Brazil",
    "argentinian": "Argentina", "argentine": "Argentina", "australian": "Australia"}
_DEMONYM = re.compile(r"\b(" + "|".join(DEMONYMS) + r")\b", re.IGNORECASE)


def is_country(name: str) -> bool:
    """Whether an argument names a country ("country", "country_name"), which takes the
    country a request names by its people's adjective ("German history": Germany)."""
    return "country" in name_parts(name)


def converts_between(text: str, parameters: dict) -> bool:
    """Whether the text names two currencies, or two units, for a tool two of whose required
    arguments take one ("How many Canadian dollars can I get for 500 US dollars?" for a tool
    of `base_currency` and `target_currency`): it asks for that conversion, however far its
    words are from the tool's description."""
    properties, required = parameters.get("properties", {}), parameters.get("required", [])
    currencies = sum(is_currency(properties.get(p, {}), p) for p in required)
    units = sum(is_unit(p) for p in required)
    codes = dict(_CURRENCY_NAMES)
    named_currencies = {codes[m.group(1).lower()] for m in _CURRENCY.finditer(text)}
    named_units = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z/]+", text)
                   if w.lower() in _UNITS and w.lower() not in _SHORT_UNITS}
    return currencies >= 2 and len(named_currencies) >= 2 or units >= 2 and len(named_units) >= 2


def rewrite_currencies(text: str) -> str:
    """The text with each currency it names written as its ISO 4217 code."""
    codes = dict(_CURRENCY_NAMES)
    return _CURRENCY.sub(lambda m: codes[m.group(1).lower()], text)


# What names a function before its expression: "y = x^3", "f(x)=3x^2".
_FUNCTION_NAMED = re.compile(r"\b(?:y|f\s*\(\s*x\s*\))\s*=\s*(?=[\w(-])")


def is_function(name: str) -> bool:
    """Whether a text argument holds a mathematical function ("function", "func1")."""
    words = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    return bool(re.search(r"(?:^|_)(?:func|function|equation|expression|polynomial)\d*$",
                          words))


def as_schema_writes(text: str, schema: dict, name: str) -> str:
    """The request as an argument of this schema would write it: dates in its format,
    currencies as codes, a function without the name it is given ("y = x^3": "x^3"), a
    country by its name ("German": Germany)."""
    return _written(text, schema.get("type"), str(schema.get("description", "")), name)


@functools.lru_cache(maxsize=256)
def _written(text: str, kind: str | None, description: str, name: str) -> str:
    # Cached: the decoder builds a value's frame for every candidate token it tries.
    schema = {"type": kind, "description": description}
    if fmt := date_format(schema, name):
        text = rewrite_dates(text, fmt)
    if is_currency(schema, name):
        text = rewrite_currencies(text)
    if kind == "string" and is_function(name):
        text = _FUNCTION_NAMED.sub("", text)
    if kind == "string" and is_country(name):
        text = _DEMONYM.sub(lambda m: DEMONYMS[m.group().lower()], text)
    return text
