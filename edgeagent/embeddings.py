"""Sentence embeddings with onnxruntime: the quantized Universal Sentence Encoder (multilingual,
512-d) from the model manifest. Used by memory (fact vectors) and by tool narrowing (ranking tool
descriptions against a request), so it knows nothing about either."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from .models import ModelError

MODEL_NAME = "use-multilingual"
INSTALL_HINT = f"run `edgeagent models install {MODEL_NAME}`"
# The encoder's cost grows with length and a sentence embedding of a whole page means little;
# cut long inputs instead of paying for them.
MAX_CHARS = 2000


class EmbeddingError(ModelError):
    """The embedding model is missing or cannot run; the message says what to do."""


class Embedder:
    """Embeds texts into L2-normalized float32 vectors. The ONNX session is created on first use
    so that constructing an Embedder (e.g. for a CLI command that may not need it) costs nothing."""

    def __init__(self, path: str | Path, threads: int | None = None, batch_size: int = 64):
        self.path = Path(path)
        self.threads = threads or min(2, os.cpu_count() or 1)
        self.batch_size = batch_size
        self._session = None
        self._error: EmbeddingError | None = None  # a file that failed to load is not retried
        self._input_name = ""
        self._dim = 0
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """Identifies the vector space; vectors from another model are never compared."""
        return self.path.stem

    @property
    def dim(self) -> int:
        self._load()
        return self._dim

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def _load(self):
        if self._session is None:
            if not self.path.is_file():  # checked each time: it may be installed later
                raise EmbeddingError(f"embedding model {self.path} is missing; {INSTALL_HINT}")
            with self._lock:
                if self._session is None and self._error is None:
                    try:
                        self._session = self._open()
                    except EmbeddingError as exc:
                        self._error = exc
                if self._error is not None:
                    raise self._error
        return self._session

    def _open(self):
        try:
            import onnxruntime
            import onnxruntime_extensions
        except ImportError as exc:
            raise EmbeddingError(
                f"embeddings need onnxruntime and onnxruntime-extensions ({exc.name} is not "
                "installed); pip install onnxruntime onnxruntime-extensions") from None
        options = onnxruntime.SessionOptions()
        # The model tokenizes inside the graph with custom string ops.
        options.register_custom_ops_library(onnxruntime_extensions.get_library_path())
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        # Idle onnxruntime workers spin for a while after each run. On a 2-core board that
        # steals the cores from what runs next (numpy's BLAS scan of the fact vectors,
        # llama.cpp): measured here, a 100k-vector scan took 23 ms after a spinning embed and
        # 11 ms after a non-spinning one, for ~0.3 ms more per query embedding.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = onnxruntime.InferenceSession(
                str(self.path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise EmbeddingError(f"cannot load embedding model {self.path}: {exc}; "
                                 f"delete it and {INSTALL_HINT}") from None
        inputs = session.get_inputs()
        if len(inputs) != 1 or inputs[0].type != "tensor(string)":
            raise EmbeddingError(f"{self.path} is not a string-input sentence encoder")
        dim = session.get_outputs()[0].shape[-1]
        if not isinstance(dim, int):  # a symbolic dimension: ask the model
            dim = session.run(None, {inputs[0].name: np.array([""])})[0].shape[-1]
        self._input_name, self._dim = inputs[0].name, int(dim)
        return session

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for `texts`, shape (len(texts), dim), float32, each of unit length."""
        session = self._load()
        if isinstance(texts, str):
            raise TypeError("embed() takes a list of strings; use embed_one() for one")
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = [str(t)[:MAX_CHARS] for t in texts[start:start + self.batch_size]]
            vectors = session.run(None, {self._input_name: np.array(batch, dtype=object)})[0]
            out[start:start + len(batch)] = vectors
        return normalize(out)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


def normalize(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


def embedder_for(settings, threads: int | None = None) -> Embedder:
    """The manifest's embedding model in this state directory (it may not be installed yet:
    the error comes at first use)."""
    from .models import get_entry

    return Embedder(get_entry(MODEL_NAME).path(settings), threads=threads)


def optional_embedder(settings, threads: int | None = None) -> Embedder | None:
    """An Embedder when the model file is installed, else None (callers fall back to keywords)."""
    embedder = embedder_for(settings, threads)
    return embedder if embedder.path.is_file() else None
