"""The step loop: prompt, decide (constrained), validate, check permission, execute with a
timeout, observe, and answer."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from typing import Any

from . import examples
from .config import AgentSettings
from .decoding import DecodeError, DecodeStats, beam_decode, decode, generate_text
from .formats import converts_between
from .grammar import NO_CALL, Choice, Grounding, Matcher, clause_key, format_call
from .llm import ContextOverflowError, LocalModel
from .prefix_cache import PrefixCache
from .ranking import (ToolRanker, named_apart, named_by_tasks, names_tool, request_parts,
                      shared_words)
from .prompt import request_suffix, static_parts
from .tools import (Permission, PermissionDeniedError, Tool, ToolError, ToolRegistry,
                    run_tool)

MAX_PARALLEL_CALLS = 8


@dataclass
class Plan:
    """One decision: the contract of `edgeagent plan`."""

    calls: list[dict]
    answer: str | None = None
    escalate: dict | None = None
    timing: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    prefix: str = "kv"  # where the static prefix came from: kv, ram, disk, prefill, skipped
    text: str = ""  # the decision as the model wrote it
    stats: DecodeStats | None = None

    def to_json(self) -> dict:
        return {"calls": self.calls, "answer": self.answer, "escalate": self.escalate,
                "timing": self.timing, "tokens": self.tokens, "prefix": self.prefix}


@dataclass
class Gate:
    """What the tool ranking lets the model do for one request."""

    allow_none: bool = True          # may decline
    first: list[str] | None = None   # names allowed for the first call (None: all)
    wanted: list[str] = field(default_factory=list)  # to be called before the decision ends
    min_calls: int = 1               # calls before the decision may end
    owners: dict[str, str] = field(default_factory=dict)  # clause -> the tool it is about


@dataclass
class Step:
    call: dict
    ok: bool
    result: Any


@dataclass
class RunResult:
    answer: str
    steps: list[Step]
    plans: list[Plan]


def grounds(request: str, history=(), context: str = "") -> str:
    """The text argument values may come from: the request, earlier turns and memory notes."""
    return "\n".join([context, *(text for _, text in history), request])


class Agent:
    def __init__(self, model: LocalModel, settings: AgentSettings,
                 registry: ToolRegistry | None = None, prefix_cache: PrefixCache | None = None,
                 memory=None, ranker: ToolRanker | None = None):
        self.model = model
        self.ranker = ranker
        self.settings = settings
        self.registry = registry or ToolRegistry()
        self.prefix_cache = prefix_cache
        self.memory = memory  # edgeagent.memory.Memory, for the full loop (ask, chat, daemon)
        self._prefix_tokens: dict[tuple[str, str], tuple[list[int], int]] = {}

    # -- prompt -----------------------------------------------------------------------------
    def prefix_tokens(self, tools: list[Tool]) -> tuple[list[int], int]:
        """The static prefix's tokens, and where its part before the catalog ends."""
        k = self.settings.similar_examples if self.ranker else 0
        parts = static_parts(tools, examples.choose(self.ranker, tools, k))
        if parts not in self._prefix_tokens:
            if len(self._prefix_tokens) > 16:
                self._prefix_tokens.clear()
            head = [self.model.bos] + self.model.tokenize(parts[0])
            self._prefix_tokens[parts] = head + self.model.tokenize(parts[1]), len(head)
        return self._prefix_tokens[parts]

    def prompt(self, tools: list[Tool], request: str, history=(), context: str = ""):
        """The prompt's tokens with its static prefix put in the KV cache the cheapest way;
        also where its parts end (instructions, catalog) and how the prefix got there (None
        without a prefix cache)."""
        prefix, head = self.prefix_tokens(tools)
        restored = self.prefix_cache.ensure(prefix, (head,)) if self.prefix_cache else None
        suffix = self.model.tokenize(request_suffix(request, history, context))
        return prefix + suffix, (head, len(prefix)), restored

    # -- one decision -----------------------------------------------------------------------
    def plan(self, request: str, tools: list[Tool] | None = None,
             history: list[tuple[str, str]] = (), context: str = "") -> Plan:
        """Decide which calls answer `request`; never executes anything."""
        start = time.perf_counter()
        tools = list(self.registry) if tools is None else tools
        ground_text = grounds(request, history, context)
        gate = self.gate(request, tools, ground_text)
        if gate is None:  # no tool is near the request: declined without asking the model
            return Plan(calls=[], text=f" {NO_CALL}\n",
                        timing={"total_ms": round((time.perf_counter() - start) * 1000, 1),
                                "prefill_ms": 0.0, "decode_ms": 0.0},
                        tokens={"prompt": 0, "completion": 0, "cached": 0, "forced": 0},
                        prefix="skipped")
        prompt, marks, restored = self.prompt(tools, request, history, context)
        prefill = self.model.set_prompt(prompt, marks)
        prefix_ms = restored.ms if restored else 0.0
        matcher, text, stats = self.decide(ground_text, tools, gate)
        calls = matcher.result
        by_name = {t.name: t for t in tools}
        for call in calls:  # the grammar already guarantees this; check again, never trust
            by_name[call["name"]].validate(call["arguments"])
        return Plan(
            calls=calls, text=text, stats=stats,
            timing={"total_ms": round((time.perf_counter() - start) * 1000, 1),
                    "prefill_ms": round(prefix_ms + prefill.prefill_ms, 1),
                    "decode_ms": round(stats.ms, 1)},
            tokens={"prompt": prefill.prompt_tokens,
                    "completion": stats.completion_tokens,
                    "cached": prefill.cached_tokens - (restored.evaluated if restored else 0),
                    "forced": stats.forced},
            prefix=restored.source if restored else "kv")

    def gate(self, request: str, tools: list[Tool], ground_text: str | None = None
             ) -> Gate | None:
        """What the tool ranking allows for this request; None when no tool fits it. A tool
        fits when it is near the request, or fairly near and the request says its name's words
        or some distinctive words of its definition, or the request names two currencies or
        units for the tool's two required ones (a conversion);
        one that is only fairly near and needs a number that `ground_text` (default: the
        request) does not state does not fit: its call would have to invent the number."""
        if self.ranker is None or not tools:
            return Gate()
        s = self.settings
        similarities = self.ranker.similarities(request, tools)
        scores = similarities.max(axis=0)
        best, best_tool = float(scores.max()), tools[int(scores.argmax())]
        named = best >= s.named_tool_floor and names_tool(request, best_tool) or \
            best >= s.shared_word_floor and len(shared_words(request, best_tool)) >= s.shared_words
        named = named or converts_between(request, best_tool.parameters)
        if best < s.relevance_floor and not named:
            return None
        if best < s.unstated_number_ceiling and \
                Grounding(ground_text or request).misses_numbers(best_tool):
            return None
        near = [t for t, score in zip(tools, scores) if score >= best - s.first_call_margin]
        near = [t.name for t in named_apart(request, near) or near]  # its own name word said
        # each clause that is clearly about some tool asks for a call of it
        about = {clause_key(clause): tools[int(row.argmax())].name  # in the request's order
                 for clause, row in zip(request_parts(request)[1:], similarities[1:])
                 if row.max() >= s.clause_call_floor}
        asked = list(about.values())
        wanted = set(asked)
        if len(wanted) > 1 and s.clauses_in_order:  # then the calls' values follow the request
            near = asked[:1]
        wanted |= named_by_tasks(request, tools)  # and so does each task that names a tool
        # a request of several tasks about the tools ("..., then ...") asks for several calls
        tasks = self.ranker.tasks_about_tools(request, tools, s.task_call_floor)
        # a call's texts keep to the clauses about its tool (when they are about several)
        owners = about if len(set(asked)) > 1 and s.clause_local_values else {}
        return Gate(allow_none=best < s.relevance_ceiling and not named, first=near,
                    wanted=sorted(wanted) if len(wanted) > 1 else [],
                    min_calls=2 if tasks > 1 else 1, owners=owners)

    def decide(self, ground_text: str, tools: list[Tool], gate: Gate):
        """Constrained decoding of one decision from the model's current state; argument values
        come from `ground_text` (the request and what the prompt says around it)."""
        s = self.settings
        ground = Grounding(ground_text, s.ground_optional_args, s.continue_uncovered,
                           s.ground_required_args, gate.owners)
        matcher = Matcher.for_decision(tools, MAX_PARALLEL_CALLS, gate.allow_none, ground,
                                       gate.first, gate.wanted, gate.min_calls)
        if s.beam_width > 1 and not s.diverge_repeats:
            return beam_decode(self.model, matcher, s.beam_width, s.beam_margin)
        return decode(self.model, matcher, diverge=s.diverge_repeats)

    # -- the loop ---------------------------------------------------------------------------
    def run(self, request: str, history: list[tuple[str, str]] = (),
            session: str | None = None) -> RunResult:
        """The full loop; with memory, relevant facts and turns go into the dynamic suffix and
        the turn is recorded."""
        context = self.memory.context_for(request, session) if self.memory else ""
        result = self._loop(request, history, context)
        if self.memory:
            self.memory.record_turn(session, request, decisions=[p.text for p in result.plans],
                                    calls=[s.call for s in result.steps],
                                    results=[s.result for s in result.steps],
                                    answer=result.answer)
        return result

    def _loop(self, request: str, history, context: str) -> RunResult:
        try:
            return self._steps(request, history, context)
        except ContextOverflowError:
            return RunResult("That took more context than this model has; ask for less at "
                             "a time, or raise model.n_ctx.", [], [])

    def _steps(self, request: str, history, context: str) -> RunResult:
        tools = list(self.registry)
        prompt, marks, _ = self.prompt(tools, request, history, context)
        steps: list[Step] = []
        plans: list[Plan] = []
        ground_text = grounds(request, history, context)
        gate = self.gate(request, tools, ground_text)
        for _ in range(self.settings.max_steps if gate else 0):
            # the first decision as `plan` makes it; later ones extend what the KV holds
            self.model.set_prompt(prompt, () if plans else marks)
            try:
                matcher, text, _ = self.decide(ground_text, tools, gate)
            except DecodeError as exc:
                return RunResult(f"I could not decide on an action ({exc}).", steps, plans)
            calls = matcher.result
            plans.append(Plan(calls=calls, text=text))
            gate = replace(gate, wanted=[], min_calls=1)  # the request asked for these once
            # as the calls stand (a repeated call was dropped), one line
            line = " " + "; ".join(format_call(c["name"], c["arguments"]) for c in calls) \
                if calls else f" {NO_CALL}"
            prompt = prompt + self.model.tokenize(line + "\n")
            if not calls or all(c in [s.call for s in steps] for c in calls):
                break  # declined, or the same calls again: their results are already here
            for call in calls:
                step = self.execute(call)
                steps.append(step)
                prompt += self.model.tokenize(f"Result: {self.observation(step)}\n")
            # After the results the model either calls again or answers.
            self.model.set_prompt(prompt)
            _, chosen, _ = decode(self.model, Matcher((Choice(("Call:", "Answer:")),)))
            if chosen == "Answer:":
                break
            prompt += self.model.tokenize("Call:")
        if gate is None:
            prompt += self.model.tokenize(f" {NO_CALL}\n")
        prompt += self.model.tokenize("Answer:")
        self.model.set_prompt(prompt)
        answer, _ = generate_text(self.model, self.settings.max_answer_tokens)
        if not answer and steps:  # a base model may say nothing; the last result still helps
            answer = self.observation(steps[-1])
        return RunResult(answer or "I have no answer to that.", steps, plans)

    def execute(self, call: dict) -> Step:
        """Validate, check permission and run one call; every failure becomes an observation."""
        try:
            tool = self.registry.get(call["name"])
            arguments = tool.validate(call["arguments"])
            self.check_permission(tool)
            result = run_tool(tool, arguments, self.settings.tool_timeout_s)
            return Step(call, True, result)
        except ToolError as exc:
            return Step(call, False, {"error": exc.code, "message": str(exc)})

    def check_permission(self, tool: Tool) -> None:
        if tool.permission is Permission.ACTUATE and not self.settings.allow_actuate:
            raise PermissionDeniedError(
                f"{tool.name} is an actuate tool and agent.allow_actuate is false")
        if tool.permission is Permission.WRITE and not self.settings.allow_write:
            raise PermissionDeniedError(f"{tool.name} writes and agent.allow_write is false")

    def observation(self, step: Step) -> str:
        text = step.result if isinstance(step.result, str) else json.dumps(
            step.result, default=str, ensure_ascii=False)
        text = " ".join(text.split())
        budget = self.settings.observation_chars
        return text if len(text) <= budget else text[:budget] + " [truncated]"

