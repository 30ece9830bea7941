"""The call language and its incremental matcher.

A decision is written in Python call syntax, which a base model has seen far more often than
any tool-call JSON:

    calculate_triangle_area(base=10, height=5)
    get_weather(city="Paris"); get_weather(city="Rome")      (parallel calls)
    none                                                      (no tool fits)

The language is generated from the tool schemas: the name is one of the known tools, keyword
arguments come in schema order, required ones cannot be skipped, and each value follows its
property's type (strings without raw control characters, bounded lengths, no free whitespace).
The matcher reads it one character at a time and can be cloned cheaply, so the decoder can test
a candidate token without committing to it, and it reports the text the grammar forces next so
the decoder can emit that text without sampling it.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
from collections import Counter
from itertools import permutations
from typing import Any, Iterable, Iterator, NamedTuple

from .formats import (LOSS_WORD, as_schema_writes, date_format, emails_in, is_currency,
                      is_email, is_function, is_place, is_unit, measured_in, name_parts,
                      negative_when_lost, percent_as_whole, places_in, stated_dates,
                      stated_units, with_region)
from .tools import Tool

MAX_STRING_CHARS = 256
MAX_ARRAY_ITEMS = 16
MAX_GROUNDED_ITEMS = 64  # a grounded list ends with what the request states ("a data set of 20")
NO_CALL = "none"

# Frames answer a character with one of these actions.
CONSUME, PUSH, REPLACE, DONE, DONE_CONSUMED = range(5)


class Done:
    """Returned by child_done when a frame completes as soon as its child does."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class Literal:
    __slots__ = ("text", "i", "value")

    def __init__(self, text: str, value: Any = None, i: int = 0):
        self.text, self.value, self.i = text, value, i

    def step(self, ch, closing=False):
        if ch != self.text[self.i]:
            return None
        if self.i + 1 == len(self.text):
            return (DONE_CONSUMED, self.value)
        return (CONSUME, Literal(self.text, self.value, self.i + 1))

    def forced(self, closing=False):
        return self.text[self.i]


class Choice:
    """One of several literal options; options must be prefix-free. Yields values[option]."""

    __slots__ = ("options", "values", "typed")

    def __init__(self, options: Iterable[str], values: dict | None = None, typed: str = ""):
        self.options = tuple(options)
        self.values = values or {}
        self.typed = typed

    def step(self, ch, closing=False):
        typed = self.typed + ch
        left = tuple(o for o in self.options if o.startswith(typed))
        if not left:
            return None
        if typed in left:
            return (DONE_CONSUMED, self.values.get(typed, typed))
        return (CONSUME, Choice(left, self.values, typed))

    def forced(self, closing=False):
        n = len(self.typed)
        first = self.options[0][n]
        return first if all(o[n] == first for o in self.options) else None


_WORD_END = re.compile(r"(?![\w#])")  # a sharp is part of its note ("C#")
_PLACE_END = re.compile(r"(?![\w#])(?!,\s*[A-Z])(?! [A-Z])")
_STATE_ADDED = re.compile(r"([^,]*\w), ?([A-Z]{0,2})", re.DOTALL)  # "New York, NY" (", " typed)
_NO_LAST = ",;?"  # no value ends on these ("San Francisco,", "the method used?")
# nor on a word that leads to more ("San Francisco in", "Gravity and", "To Kill a")
_LEADS_ON = re.compile(r"(?<!\S)(?:a|an|the|and|or|of|to|in|on|at|for|with|by|from|but)$")
_REGION_END = re.compile(r"(?![\w#])(?!,\s*[A-Z])")  # not "Boston" of "Boston, MA"
_NAME_LAST = re.compile(r"\b[A-Z]\w*$")  # a value ending in a capitalized word ...
_NAME_END = re.compile(r"(?![\w#])(?! [A-Z])")  # ... ends with its name ("Louvre Museum")


class StringValue:
    """A double-quoted string; with `ground`, only text that occurs in the request, starting
    and ending where a word of it does, and not a value this call already used (`taken`);
    with `apart` (an item of a list), not one that contains a taken value or lies inside one
    either ("S&P 500 and the Dow Jones" after "S&P 500"). With `starts`, it starts only at one
    of those places in the request, and never at or across one of `barred`. A value that ends
    in a capitalized word ends where the request's name does ("Yellowstone National Park").
    With `region`, a place the request writes with its region ("Boston, MA") is not cut short
    before it. It does not run on into one of `kinds`, words the request writes in lower case
    ("Chicken Noodle Soup |recipe" for a recipe tool). Nor is it one of `earlier`, the values
    earlier calls of the tool gave the argument, cut short ("human" after "human HbA1c": the
    small model's way of saying a value again when it may not)."""

    __slots__ = ("chars", "phase", "max_chars", "ground", "taken", "region", "apart", "starts",
                 "barred", "kinds", "earlier")

    def __init__(self, max_chars: int = MAX_STRING_CHARS, chars: str = "", phase: int = 0,
                 ground: str | None = None, taken: frozenset = frozenset(), region: bool = False,
                 apart: bool = False, starts: frozenset | None = None,
                 barred: frozenset = frozenset(), kinds: frozenset = frozenset(),
                 earlier: frozenset = frozenset()):
        self.max_chars, self.chars, self.phase = max_chars, chars, phase
        self.ground, self.taken, self.region, self.apart = ground, taken, region, apart
        self.starts, self.barred, self.kinds, self.earlier = starts, barred, kinds, earlier

    def _next(self, chars, phase):
        if self.ground is not None and not self._from_request(chars) and \
                self._state_added(chars) is None:
            return None
        return (CONSUME, StringValue(self.max_chars, chars, phase, self.ground, self.taken,
                                     self.region, self.apart, self.starts, self.barred,
                                     self.kinds, self.earlier))

    def _from_request(self, chars: str) -> bool:
        """Whether the request has `chars` from a word start (and, if that is in quotes, not
        past the closing quote); past the end of a value it could be, not into a break ("San
        Francisco in 2020")."""
        taken = bool(self.chars) and self._is_taken()  # may grow on: no dead ends
        starts = [at for at in self._starts(chars) if self._open_in_quotes(at, len(chars))]
        if chars[-1:] in " ," and self.chars and not taken:
            return any(not self._breaks_at(at + len(self.chars)) for at in starts)
        return bool(starts)

    def _kind_at(self, at: int) -> bool:
        """Whether the word at `at` (after spaces) is one of `kinds`, outside quotes."""
        return bool(self.kinds) and (m := _WORD_AT.match(self.ground, at)) is not None and \
            m.group(1) in self.kinds and not _in_quotes(self.ground, at)

    def _breaks_at(self, at: int) -> bool:
        return breaks_at(self.ground, at) or self._kind_at(at)

    def _starts(self, chars: str) -> list[int]:
        # nor running into another argument's value ("New York to Los Angeles" for a start)
        return [at for at in word_starts(chars, self.ground)
                if (self.starts is None or at in self.starts) and not self._kind_at(at) and
                not _inside_name(self.ground, at) and
                not any(at <= b < at + len(chars) for b in self.barred)]

    def _state_added(self, chars: str) -> str | None:
        """For a place argument that wants its region ("The city and state, e.g. Boston,
        MA"), the state code (two capitals, so far) that `chars` adds after a whole place of
        the request that the request gives without a region ("New York, NY" for "in New
        York"); None when `chars` is not that."""
        m = _STATE_ADDED.fullmatch(chars) if self.region else None
        if m is None or not self._from_request(m.group(1)):
            return None
        place = m.group(1)
        if not any(_PLACE_END.match(self.ground, at + len(place)) for at in self._starts(place)):
            return None  # the request gives its region, or the name goes on ("Los| Angeles")
        return m.group(2)

    def _adding_state(self) -> str | None:
        """The state code the value so far adds to a place of the request, if it adds one."""
        if self._from_request(self.chars):
            return None
        return self._state_added(self.chars)

    def _open_in_quotes(self, at: int, n: int) -> bool:
        """Whether a value of `n` characters from `at` stays within the quotes it starts in,
        and could still end there on a value not taken ("Friends" of 'Friends' is no start
        once taken: it could only run past its quote)."""
        quote = next((m for m in _quoted(self.ground) if m.start() < at < m.end() - 1), None)
        if quote is None:
            return True
        close = quote.end() - 1
        if at + n > close or not self.taken:
            return at + n <= close
        return any(not self._is_taken(self.ground[at:end])
                   for end in range(max(at + n, at + 1), close + 1)
                   if (end == close or _WORD_END.match(self.ground, end))
                   and self.ground[end - 1] not in _NO_LAST)

    def can_start(self) -> bool:
        """Whether some text can follow the opening quote: a grounded string needs a start
        in the request from which it can go on."""
        if self.ground is None:
            return True
        if (opened := self.step('"')) is None:
            return False
        places = range(len(self.ground)) if self.starts is None else self.starts
        firsts = {self.ground[at] for at in places if at < len(self.ground)}
        return any(opened[1].step(ch) is not None for ch in firsts)

    def _is_taken(self, value: str | None = None) -> bool:
        value = (self.chars if value is None else value).lower()
        if value and any(v.startswith(value) and len(v) > len(value) and
                         not v[len(value)].isalnum() for v in self.earlier):
            return True
        if not self.apart:
            return value in self.taken
        return any(words_within(value, t) or words_within(t, value) for t in self.taken)

    def step(self, ch, closing=False):
        if self.phase == 0:
            return self._next("", 1) if ch == '"' else None
        if self.phase == 2:  # after a backslash
            unescaped = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}.get(ch)
            return None if unescaped is None else self._next(self.chars + unescaped, 1)
        if ch == '"':
            return (DONE_CONSUMED, self.chars) if self._may_close(closing) else None
        if ord(ch) < 0x20 or len(self.chars) >= self.max_chars or (closing and self.chars):
            return None
        if self.ground is not None and ch == " " and not self.chars:
            return None
        if ch == "\\":
            if self.ground is not None and not any(
                    self._from_request(self.chars + c) for c in '"\\\n\t'):
                return None  # no escaped character could keep a grounded string grounded
            return self._next(self.chars, 2)
        return self._next(self.chars + ch, 1)

    def _may_close(self, closing: bool) -> bool:
        if self.ground is None:
            return True
        if not self.chars:
            return False
        if closing:
            return True
        if (state := self._adding_state()) is not None:
            return len(state) == 2
        in_name = bool(_NAME_LAST.search(self.chars))
        if self.region and in_name and self._state_added(self.chars + ", ") is not None:
            return False  # "New York" for "The city and state": "New York, NY"
        if self.region and "," not in self.chars:
            end = _PLACE_END if in_name else _REGION_END
        else:
            end = _NAME_END if in_name else _WORD_END
        whole = any(end.match(self.ground, at + len(self.chars))
                    for at in self._starts(self.chars))
        if whole and not self.chars[-1].isspace() and self.chars[-1] not in _NO_LAST and \
                not _LEADS_ON.search(self.chars) and not self._is_taken():
            return True
        return not self._may_grow()  # no dead ends: a string that cannot grow may end

    def _may_grow(self) -> bool:
        if len(self.chars) >= self.max_chars:
            return False
        if (state := self._adding_state()) is not None:
            return len(state) < 2
        end, taken, n = len(self.ground) - len(self.chars), self._is_taken(), len(self.chars)
        return any(at < end and at + n not in self.barred
                   and (taken or not self._breaks_at(at + n))
                   and not leaves_quotes(self.ground, at, at + n + 1)
                   and self._open_in_quotes(at, n + 1)
                   for at in self._starts(self.chars))

    def forced(self, closing=False):
        return '"' if self.phase == 0 or (closing and self.phase == 1 and self.chars) else None


# Words no item of a list starts with.
_LINKING = frozenset("a an the and or of to in on at for with by from but then also is are was "
                     "were it its their his her my your our this that these those which what who "
                     "how when where why plus over under".split())
# What lies between two items of a list the request gives: a few words, with a comma, "and",
# "or" or "plus" among them, in one sentence ("three bottles of olive oil and a bag of rice").
_ITEM_JOIN = re.compile(r",|&|\b(?:and|or|plus)\b")
_SENTENCE_END = re.compile(r"[.?!;:](?:\s|$)")
# Between two items of a list of their own: a list word, and at most two other words.
_LIST_GAP = re.compile(r"['\"]?(?:\s+\w+){0,2}?\s*(?:,|&|\band\b|\bor\b|,\s*and\b)\s*['\"]?")
_BOTH = re.compile(r"\bboth\s+((?:\w+\s+)?)")  # "both the shortest and scenic routes"
_CLAUSE = re.compile(r"\b(?:i|you|we|they|he|she|it|should|would|could|can|will|want|need)\b")


@functools.lru_cache(maxsize=256)
def item_starts(text: str, items: tuple, taken: frozenset) -> frozenset:
    """Where the next item of a list can start in `text`: a word up to five words after a
    place that says one of the `items`, with a list word and no other item between them. Not
    a linking word ("and", "the"), nor a word inside a `taken` value or from which every value
    up to a break would repeat, hold or lie inside one ("C4, E4, F4, G4." after "C4")."""
    lower, items = text.lower(), [i.lower() for i in items if i]
    after = set()
    for item in items:
        for m in re.finditer(re.escape(item), lower):
            for word in re.finditer(r"\b\w", lower[m.end():m.end() + 60]):
                gap = lower[m.end():m.end() + word.start()]
                if len(gap.split()) > 5 or _SENTENCE_END.search(gap) or any(
                        words_within(i, gap) for i in items) or _CLAUSE.search(gap):
                    break  # too far, past another item (the next follows that) or a clause
                if _ITEM_JOIN.search(gap):
                    after.add(m.end() + word.start())
    inside = [(m.start(), m.end()) for t in taken if t for m in re.finditer(re.escape(t), lower)]
    ends = sorted({m.end() for word in (r"\w+", r"\S+") for m in re.finditer(word, lower)})

    def open_from(start: int) -> bool:  # some value from here is none of the taken ones
        if any(a < start < b for a, b in inside) or (
                _WORD.match(lower, start).group() in _LINKING and not text[start].isupper()):
            return False  # within a taken value, or "and", "the" ("The Office" may)
        for n, end in enumerate(e for e in ends if e > start):
            span = lower[start:end]
            if not any(words_within(span, t) or words_within(t, span) for t in taken):
                return True
            if breaks_at(text, end) or n == 7:
                return False
        return False
    return frozenset(at for at in after if open_from(at))


_INT_PREFIX = re.compile(r"-?(0|[1-9]\d{0,15})?")
_INT_FULL = re.compile(r"-?(0|[1-9]\d{0,15})")
# Every prefix this accepts can still be completed (no dead ends such as "1.e").
_NUM_PREFIX = re.compile(r"-?((0|[1-9]\d{0,15})((\.\d{1,12})?([eE]-?\d{0,3})?|\.)?)?")
_NUM_FULL = re.compile(r"-?(0|[1-9]\d{0,15})(\.\d{1,12})?([eE]-?\d{1,3})?")


# Where a value the request gives ends: before a preposition, an "and", a clause or a new
# sentence ("San Francisco |in 2020", "Fortnite |on Playstation", "Lakers |and Bulls", "Friday|,
# and I am ..."), unless it is quoted.
_BREAK = re.compile(r",?\s+(?:in|on|at|for|from|with|during|near|since|until|within)\b|"
                    r",\s*(?:and|or|but|which|who|where|that)\b|\s+and\b|"
                    r"(?<=[a-z]{2}[.?!])\s")  # a sentence's end (not "Mr. X" or "Roe v. Wade")
_QUOTED = re.compile(r"(?<!\w)'.+?'(?!\w)|\"[^\"]+\"")


_WORD_AT = re.compile(r"\s*(\w+)\b")  # the word at a place, after any spaces
# A capitalized word right before `at`, not the first of a sentence ("Gibson |Les Paul").
_NAME_BEFORE = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][\w'-]*\s$")


def _inside_name(text: str, at: int) -> bool:
    """Whether a capitalized word at `at` goes on a name that starts before it, outside
    quotes ("Les Paul" of "a Gibson Les Paul guitar", "P125" of "a Yamaha P125 piano"; not a
    code after a short label: "building Id B1004")."""
    if not text[at:at + 1].isupper():
        return False
    before = _NAME_BEFORE.search(text, max(0, at - 40), at)
    if before is None or _in_quotes(text, at):
        return False
    code = any(c.isdigit() for c in _WORD.match(text, at).group())
    return not code or len(before.group().strip()) > 2


def breaks_at(text: str, at: int) -> bool:
    """Whether a value taken from `text` ends at `at`: a break follows outside quotes."""
    return _BREAK.match(text, at) is not None and not _in_quotes(text, at)


def _in_quotes(text: str, at: int) -> bool:
    return any(m.start() < at < m.end() for m in _quoted(text))


def leaves_quotes(text: str, start: int, end: int) -> bool:
    """Whether the span [start, end) of `text` begins inside quotes and runs past them."""
    return any(m.start() < start < m.end() - 1 < end for m in _quoted(text))


@functools.lru_cache(maxsize=64)
def _quoted(text: str) -> tuple:
    return tuple(_QUOTED.finditer(text))


def quote_leads(text: str) -> dict[str, set]:
    """The texts `text` quotes, each with the words right before its quotes (not a linking
    word: "nucleotide" of "for nucleotide 'A'")."""
    leads: dict[str, set] = {}
    for m in _quoted(text):
        lead = re.search(r"([a-z]{3,})\s*$", text[:m.start()])
        if lead and lead.group(1) not in _LINKING:
            leads.setdefault(m.group()[1:-1], set()).add(lead.group(1))
    return leads


# Words that frame a request rather than give a value ("Can you ...", "I want ...", "Please
# ..."): a value does not start with one unless the request quotes it.
_FRAMING = frozenset("can could would should what which how why please i i'm you we tell give "
                     "show help".split())


def word_starts(part: str, text: str) -> Iterator[int]:
    """Where `text` has `part` starting a word (not the "entiment" of "sentiment"; a unit right
    after a number, "cm" in "6cm", starts a word too), but not a framing word outside quotes."""
    at = text.find(part)
    while at != -1:
        if (at == 0 or not part[:1].isalnum() or not text[at - 1].isalnum() or (
                text[at - 1].isdigit() and part[0].isalpha())) and not _frames(text, at):
            yield at
        at = text.find(part, at + 1)


def _frames(text: str, at: int) -> bool:
    """Whether the word at `at` frames the request ("Can you ...") or a name in it (the "the"
    of "the Treaty of Paris"), outside quotes."""
    word = _WORD.match(text, at)
    return bool(word) and (word.group().lower() in _FRAMING or _THE_NAME.match(text, at)) \
        and not _in_quotes(text, at)


_THE_NAME = re.compile(r"the\s+[A-Z]")


_WORD = re.compile(r"[\w']+")


def words_within(part: str, text: str) -> bool:
    """Whether `part` occurs in `text` as whole words."""
    return re.search(r"(?<!\w)" + re.escape(part) + r"(?!\w)", text) is not None


def number_value(text: str) -> int | float:
    return float(text) if any(c in text for c in ".eE") else int(text)


class NumberValue:
    """A number; with `allowed`, only one of those literals (numbers grounded in the request,
    or a small range or enum); with `low`/`high`, within those bounds."""

    __slots__ = ("integer", "text", "allowed", "low", "high", "real")

    def __init__(self, integer: bool, text: str = "", allowed: frozenset | None = None,
                 low: float | None = None, high: float | None = None, real: bool = False):
        self.integer, self.text, self.allowed = integer, text, allowed
        self.low, self.high = low, high
        self.real = real  # written as a float ("12.0"): a list of floats must hold floats

    def _may_continue(self, text: str) -> bool:
        # Never accept a prefix that no number within the bounds can complete.
        if self.low is not None and self.low >= 0 and text.startswith("-"):
            return False
        digits = re.match(r"\d+", text)
        if self.high is not None and digits and "e" not in text.lower() and \
                int(digits.group()) > self.high >= 0:
            return False
        return True

    def step(self, ch, closing=False):
        text = self.text + ch
        prefix = _INT_PREFIX if self.integer else _NUM_PREFIX
        if prefix.fullmatch(text) and self._may_continue(text) and (
                self.allowed is None or any(a.startswith(text) for a in self.allowed)):
            return (CONSUME, NumberValue(self.integer, text, self.allowed, self.low, self.high,
                                         self.real))
        full = _INT_FULL if self.integer else _NUM_FULL
        if self.real and not any(c in self.text for c in ".eE"):
            return None
        if full.fullmatch(self.text) and (self.allowed is None or self.text in self.allowed):
            value = number_value(self.text)
            if (self.low is None or value >= self.low) and (self.high is None or value <= self.high):
                return (DONE, value)  # the character belongs to the parent
        return None

    def forced(self, closing=False):
        return None


class ArrayValue:
    """A list; with `ground`, its items come from the request like any grounded value, and a
    text item is none of the call's other texts (`beside`: no stops "San Francisco" on a route
    that starts there); a list inside a list takes none of the numbers its outer list's earlier
    items took (`around`: a table's rows)."""

    __slots__ = ("item_schema", "items", "phase", "ground", "beside", "around")

    def __init__(self, item_schema: dict, items: tuple = (), phase: str = "open",
                 ground: "Grounding | None" = None, beside: tuple = (), around: tuple = ()):
        self.item_schema, self.items, self.phase, self.ground = item_schema, items, phase, ground
        self.beside, self.around = beside, around

    def _at(self, phase, items=None):
        return ArrayValue(self.item_schema, self.items if items is None else items, phase,
                          self.ground, self.beside, self.around)

    def item_frame(self):
        """The next item's frame; None when a grounded list has used up what the request
        states (so "[85, 90, 85, 90, ..." cannot run on)."""
        if self.ground is None:
            return value_frame(self.item_schema, in_list=True)
        return self.ground.frame(self.item_schema, self.items, in_list=True, beside=self.beside,
                                 around=self.around)

    @property
    def max_items(self) -> int:
        return MAX_GROUNDED_ITEMS if self.ground else MAX_ARRAY_ITEMS

    def _item_can_start(self) -> bool:
        """Whether another item can begin (no dead end after ", ")."""
        frame = self.item_frame()
        return frame is not None and (not isinstance(frame, StringValue) or frame.can_start())

    def step(self, ch, closing=False):
        if self.phase == "open":
            return (CONSUME, self._at("first")) if ch == "[" else None
        if self.phase in ("first", "after") and ch == "]":
            if self.ground and self.items and not closing and len(self.items) < self.max_items \
                    and (self.ground.lists_option_with(self.items, self.item_schema) or
                         self.ground.copying_unfinished(self.item_schema, self.items)) \
                    and self._item_can_start():
                return None  # "elevation and area", "[-500, 100, 150]": the list holds all
            return (DONE_CONSUMED, list(self.items))
        if self.phase == "after":
            if ch == "," and len(self.items) < self.max_items and not closing and \
                    self._item_can_start():
                return (CONSUME, self._at("space"))
            return None
        if self.phase == "first" and (closing or self.item_frame() is None):
            return None
        if self.phase == "space":
            return (CONSUME, self._at("item")) if ch == " " else None
        # "first" or "item": the character starts a value
        return (PUSH, self, self.item_frame())

    def child_done(self, value):
        return self._at("after", self.items + (value,))

    def forced(self, closing=False):
        if self.phase == "item":
            return self.item_frame().forced(closing)
        if closing and self.phase in ("first", "after"):
            return "]"
        return {"open": "[", "space": " "}.get(self.phase)


class Fields:
    """Named values in schema order: keyword arguments `a=1, b=2)` or an object
    `{"a": 1, "b": 2}`. A required field cannot be skipped; closing needs all required ones.
    With a Grounding, optional fields only take values the request states."""

    __slots__ = ("fields", "style", "ground", "index", "values", "key")

    STYLES = {  # open, first key, next key, close
        "call": ("", "{}=", ", {}=", ")"),
        "object": ("{", '"{}": ', ', "{}": ', "}"),
    }

    def __init__(self, fields: tuple, style: str, ground: Grounding | None = None,
                 index: int = 0, values: tuple = (), key: str | None = None):
        self.fields, self.style, self.ground = fields, style, ground
        self.index, self.values, self.key = index, values, key

    def _with(self, **changes):
        state = {"index": self.index, "values": self.values, "key": self.key, **changes}
        return Fields(self.fields, self.style, self.ground, **state)

    def _grounded(self, required: bool) -> bool:
        ground = self.ground
        return ground is not None and (ground.required_args if required else ground.optional_args)

    def _offered(self, j: int) -> bool:
        """Whether optional field j may be given (grounded: only when the request states it)."""
        name, schema, _ = self.fields[j]
        return not self._grounded(False) or self.ground.states(schema, name,
                                                                [v for _, v in self.values])

    def _asked(self, j: int) -> bool:
        """Whether optional field j may not be left out: the request asks for it outright."""
        name, schema, _ = self.fields[j]
        return self._grounded(False) and self.ground.asks(schema, name,
                                                           [v for _, v in self.values])

    def _frame(self, j: int):
        name, schema, required = self.fields[j]
        if not self._grounded(required):
            return value_frame(schema)
        if schema.get("type") == "string" and not schema.get("enum") and \
                (starts := self.ground.next_start(name)):
            return value_frame({"enum": starts})  # "..., then from Los Angeles to Miami"
        if not required and schema.get("type") == "string" and not schema.get("enum") and \
                (places := self.ground.places_left(name, [v for _, v in self.values])):
            return value_frame({"enum": places})  # "in California": state="California"
        if not required and schema.get("type") == "string" and not schema.get("enum") and \
                not self.ground.names_argument(name) and \
                (offered := self.ground.offered(schema, name)):
            # offered for a unit the request states, or a value the description names ("could
            # be 'IMAX', '2D'"): that value, the one the task of the call's values says if it
            # says one; else (a stated date) grounded as below
            return value_frame({"enum": self.ground.said_beside(
                offered, [v for _, v in self.values])})
        if crossed := self.ground.uncrossed(self.ground.earlier, name, self.ground.tool):
            return value_frame({"enum": crossed})  # "in 1900 and 1950 ... in these years"
        if (fresh := self.ground.combining(name, dict(self.values))) is not None:
            return value_frame({"enum": fresh})  # the combination of lists not yet called
        others = [(n, s) for n, s, _ in self.fields if n != name]
        rivals = frozenset(str(c).lower() for _, s in others
                           for c in s.get("enum") or s.get("items", {}).get("enum") or ())
        names = tuple(n for n, _ in others)
        pair = range_pair(name, names)
        return self.ground.frame(schema, [v for _, v in self.values], name=name,
                                 others=names, rivals=rivals,
                                 bound=pair and (pair[0], dict(self.values).get(pair[1])))

    def key_choice(self, closing=False) -> Choice:
        opener, first, nxt, close = self.STYLES[self.style]
        lead = opener if not self.values else ""
        fmt = first if not self.values else nxt
        options, values = [], {}
        for j in range(self.index, len(self.fields)):
            name, _, required = self.fields[j]
            if not required and (closing or not self._offered(j)):
                continue
            option = lead + fmt.format(name)
            options.append(option)
            values[option] = j
            if required or self._asked(j):
                break
        else:
            options.append(lead + close)
            values[lead + close] = -1
        return Choice(options, values)

    def child(self, closing=False):
        if self.key is None:
            return self.key_choice(closing)
        return self._frame(self.index - 1)

    def step(self, ch, closing=False):
        return (PUSH, self, self.child(closing))

    def child_done(self, value):
        if self.key is None:  # a key (or the close) was chosen
            if value == -1:
                return Done(dict(self.values))
            return self._with(index=value + 1, key=self.fields[value][0])
        return self._with(values=self.values + ((self.key, value),), key=None)

    def forced(self, closing=False):
        return self.child(closing).forced(closing)


class FreeObject:
    """An object with no declared properties: `{"any key": any value, ...}`."""

    __slots__ = ("values", "phase", "key", "value_schema")

    def __init__(self, values: tuple = (), phase: str = "open", key: str | None = None,
                 value_schema: dict | None = None):
        self.values, self.phase, self.key = values, phase, key
        self.value_schema = value_schema or {}  # additionalProperties, when typed

    def _at(self, values, phase, key=None):
        return FreeObject(values, phase, key, self.value_schema)

    def step(self, ch, closing=False):
        if self.phase == "open":
            return (CONSUME, self._at((), "first")) if ch == "{" else None
        if self.phase in ("first", "after") and ch == "}":
            return (DONE_CONSUMED, dict(self.values))
        if self.phase == "after" or (closing and self.phase == "first"):
            if ch == "," and len(self.values) < MAX_ARRAY_ITEMS and not closing:
                return (PUSH, self._at(self.values, "key"), Literal(", "))
            return None
        if self.phase in ("first", "key"):
            return (PUSH, self._at(self.values, "got_key"), StringValue(64))
        if self.phase == "colon":
            return (PUSH, self._at(self.values, "value", self.key), Literal(": "))
        if self.phase == "value":
            return (PUSH, self._at(self.values, "got_value", self.key), value_frame(self.value_schema))
        return None

    def child_done(self, value):
        if self.phase == "got_key":
            return self._at(self.values, "colon", value)
        if self.phase == "got_value":
            return self._at(self.values + ((self.key, value),), "after")
        return self  # a literal finished; the phase already says what comes next

    def forced(self, closing=False):
        if closing and self.phase in ("first", "after"):
            return "}"
        return {"open": "{", "colon": ":", "key": '"'}.get(self.phase)


class AnyValue:
    """A value with no declared type: the first character decides which kind."""

    __slots__ = ()

    def step(self, ch, closing=False):
        if ch == '"':
            return (REPLACE, StringValue())
        if ch == "-" or ch.isdigit():
            return (REPLACE, NumberValue(False))
        if ch in "TF":
            return (REPLACE, boolean_frame())
        if ch == "[":
            return (REPLACE, ArrayValue({}))
        if ch == "{":
            return (REPLACE, FreeObject())
        return None

    def forced(self, closing=False):
        return None


def boolean_frame() -> Choice:
    return Choice(("True", "False"), {"True": True, "False": False})


def value_frame(schema: dict, in_list: bool = False):
    """The frame that reads one value of `schema` (`in_list`: an item of a list)."""
    if schema.get("enum"):
        enum = schema["enum"]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in enum):
            # "1" and "10" are not prefix-free as literals; a number frame tells them apart
            return NumberValue(all(isinstance(v, int) for v in enum),
                               allowed=frozenset(python_literal(v) for v in enum))
        options = [python_literal(v) for v in enum]
        return Choice(_prefix_free(options), dict(zip(options, enum)))
    kind = schema.get("type")
    if kind == "string":
        return StringValue(max_chars(schema))
    if kind in ("integer", "number"):
        low, high = schema.get("minimum"), schema.get("maximum")
        if kind == "integer" and low is not None and high is not None and high - low <= 1000:
            return NumberValue(True, allowed=frozenset(
                str(v) for v in range(math.ceil(low), math.floor(high) + 1)))
        return NumberValue(kind == "integer", low=low, high=high,
                           real=in_list and kind == "number")
    if kind == "boolean":
        return boolean_frame()
    if kind == "array":
        return ArrayValue(schema.get("items", {}))
    if kind == "object":
        if schema.get("properties"):
            return Fields(fields_of(schema), "object")
        return FreeObject(value_schema=schema.get("additionalProperties", {}))
    if kind == "null":
        return Literal("None")
    return AnyValue()


def max_chars(schema: dict) -> int:
    return int(min(schema.get("maxLength", MAX_STRING_CHARS), MAX_STRING_CHARS))


def _prefix_free(options: list[str]) -> list[str]:
    # Enum literals of numbers (e.g. 1 and 10) are not prefix-free; strings always are (quotes).
    for a in options:
        if any(b != a and b.startswith(a) for b in options):
            raise ValueError(f"enum values {options} are ambiguous as literals")
    return options


def python_literal(value: Any) -> str:
    """How a value is written in the call language (the inverse of the matcher)."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return "None"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace(
            "\n", "\\n").replace("\t", "\\t") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_literal(str(k))}: {python_literal(v)}"
                               for k, v in value.items()) + "}"
    return repr(value)


# not an exponent: the 2 of "m/s^2" or "3x^2" is no quantity the request states; thousands
# groups are whole ("20,2023" is 20 and 2023) and not in a list written without spaces
# ("[200,300,400]" is three numbers)
_NUMBER_IN_TEXT = re.compile(r"(?<![\w.^])(?<!\^-)-?(?:(?<![\[,])\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
                             r"(?:\.\d+)?(?:[eE]-?\d+)?")
# A number and a unit that gives it a second reading: "5%" is also 0.05, "$1.2M" 1200000.
_NUMBER_WITH_UNIT = re.compile(
    r"(\$?)(" + _NUMBER_IN_TEXT.pattern + r")"
    r"(?:\s?(%|percent\b|thousand\b|million\b|billion\b|trillion\b|[kKmMbB]\b))?"
    r"(?:\s?[x×*]\s?10\^(-?\d{1,3})\b)?")  # "8.854 x 10^-12"
# A latitude or longitude with its hemisphere ("33.4484 N", "112.0740° W").
_HEMISPHERE = re.compile(r"\d+(?:\.\d+)?\s?°?\s?([NSEW])(?![\w.])")
_LATITUDE_JOIN = re.compile(r"\s?°?\s?[NS],\s*")  # from a latitude to its longitude
_SCALES = {"%": 0.01, "percent": 0.01, "thousand": 1e3, "million": 1e6, "billion": 1e9,
           "trillion": 1e12, "k": 1e3, "m": 1e6, "b": 1e9}
_NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                 "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
                 "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
                 "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                 "hundred": 100, "thousand": 1000, "dozen": 12, "twice": 2, "thrice": 3,
                 "double": 2, "triple": 3, "half": 0.5}


# A request that asks for values again ("the same calculation", "remains the same").
_SAME = re.compile(r"\bsame\b")
_NEGATION = re.compile(r"\b(?:not|no|never|without|few|less|exclud\w*|\w+n't)\b")


class Mention(NamedTuple):
    """A number the request states: its readings and the words that say what it is."""

    readings: frozenset
    label: tuple
    group: int = -1  # which list of numbers the request says it in ("85, 90 and 88")
    percent: float | None = None  # "5%": 5, whose other reading is 0.05
    sentence: int = 0  # which sentence of the request says it
    at: int = -1  # where in the request its digits start
    counts: str = ""  # for a number in words, the word after it ("two adults": "adults")

    def as_argument(self, schema: dict) -> "Mention":
        """This mention as an argument of `schema` reads it: a percentage as a fraction or as
        a whole number, as the schema asks; an amount lost as negative where the schema wants
        losses so ("a loss of $1000": -1000)."""
        mention = self
        if self.percent is not None:
            whole = percent_as_whole(schema)
            mention = self._replace(
                readings=frozenset({self.percent if whole else self.percent / 100}))
        if negative_when_lost(schema) and self.lost():
            mention = mention._replace(readings=frozenset(-r for r in mention.readings))
        return mention

    def lost(self) -> bool:
        return any(LOSS_WORD.fullmatch(word) for word in self.label)

    def reads(self, number: float) -> bool:
        """Whether a value `number` says this mention, in any reading: an argument that took
        "3%" as 0.03 used it up for one that would read it as 3, and -1000 "a loss of 1000"."""
        return number in self.readings or -number in self.readings and self.lost() or \
            self.percent is not None and number in (self.percent, self.percent / 100)


# What joins the items of a list: "15, 20 and 30", "1,5 or 10", "Seattle and Los Angeles".
_LIST_JOIN = r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)"
# The word listed right after or right before a text: "X, Y", "X and Y", "X or a Y".
_LIST_NEXT = re.compile(_LIST_JOIN + r"['\"]?(?:(?:a|an|the)\s+)?(\w+)")
_LIST_PREVIOUS = re.compile(r"(\w+)['\"]?" + _LIST_JOIN + r"(?:(?:a|an|the)\s+)?['\"]?$")
# Words after "and" that go on with the sentence, not with a list ("theory of relativity and
# in which year", "deer and their impact").
_NOT_ITEMS = frozenset(
    "in on at for to from with by of about which what who whom whose how when where why their "
    "its it his her my your our them they we you he she i this that these those then also "
    "is are was were be can could would will should do does did please so if as".split())
_AND_OR = re.compile(r"\b(?:and|or)\b|&")
# A list goes on to an "and" or "or" within the same part of the sentence.
_LIST_GOES_ON = re.compile(r"(?:[^.;:?!]|\.(?=,)){0,60}?(?:,\s*|\s+)(?:and|or)\s")  # "LLC., and"


# Where a request moves on to another task: a new sentence (its capital taken as written, not
# "sq ft. in New York"), or "then", "also", "after that", "followed by".
_TASK_BREAK = re.compile(r"(?<=[.?!])\s+(?=(?-i:[A-Z\"']))|,?\s+(?:and then|then|and also|also)\s+|"
                         r",?\s*\b(?:also|then|after that|followed by|next(?=,)|finally|"
                         r"lastly)\b,?\s*",
                         re.IGNORECASE)


def request_tasks(request: str) -> list[str]:
    """The request's parts that could each be a task of its own ("What was the Treaty of Paris
    about? Also, what was the importance of Magna Carta?"); coarser than its clauses."""
    return [request[a:b].strip() for a, b in _spans(request, _TASK_BREAK, 10)]


@functools.lru_cache(maxsize=256)
def task_spans(text: str) -> tuple:
    """Where each of the text's tasks lies, as (start, end); cached, since a call's choices
    are kept to their task at every candidate token."""
    return tuple(_spans(text, _TASK_BREAK, 0))


# Where a request's clauses meet: a sentence's end, a comma, "and", "then", "also".
_CLAUSE_BREAK = re.compile(r"(?<=[.?!;])\s+|,\s*(?:(?:and|then|also)\s+)?|"
                           r"\s+(?:and|then|also|as well as)\s+")


def request_clauses(request: str) -> list[str]:
    """The request's clauses, which the tool ranking matches against the tools one by one."""
    return [request[a:b].strip() for a, b in _spans(request, _CLAUSE_BREAK, 3)]


def _spans(text: str, breaks: re.Pattern, least: int) -> list[tuple[int, int]]:
    """Where the parts of `text` between `breaks` that are longer than `least` lie."""
    spans, at = [], 0
    for m in breaks.finditer(text):
        spans.append((at, m.start()))
        at = m.end()
    spans.append((at, len(text)))
    return [(a, b) for a, b in spans if len(text[a:b].strip()) > least]


def clause_key(clause: str) -> str:
    """A clause as the tool ranking and the grounding both know it (the grounding unwraps a
    request written inside quotes)."""
    return " ".join(clause.lower().split()).strip("\"'")


@functools.lru_cache(maxsize=256)
def _owned_clauses(text: str, owners: tuple) -> tuple[tuple[int, int, str | None], ...]:
    """Where `text`'s clauses lie, each with the tool it is about (None: none). Cached: a
    call the rules ask for reads them at each name the decoder tries."""
    about = dict(owners)
    return tuple((a, b, about.get(clause_key(text[a:b])))
                 for a, b in _spans(text, _CLAUSE_BREAK, 3))


def _away_from_others(text: str, clauses: tuple, tool: str) -> frozenset | None:
    """The positions of `text` outside the clauses about a tool other than `tool` (a clause
    that says "the same" is no other tool's); None when there are no such clauses."""
    away = {at for a, b, owner in clauses if owner not in (None, tool)
            and not _SAME.search(text[a:b].lower()) for at in range(a, b)}
    return frozenset(range(len(text))) - away if away else None


# A sentence that takes up one of several cases in turn ("The first person weighs 180 lbs",
# "Lastly, the fourth one was a large bird").
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
_CASE = re.compile(r"(?:(?:lastly|finally|and|also|then),?\s+)?the\s+(" + "|".join(_ORDINALS) +
                   r"|last|final)\b", re.IGNORECASE)
_CASE_BREAK = re.compile(r"(?<=[.?!:])\s+")


@functools.lru_cache(maxsize=256)
def outside_cases(text: str, call: int) -> frozenset | None:
    """Where in `text` a value of the decision's call number `call` (from 0) may start, when
    the request takes up several cases in turn, one sentence each ("The first ...", "The
    second ...", "And the last ..."): not in another case's sentence. None when it does not
    (the ordinals out of turn: "The first charge ... The first time"), or has no such
    sentence for this call."""
    spans, ordinals = [], []
    for a, b in _spans(text, _CASE_BREAK, 0):
        if m := _CASE.match(text, a):
            spans.append((a, b))
            ordinals.append(m.group(1).lower())
    counted = [o for o in ordinals if o in _ORDINALS]
    in_turn = counted == list(_ORDINALS[:len(counted)]) and \
        all(o not in _ORDINALS for o in ordinals[len(counted):])  # "the last" ends them
    if len(spans) < 2 or not in_turn or call >= len(spans):
        return None
    away = {at for k, (a, b) in enumerate(spans) if k != call for at in range(a, b)}
    return frozenset(range(len(text))) - away


# A formula a clause gives ("of sin(x)", "the function 3x^2 - 2x + 1"), not a unit's "s^2".
_FORMULA = re.compile(r"\b[a-z]\w*\(\s*-?[a-z]\b|(?<!/)\b\d*[a-z]\s*\^\s*\d")


@functools.lru_cache(maxsize=256)
def outside_others(text: str, tool: str, owners: tuple) -> frozenset | None:
    """Where in `text` a value of a call of `tool` may start: outside the clauses about
    another tool, when a clause about `tool` names a subject of its own ("Book a flight from
    Seattle to Boston and a hotel in Boston": not "Seattle" for the hotel) or gives a formula
    ("the definite integral ... of sin(x)": not "exp(-x^2)" of the other clause); None (anywhere)
    when it refers back ("on the same platform") or names nothing ("and also the interest
    coverage ratio"). A clause that says "the same" is no other tool's ("then do the same for
    Hinduism"). `owners`: (clause_key, tool) pairs. Cached: the decoder builds a value's frame
    for every candidate token it tries."""
    clauses = _owned_clauses(text, owners)
    own = [text[a:b] for a, b, owner in clauses if owner == tool]
    if not own or any(_SAME.search(c.lower()) for c in own) or \
            not any(names_in(c) or _quoted(c) or _FORMULA.search(c) for c in own):
        return None
    return _away_from_others(text, clauses, tool)


@functools.lru_cache(maxsize=256)
def numbers_outside_others(text: str, tool: str, owners: tuple, stated: tuple
                           ) -> frozenset | None:
    """Where in `text` a number of a call of `tool` may be stated: outside the clauses about
    another tool, when a clause about `tool` states a number of its own (`stated`: where the
    text states its numbers; "the factorial of 8 and the primes from 1 to 50": 8 for the
    factorial); None (anywhere) otherwise, or when it refers back ("the same")."""
    clauses = _owned_clauses(text, owners)
    own = [(a, b) for a, b, owner in clauses if owner == tool]
    if not own or any(_SAME.search(text[a:b].lower()) for a, b in own) or \
            not any(a <= at < b for a, b in own for at in stated):
        return None
    return _away_from_others(text, clauses, tool)


# Words that lead a value ("between X and Y", "for X", "in X").
_LEADS = frozenset("between from for in at of to on with by near about".split())
_GOES_ON = re.compile(r",|\s+(?:and|or)\b")  # after a value, where more is added to it
_JOINED = re.compile(r",|[.?!;]\s|\b(?:and|or)\b")
# A name: capitalized words, "of" between them ("Bank of America").
_NAME = re.compile(r"\b[A-Z][a-zA-Z]+(?:\s+(?:of\s+)?[A-Z][a-zA-Z]+)*\b")
# The noun right after a value ("the Darwin model"), and words that are none.
_NOUN_AFTER = re.compile(r"['\"]?\s+([a-z]{3,})\b")
_NOT_NOUNS = _NOT_ITEMS | _LEADS | {"and", "or"}


# Capitalized words in a row, with the dot of an abbreviation that ends them ("Apple Inc.,").
_CAPITALIZED = re.compile(r"\b[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)*\b(?:\.(?=,))?")


# A code: letters and digits in one word ("XY1234", "BRCA2", "C6H12O6"), not a number with
# its unit ("5ft", "100mg") or a size ("12x18").
_CODE = re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[^\W\d_])"
                   r"(?![\d.,]+[^\W\d_]+(?![\w-]))(?!\d+x\d+(?![\w-]))"
                   r"(?!\d+(?:\.\d+)?[eE]-?\d+(?![\w-]))\w[\w-]*\w(?![\w-])")


def codes_in(text: str) -> list[str]:
    """The codes the request gives, each once."""
    return list(dict.fromkeys(m.group() for m in _CODE.finditer(text)))


def names_in(text: str) -> list[str]:
    """The names a text says (lower-cased), but for the capitalized word that starts it or one
    of its sentences."""
    return [m.group().lower() for m in _NAME.finditer(text)
            if (before := text[:m.start()].rstrip()) and before[-1] not in ".?!\"'"]


_AT_REST = ("initial", "velocity", "speed")
# How often a year something happens ("compounded quarterly": 4 times per year).
_PER_YEAR = {"daily": 365, "weekly": 52, "biweekly": 26, "fortnightly": 26, "monthly": 12,
             "quarterly": 4, "semiannually": 2, "biannually": 2, "annually": 1, "yearly": 1}
_PER_YEAR_LABEL = ("per", "year", "frequency")
# An argument that counts how often something happens: its name says so ("periods_per_year",
# "compound_freq") or its description does ("the number of times interest is compounded"), not
# one that is only a rate per year ("the percentage decrease per year").
_COUNTS_IN_NAME = re.compile(r"\bper\b|\bfreq")
_COUNTS_IN_DESCRIPTION = re.compile(r"\btimes\b|\bfrequency\b|\bhow often\b")


def words_before(text: str, at: int, start: int = 0) -> tuple:
    """Up to four words (lower-cased) before position `at`, back to a comma or a sentence's end
    and not before `start`: the label a number gets from before it."""
    clause = re.split(r"[,;:.?!(]", text[max(start, at - 40):at])[-1]
    return tuple(re.findall(r"[a-z]+", clause.lower())[-4:])


def stated_frequencies(text: str) -> list[Mention]:
    """How often a year the text says something happens: "compounded quarterly" is 4,
    "paid monthly" 12, labelled as a number per year."""
    lower = text.lower()
    mentions = []
    for m in re.finditer(r"\b(?:semi|bi)?-?[a-z]+ly\b", lower):
        if (per_year := _PER_YEAR.get(m.group().replace("-", ""))) is not None:
            after = re.match(r" ?([a-z]+)", lower[m.end():m.end() + 30])
            label = words_before(text, m.start()) + ((after.group(1),) if after else ()) + \
                _PER_YEAR_LABEL
            mentions.append(Mention(frozenset((float(per_year),)), label,
                                    sentence=sentence_at(text, m.start())))
    return mentions


def counts_per_period(schema: dict, name: str) -> bool:
    """Whether a number argument counts how often something happens in a period, so that
    a stated frequency ("quarterly") can be its value."""
    return bool(_COUNTS_IN_NAME.search(" ".join(name_parts(name))) or
                _COUNTS_IN_DESCRIPTION.search(str(schema.get("description", "")).lower()))


# A time of day: "11 PM", "7:30 pm", "22:00".
_CLOCK = re.compile(r"\b(\d{1,2})(?::\d\d)?\s?([ap])\.?m\b|\b(\d{1,2}):\d\d\b", re.IGNORECASE)
_CLOCK_LABEL = ("hour", "hours", "time", "clock")


def stated_hours(text: str) -> list[Mention]:
    """The hours of the times of day the text states, on a 24-hour clock ("11 PM": 23)."""
    mentions = []
    for m in _CLOCK.finditer(text):
        hour = int(m.group(1) or m.group(3))
        if m.group(2):
            hour = hour % 12 + (12 if m.group(2).lower() == "p" else 0)
        if hour <= 24:
            mentions.append(Mention(frozenset((float(hour),)),
                                    words_before(text, m.start()) + _CLOCK_LABEL,
                                    sentence=sentence_at(text, m.start()), at=m.start()))
    return mentions


def counts_hours(schema: dict) -> bool:
    """Whether a number argument is an hour on a 24-hour clock, as its description says
    ("This is in 24 hour format"); a clock's hand (`hours` of a clock angle) is not."""
    return bool(re.search(r"\b24[- ]hours?\b", str(schema.get("description", "")).lower()))


# A span of time the request gives without a number ("for the next week", "over the past
# decade"), and how many of an argument's units it is.
_DURATION = re.compile(r"\b(?:next|past|last|coming|previous)\s+"
                       r"(day|week|fortnight|month|year|decade|century|hour)\b", re.IGNORECASE)
_IN_UNITS = {("day", "days"): 1, ("week", "days"): 7, ("fortnight", "days"): 14,
             ("week", "weeks"): 1, ("fortnight", "weeks"): 2, ("month", "months"): 1,
             ("year", "months"): 12, ("year", "years"): 1, ("decade", "years"): 10,
             ("century", "years"): 100, ("hour", "hours"): 1, ("day", "hours"): 24,
             ("hour", "minutes"): 60}
_TIME_UNITS = re.compile(r"\b(days|weeks|months|years|hours|minutes)\b")


def stated_durations(text: str) -> list[tuple[str, Mention]]:
    """The spans of time the text gives without a number, each with the unit it is one of."""
    return [(m.group(1).lower(), Mention(frozenset((1.0,)), words_before(text, m.start()),
                                         sentence=sentence_at(text, m.start())))
            for m in _DURATION.finditer(text)]


def time_unit(schema: dict, name: str) -> str | None:
    """The unit a number argument counts time in, as its name or description says ("months",
    "The number of days for which ..."); none for a point in time ("year")."""
    found = _TIME_UNITS.search(" ".join(name_parts(name))) or \
        _TIME_UNITS.search(str(schema.get("description", "")).lower())
    return found.group(1) if found else None


_NONE_OF = re.compile(r"\b(?:without (?:any )?([a-z]+)|not [a-z]+ any ([a-z]+(?: [a-z]+)?))")
_FEET_INCHES = re.compile(r"\b(\d+)(?:\s?(?:ft|feet|foot)\s?|')(\d+)"
                          r"(?:\s?(?:in|inch|inches)(?![a-z])|\")")


def in_inches(feet_inches: re.Match) -> frozenset:
    """A height in feet and inches ("5ft 10in", 5'10") in inches (70)."""
    return frozenset((float(feet_inches.group(1)) * 12 + float(feet_inches.group(2)),))


# A term of a polynomial before a minus: "2x - ", "x^2 - ", "2x² -" (not "COVID-").
_MINUS_TERM = re.compile(r"(?<![a-zA-Z])\d*[a-zA-Z](?:\^\d+|[²³])?\s*-\s*$")
_CLOCK_HOURS = re.compile(r"(?<![\d:])\d{1,2}(?=:\d{2}(?![\d:]))")
_CLOCK_MINUTES = re.compile(r"(?<![\d:])\d{1,2}:\d{2}$")


# The word right after a number, or the unit of a quotient ("2 m/s^2", "60 km/h").
_WORD_AFTER = re.compile(r" ?([a-zA-Z]+(?:/[a-zA-Z]+(?:\^\d|[²³])?)?)")


def stated_numbers(text: str) -> tuple[list[Mention], list[Mention]]:
    """The numbers a text states, one per mention: written in digits ("5%" reads as 5 or 0.05;
    "5m" is metres, "$5m" money), and as words ("six", "twice", "from rest"). A number's label
    is the word right after it and up to four words before it, back to the word that names the
    number before ("180 hits and 600 at-bats": hits for 180, at for 600; "a short term capital
    gain of"); the members of a list share their list's label ("a loan term of 15, 20 and 30
    years"). "From rest" is labelled an initial speed, and so is "dropped" when the text gives
    no initial speed; "without any acceleration" is an acceleration of 0, and "5ft 10in" is
    also 70 inches. A number after a polynomial's term and a minus is negative ("5x^2 - 7x")."""
    lists: list[list] = []  # [readings, words before, word after, percent] per mention,
    last = named_to = 0     # grouped into lists; where the last number and its word end
    named_ends = []         # where each number in digits and the word after it end
    # a text giving latitudes and longitudes (N or S, E or W) writes west and south as signs
    coordinates = len({m.group(1) in "NS" for m in _HEMISPHERE.finditer(text)}) == 2
    for m in _NUMBER_WITH_UNIT.finditer(text):
        dollar, number, unit, power = m.groups()
        value = float(number.replace(",", "")) * 10 ** int(power or 0)
        unit = (unit or "").lower()
        readings = {value}
        if coordinates and (h := _HEMISPHERE.match(text, m.start(2))) and h.group(1) in "WS":
            readings = {-value}  # "112.0740 W": -112.074
        if _MINUS_TERM.search(text, max(0, m.start(2) - 12), m.start(2)):
            readings = {-value}  # "5x^2 - 7x + 3": the 7 is a coefficient of -7
        if unit and (len(unit) > 1 or unit == "%" or dollar):  # "5m" alone is 5 metres
            scaled = value * _SCALES[unit]
            # "5%" may be 5 or 0.05, but "213 million" is only 213000000
            readings = {value, scaled} if unit in ("%", "percent") else {scaled}
        # "180 hits"; "2 m/s^2" (whose "m" alone would read as metres)
        after = m.end(2) if text[m.end():m.end() + 1] == "/" else m.end()
        word = _WORD_AFTER.match(text[after:after + 30])
        # a time of day names its parts: "at 3:15" is 3 hours and 15 minutes
        clock = ("hours",) if _CLOCK_HOURS.match(text, m.start(2)) else \
            ("minutes",) if _CLOCK_MINUTES.search(text, 0, m.end()) else ()
        entry = (frozenset(readings), words_before(text, m.start(2), named_to) + clock,
                 (word.group(1).lower(),) if word else (),
                 value if unit in ("%", "percent") else None, sentence_at(text, m.start()),
                 m.start(2))
        between = text[last:m.start()]
        joins = re.fullmatch(_LIST_JOIN, between) or \
            coordinates and _LATITUDE_JOIN.fullmatch(between)  # a latitude's longitude
        if lists and joins and not clock:  # a time of day's numbers are no list's
            lists[-1].append(entry)
        else:
            lists.append([entry])
        last = m.end()
        named_to = after + word.end() if word else last
        named_ends.append(named_to)
    digits = []
    for number, group in enumerate(lists):
        shared = group[0][1] + group[-1][2]
        digits += [Mention(readings, tuple(dict.fromkeys(shared + own)),
                           number if len(group) > 1 else -1, percent, sentence, at)
                   for readings, own, _, percent, sentence, at in group]
    # a number in words is labelled back to the number before and the word that names it
    # ("two adults and one child": not "adults" for one)
    def named_before(at: int) -> int:
        return max((end for end in named_ends if end <= at), default=0)

    words = []
    for m in re.finditer(r"[a-z]+", text.lower()):
        if m.group() in _NUMBER_WORDS:
            word = re.match(r" ?([a-zA-Z]+)", text[m.end():m.end() + 30])
            words.append(Mention(frozenset((float(_NUMBER_WORDS[m.group()]),)),
                                 words_before(text, m.start(), named_before(m.start())),
                                 sentence=sentence_at(text, m.start()), at=m.start(),
                                 counts=word.group(1).lower() if word else ""))
            named_ends.append(m.end() + word.end() if word else m.end())
    words += [Mention(frozenset((0.0,)), words_before(text, m.start()) + _AT_REST,
                      sentence=sentence_at(text, m.start()))
              for m in re.finditer(r"\b(?:from|at) rest\b", text.lower())]
    for m in _FEET_INCHES.finditer(text):  # "5ft 10in" is also 70 inches
        words.append(Mention(in_inches(m), words_before(text, m.start(), named_before(
            m.start())) + ("inches",), sentence=sentence_at(text, m.start()), at=m.start()))
    # "travels for 8 seconds without any acceleration", "did not pay any dividends": 0
    words += [Mention(frozenset((0.0,)), tuple((m.group(1) or m.group(2)).split()),
                      sentence=sentence_at(text, m.start()), at=m.start())
              for m in _NONE_OF.finditer(text.lower())]
    dropped = re.search(r"\bdropped\b", text.lower())
    if dropped and not re.search(r"\b(?:initial|rest)\b", text.lower()):
        # "an object dropped from 100 m" starts from rest, when no initial speed is given
        words.append(Mention(frozenset((0.0,)), _AT_REST,
                             sentence=sentence_at(text, dropped.start())))
    return digits, words


# Where a sentence ends: not at "Inc. (AAPL)" or "Dr. smith", but at "from -2 to 2. Also"
# (a number's one digit; not a list's "\n2. Find").
_NEXT_SENTENCE = re.compile(r"(?:(?<=[a-z0-9)'\"%]{2}[.?!])|(?<= \d[.?!]))\s+(?=[A-Z\"'])")


def sentence_at(text: str, at: int) -> int:
    """Which sentence of `text` position `at` is in, counting from 0."""
    return len(_NEXT_SENTENCE.findall(text, 0, at))


_RANGE_ENDS = (("start", "end"), ("from", "to"), ("min", "max"), ("lower", "upper"),
               ("begin", "end"))


@functools.lru_cache(maxsize=1024)
def range_pair(name: str, others: tuple) -> tuple[str, str] | None:
    """Whether argument `name` is one end of a range with one of `others` ("start_year" and
    "end_year", "min_price" and "max_price"): ("start" or "end", the other end's name)."""
    for start, end in _RANGE_ENDS:
        for mine, theirs, role in ((start, end, "start"), (end, start, "end")):
            for other in (f"{theirs}{name[len(mine):]}" if name.startswith(mine) else None,
                          f"{name[:-len(mine)]}{theirs}" if name.endswith(mine) else None):
                if other and other != name and other in others:
                    return role, other
    return None


def name_words(name: str) -> list[str]:
    """The words of an argument name that say something ("initial_velocity", "maxCalories")."""
    return [w for w in name_parts(name) if len(w) > 2]


# A number as a word of its own: in digits ("10", not "2D" or "3.5"), or in words.
_COUNT = re.compile(r"(?<![\w.,])\d+(?!\w|[.,]\d)|\b([a-z]+)\b")
# (but for those that name kinds too: "a double room", "a half note")
_COUNT_WORDS = frozenset(_NUMBER_WORDS) - {"double", "triple", "half"}
# Argument names that ask for a kind of thing, which holds no count ("room_type": not "2
# nights", "for 10 matches": no match_format).
_KIND_WORDS = frozenset({"type", "format", "kind", "style", "mode", "category", "genre"})


def names_kind(name: str) -> bool:
    return bool(_KIND_WORDS & {p.lower() for p in name_parts(name)})


def own_words(name: str) -> frozenset:
    """The runs of an argument name's words ("method", "used", "method used"); none for a
    name that joins its values ("thinking_vs_feeling")."""
    parts = [w for w in name_parts(name) if w]
    if {"vs", "or", "versus"} & set(parts):
        return frozenset()
    return frozenset(" ".join(parts[i:j]) for i in range(len(parts))
                     for j in range(i + 1, len(parts) + 1))


def same_word(a: str, b: str) -> bool:
    """Whether name word `a` names text word `b`: the same word ("accelerated" for
    "acceleration"; "baths" for "bath") or an abbreviation of it ("std" for "standard")."""
    if a == b or (len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5]) or _singular(a) == b:
        return True
    rest = iter(b)
    return len(b) > len(a) and a[0] == b[0] and all(c in rest for c in a)


# Short name words that still name a number's label, said as they are ("the ID of 12345").
_SHORT_LABELS = frozenset({"id"})


def naming_score(mention: Mention, name: str) -> int:
    """How many words of the argument's name the mention's label says, and whether the
    argument is named as what the mention counts ("two adults" for adults, but "two
    charges" is no value of charge1)."""
    return sum(any(same_word(w, b) for b in mention.label) for w in name_words(name)) + \
        sum(w in _SHORT_LABELS and w in mention.label for w in name_parts(name)) + \
        (bool(mention.counts) and mention.counts in name_parts(name))


# A count of a whole ("total_outcomes", "num_trials") beside a count of its part
# ("favorable_outcomes", "num_success").
_WHOLE_WORDS = frozenset({"total", "trials"})
_PART_WORDS = frozenset({"success", "successes", "favorable", "favourable", "event"})


def counts_whole(name: str, others: tuple) -> bool:
    """Whether argument `name` counts a whole whose part another argument counts."""
    return bool(_WHOLE_WORDS & set(name_parts(name))) and \
        any(_PART_WORDS & set(name_parts(other)) for other in others)


def names_other(mention: Mention, name: str, others: tuple) -> bool:
    """Whether the mention's label names another argument better than `name` ("a distance
    of 1 meter" for `distance`, not `charge`)."""
    own = naming_score(mention, name)
    return any(naming_score(mention, other) > own for other in others)


def names_all(mention: Mention, name: str) -> bool:
    """Whether the mention's label says every word of the argument's name ("10, 20 and 30
    years" for `years`, not for `payment_per_year`)."""
    return naming_score(mention, name) >= len(name_words(name)) > 0


def names_rather(mention: Mention, name: str, others: tuple) -> bool:
    """Whether the mention's label says all of another argument's name and not all of
    `name`."""
    return not names_all(mention, name) and any(names_all(mention, o) for o in others)


def labelled(mentions: list[Mention], name: str) -> list[Mention]:
    """The mentions whose labels name the argument best ("a sample size of 50" for
    sample_size over "a sample mean of 25"); none when no label names it."""
    score = {m: naming_score(m, name) for m in mentions}
    best = max(score.values(), default=0)
    return [m for m in mentions if best and score[m] == best]


# What an integer argument counts ("The number of events to return"), and the words after a
# number that may say what it counts ("ten major historical events").
_NUMBER_OF = re.compile(r"\s*(?:the\s+)?(?:total\s+|maximum\s+|minimum\s+)?number\s+of\s+(\w+)",
                        re.IGNORECASE)
_WORDS_AFTER = re.compile(r"\S+((?:\s+[a-z]+){1,4})")


def counts_things(name: str) -> bool:
    """Whether an argument is a count ("number_of_trials", "num_players", "count")."""
    parts = name_parts(name)
    return parts[:2] == ["number", "of"] or bool(parts) and parts[0] in ("num", "count") or \
        parts[-1:] == ["count"]


def is_chance(name: str, schema: dict) -> bool:
    """Whether an argument is a probability, which a percentage the request states gives."""
    return _CHANCE.search(f"{name} {schema.get('description', '')}".lower()) is not None


_CHANCE = re.compile(r"probab|chance|likelihood")


def in_units(mentions: list[Mention], schema: dict) -> list[Mention]:
    """The mentions given in a unit the argument's description says it is in ("within 10
    miles" for "Maximum distance (in miles)")."""
    units = measured_in(str(schema.get("description", "")))
    return [m for m in mentions if units and any(w.rstrip("s") in units for w in m.label)]


def years(mentions: list[Mention], name: str) -> list[Mention]:
    """For an argument that names a year ("year", "start_year"), the mentions that read as
    one ("in 2020")."""
    if "year" not in name_words(name):
        return []
    return [m for m in mentions if any(1000 <= r <= 2999 and r.is_integer() for r in m.readings)]


# A year, with the word that leads it ("of 2013", "in 2020").
_YEAR = re.compile(r"(\s+(?:of|in|for|from|since|during|on|at|by)\s+)?(?<![\w.,-])[12]\d{3}"
                   r"(?!\w)(?![.,-]\d)")


def years_for(text: str, others: tuple) -> frozenset:
    """Where `text` states a year, when another argument names a year: no text runs over the
    year that argument takes ("the Criminal Law Amendment Act of 2013": act_name="Criminal
    Law Amendment Act", amendment_year=2013), nor over the word that leads it."""
    if not any("year" in name_words(o) for o in others):
        return frozenset()
    return frozenset(at for m in _YEAR.finditer(text) for at in (m.start(), m.end() - 4))


def number_literals(mentions: Iterable[Mention], integer: bool, real: bool = False
                    ) -> frozenset:
    """How the call language may write the readings of these mentions."""
    out = set()
    for value in (v for mention in mentions for v in mention.readings):
        whole = value.is_integer() and abs(value) < 1e15
        if whole and not real:
            out.add(str(int(value)))
        if not integer:
            text = repr(float(f"{value:.15g}"))  # as stated, without float noise ("8.854e-12")
            if _NUM_FULL.fullmatch(text):
                out.add(text)
    return frozenset(out)


# Which end of a move or a conversion an argument names ("from_currency", "destination"),
# and the words before a value of the other end.
_FROM_END = frozenset("from source base origin start departure sender".split())
_TO_END = frozenset("to target destination end arrival recipient into".split())
_OTHER_END_CUE = {"from": re.compile(r"\b(?:to|into)\s+(?:the\s+)?", re.IGNORECASE),
                  "to": re.compile(r"\bfrom\s+(?:the\s+)?", re.IGNORECASE),
                  "from, a measure": re.compile(r"\b(?:to|into|in)\s+(?:the\s+)?", re.IGNORECASE)}


# A name the request starts a move from ("from Los Angeles to Miami").
_FROM_NAME = re.compile(r"\bfrom (?:the )?([A-Z][a-zA-Z.]*(?: [A-Z][a-zA-Z.]*)*)")


def _sentence_cut(name: str) -> str:
    """A name up to where its sentence ends ("Yahoo Finance. Could": "Yahoo Finance"), with
    the period of "D.C." kept."""
    name = name.split(". ")[0]
    return name[:-1] if name.endswith(".") and name.count(".") == 1 else name


def end_of(name: str) -> str | None:
    """"from" or "to" for an argument that names one end of a move or a conversion."""
    words = set(name_parts(name))
    if words & _FROM_END and not words & _TO_END:
        return "from"
    if words & _TO_END and not words & _FROM_END:
        return "to"
    return None


@functools.lru_cache(maxsize=256)
def bounds_at(text: str) -> frozenset:
    """Where `text` sets a variable to a number ("from x=1 to x=3"): a bound, no function."""
    return frozenset(m.start() for m in re.finditer(r"\b[a-z]\s*=\s*-?\d", text))


# A number the request states as an amount of something ("2 tablespoons", "500 USD").
_AMOUNT = re.compile(r"\d\s*(?=[A-Za-z])")


@functools.lru_cache(maxsize=256)
def other_end_starts(text: str, end: str | None, measure: bool = False) -> frozenset:
    """Where the request starts a value of the other end: right after "to" or "into" for a
    "from" argument ("convert EUR to USD": not USD), and "in" too for a currency or a unit
    ("How much is 100 EUR in USD?"); right after "from" for a "to" argument, and for a
    currency or a unit, right after a number."""
    if end is None:
        return frozenset()
    cue = _OTHER_END_CUE["from, a measure" if end == "from" and measure else end]
    starts = frozenset(m.end() for m in cue.finditer(text))
    if measure and end == "to":  # the unit of a stated amount is what it converts from
        starts |= frozenset(m.end() for m in _AMOUNT.finditer(text))  # "in 2 tablespoons"
    return starts


@functools.lru_cache(maxsize=256)
def quotes_named_for(text: str, name: str, others: tuple) -> frozenset:
    """Where a quoted value starts whose word right before names another of the call's
    arguments (`others`) and not this one ("title 'David' by Michelangelo": no artist)."""
    own = name_words(name)
    out = set()
    for m in _quoted(text):
        word = re.search(r"([A-Za-z]+)\s*$", text[:m.start()])
        said = word.group(1).lower() if word else ""
        if said and not any(same_word(w, said) for w in own) and any(
                same_word(w, said) for other in others for w in name_words(other)):
            out.add(m.start() + 1)
    return frozenset(out)


@functools.lru_cache(maxsize=256)
def named_of(text: str, name: str) -> frozenset:
    """Where `text` writes a word of the argument's name in lower case before "of" ("the
    crime of theft" for crime, "the month of July"): the value is what follows the word.
    Cached as quotes_named_for is: a text's frame is built at every candidate token."""
    return frozenset(m.start() for w in name_words(name)
                     for m in re.finditer(r"\b" + re.escape(w) + r"s? of\b", text))


def says_as(text: str, at: int, description: str) -> bool:
    """Whether the number at `at` of lower-cased `text` comes with a word beside it as in
    `description` ("type 2")."""
    number = re.match(r"\d+(?:\.\d+)?", text[at:])
    if number is None:
        return False
    before = re.search(r"(\w+)\s*$", text[:at])
    after = re.match(r"\s*(\w+)", text[at + number.end():])
    pairs = ([f"{before.group(1)} {number.group()}"] if before else []) + \
        ([f"{number.group()} {after.group(1)}"] if after else [])
    return any(words_within(pair, description) for pair in pairs)


def unwrapped(text: str) -> str:
    """A text written inside quotes as a whole without them ('"Can you help me ...?"'): such
    quotes mark no value, and read as quotes they would make the whole request one."""
    t = text.strip()
    if len(t) > 1 and t[0] in "\"'" and t[-1] == t[0] and \
            t[0] not in _FEET_INCHES.sub("", t[1:-1]):  # 5'11" holds no quotes
        return t[1:-1]
    return text


class Grounding:
    """What the request itself says: its text and its numbers. Values are kept to these, so a
    small model copies them instead of inventing them: optional arguments only when the request
    mentions them (BFCL: "omit unless stated"), required ones among what the request states."""

    def __init__(self, request: str, optional_args: bool = True, continue_uncovered: bool = True,
                 required_args: bool = True, owners: dict | None = None):
        self.optional_args, self.continue_uncovered = optional_args, continue_uncovered
        self.required_args = required_args
        self.owners = tuple(sorted((owners or {}).items()))  # clause_key -> the tool it is about
        request = " ".join(unwrapped(line) for line in request.split("\n"))
        request = unwrapped(" ".join(request.split()))  # as the prompt shows it, in one piece
        self.source, self.text = request, request.lower()
        self.words = frozenset(re.findall(r"[a-z]+", self.text))
        digits, words = stated_numbers(request)
        # "5ft 10in" and 5'11" are one number each, a height in inches (70, 71)
        heights = {f.start(1): f for f in _FEET_INCHES.finditer(request)}
        inches = {f.start(2) for f in heights.values()}
        digits = [m._replace(readings=in_inches(heights[m.at])) if m.at in heights else m
                  for m in digits if m.at not in inches]
        self.mentions = digits + words
        self.frequencies = stated_frequencies(request)  # only for arguments that count so
        self.hours = stated_hours(request)  # only for arguments that are hours
        also = {h.at: h.readings for h in self.hours}
        # the numbers in digits calls can use: a call that gives "11 PM" as 23 has used it
        self.in_digits = [m._replace(readings=m.readings | also.get(m.at, frozenset()))
                          for m in digits]
        self.durations = stated_durations(request)  # for arguments that count time
        self._count_mentions()
        # where it states a number as a word of its own ("for 10 matches", "two nights")
        self.counted_at = frozenset(m.start() for m in _COUNT.finditer(self.text)
                                    if not m.group(1) or m.group(1) in _COUNT_WORDS)
        self.earlier: tuple = ()  # the decision's calls before the one being read
        self.tool = ""  # the tool of the call being read
        self.quoted: tuple = self.quoted_values()
        self.quote_leads = quote_leads(request)
        self.codes = codes_in(request)
        tasks = request_tasks(request)
        self.one_task = len(tasks) <= 1
        self.names = names_in(request)
        self.name_spans = [m.span() for m in _CAPITALIZED.finditer(request)]
        self.named_tasks = [(task.lower(), names) for task in tasks if len(tasks) > 1
                            and (names := names_in(task))]

    def quoted_values(self, tool_names=()) -> tuple:
        """The texts the request quotes, but for tool names ("use the 'calculate_distance'
        function")."""
        return tuple(q for m in _quoted(self.source) if (q := m.group()[1:-1]) not in tool_names)

    def for_tools(self, tools: dict[str, Tool]) -> "Grounding":
        """This grounding for a catalog of these tools: their quoted names are no values, nor
        is a number the request says as a tool's description does ("type 2 diabetes" for
        "Predict the likelihood of diabetes type 2")."""
        ground = copy.copy(self)
        ground.quoted = self.quoted_values(tools)
        descriptions = " ".join(str(t.description) for t in tools.values()).lower()
        if described := {m.at for m in self.in_digits if says_as(self.text, m.at, descriptions)}:
            ground.mentions = [m for m in self.mentions if m.at not in described]
            ground.in_digits = [m for m in self.in_digits if m.at not in described]
            ground._count_mentions()
        return ground

    def _count_mentions(self) -> None:
        """How many numbers each sentence states, and where the request states them."""
        self.per_sentence = Counter(m.sentence for m in self.mentions)
        self.stated_at = tuple(m.at for m in self.mentions if m.at >= 0)

    def after(self, calls: tuple, tool: str = "") -> "Grounding":
        """This grounding for a call of `tool` that follows `calls`."""
        ground = copy.copy(self)
        ground.earlier, ground.tool = calls, tool
        return ground

    def as_written(self, value: str) -> str:
        """`value` as the request writes it: a place without the state code its argument
        added ("New York" of "New York, NY"), so the words around it can be read."""
        m = _STATE_ADDED.fullmatch(value)
        if value.lower() in self.text or m is None or len(m.group(2)) != 2 or \
                m.group(1).lower() not in self.text:
            return value
        return m.group(1)

    def tool_calls(self) -> list[dict]:
        """The decision's earlier calls of the tool being read."""
        return [call for call in self.earlier if call["name"] == self.tool]

    def asks_for_more(self, calls, tools: dict) -> bool:
        """Whether the request asks for another call after `calls`: it states a number (in
        digits) no call has used yet and the last call used a new one ("for 4 seconds, then
        for 10"), or it gives one of the last call's strings among others no call has said
        ("in Seattle and Los Angeles", "'Friends' ... 'The Office'", "Pop ... Rock"), or
        one of the cases it takes up in turn has no call yet ("The fourth person ..."), or
        two lists of it meet in a combination no call has made, or it starts a move from a
        name no call of the tool started from ("..., and finally from Miami back to New York")."""
        left = self.unused(self.in_digits, arguments_of(calls))
        if left and (len(calls) == 1 or
                     left != self.unused(self.in_digits, arguments_of(calls[:-1]))):
            return True
        if outside_cases(self.source, len(calls)) is not None:
            return True  # a case the request takes up has no call yet
        last, said = calls[-1], said_in(calls)
        properties = tools[last["name"]].parameters.get("properties", {})
        return any(self.gives_with_unsaid(value, properties.get(name, {}), said)
                   for name, value in last["arguments"].items()) or self.leaves_task(calls) \
            or self.leads_again(calls) or self.quotes_again(calls) or \
            self.combinations_left(calls) or self.crosses_left(calls) or \
            self.moves_left(calls) or self.both_left(calls)

    def owning_unused(self, calls) -> set:
        """The tool of the clause that states the first number (in digits) no call has used
        yet: a call the rules ask for takes it up ("..., and then the stock forecast for
        Microsoft for the next 45 days ..." after calls for 30, 7 and 14 days), in the
        request's order (a hotel in Rome "for 3 nights" before a car there "for 5 days")."""
        if not self.owners:
            return set()
        clauses = _owned_clauses(self.source, self.owners)
        owning = [(m.at, owner) for m in self.unused(self.in_digits, arguments_of(calls))
                  for a, b, owner in clauses if owner and a <= m.at < b]
        return {min(owning)[1]} if owning else set()

    def moves_left(self, calls) -> bool:
        """Whether the request starts a move from a name that no call of the last call's
        tool started from."""
        same = [c for c in calls if c["name"] == calls[-1]["name"]]
        return any(self.unstarted(name, same) for name in calls[-1]["arguments"])

    def combinations_left(self, calls) -> bool:
        """Whether two arguments of the last call's tool have each taken values the request
        lists together ("Lakers and Bulls in seasons 2018 and 2020") and some combination of
        those values has no call yet."""
        same = arguments_of(c for c in calls if c["name"] == calls[-1]["name"])
        varied = self.listed_values(same)
        made = {combination(a, varied) for a in same}
        return bool(varied) and len(made) < math.prod(map(len, varied.values()))

    def both_values(self, same: list[dict]) -> tuple[str, list] | None:
        """The last argument of these calls of one tool, with the texts they gave it, when
        the request lists those texts after "both" ("considering both the shortest and scenic
        route preferences"): each of the calls' other values goes with each of them."""
        key = list(same[-1])[-1] if same[-1] else None
        values = [a[key] for a in same if key in a]
        if not all(isinstance(v, str) for v in values) or len(set(values)) < 2:
            return None
        values = list(dict.fromkeys(values))
        return (key, values) if any(self.listed_at(at, values) for m in _BOTH.finditer(
            self.text) for at in (m.start(1), m.end(1))) else None

    def listed_at(self, start: int, values: list[str]) -> bool:
        """Whether the request lists these texts, in some order, from `start` on ("shortest
        and scenic")."""
        for order in permutations(v.lower() for v in values):
            at = start
            for i, value in enumerate(order):
                gap = _LIST_GAP.match(self.text, at) if i else None
                at = gap.end() if gap else at
                if (i and not gap) or not self.text.startswith(value, at):
                    break
                at += len(value)
            else:
                return True
        return False

    @staticmethod
    def unpaired(same: list[dict], key: str, values: list) -> list[tuple[dict, list]]:
        """The other values of these calls (each set once) with those of `values` they have
        not been called with."""
        rests = []
        for a in same:
            rest = without(a, key)
            if rest not in [r for r, _ in rests]:
                rests.append((rest, list(values)))
            for r, left in rests:
                if r == rest and a.get(key) in left:
                    left.remove(a.get(key))
        return [(r, left) for r, left in rests if left]

    def pairing(self, same: list[dict], key: str, values: list, name: str, given: dict
                ) -> list | None:
        """For a later call of a tool whose calls gave `key` values listed after "both":
        the values of argument `name` that keep to other values not yet called with each of
        them, and for `key` the ones not yet called with the values given (None: any)."""
        open_ = [(r, left) for r, left in self.unpaired(same, key, values)
                 if all(r.get(k) == v for k, v in given.items())]
        if name == key:
            return [v for v in values if any(v in left for r, left in open_
                                             if r == given)] or None
        found = [r[name] for r, _ in open_ if name in r]
        return list(dict.fromkeys(found)) if found and all(isinstance(v, str) for v in found) \
            else None

    def both_left(self, calls) -> bool:
        """Whether the last call's tool has values listed after "both" that some of its
        calls' other values have not been called with."""
        same = arguments_of(c for c in calls if c["name"] == calls[-1]["name"])
        both = self.both_values(same)
        return both is not None and bool(self.unpaired(same, *both))

    def crosses_left(self, calls) -> bool:
        """Whether an argument of the last call that other tools of the decision share has
        taken values the request lists together, and some of those tools has not been
        called with each ("life expectancy in 1900 and 1950, and the GDP in these years")."""
        return bool(self.crossing(calls))

    def crossing(self, calls) -> set:
        """The tools of `calls` that have not been called with each value of an argument
        they share with other tools, listed together by the request."""
        return {c["name"] for c in calls
                if any(self.uncrossed(calls, key, c["name"]) for key in c["arguments"])}

    def uncrossed(self, calls, key: str, tool: str) -> list:
        """The values of argument `key` that two or more tools of `calls` took, listed
        together by the request, that `tool`, one of those tools, has not been called with."""
        given = [c for c in calls if key in c["arguments"]]
        values = [c["arguments"][key] for c in given]
        tools = {c["name"] for c in given}
        if tool not in tools or len(tools) < 2 or not all(
                isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values):
            return []
        values = list(dict.fromkeys(values))
        if len(values) < 2 or not self.lists_together(values):
            return []
        return [v for v in values if v not in {c["arguments"][key] for c in given
                                               if c["name"] == tool}]

    def listed_values(self, same: list[dict]) -> dict[str, list]:
        """The arguments that these calls of one tool gave several values the request lists
        together, with those values; none unless two or more such arguments, and none when the
        request pairs its lists' items "respectively"."""
        if "respectively" in self.words:
            return {}
        varied = {}
        for key in same[-1]:
            values = [a[key] for a in same if key in a]
            if not all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                       for v in values):
                continue
            values = list(dict.fromkeys(values))
            if len(values) > 1 and self.lists_together(values):
                varied[key] = values
        return varied if len(varied) > 1 else {}

    def combining(self, name: str, given: dict) -> list | None:
        """For a call of the tool after earlier ones that combined listed values: when `name`
        is the last of those arguments and this call has `given` the others, the values of
        `name` that make a combination no earlier call made (None when none is asked for)."""
        earlier = arguments_of(self.tool_calls())
        if earlier and (both := self.both_values(earlier)):
            return self.pairing(earlier, *both, name, given)
        varied = self.listed_values(earlier) if earlier else {}
        if list(varied)[-1:] != [name] or any(k not in given for k in list(varied)[:-1]):
            return None
        made = {combination(a, varied) for a in earlier}
        return [v for v in varied[name]
                if combination({**given, name: v}, varied) not in made] or None

    def lists_together(self, values: list) -> bool:
        """Whether the request says these strings or numbers one after another in a list of
        their own: only a list word and at most two other words between them ("0 meters and
        1000 meters", "'Civil' and 'Criminal'"), not "XY1234 in Los Angeles, and GH5678"."""
        # as the request writes them: 1000.0 is "1000"
        said = [(f"{v:g}" if isinstance(v, float) else str(v)).lower() for v in values]
        starts = [self.text.find(v) for v in said]
        if min(starts) < 0:
            return False
        places = sorted(zip(starts, said))
        return all(_LIST_GAP.fullmatch(self.text, a + len(v), b) for (a, v), (b, _) in
                   zip(places, places[1:]))

    def leads_again(self, calls) -> bool:
        """Whether a word that frames a value of the last call frames a name no call has said
        elsewhere in the request, a comma, "and", "or" or a sentence's end away: the word that
        leads the value ("between New York and Washington DC, and between Los Angeles and San
        Francisco"; "USD to AUD and USD to CAD") or the noun right after it ("the Darwin model,
        and ... the Lamarck model", whichever of them the call took)."""
        said = said_in(calls)

        def unsaid(name: re.Match, place: tuple[int, int]) -> bool:
            """The name no call has said, joined to `place` by what lies between them."""
            start, end = (place[1], name.start()) if name.start() > place[0] else \
                (name.end(), place[0])
            return name.group(1).lower() not in said and bool(_JOINED.search(self.source, start, end))

        for value in map(self.as_written, strings_of(calls[-1])):
            for m in re.finditer(re.escape(value), self.source, re.IGNORECASE):
                lead = re.search(r"\b([a-z]+)\s+(?:the\s+)?['\"]?$", self.source[:m.start()])
                if lead and lead.group(1) in _LEADS:
                    again = re.compile(r"\b" + lead.group(1) + r"\s+(?:the\s+)?['\"]?(" +
                                       _NAME.pattern + ")")
                    if any(unsaid(n, (lead.start(), m.end())) for n in again.finditer(self.source)
                           if n.start() != lead.start()):
                        return True
                noun = _NOUN_AFTER.match(self.source, m.end())
                if noun and noun.group(1) not in _NOT_NOUNS:
                    after = re.compile("(" + _NAME.pattern + r")['\"]?\s+" + noun.group(1) + r"\b")
                    if any(unsaid(n, m.span()) for n in after.finditer(self.source)
                           if n.start() != m.start()):
                        return True
        return False

    def quotes_again(self, calls) -> bool:
        """Whether the word before a quoted value of the last call comes before another quoted
        text no call has said ("a preference for nucleotide 'A', ... for nucleotide 'T'")."""
        said = {v.lower() for call in calls for v in strings_of(call)}
        lead_of = {text: words for text, words in self.quote_leads.items()
                   if text in self.quoted}  # not a quoted tool name
        leads = {w for v in strings_of(calls[-1]) for w in lead_of.get(v, ())}
        return any(words & leads and text.lower() not in said for text, words in lead_of.items())

    def advances(self, calls, call) -> bool:
        """Whether `call` does something the earlier calls of its tool left undone: there are
        none, or it is the call of a case the request takes up, or it gives other arguments,
        uses a number the request states (in digits) that none of them used, gives an
        argument a text of the request none of them gave it (but for one of their texts with
        more after a comma, "and" or "or"), starts a move from a name none of them started
        from, or sets a flag another way."""
        same_calls = [c for c in calls if c["name"] == call["name"]]
        same, arguments = arguments_of(same_calls), call["arguments"]
        if all(earlier.keys() != arguments.keys() for earlier in same):
            return True
        if any(v in self.unstarted(k, same_calls) for k, v in arguments.items()):
            return True  # "..., and finally from Miami back to New York"
        if outside_cases(self.source, len(calls)) is not None:
            return True  # the call of a case the request takes up ("And the last equation")
        stated = {r for m in self.in_digits for r in m.readings}
        if set(numbers_in(arguments)) & (stated - set(numbers_in(same))):
            return True
        said = set(strings_in(same))
        if any(v not in strings_in([e.get(k) for e in same]) and
               self.as_written(v).lower().replace("_", " ") in self.text and  # "trial_date"
               not any(v.startswith(w) and _GOES_ON.match(v, len(w)) for w in said)
               for k, value in arguments.items() for v in strings_in([value])):
            return True  # not "vegan, and takes under 30" after "vegan"
        return any(isinstance(v, bool) and all(earlier.get(k) != v for earlier in same)
                   for k, v in arguments.items()) or self.makes_combination(calls, call) or \
            self.makes_both(calls, call)

    def makes_combination(self, calls, call) -> bool:
        """Whether `call` makes a combination of listed values that no call made yet."""
        same = arguments_of(c for c in (*calls, call) if c["name"] == call["name"])
        varied = self.listed_values(same)
        return bool(varied) and combination(same[-1], varied) not in {
            combination(a, varied) for a in same[:-1]}

    def makes_both(self, calls, call) -> bool:
        """Whether `call` pairs values listed after "both" with other values anew."""
        same = arguments_of(c for c in calls if c["name"] == call["name"])
        both = same and self.both_values(same)
        return bool(both) and any(
            r == without(call["arguments"], both[0]) and
            call["arguments"].get(both[0]) in left for r, left in self.unpaired(same, *both))

    def leaves_task(self, calls) -> bool:
        """Whether the last call took a name the request says, and a task of the request
        ("..., then from Palo Alto to San Jose") names something no call has said and holds
        none of the calls' strings."""
        if not any(words_within(n, v.lower()) for v in strings_of(calls[-1]) for n in self.names):
            return False  # ("the Treaty of Paris" holds a name)
        return any(unsaid for _, unsaid in self.tasks_undone(calls))

    def tasks_undone(self, calls) -> list[tuple[str, list[str]]]:
        """The tasks of the request that hold none of the calls' strings, each with the names
        it says that no call has said."""
        values = [v.lower() for call in calls for v in strings_of(call)]
        said = said_in(calls)
        return [(task, [n for n in names if n not in said]) for task, names in self.named_tasks
                if not any(words_within(v, task) for v in values)]

    def task_names_left(self, name: str) -> list[str]:
        """For the one text argument to which each earlier call of its tool gave a name the
        request says, the names no call has said of the tasks that hold none of the calls'
        strings ("What was the Treaty of Paris about? Also, what was the importance of Magna
        Carta?": "magna carta" after event="Treaty of Paris")."""
        def naming(call: dict) -> list[str]:
            return [k for k, v in call["arguments"].items() if isinstance(v, str) and any(
                words_within(n, v.lower()) for n in self.names)]
        same = self.tool_calls()
        if not same or any(naming(call) != [name] for call in same):
            return []
        numbers = set(numbers_in(arguments_of(self.earlier)))
        called = {w for call in self.earlier for w in name_parts(call["name"])}  # "rgb"
        return [n for task, unsaid in self.tasks_undone(self.earlier)
                if not numbers & set(numbers_in(task))  # "Red: 255"
                for n in unsaid if len(n) > 2  # not the "Mr" of "Mr."
                and not set(n.split()) <= called]

    def listed(self, name: str, schema: dict, used=()) -> list[str]:
        """The strings earlier calls of this tool gave this argument that the request gives
        among others that no call, nor this one so far (`used`), has said: this call varies
        them."""
        values = [v for call in self.tool_calls() for v in strings_in(call["arguments"].get(name))]
        said = " ".join([said_in(self.earlier), *strings_in(list(used))]).lower()
        return [v for v in values if self.gives_with_unsaid(v, schema, said)]

    def gives_with_unsaid(self, value, schema: dict, said: str) -> bool:
        """Whether the request gives string `value` among alternatives no call has said: a
        stated choice of the schema's when it states another ("Pop ... Rock"), a quoted text
        when it quotes another, a code when it gives another ("case XY1234 ... and case
        GH5678"), or an item of a list ("Seattle and Los Angeles")."""
        if not isinstance(value, str):
            return False
        if schema.get("enum"):
            stated = [str(v).lower() for v in self.stated_enum(schema)]
            return value.lower() in stated and any(s not in said for s in stated)
        if value in self.quoted:
            return any(q.lower() not in said for q in self.quoted)
        if any(words_within(code, value) for code in self.codes):
            return any(code.lower() not in said for code in self.codes)
        return self.lists_unsaid(value, said)

    def lists_unsaid(self, value: str, said: str) -> bool:
        """Whether every place the request says `value`, it lists it with an item whose first
        word is not in `said`."""
        places = self.siblings(value)
        # the value's own words are no neighbour's ("rat hemoglobin" says no "normal
        # hemoglobin" before it): only other values say them
        head, own, tail = said.rpartition(value.lower())
        said = f"{head} {tail}" if own else said
        return bool(places) and all(any(word not in said for word in words) for words in places)

    def lists_option_with(self, items: tuple, schema: dict) -> bool:
        """Whether, everywhere the request says the last of these items, it lists it together
        with a choice of the schema's that they do not hold ("the elevation and area": Area
        after Elevation; "allows camping and has scenic views")."""
        choices = tuple(str(v) for v in schema.get("enum", ()))
        places = choice_places(self.source, choices)
        said = sorted((start, end, choice) for choice, spans in zip(choices, places)
                      for start, end in spans)
        groups, group = [], []
        for place in said:
            if group and not _LISTED_TOGETHER.fullmatch(self.source, group[-1][1], place[0]):
                groups.append(group)
                group = []
            group.append(place)
        groups.append(group)
        last, held = str(items[-1]), {str(v) for v in items}
        around = [g for g in groups if any(choice == last for _, _, choice in g)]
        return bool(around) and all(any(choice not in held for _, _, choice in g)
                                    for g in around)

    def siblings(self, value: str) -> list[list[str]]:
        """For each place the request says `value`, the first words of the items listed next
        to it there, in the same case ("Seattle, Boston and Los Angeles": boston and los for
        Seattle; "a human and a chimpanzee": chimpanzee for human), or to the name it is part
        of. A comma lists only when an "and" or "or" follows it ("Seattle, Washington" is one
        place)."""
        out, value = [], self.as_written(value)
        for m in re.finditer(re.escape(value), self.source, re.IGNORECASE) if value else ():
            start, end = m.span()
            if value[0].isupper():  # "Persian" of "Persian Empire and Mauryan Empire"
                start, end = next(((a, b) for a, b in self.name_spans
                                   if a <= start and end <= b), (start, end))
            nxt = _LIST_NEXT.match(self.source, end)
            prev = _LIST_PREVIOUS.search(self.source, 0, start)
            goes_on = _LIST_GOES_ON.match(self.source, end)
            words = [w.group(1) for w in (nxt, prev)
                     if w and (goes_on or _AND_OR.search(w.group(0)))]
            first = m.group()[0]
            out.append([w.lower() for w in words if w[0].isalpha() and first.isalpha()
                        and w[0].isupper() == first.isupper() and w.lower() not in _NOT_ITEMS])
        return out

    def local(self, mentions: list[Mention], used, name: str = "") -> list[Mention]:
        """The mentions but those of another sentence that states several numbers, one the way
        the call's sentence does ("The first house has 3 bedrooms and 2 baths. The second
        house has 4 bedrooms and 3 baths"): that one is another call's. A tool's first call
        takes the first of such sentences ("a distance of 0.5 meters ... Then at a distance of
        1 meter and 2 meters"), so the later calls go on in the request's order. Not a number
        labelled with argument `name` when the call's sentence labels none so ("a class of
        30 students. ... 15 of your students are extroverts": extroverts=15)."""
        numbers = set(numbers_in(list(used)))
        first = not self.tool_calls()
        if first:  # the earliest sentence that gives each number
            here = {min(sentences) for number in numbers if (sentences := [
                m.sentence for m in self.mentions if number in m.readings])}
        else:  # a number the tool's earlier calls used too says nothing of this call's sentence
            numbers -= set(numbers_in(arguments_of(self.tool_calls())))
            here = {m.sentence for m in self.mentions if m.readings & numbers}
        if not here:
            return mentions
        words = {w for m in self.mentions if m.sentence in here for w in m.label if len(w) > 3}
        alike = {m.sentence for m in self.mentions if m.sentence not in here and
                 self.per_sentence[m.sentence] > 1 and words & set(m.label)}
        if first:  # only a later sentence is another call's
            alike = {n for n in alike if n > min(here)}
        named = [] if not name or any(naming_score(m, name) for m in self.mentions
                                      if m.sentence in here) else labelled(mentions, name)
        return [m for m in mentions if m.sentence not in alike or m in named]

    def named_again(self, named: list[Mention], left: list[Mention], earlier: list,
                    name: str, others: tuple) -> list[Mention]:
        """Once earlier calls took the numbers labelled best for argument `name`: for a later
        call of the tool, a number no call took that names the argument at all ("$15000 short
        term ... and $20000 short term": 20000); else those again, or any number no call took
        but one that names another argument the tool's calls gave a number."""
        numbered = self.numbered(others)
        fresh = [m for m in self.unused(left, earlier) if not names_other(m, name, numbered)
                 and not names_rather(m, name, numbered)]
        return self.tool_calls() and [m for m in fresh if naming_score(m, name)] or \
            named + fresh

    def first_of(self, mentions: list[Mention]) -> list[Mention]:
        """For a tool's first call, the mentions but those after the first sentence they are
        in that states several numbers ("a distance of 0.5 meters from a charge of 2 ... Then
        at a distance of 1 meter and 2 meters ... Lastly at 1 meter": 0.5)."""
        several = [m.sentence for m in mentions if self.per_sentence[m.sentence] > 1]
        return [m for m in mentions if not several or m.sentence <= min(several)]

    def numbered(self, names: tuple) -> tuple:
        """Those of the arguments `names` that earlier calls of the tool gave a number."""
        return tuple(n for n in names if any(
            type(c["arguments"].get(n)) in (int, float) for c in self.tool_calls()))

    def varied(self, mentions: list[Mention], name: str, stated: list[Mention], used=()
               ) -> list[Mention]:
        """For an argument that earlier calls of the tool gave a number from a sentence that
        states several, the mentions like it (a label word in common, naming the argument as
        well) that no call has used, while there are any ("20 times ... 50 times ... 100
        times": the second call's trials are 50 or 100). Not when the request asks for the
        same again ("the same calculation but with ...")."""
        given = set(numbers_in([c["arguments"][name] for c in self.tool_calls()
                                if name in c["arguments"]]))
        if not given or _SAME.search(self.text):
            return mentions
        sources = [m for m in self.mentions if m.readings & given
                   and self.per_sentence[m.sentence] > 1]
        if not sources:
            return mentions
        words = {w for m in sources for w in m.label if len(w) > 3}
        naming = max(naming_score(m, name) for m in sources)
        # counted over all the request's numbers (`stated`, as the argument reads them):
        # `mentions` may have lost some already
        fresh = set(self.unused(stated, [*arguments_of(self.earlier), *used]))
        return [m for m in mentions if m in fresh and words & set(m.label)
                and naming_score(m, name) >= naming] or mentions

    def fresh_lists(self, mentions: list[Mention]) -> set[int]:
        """Once earlier calls of the tool gave a list of numbers the request states, the
        lists it states that no call has given: a later call takes one of those ("the first
        set is [12, 15, ...] and the second set is [32, 35, ...]")."""
        stated: dict[int, list[Mention]] = {}
        for m in mentions:
            if m.group != -1:
                stated.setdefault(m.group, []).append(m)

        def given(calls) -> set[int]:
            lists = [numbers for call in calls for value in call["arguments"].values()
                     if isinstance(value, list) and value
                     and len(numbers := numbers_in(value)) == len(value)]
            return {group for numbers in lists for group, members in stated.items()
                    if len(numbers) <= len(members)
                    and all(m.reads(v) for m, v in zip(members, numbers))}
        left = {g for g in set(stated) - given(self.earlier) if len(stated[g]) > 1}
        return left if given(self.tool_calls()) else set()

    @staticmethod
    def unused(mentions: list[Mention], values) -> list[Mention]:
        """The mentions no reading of which these argument values have used; each use covers
        one mention."""
        left = list(mentions)
        for number in numbers_in(values):
            for i, mention in enumerate(left):
                if mention.reads(number):
                    del left[i]
                    break
        return left

    def stated_enum(self, schema: dict) -> list:
        """The choices the request says, but for one it says only inside a longer one ("New"
        in "like new")."""
        places = choice_places(self.source, tuple(str(v) for v in schema["enum"]))
        # else those it says in another form ("in detail": 'detailed'; "annual": 'Annually')
        return [v for v, said in zip(schema["enum"], places) if said] or [
            v for v in schema["enum"] if _in_another_form(self.words, str(v))]

    def misses_numbers(self, tool: Tool) -> bool:
        """Whether the tool needs a number (a required integer or float) and the text states
        none that one could take."""
        numbers = [(name, schema) for name, schema, required in fields_of(tool.parameters)
                   if required and schema.get("type") in ("integer", "number")]
        return bool(numbers) and not any(self.mentions_for(schema, name)
                                         for name, schema in numbers)

    def described_choices(self, schema: dict) -> list[str]:
        """The values the argument's description names that the request says as words, in
        the request's spelling ("IMAX" for "could be 'IMAX', '2D', '3D'"), or in the meaning
        the description gives them ("'asc' for ascending order": "asc" for "ascending"); else
        those it says in another form, in the description's spelling ("a heart card": 'hearts'
        of "Valid values include: 'spades', ..., 'hearts'"; in BFCL's answers 16 of 17 are)."""
        description = str(schema.get("description", ""))
        said = list(said_values(self.source, described_values(description)))
        glossed = [value for value, meaning in described_meanings(description)
                   if meaning.lower() in self.words and value not in said]
        return said + list(dict.fromkeys(glossed)) or [
            v for v in described_values(description) if _in_another_form(self.words, v)]

    def closed_choices(self, schema: dict) -> list[str]:
        """The values a description names as the only ones ("Can be 'melting', 'freezing',
        ..."), when the request says one of them: the request's spelling of those it says,
        and those it says in another form; none otherwise. In BFCL's answers such a value is
        one of those 47 times out of 47."""
        description = str(schema.get("description", ""))
        if not _CLOSED.search(description) or not (said := self.described_choices(schema)):
            return []
        return list(dict.fromkeys([*said, *said_in_other_forms(self.words, description)]))

    def unused_choices(self, schema: dict, used=()) -> list[str]:
        """The values the argument's description names that the request says and no value the
        call has `used` says."""
        said = said_among(used)
        return [v for v in self.described_choices(schema) if v.lower() not in said]

    def names_argument(self, name: str) -> bool:
        return any(w in self.text for w in name_words(name))

    def stated_flag(self, name: str) -> bool | None:
        """A boolean argument the request names is on ("with their history": True), unless a
        negation comes just before ("don't return full text", "few artistic interests");
        None when the request does not name it, or names it both ways."""
        said = [m.start() for w in name_words(name) for m in re.finditer(re.escape(w), self.text)]
        said += [m.start() for w in name_words(name) if len(w) >= 5
                 for m in re.finditer(r"[a-z]+", self.text)
                 if w not in m.group() and same_word(w, m.group())]  # "standardization"
        negated = {bool(_NEGATION.search(" ".join(self.text[:at].split()[-3:]))) for at in said}
        return not negated.pop() if len(negated) == 1 else None  # said both ways: not stated

    def frame(self, schema: dict, used=(), in_list: bool = False, name: str = "",
              beside: tuple = (), others: tuple = (), around: tuple = (),
              rivals: frozenset = frozenset(), bound: tuple | None = None):
        """The frame for a value that should come from the request: a string it contains, a
        number it states and this call has not used up (one labelled with the argument's name
        when there is one), an enum value it names, a flag it states (each only where the
        request has one). In a list, None once nothing is left for another item. `bound`: for
        one end of a range ("start", or "end"), with the other end's value if the call gave it."""
        if set(schema) <= {"description", "default", "title"}:
            # a value of any type ("on the provided data my_data"): a text the request gives
            schema = {**schema, "type": "string"}
        if schema.get("enum"):
            stated = self.stated_enum(schema)
            if (outside := outside_cases(self.source, len(self.earlier))) is not None:
                # the choice this call's case says ("The second one was a large bird")
                places = choice_places(self.source, tuple(str(v) for v in schema["enum"]))
                stated = [v for v, said in zip(schema["enum"], places) if v in stated and
                          any(at in outside for at, _ in said)] or stated
            stated = self.said_beside(stated, beside if in_list else used)
            # a later call of the tool takes a stated choice no call has said, while one is left
            listed = self.listed(name, schema, used)
            varied = [v for v in stated if v not in listed]
            return value_frame({**schema, "enum": varied or stated or schema["enum"]})
        kind = schema.get("type")
        if kind in ("integer", "number"):
            integer, real = kind == "integer", in_list and kind == "number"
            mentions = [m.as_argument(schema) for m in self.mentions_for(schema, name)]
            left = [m for m in self.unused(mentions, [*around, *used])
                    if number_literals([m], integer, real)]
            if counts_things(name):  # "a 60% chance ... a series of 10 shots": no trials=60
                left = [m for m in left if m.percent is None] or left
            if bound and not in_list:  # "between the years 1990 and 2000": from 1990 to 2000
                left = self.in_order(left, *bound) or left
            if self.owners and not in_list and (outside := numbers_outside_others(
                    self.source, self.tool, self.owners, self.stated_at)):
                # not from a clause about another tool, when this tool's clause states some,
                # unless it names the argument in words of its name ("assuming the electric
                # field is 5 N/C"; "the prime numbers from 1" is no number of the factorial)
                left = [m for m in left if m.at < 0 or m.at in outside or
                        naming_score(m, name) > 1] or left
            if (outside := outside_cases(self.source, len(self.earlier))) is not None:
                # not from another case's sentence ("The first house ... The third house is in
                # Chicago, with 2 bedrooms, 1 bathroom")
                left = [m for m in left if m.at < 0 or m.at in outside] or left
            if not in_list:  # "The first house has 3 bedrooms ... The second house has 4"
                left = self.varied(self.local(left, used, name) or left, name, mentions, used)
            if in_list and not used and self.tool_calls():  # "one histogram for each data set"
                fresh = self.fresh_lists(mentions)
                left = [m for m in left if m.group in fresh] or left
            if in_list and not used:  # a list that takes a stated list takes it from its start
                firsts = {m.group: m for m in reversed(left)}  # "[-50000, 10000, ...]"
                left = [m for m in left if m.group == -1 or firsts[m.group] == m]
            if in_list and used:  # a list that began with an item of a stated list keeps to it
                if members := self.list_begun(mentions, used):
                    left = [m for m in left if m.group == members[0].group]
                # and, while it copies that list from its start, in its order
                if (after := self.next_copied(members, used)) is not None:
                    left = [m for m in left if m == after] or left
            stated = number_literals(mentions, integer, real)
            if not stated:  # the request states no such number: the model's choice
                return value_frame(schema, in_list)
            # A number labelled with the argument's name ("a current of 20") that no earlier
            # call took ("size 3000 in New York and 4000 in LA": the second call gets 4000);
            # once all are taken, one of them again or any number no call took.
            # a number in the argument's unit comes first ("500 grams", not "the same mass
            # of water at 100 degrees" for "Mass of the substance in grams")
            # and before it, a stated frequency (offered only to an argument that counts how
            # often: "compounds interest quarterly" is 4 times)
            unit = [m for m in left if m in self.frequencies] or in_units(left, schema) or [
                m for m in left if m.percent is not None and is_chance(name, schema)]  # "60%"
            named = labelled(unit, name) or unit or labelled(left, name) or years(left, name)
            # not one whose label says all of another argument's name and not all of this
            # one's ("$1000 per year ... for 10, 20 and 30 years": no payment_per_year=10)
            named = [m for m in named if not names_rather(m, name, others)] or named
            if named and not in_list and not self.tool_calls():
                named = self.first_of(named)
            if named:
                earlier = arguments_of(self.earlier)
                # a year argument whose labelled years are taken takes a year no call took
                left = self.unused(named, earlier) or self.unused(years(left, name), earlier) \
                    or self.named_again(named, left, earlier, name, others)
            allowed = number_literals(left, integer, real)
            if not allowed and in_list:
                return None  # the list has used up what the request states
            if not allowed:  # the call used up what it states: not one again, the model's
                return value_frame(schema)  # ("a deck of 52 cards": total 52, hearts 13)
            if not in_list and counts_whole(name, others) and len(allowed) > 1:
                # a whole is no smaller than its part: not the least ("5 heads in 8 tosses")
                least = min(map(float, allowed))
                allowed = frozenset(a for a in allowed if float(a) != least)
            return NumberValue(integer, allowed=allowed or stated, real=real)
        if kind == "string":
            items = tuple(strings_in(list(used)))
            listed = self.listed(name, schema, used)
            # nor only words of its own name ("what method was used": no method_used="method"),
            # nor a choice of another argument ("RGB and HEX values for navy": no color="RGB")
            taken = frozenset(v.lower() for v in [*items, *beside, *listed]) | own_words(name) \
                | rivals
            if (fmt := date_format(schema, name)) and (dates := stated_dates(self.source, fmt)):
                # a date argument takes a whole date, not the "17" of "March 17, 1915"
                return value_frame({"enum": [d for d in dates if d not in taken] or dates})
            if is_email(schema, name) and (emails := emails_in(self.source)):
                # an address, not the name of who has it ("John Doe at john.doe@example.com")
                return value_frame({"enum": [e for e in emails if e not in taken] or emails})
            if not in_list and not self.earlier and not is_place(name) and \
                    len(choices := self.described_choices(schema)) == 1 and \
                    choices[0].lower() not in taken and not is_default(schema, choices[0]):
                # a first call takes the one value the request says of those its description
                # names as examples ("constitutional law" for "e.g., constitutional law,
                # criminal law"), or a part of it
                return StringValue(max_chars(schema), ground=choices[0])
            if not in_list and (closed := self.closed_choices(schema)):
                # "Choices are 'trapezoid' or 'simpson'", one of them said: one of those
                return value_frame({"enum": [c for c in closed if c.lower() not in taken]
                                    or closed})
            ground = as_schema_writes(self.source, schema, name)
            starts = item_starts(ground, items, taken) if in_list and items else None
            if starts is not None and not starts:
                return None  # the request lists no further item
            # not where the request gives another argument's value ("from EUR to USD", "title
            # 'David' by Michelangelo"); a list's further items start where its list goes on
            measure = is_currency(schema, name) or is_unit(name)
            barred = frozenset() if starts is not None else \
                other_end_starts(ground, end_of(name), measure) | \
                quotes_named_for(ground, name, others) | years_for(ground, others) | \
                named_of(ground, name) | (self.counted_at if names_kind(name) else frozenset()) \
                | (bounds_at(ground) if is_function(name) else frozenset())
            if not in_list and (names := self.task_names_left(name)):
                # the call is for a task no call has done: it takes that task's name (from
                # "the" or a letter before it: "the Magna Carta", "E Major")
                lowered = ground.lower()
                starts = frozenset(m.start() for n in names for m in re.finditer(
                    r"\b(?=(?:the\s+|\w\s+)?" + re.escape(n) + r"\b)", lowered)) or None
            # nor from a clause about another tool, when this tool's clause names its own, nor
            # from another case's sentence ("The first one was a small bird ... The second")
            for outside in (self.owners and outside_others(ground, self.tool, self.owners),
                            outside_cases(ground, len(self.earlier))):
                if outside:
                    starts = (starts & outside if starts else None) or outside
            # nor ends on a word of the tool's name that the request writes in lower case: it
            # says what kind of thing the value is ("the Chicken Noodle Soup recipe"); nor on
            # a choice of another argument ("C# major": key="C#", scale_type="major")
            kinds = tool_kinds(self.tool, str(schema.get("description", ""))) | \
                frozenset(r for r in rivals if r.isalpha())
            return StringValue(max_chars(schema), ground=ground, taken=taken,
                               region=with_region(schema), apart=in_list, starts=starts,
                               barred=barred, kinds=kinds, earlier=frozenset(
                                   v.lower() for call in self.tool_calls()
                                   for v in strings_in(call["arguments"].get(name))))
        if kind == "array":
            row = schema.get("items", {})
            if in_list and used and isinstance(used[-1], list) and row.get("type") in (
                    "integer", "number") and len(self.numbers_left(row, "", used)) < len(used[-1]):
                return None  # a table's next row would be short of the request's numbers
            return ArrayValue(row, ground=self, beside=tuple(strings_in(list(used))),
                              around=tuple(used) if in_list else ())
        if kind == "boolean" and (flag := self.stated_flag(name)) is not None:
            return Literal(python_literal(flag), flag)
        return value_frame(schema, in_list)

    def states(self, schema: dict, name: str, used=()) -> bool:
        """Whether the request states a value for an optional argument: an enum value it names
        (for a list, a choice of its items), a number it states that the call has not `used`
        for an argument it names (by name or by the number's label) or a year for a year, a
        unit for a unit, a date for a date, a value its description names, or a value of an
        argument whose name it mentions (for a flag, a word of its name in another form)."""
        if schema.get("enum"):
            return bool(self.stated_enum(schema))
        if is_choice_list(schema):  # "avoiding toll roads": ["tolls"]
            return bool(self.stated_enum(schema["items"]))
        if schema.get("type") in ("integer", "number"):
            left = self.numbers_left(schema, name, used)
            if labelled(left, name) or years(left, name) or in_units(left, schema) or \
                    self.counting(left, schema):
                return True
            # named but no number labelled so: not one an earlier call gave another argument
            # ("the past 7 days ... and the total balance": no starting_balance=7)
            others = [v for c in arguments_of(self.earlier) for k, v in c.items() if k != name]
            return self.names_argument(name) and bool(self.unused(left, others))
        if (fmt := date_format(schema, name)) and stated_dates(self.source, fmt):
            return True  # "the rate at January 1, 2022": date="2022-01-01"
        if schema.get("type") == "boolean":  # "with details": detailed=; "standardization"
            return self.names_argument(name) or any(
                same_word(w, b) for w in name_words(name) for b in self.words)
        return self.names_argument(name) or (schema.get("type") in ("string", "array") and
                                             bool(self.offered(schema, name))) or \
            schema.get("type") == "string" and bool(self.places_left(name, used))

    def asks(self, schema: dict, name: str, used=()) -> bool:
        """Whether the request asks for an optional argument outright: it says one of its
        choices (in a first call of a request of one task); or, in a first call when no more
        than one of its sentences states numbers, it says the argument's name and labels a
        number the call has not `used` with it ("set the starting level to 5"), says a flag's
        name one way only ("with details"), one of a list's choices ("avoiding highways",
        "with a patio") or a text's name and a value its description names ("all the
        roots": root_type="all") or a whole date no value of the call gives, for a date
        argument; or gives a number the call has not used in the unit the argument's
        description says it is in ("within 10 miles": "Maximum distance (in miles)") or that
        counts what it is the number of."""
        kind = schema.get("type")
        if schema.get("enum"):  # "important Wars": category="Wars", in a request of one task
            if self.one_task and not self.earlier:
                return bool(self.stated_enum(schema))
            return self.said_in_call_task(self.stated_enum(schema), used, name)
        if kind in ("integer", "number"):
            left = self.numbers_left(schema, name, used)
            named = labelled(left, name) if self.names_argument(name) else []
            if self.beside_used(named, used) or self.beside_used(self.counting(left, schema),
                                                                  used):
                return True  # "a sine wave of 5 Hz ... with an amplitude of 2"; "top 5 players"
        if kind == "string" and (self.quoted_for(name, used) or self.said_in_call_task(
                self.described_choices(schema), used)):
            return True  # "I prefer the time to be around '10:00AM'"; "in the field of Physics"
        if kind == "boolean" and self.said_in_call_task([" ".join(name_words(name))], used):
            return True  # "..., then book a direct flight from 'Los Angeles'": direct_flight=
        if self.earlier or len(self.per_sentence) > 1:
            return False  # a request of several calls may give it to only some of them
        if kind in ("integer", "number"):
            return bool(named or in_units(left, schema) or self.counting(left, schema))
        if kind == "string" and self.places_left(name, used):
            return True  # "convictions in California": state="California"
        if (fmt := date_format(schema, name)) and set(stated_dates(self.source, fmt)) - set(
                strings_in(list(used))):
            return True  # "the rate at January 1, 2022": date="2022-01-01"
        if kind in ("string", "array") and not is_choice_list(schema) and self.unused_choices(
                schema, used):  # "a vegan menu": dietary_requirements=["vegan"] ("e.g. vegan")
            return True
        if kind == "boolean":  # "with details"; "Also apply standardization": standardize=
            return self.stated_flag(name) is not None
        if is_choice_list(schema):  # "avoiding highways", "with a patio"
            return bool(self.stated_enum(schema["items"]))
        if not self.names_argument(name):
            return False
        if kind == "string":  # "all the roots": root_type="all" ("'all' for both real ...")
            return bool(self.described_choices(schema))
        return False

    def in_order(self, mentions: list[Mention], role: str, other) -> list[Mention]:
        """The mentions one end of a range (`role`: "start" or "end") can take: a start is
        stated before `other`, the other end's value, once the call gave it, else before
        another number of its sentence; an end after."""
        def other_end(m, o):  # the other end's value, or a number of the same sentence
            return o.at >= 0 and (o.sentence == m.sentence if other is None else
                                  isinstance(other, (int, float)) and other in o.readings)
        before = role == "start"
        return [m for m in mentions if m.at < 0 or any(
            other_end(m, o) and (o.at > m.at if before else o.at < m.at) for o in self.mentions)]

    def call_tasks(self, used) -> list[tuple[int, int]]:
        """Where the tasks lie that say every value the call has `used` (none before it has
        used one)."""
        if not used:
            return []
        texts = [self.as_written(v).lower() for v in strings_in(list(used)) if v]
        numbers = numbers_in([v for v in used if not isinstance(v, str)])
        return [(a, b) for a, b in task_spans(self.source)
                if all(t in self.text[a:b] for t in texts) and all(
                    any(n in m.readings and a <= m.at < b for m in self.mentions)
                    for n in numbers)]

    def said_by_calls(self, used) -> str:
        """The texts the call has `used` and the decision's earlier calls gave, lower-cased."""
        return said_among([*used, *(v for c in arguments_of(self.earlier) for v in c.values())])

    def quoted_for(self, name: str, used) -> bool:
        """Whether the call's task quotes a text that a word of the argument's name leads,
        among the four words before it ("the date of 'next friday'"), and no call gave."""
        given = self.said_by_calls(used)
        own = name_words(name)
        return any(a <= m.start() < b and m.group()[1:-1].lower() not in given and any(
            same_word(w, said) for w in own
            for said in re.findall(r"[a-z]+", self.text[a:m.start()])[-4:])
            for a, b in self.call_tasks(used) for m in _quoted(self.source))

    def said_in_call_task(self, values: list, used, name: str = "") -> bool:
        """Whether the call's task says one of `values` that no call gave, and a word of the
        argument's `name` when one is given ("with an Emergency department")."""
        given = self.said_by_calls(used)
        return any(str(v).lower() in self.text[a:b] and str(v).lower() not in given and (
            not name or any(w in self.text[a:b] for w in name_words(name)))
            for a, b in self.call_tasks(used) for v in values)

    def beside_used(self, mentions: list[Mention], used) -> bool:
        """Whether one of these mentions is in a sentence where the call has `used` a number,
        and no earlier call of the decision used it: in a request of several calls, the
        sentence that states them is the call's own."""
        left = self.unused(self.mentions, list(used))
        own = {m.sentence for m in self.mentions if m not in left}  # those the call used
        return any(m.sentence in own for m in
                   self.unused(mentions, arguments_of(self.earlier)))

    def next_start(self, name: str) -> list[str]:
        """For a "from" argument of a later call of its tool, where the request starts a move
        that no earlier call started from."""
        same = self.tool_calls()
        return self.unstarted(name, same) if same else []

    def unstarted(self, name: str, same) -> list[str]:
        """For a "from" argument, the names the request starts a move from ("from New York to
        Los Angeles, then from Los Angeles to Miami") that none of the calls `same` started
        from; none unless it starts moves from two names."""
        if end_of(name) != "from":
            return []
        starts = list(dict.fromkeys(_sentence_cut(m.group(1))
                                    for m in _FROM_NAME.finditer(self.source)))
        earlier = [call["arguments"].get(name) for call in same]
        return [s for s in starts if s not in earlier] if len(starts) > 1 else []

    def places_left(self, name: str, used=()) -> list[str]:
        """For a place argument, the places the request says something is in ("in
        California") that no value the call has `used` says."""
        if not is_place(name):
            return []
        said = said_among(used)
        return [p for p in places_in(self.source) if p.split(",")[0].lower() not in said]

    def counting(self, mentions: list[Mention], schema: dict) -> list[Mention]:
        """The mentions that count what an integer argument's description says it is the
        number of, said within four words after them ("ten major historical events" for
        "Number of events to return"): for an optional one, the request states it."""
        counted = _NUMBER_OF.match(str(schema.get("description", "")))
        if schema.get("type") != "integer" or counted is None:
            return []
        thing = counted.group(1).lower()
        return [m for m in mentions if m.at >= 0 and (after := _WORDS_AFTER.match(
            self.text, m.at)) and any(same_word(thing, w) for w in after.group(1).split())]

    def mentions_for(self, schema: dict, name: str) -> list[Mention]:
        """The request's numbers an argument can take: its frequencies only for one that
        counts how often, its hours of the day for one on a 24-hour clock, and its spans of
        time in the units of one that counts time ("the next week": 7 days)."""
        if not (self.frequencies or self.hours or self.durations):
            return self.mentions  # most requests: no need to read the argument (a hot path)
        unit = time_unit(schema, name)
        spans = [m._replace(readings=frozenset({float(_IN_UNITS[stated, unit])}),
                            label=m.label + (stated, unit))
                 for stated, m in self.durations if (stated, unit) in _IN_UNITS]
        hours = self.hours if counts_hours(schema) else []
        # on a 24-hour clock "11 PM" is 23 and not also 11
        clock = {h.at for h in hours}
        said = [m for m in self.mentions if m.at not in clock] if clock else self.mentions
        return said + spans + \
            (self.frequencies if counts_per_period(schema, name) else []) + hours

    @staticmethod
    def list_begun(mentions: list[Mention], used) -> list[Mention]:
        """The members of the one list of numbers the request states that the list `used`
        began with an item of, if it began so."""
        groups = {m.group for m in mentions if m.readings & set(numbers_in(used[0]))}
        if len(groups) != 1 or -1 in groups:
            return []
        return [m for m in mentions if m.group in groups]

    @staticmethod
    def next_copied(members: list[Mention], used) -> Mention | None:
        """The member that comes next when the list `used` copies a stated list's `members`
        from their start and has not reached their end; None otherwise."""
        values = numbers_in(list(used))
        if len(values) < len(members) and all(m.reads(v) for m, v in zip(members, values)):
            return members[len(values)]
        return None

    def copying_unfinished(self, schema: dict, used) -> bool:
        """Whether a list of numbers copies a list the request states from its start and has
        not reached its end ("[-50000, 10000, 15000" of "[-50000, 10000, 15000, 20000]")."""
        if not used or schema.get("type") not in ("integer", "number"):
            return False
        mentions = [m.as_argument(schema) for m in self.mentions_for(schema, "")]
        return self.next_copied(self.list_begun(mentions, used), used) is not None

    def numbers_left(self, schema: dict, name: str, used=()) -> list[Mention]:
        """The request's numbers the call has not `used` that argument `name` can be."""
        return [m for m in self.unused(self.mentions_for(schema, name), used)
                if number_literals([m], schema["type"] == "integer")]

    def said_beside(self, values: list, used) -> list:
        """Those of `values` the request says in the task (a part a new sentence, "then",
        "also" or "finally" begins) where it says the call's values so far (`used`), when it
        says them all in one and one of `values` there ("10000 meters in 600 seconds and
        provide the answer in km/h" after "... in m/s"; "and finally ... in Chicago, USA that
        have a Tennis Court and a Playground"); else all of them."""
        if len(values) < 2:
            return values
        numbers = set(numbers_in(list(used)))
        spans = task_spans(self.source)
        places = [m.at for m in self.mentions if m.readings & numbers and m.at >= 0] + [
            m.start() for v in strings_in(list(used)) if v
            for m in re.finditer(re.escape(self.as_written(v).lower()), self.text)]
        here = {(a, b) for at in places for a, b in spans if a <= at < b}
        if len(here) != 1:
            return values
        (a, b), = here  # (a value said only in another form stays: "toll roads", 'tolls')
        return [v for v in values if (said := str(v).lower()) in self.text[a:b] or
                said not in self.text] or values

    def offered(self, schema: dict, name: str) -> list:
        """The values an optional text argument is offered without being named: the unit the
        request states for a unit argument, else the values its description names."""
        units = stated_units(self.source) if schema.get("type") == "string" and is_unit(name) \
            else ()
        # in the description's spelling when it names the unit ("in mile": "miles")
        described = described_values(str(schema.get("description", "")))
        units = [next((d for d in described if _singular(d.lower()) == _singular(u.lower())), u)
                 for u in units]
        return list(dict.fromkeys(units)) or self.described_choices(schema)


@functools.lru_cache(maxsize=1024)
def tool_kinds(tool: str, description: str) -> frozenset:
    """The words of a tool's name that say what kind of thing its values are ("recipe" of
    `recipe_search.find`), but those the argument's description says. Cached: a value's
    frame is built for every candidate token the decoder tries."""
    return frozenset(w for w in name_parts(tool) if w) - set(name_parts(description))


@functools.lru_cache(maxsize=1024)
def said_in_other_forms(words: frozenset, description: str) -> tuple:
    """The values a description names whose words the request (its `words`) says in another
    form ("vaporizing" for 'vaporization', "bugs" for 'bug'); cached as tool_kinds is."""
    return tuple(v for v in described_values(description) if _said_akin(words, v))


@functools.lru_cache(maxsize=4096)
def _in_another_form(words: frozenset, value: str) -> bool:
    """Whether the request says each word of `value`, not all as they are (not 'C' for "C#",
    whose words hold "c"); cached: enum and described values are tested at every candidate
    token."""
    own = set(_TEXT_WORD.findall(value.lower()))
    return bool(own) and not own <= words and _said_akin(words, value)


def _said_akin(words: frozenset, value: str) -> bool:
    return all(any(_akin(w, word) for word in words) for w in _TEXT_WORD.findall(value.lower()))


def _akin(a: str, b: str) -> bool:
    """Whether two words are one in another form ("bug", "bugs"; "vaporization", "vaporizing")."""
    return _singular(a) == _singular(b) or f"{a}s" == b or f"{b}s" == a or \
        len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5]


def _singular(word: str) -> str:
    """A word without its plural ending ("tolls", "weaknesses"), so "toll roads" says
    "tolls" and "strength" says "strengths"; short words ("news", "gas") are kept whole."""
    if word.endswith("es") and word[:-2].endswith(("ss", "sh", "ch", "x")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 4 \
        else word


_TEXT_WORD = re.compile(r"[^\W_]+")


def _said_as_words(source: str, choice: str) -> list[tuple[int, int]]:
    """Where `source` says `choice` word by word, up to case, plurals and the separators of
    a name ("age range" for "age_range", "gluten free" for "Gluten-free")."""
    wanted = [_singular(w) for w in _TEXT_WORD.findall(choice.lower())]
    if not wanted or re.sub(r"[^\W_]+|[\s_-]+", "", choice):
        return []  # a choice with other signs ("field goal %") is matched as written
    words = list(_TEXT_WORD.finditer(source))
    places = []
    for i in range(len(words) - len(wanted) + 1):
        run = words[i:i + len(wanted)]
        if all(_singular(w.group().lower()) == x for w, x in zip(run, wanted)) and all(
                re.fullmatch(r"[\s_-]+", source[a.end():b.start()]) for a, b in zip(run, run[1:])):
            places.append((run[0].start(), run[-1].end()))
    return places


def _is_article(source: str, start: int, end: int) -> bool:
    """Whether the letter at `start` is a sentence's first word before a lower-case one ("A
    park ...")."""
    opens = start == 0 or source[start - 2:start] in (". ", "? ", "! ")
    return opens and re.match(r"\s+[a-z]", source[end:]) is not None


@functools.lru_cache(maxsize=256)
def choice_places(source: str, choices: tuple) -> tuple:
    """For each choice, the places `source` says it that are not inside a longer choice's
    ("new" in "like new"); cached, since the decoder builds an enum's frame for every
    candidate token it tries. A choice of one letter is said only as a word in its own case
    ("G and C", not the "a" of "a DNA sequence" or the "A" of "A park ...")."""
    spans = []
    for choice in choices:
        if len(choice) == 1:
            spans.append([m.span() for m in re.finditer(
                r"(?<!\w)" + re.escape(choice) + r"(?!\w)", source)
                if not _is_article(source, *m.span())])
        elif choice:
            exact = [m.span() for m in re.finditer(re.escape(choice), source, re.IGNORECASE)]
            spans.append(sorted(set(exact + _said_as_words(source, choice))))
        else:
            spans.append([])
    inside = [span for places in spans for span in places]
    return tuple(tuple((start, end) for start, end in places
                       if not any(a <= start and end <= b and (a, b) != (start, end)
                                  for a, b in inside)) for places in spans)


# Between two choices the request lists together ("camping and has scenic views", "fiction
# section and free Wi-Fi"): a joining word, at most three words, and no new sentence or task.
_LISTED_TOGETHER = re.compile(r"(?=.*(?:,|&|\b(?:and|or|plus)\b))(?!.*(?:[.;:?!]|\b(?:then|also|"
                              r"another|but|while)\b))\W*(?:\w+\W+){0,3}", re.IGNORECASE)


# Where a description lists the values it expects ("e.g. 'IMAX', '2D'", "such as vegan,
# gluten-free", "either major or minor"): up to the sentence's end, a parenthesis or "etc".
_OFFERS = re.compile(r"\b(?:e\.g\.?|eg\.|i\.e\.|such as|like|for example|for instance|could be|"
                     r"can be|one of|either|options are)[:,]?\s+(.+?)(?=\.\s|\.$|\)|;|\betc\b|$)",
                     re.IGNORECASE)
# A description that names the only values an argument takes.
_CLOSED = re.compile(r"\b(?:choices are|can be|one of|either|options are|could be|"
                     r"possible values|must be|supports)\b", re.IGNORECASE)
_OFFER_ITEMS = re.compile(r",|\bor\b|\band\b|/")
_DESCRIBED_QUOTE = re.compile(r"(?<!\w)'([^']{1,30})'(?!\w)|\"([^\"]{1,30})\"")


@functools.lru_cache(maxsize=1024)
def described_values(description: str) -> tuple:
    """The values a description names as examples or choices: quoted ones, and the short
    items listed after "e.g.", "such as", "could be", "either" and the like."""
    found = [a or b for a, b in _DESCRIBED_QUOTE.findall(description)]
    for m in _OFFERS.finditer(description):
        found += [item for part in _OFFER_ITEMS.split(m.group(1))
                  if (item := part.strip(" '\"")) and len(item.split()) <= 3]
    return tuple(dict.fromkeys(found))


# A described value and the word that says what it means ("'asc' for ascending order").
# ("'list' for a list of all prime factors": "list", not "a")
_GLOSS = re.compile(r"['\"]([\w-]+)['\"]\s+(?:for|means|meaning|=)\s+(?:(?:a|an|the)\s+)?"
                    r"(\w+)")


@functools.lru_cache(maxsize=1024)
def described_meanings(description: str) -> tuple:
    """The values a description gives a meaning, each with the word that says it; cached, as
    described_values is, since a frame asks at every candidate token."""
    return tuple(_GLOSS.findall(description))


def is_default(schema: dict, value: str) -> bool:
    """Whether the description names `value` as the argument's default ("Default is 'Blue'"),
    which a request may say in another role ("currently blue; change it to red")."""
    return bool(re.search(r"\bdefaults?\b[^.;]{0,20}?['\"]?" + re.escape(value) + r"\b",
                          str(schema.get("description", "")), re.IGNORECASE))


@functools.lru_cache(maxsize=1024)
def said_values(text: str, values: tuple) -> tuple:
    """The values `text` says as words, in its own spelling; cached, since the decoder asks
    for an optional field's offer at every candidate token it tries."""
    # a whole word: "C#" and "C++" do not say "C"
    said = (re.search(r"(?<!\w)" + re.escape(v) + r"(?![\w#+])", text, re.IGNORECASE)
            for v in values)
    return tuple(dict.fromkeys(m.group() for m in said if m))


def arguments_of(calls) -> list[dict]:
    return [call["arguments"] for call in calls]


def without(arguments: dict, key: str) -> dict:
    """These arguments but `key`: the rest of a call."""
    return {k: v for k, v in arguments.items() if k != key}


def combination(arguments: dict, keys) -> tuple:
    """The values these arguments give those keys, in their order."""
    return tuple(arguments.get(key) for key in keys)


def said_in(calls) -> str:
    """The string values of these calls, lower-cased, in one text."""
    return " ".join(v for call in calls for v in strings_of(call)).lower()


def said_among(values) -> str:
    """The strings among these argument values, lower-cased, in one text."""
    return " ".join(strings_in(list(values))).lower()


def strings_of(call: dict) -> list[str]:
    """The strings in a call's argument values (not its argument names)."""
    return strings_in(list(call["arguments"].values()))


def strings_in(value) -> list[str]:
    """The strings in an argument value, a dict's keys too."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings_in(v)]
    return []


def numbers_in(value) -> list[float]:
    """The numbers in an argument value, strings included ("5 pm")."""
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, str):
        return [float(x.replace(",", "")) for x in _NUMBER_IN_TEXT.findall(value)]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in numbers_in(v)]
    return []


def is_choice_list(schema: dict) -> bool:
    """Whether the schema is a list whose items are choices of an enum."""
    return schema.get("type") == "array" and bool(schema.get("items", {}).get("enum"))


def fields_of(schema: dict) -> tuple:
    required = set(schema.get("required", []))
    return tuple((name, sub, name in required)
                 for name, sub in schema.get("properties", {}).items())


def repeats(call: dict, earlier: dict) -> bool:
    """Whether `call` is `earlier` again, or its values in other places ("from EUR to CAD",
    then "from CAD to EUR" for a request that asked one way)."""
    def values(c):
        return sorted(json.dumps(v, sort_keys=True) for v in c["arguments"].values())
    return call["name"] == earlier["name"] and values(call) == values(earlier)


def extends(call: dict, earlier: dict) -> bool:
    """Whether `call` is `earlier` with arguments added (an optional one it left out)."""
    new, old = call["arguments"], earlier["arguments"]
    return call["name"] == earlier["name"] and len(new) > len(old) and all(
        name in new and new[name] == value for name, value in old.items())


def restates(call: dict, earlier: dict) -> bool:
    """Whether `call`, of another tool, gives all of `earlier`'s values and more numbers: the
    same request better said ("a triangle with sides 3, 4 and 5": heron(3, 4, 5), not
    base_height(3, 4))."""
    new, old = Counter(numbers_in(call["arguments"])), Counter(numbers_in(earlier["arguments"]))
    return call["name"] != earlier["name"] and bool(old) and new != old and \
        not old - new and set(strings_of(earlier)) <= set(strings_of(call))


def format_call(name: str, arguments: dict) -> str:
    return f"{name}(" + ", ".join(f"{k}={python_literal(v)}" for k, v in arguments.items()) + ")"


class Stalled(list):
    """The calls of a decision that stalled: asked for another call, the model wrote one that
    repeats an earlier one or adds nothing the request asked for."""


class Decision:
    """The top frame: `name(args)` calls separated by `; `, ended by a newline; or `none`."""

    __slots__ = ("tools", "max_calls", "allow_none", "ground", "first", "wanted", "min_calls",
                 "calls", "phase", "name", "pressed", "_goes_on")

    def __init__(self, tools: dict[str, Tool], max_calls: int = 1, allow_none: bool = True,
                 ground: Grounding | None = None, first: frozenset | None = None,
                 wanted: frozenset = frozenset(), min_calls: int = 1, calls: tuple = (),
                 phase: str = "name", name: str | None = None, pressed: bool = False):
        self.tools, self.max_calls, self.allow_none = tools, max_calls, allow_none
        self.ground, self.first = ground, first  # `first`: names allowed for the first call
        self.wanted = wanted  # names to call before the decision may end
        self.min_calls = min_calls  # calls before the decision may end
        self.calls, self.phase, self.name = calls, phase, name
        self.pressed = pressed  # the call being read was asked for by the rules, not the model
        self._goes_on: bool | None = None  # must_go_on, once asked

    def _with(self, wanted: frozenset | None = None, **changes):
        state = {"calls": self.calls, "phase": self.phase, "name": self.name,
                 "pressed": self.pressed, **changes}
        return Decision(self.tools, self.max_calls, self.allow_none, self.ground, self.first,
                        self.wanted if wanted is None else wanted, self.min_calls, **state)

    def uncalled(self) -> set:
        return set(self.wanted) - {c["name"] for c in self.calls}

    def child(self, closing=False):
        if self.phase == "name":
            # A leading space belongs to the name so it is sampled together with it,
            # as the model's tokenizer would write it after "Call:".
            lead = " " if not self.calls else ""
            if not self.calls:
                names = self.first or self.tools
            else:
                names = self.uncalled() or (self.ground and self.ground.crossing(self.calls)) \
                    or (self.pressed and self.ground and
                        self.ground.owning_unused(self.calls) & set(self.tools)) or self.tools
            options = {f"{lead}{n}(": n for n in names}
            if self.allow_none and not self.calls:
                options[f"{lead}{NO_CALL}\n"] = None
            return Choice(options, options)
        if self.phase == "args":
            return Fields(fields_of(self.tools[self.name].parameters), "call",
                          self.ground.after(self.calls, self.name) if self.ground else None)
        options = {"\n": "end"}
        if len(self.calls) < self.max_calls and not closing:
            options["; "] = "more"
            if self.must_go_on():
                del options["\n"]
        return Choice(options, options)

    def must_go_on(self) -> bool:
        """Whether the decision may not end after its calls so far; kept, since the decoder
        asks at every candidate token it tries after a call."""
        if self._goes_on is None:
            self._goes_on = len(self.calls) < self.min_calls or bool(self.uncalled()) or bool(
                self.ground and self.ground.continue_uncovered and
                self.ground.asks_for_more(self.calls, self.tools))
        return self._goes_on

    def step(self, ch, closing=False):
        return (PUSH, self, self.child(closing))

    def child_done(self, value):
        if self.phase == "name":
            if value is None:
                return Done([])
            return self._with(phase="args", name=value)
        if self.phase == "args":
            call = {"name": self.name, "arguments": value}
            # a small model's loop, or a call that adds nothing: the decision is over
            if any(repeats(call, c) for c in self.calls) or \
                    self.ground and not self.ground.advances(self.calls, call):
                return Done(Stalled(self.calls) if self.pressed else list(self.calls))
            last = self.calls[-1] if self.calls else None
            if last and extends(call, last):  # the last call, better said
                return self._with(phase="more", calls=self.calls[:-1] + (call,))
            if last and self.ground and self.ground.one_task and self.min_calls == 1 and \
                    restates(call, last):  # a request of one task, better said by another tool
                return self._with(wanted=self.wanted - {last["name"]}, phase="more",
                                  calls=self.calls[:-1] + (call,))
            return self._with(phase="more", calls=self.calls + (call,))
        if value == "end":
            return Done(list(self.calls))
        return self._with(phase="name", name=None, pressed=self.must_go_on())

    def forced(self, closing=False):
        return self.child(closing).forced(closing)


def _expects_value(frame) -> bool:
    """Whether the frame's next child is a value (not a key, nor whether a list has a first
    or another item)."""
    return isinstance(frame, Fields) and frame.key is not None or \
        isinstance(frame, ArrayValue) and frame.phase == "item"


class Matcher:
    """A stack of frames fed one character at a time; immutable, so cloning is free."""

    __slots__ = ("stack", "result", "finished", "closing")

    def __init__(self, stack: tuple, result: Any = None, finished: bool = False,
                 closing: bool = False):
        self.stack, self.result, self.finished = stack, result, finished
        # Closing mode (when the token budget runs low): no new items, optional fields or calls,
        # open strings end at once, so the shortest valid completion follows.
        self.closing = closing

    @classmethod
    def for_decision(cls, tools: Iterable[Tool], max_calls: int = 1, allow_none: bool = True,
                     ground: Grounding | None = None, first: Iterable[str] | None = None,
                     wanted: Iterable[str] = (), min_calls: int = 1) -> "Matcher":
        """The decision language; `first` narrows the first call's name to those tools, and
        the decision goes on until each tool in `wanted` has been called and it has
        `min_calls` calls."""
        by_name = {t.name: t for t in tools}
        ground = ground.for_tools(by_name) if ground else None
        return cls((Decision(by_name, max_calls, allow_none, ground,
                             frozenset(first) if first else None, frozenset(wanted),
                             min_calls),))

    def feed(self, text: str) -> "Matcher | None":
        """The matcher after `text`, or None if the language does not allow it."""
        stack = list(self.stack)
        result, finished = self.result, self.finished
        for ch in text:
            while True:
                if finished:
                    return None
                action = stack[-1].step(ch, self.closing)
                if action is None:
                    return None
                kind = action[0]
                if kind == CONSUME:
                    stack[-1] = action[1]
                    break
                if kind == PUSH:
                    stack[-1] = action[1]
                    stack.append(action[2])
                    continue
                if kind == REPLACE:
                    stack[-1] = action[1]
                    continue
                # DONE / DONE_CONSUMED: pop and hand the value up, maybe completing parents too
                value = action[1]
                stack.pop()
                while stack:
                    parent = stack[-1].child_done(value)
                    if isinstance(parent, Done):
                        value = parent.value
                        stack.pop()
                        continue
                    stack[-1] = parent
                    break
                if not stack:
                    result, finished = value, True
                if kind == DONE_CONSUMED:
                    break
        return Matcher(tuple(stack), result, finished, self.closing)

    @property
    def calls_made(self) -> int:
        """The calls a decision has finished so far (0 for other languages)."""
        top = self.stack[0] if self.stack else None
        return len(top.calls) if isinstance(top, Decision) else 0

    @property
    def stalled(self) -> bool:
        return isinstance(self.result, Stalled)

    def value_depth(self) -> int | None:
        """The stack depth of the value being written, or about to start; None where the
        next character is structure (a key, a call's end, another call or list item)."""
        n = len(self.stack)
        top = self.stack[-1] if n else None
        if isinstance(top, (StringValue, NumberValue, AnyValue)):
            return n
        if isinstance(top, Choice):
            return n if n > 1 and _expects_value(self.stack[-2]) else None
        return n + 1 if _expects_value(top) else None

    def closing_mode(self) -> "Matcher":
        return Matcher(self.stack, self.result, self.finished, True)

    def forced_text(self, limit: int = 256) -> str:
        """The text the language allows as the only continuation from here."""
        out = []
        matcher = self
        while not matcher.finished and len(out) < limit:
            ch = matcher.stack[-1].forced(matcher.closing)
            if ch is None:
                break
            out.append(ch)
            matcher = matcher.feed(ch)
        return "".join(out)
