"""The step loop: failures become observations, permissions hold, and a real run answers."""

from edgeagent.agent import Agent
from edgeagent.builtin_tools import register_builtin_tools
from edgeagent.config import AgentSettings
from edgeagent.tools import ToolRegistry


def make_registry():
    registry = ToolRegistry()

    @registry.tool()
    def boom() -> str:
        """Always fails."""
        raise OSError("sensor offline")

    @registry.tool(permission="actuate")
    def open_gate(gate: int) -> str:
        """Open a gate."""
        return f"gate {gate} open"

    return registry


def test_failures_become_observations_not_crashes():
    agent = Agent(model=None, settings=AgentSettings(), registry=make_registry())
    unknown = agent.execute({"name": "nope", "arguments": {}})
    assert not unknown.ok and unknown.result["error"] == "unknown_tool"
    invalid = agent.execute({"name": "open_gate", "arguments": {"gate": "north"}})
    assert not invalid.ok and invalid.result["error"] == "invalid_arguments"
    failing = agent.execute({"name": "boom", "arguments": {}})
    assert not failing.ok and "sensor offline" in failing.result["message"]


def test_actuate_needs_permission():
    denied = Agent(None, AgentSettings(), make_registry()).execute(
        {"name": "open_gate", "arguments": {"gate": 2}})
    assert denied.result["error"] == "permission_denied"
    allowed = Agent(None, AgentSettings(allow_actuate=True), make_registry()).execute(
        {"name": "open_gate", "arguments": {"gate": 2}})
    assert allowed.ok and allowed.result == "gate 2 open"


def test_observations_are_truncated_to_budget():
    agent = Agent(None, AgentSettings(observation_chars=64), make_registry())
    step = agent.execute({"name": "open_gate", "arguments": {"gate": 1}})
    step.result = "x" * 500
    assert len(agent.observation(step)) < 100


def test_real_loop_runs_tools_and_answers(model, settings):
    agent = Agent(model, settings.agent, register_builtin_tools(ToolRegistry(), settings))
    result = agent.run("What is 17 * 23? Use the calculator.")
    assert isinstance(result.answer, str) and result.answer
    assert len(result.plans) <= settings.agent.max_steps
    for step in result.steps:
        assert step.call["name"] in {t.name for t in agent.registry}
    calc = [s for s in result.steps if s.call["name"] == "calculate" and s.ok]
    if calc:  # when the model used the calculator, the real result was observed
        assert any(s.result == 391 for s in calc)
