"""Tool ranking by sentence embeddings: which tools a request is about, and whether any is.

A tiny model chooses between similar tool names poorly, while a sentence encoder ranks tool
descriptions against the request well (on BFCL `multiple`, top-1 retrieval is right ~96% of the
time). The agent uses the ranking four ways: a request far from every tool gets no call; one close
to a tool may not be declined (the 270M model's own "none" hardly tells relevant from irrelevant);
the first call is chosen among the tools near the best score (those of them whose name the
request says apart, or the earliest clause's tool when clauses ask for several); a tool that is
the best match of one of the request's clauses, or that a task names apart, is called before the
decision may end; and a request with two or more tasks about the tools gets at least two calls.
"""

from __future__ import annotations

import re

import numpy as np

from .embeddings import Embedder
from .grammar import name_words, request_clauses, request_tasks, same_word
from .tools import Tool


def tool_text(tool: Tool) -> str:
    """What the encoder sees of a tool: its description, or its name in words without one."""
    if tool.description.strip():
        return tool.description
    words = re.sub(r"[_.\-]+", " ", tool.name)
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", words)  # camelCase -> camel Case


def request_parts(request: str) -> list[str]:
    """The request and its clauses: a request that asks for several things matches each tool
    through the clause about it, not through the whole text."""
    return [request] + [c for c in request_clauses(request) if c != request]


_NAME_FILLER = {"the", "and", "for", "with", "from", "that", "this", "get"}


def names_tool(request: str, tool: Tool) -> bool:
    """Whether the request says every word of the tool's name ("the factorial of 5" for
    math.factorial does not; "the area of a triangle" for calculate_triangle_area does not)."""
    words = [w for w in name_words(tool.name) if w not in _NAME_FILLER]
    said = re.findall(r"[a-z]+", request.lower())
    return bool(words) and all(any(same_word(w, s) for s in said) for w in words)


def named_apart(request: str, tools: list[Tool]) -> list[Tool]:
    """The tools whose name says a word of the request that no other of `tools`' names says
    ("quadratic" of math_roots.quadratic beside math.roots.cubic; "battle" of battle_details
    beside war_details): between near tools, the encoder's ranking is the weaker signal."""
    said = re.findall(r"[a-z]+", request.lower())
    words = {t.name: set(name_words(t.name)) for t in tools}
    return [t for t in tools if any(
        any(same_word(w, s) for s in said) for w in words[t.name].difference(
            *(words[o.name] for o in tools if o.name != t.name)))]


def named_by_tasks(request: str, tools: list[Tool]) -> set[str]:
    """The tools that tasks of the request name apart, one tool each ("a pet-friendly
    library in New York City, and also a store in the same city": library.find_nearby,
    store.find_nearby), and, in a request of several tasks, those its clauses name most;
    none unless two or more tools are so named."""
    tasks = request_tasks(request)
    named = {n[0].name for task in tasks if len(n := named_apart(task, tools)) == 1}
    if len(tasks) > 1:  # and so does a clause that names one tool most
        named |= {n for clause in request_clauses(request) if (n := named_most(clause, tools))}
    return named if len(named) > 1 else set()


def named_most(text: str, tools: list[Tool]) -> str | None:
    """The tool that `text` names apart and whose name's words it says more of than of any
    other tool's ("travel from my current location to the museum": location.get_travel_time,
    not museum.get_hours); None when no tool is so named."""
    apart = named_apart(text, tools)
    if len(apart) != 1:
        return None
    said = re.findall(r"[a-z]+", text.lower())

    def count(t: Tool) -> int:
        return sum(any(same_word(w, s) for s in said) for w in set(name_words(t.name)))
    tool = apart[0]
    return tool.name if all(count(tool) > count(t) for t in tools if t.name != tool.name) \
        else None


# Words that say little about which tool a request wants: requests of every kind ask to
# "find", "calculate" or "provide" something.
_GENERIC = frozenset("""about after also among around based before being been between both
calculate compute could determine does each every find from function further get give given
have help here into just like list many more most much need number only other over please
provide search same should show some such than that their them then there these they this
those through under using value very want were what when where which while will with within
without would your""".split())


def shared_words(request: str, tool: Tool) -> list[str]:
    """The request's distinctive words (four letters or more, not generic) that the tool's
    name, description or argument names say ("precipitation" of ecology_data.precipitation_stats)."""
    own = [w for w in re.findall(r"[a-z]+", " ".join(
        [*name_words(tool.name), tool.description.lower(),
         *(w for p in tool.parameters.get("properties", {}) for w in name_words(p))]))
        if len(w) >= 4]
    said = dict.fromkeys(w for w in re.findall(r"[a-z]+", request.lower())
                         if len(w) >= 4 and w not in _GENERIC)
    return [w for w in said if any(same_word(w, o) for o in own)]


class ToolRanker:
    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}  # text -> vector

    def vectors(self, texts: list[str]) -> np.ndarray:
        """The texts' embeddings, one row each, cached (catalogs and examples repeat). Each
        text is embedded on its own: in a batch, the encoder moves a text's vector by up to
        0.004 with the batch's other texts, enough to flip a threshold, and what a batch holds
        would depend on which texts earlier requests had cached. (Memory's bulk imports keep
        the encoder's batches: one text at a time is ~3.6x slower.)"""
        if len(self._vectors) > 4096:
            self._vectors.clear()
        for text in dict.fromkeys(texts):
            if text not in self._vectors:
                self._vectors[text] = self.embedder.embed([text])[0]
        return np.stack([self._vectors[t] for t in texts])

    def similarities(self, request: str, tools: list[Tool]) -> np.ndarray:
        """Cosine similarities: a row for the request and one for each of its clauses, a column
        per tool in catalog order."""
        queries = self.vectors(request_parts(request))
        return (queries @ self.vectors([tool_text(t) for t in tools]).T).astype(np.float32)

    def tasks_about_tools(self, request: str, tools: list[Tool], floor: float) -> int:
        """How many of the request's tasks are about some tool (best similarity >= floor)."""
        tasks = request_tasks(request)
        if not tasks or not tools:
            return 0
        scores = self.vectors(tasks) @ self.vectors([tool_text(t) for t in tools]).T
        return int((scores.max(axis=1) >= floor).sum())
