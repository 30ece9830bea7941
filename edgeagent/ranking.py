"""Tool ranking by sentence embeddings: which tools a request is about, and whether any is.

A tiny model chooses between similar tool names poorly, while a sentence encoder ranks tool
descriptions against the request well (on BFCL `multiple`, top-1 retrieval is right ~96% of the
time). The agent uses the ranking three ways: a request far from every tool gets no call; one close
to a tool may not be declined; the first call is chosen among the tools near the best score.
"""

from __future__ import annotations

import re

import numpy as np

from .embeddings import Embedder
from .tools import Tool


def tool_text(tool: Tool) -> str:
    """What the encoder sees of a tool: its name in words and its description."""
    words = re.sub(r"[_.\-]+", " ", tool.name)
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", words)  # camelCase -> camel Case
    return f"{words}: {tool.description}"


class ToolRanker:
    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}  # tool text -> vector; catalogs repeat

    def scores(self, request: str, tools: list[Tool]) -> np.ndarray:
        """Cosine similarity of the request with each tool, in catalog order."""
        texts = [tool_text(t) for t in tools]
        if len(self._vectors) > 4096:
            self._vectors.clear()
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.embedder.embed(missing)):
                self._vectors[text] = vector
        query = self.embedder.embed_one(request)
        return np.array([float(self._vectors[t] @ query) for t in texts], dtype=np.float32)
