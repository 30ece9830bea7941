"""The llama.cpp wrapper: one long-lived model, threads from the board's cores, and a KV cache
that keeps whatever prefix the next prompt shares with what was evaluated before."""

from __future__ import annotations

import ctypes
import os
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import psutil

import llama_cpp


@llama_cpp.llama_log_callback
def _log_errors_only(level: int, text: bytes, user_data) -> None:
    # llama.cpp reports every load detail on stderr; a daemon's log wants only its errors.
    if level == 4:  # GGML_LOG_LEVEL_ERROR in the bundled ggml.h (llama_cpp/_logger.py is stale)
        sys.stderr.write(text.decode("utf-8", errors="replace"))


llama_cpp.llama_log_set(_log_errors_only, ctypes.c_void_p(0))


def default_threads() -> int:
    # Physical cores: hyper-threads slow llama.cpp's matrix kernels down on small boards.
    return max(1, psutil.cpu_count(logical=False) or os.cpu_count() or 1)


@dataclass
class EvalStats:
    prompt_tokens: int = 0
    cached_tokens: int = 0
    prefill_ms: float = 0.0


class LocalModel:
    """A GGUF model in llama.cpp, evaluated token by token under our control."""

    def __init__(self, path: Path, n_ctx: int = 4096, n_threads: int | None = None,
                 n_batch: int = 512, model_id: str | None = None):
        self.path = Path(path)
        stat = self.path.stat()
        # What a saved KV state depends on: the weights (sha256 when known) and the context.
        self.identity = f"{model_id or f'{self.path}:{stat.st_size}:{stat.st_mtime_ns}'}" \
                        f":ctx{n_ctx}"
        self.n_threads = n_threads or default_threads()
        # llama.cpp reserves an output per sequence in a batch: fewer aborts the process
        n_batch = max(n_batch, 1 + BEAM_SEQUENCES)
        with _sequences(1 + BEAM_SEQUENCES):
            self.llama = llama_cpp.Llama(
                model_path=str(self.path), n_ctx=n_ctx, n_batch=n_batch, n_ubatch=n_batch,
                n_threads=self.n_threads, n_threads_batch=self.n_threads, seed=0,
                # A full-size sliding-window cache lets us cut the KV back to any shared
                # prefix (Gemma 3 uses SWA layers; a trimmed one would force a re-prefill).
                swa_full=True, verbose=False)
        self.n_ctx = self.llama.n_ctx()
        self.n_vocab = self.llama.n_vocab()
        self.bos = self.llama.token_bos()
        self._vocab = self.llama._model.vocab
        self._piece_buf = ctypes.create_string_buffer(256)
        self._token_cache: dict[int, str | None] = {}
        self._by_first_char: dict[str, np.ndarray] | None = None
        self._starts: list[int] = []  # where each batch series of the KV began

    # -- tokens -----------------------------------------------------------------------------
    def tokenize(self, text: str, bos: bool = False) -> list[int]:
        return self.llama.tokenize(text.encode("utf-8"), add_bos=bos, special=False)

    def is_end(self, tok: int) -> bool:
        """End of generation (EOS, end-of-turn, ...)."""
        return bool(llama_cpp.llama_vocab_is_eog(self._vocab, tok))

    def detokenize(self, tokens: list[int]) -> str:
        return self.llama.detokenize(tokens).decode("utf-8", errors="replace")

    def token_text(self, tok: int) -> str | None:
        """The text of one vocabulary entry; None for control tokens and partial UTF-8 bytes,
        which the constrained decoder never picks. Looked up lazily: a decision touches a few
        hundred entries, and reading all 262k costs half a second at every start."""
        text = self._token_cache.get(tok, False)
        if text is False:
            n = llama_cpp.llama_token_to_piece(self._vocab, tok, self._piece_buf, 256, 0, False)
            try:
                text = self._piece_buf.raw[:max(n, 0)].decode("utf-8") or None
            except UnicodeDecodeError:
                text = None
            self._token_cache[tok] = text
        return text

    @property
    def tokens_by_first_char(self) -> dict[str, np.ndarray]:
        """The vocabulary grouped by first character, built on first need: the decoder's
        rare fallback when no top candidate fits the grammar."""
        if self._by_first_char is None:
            groups: dict[str, list[int]] = defaultdict(list)
            for tok in range(self.n_vocab):
                if text := self.token_text(tok):
                    groups[text[0]].append(tok)
            self._by_first_char = {ch: np.array(t, dtype=np.int64) for ch, t in groups.items()}
        return self._by_first_char

    # -- evaluation -------------------------------------------------------------------------
    @property
    def evaluated(self) -> list[int]:
        return self.llama.input_ids[: self.llama.n_tokens].tolist()

    def forget(self) -> None:
        """Empty the KV cache: the next prompt is evaluated from its first token, into the
        cells a fresh context would use."""
        llama_cpp.llama_memory_clear(self.llama._ctx.memory, True)
        self.llama.n_tokens = 0
        self._starts = []

    def set_prompt(self, tokens: list[int], marks: Sequence[int] = ()) -> EvalStats:
        """Make the KV cache hold exactly `tokens`, evaluating only what differs from what is
        already there; the logits of the last token are then ready.

        With `marks` (positions in `tokens`, such as where the static prefix ends), the prompt
        is evaluated the same way whatever was evaluated before: one batch series from each mark
        to the next, and the KV is reused only up to a mark it was built to the same way.
        llama.cpp's results shift a little with how tokens are batched, enough to change a
        close decision, so the same prompt then always gets the same decision."""
        if len(tokens) >= self.n_ctx:
            raise ContextOverflowError(
                f"prompt of {len(tokens)} tokens does not fit the context of {self.n_ctx} "
                "(raise model.n_ctx or use fewer tools)")
        start = time.perf_counter()
        if marks:
            cuts = [0, *sorted(m for m in set(marks) if 0 < m < len(tokens))]
            keep = max(at for at in cuts if self.reusable(tokens, cuts, at))
        else:
            cuts, keep = [0], min(self._common(tokens), len(tokens) - 1)
        self._truncate(keep)
        for at, end in zip(cuts, [*cuts[1:], len(tokens)]):
            if end > keep:
                self.append(tokens[max(at, keep):end])
        return EvalStats(len(tokens), keep, (time.perf_counter() - start) * 1000)

    def reusable(self, tokens: list[int], cuts: list[int], at: int) -> bool:
        """Whether the KV's first `at` tokens are `tokens[:at]`, evaluated in batch series
        that started exactly at `cuts` (and one ended at `at`)."""
        starts = [s for s in self._starts if s < self.llama.n_tokens]
        return at == 0 or (self._common(tokens) >= at and
                           [s for s in starts if s < at] == [c for c in cuts if c < at] and
                           (at in starts or at == self.llama.n_tokens))

    def _common(self, tokens: list[int]) -> int:
        limit = min(self.llama.n_tokens, len(tokens))
        differs = self.llama.input_ids[:limit] != np.asarray(tokens[:limit])
        return int(differs.argmax()) if differs.any() else limit

    def _truncate(self, n: int) -> None:
        self.llama.n_tokens = n
        self._starts = [s for s in self._starts if s < n]

    def append(self, tokens: list[int]) -> None:
        if self.llama.n_tokens + len(tokens) >= self.n_ctx:
            raise ContextOverflowError(f"output does not fit the context of {self.n_ctx}")
        self._starts = [s for s in self._starts if s < self.llama.n_tokens]
        self._starts.append(self.llama.n_tokens)
        self.llama.eval(tokens)

    def logits(self) -> np.ndarray:
        """The next-token logits after the last evaluated token (a view, not a copy)."""
        ptr = llama_cpp.llama_get_logits_ith(self.llama._ctx.ctx, -1)
        return np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))

    # -- state snapshots --------------------------------------------------------------------
    def state_bytes(self) -> bytes:
        ctx = self.llama._ctx.ctx
        size = llama_cpp.llama_state_get_size(ctx)
        buf = (ctypes.c_uint8 * size)()
        n = llama_cpp.llama_state_get_data(ctx, buf, size)
        return ctypes.string_at(buf, n)

    def load_state_bytes(self, data: bytes, tokens: list[int], marks: Sequence[int] = ()) -> None:
        """Restore a snapshot taken when the KV held exactly `tokens`, evaluated by
        `set_prompt(tokens, marks)`."""
        ctx = self.llama._ctx.ctx
        buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        if llama_cpp.llama_state_set_data(ctx, buf, len(data)) != len(data):
            self.forget()
            raise RuntimeError("llama.cpp rejected the state snapshot")
        self.llama.input_ids[: len(tokens)] = tokens
        self.llama.n_tokens = len(tokens)
        self._starts = [0, *sorted(m for m in set(marks) if 0 < m < len(tokens))]

    # -- other sequences (beam search) ------------------------------------------------------
    def copy_sequence(self, source: int, target: int) -> None:
        """Make KV sequence `target` hold what `source` holds (cells are shared, not copied);
        sequence 0 is the prompt's."""
        memory = self.llama._ctx.memory
        llama_cpp.llama_memory_seq_rm(memory, target, -1, -1)
        llama_cpp.llama_memory_seq_cp(memory, source, target, -1, -1)

    def drop_sequences(self) -> None:
        """Forget every sequence but the prompt's."""
        memory = self.llama._ctx.memory
        for seq in range(1, 1 + BEAM_SEQUENCES):
            llama_cpp.llama_memory_seq_rm(memory, seq, -1, -1)

    def eval_sequences(self, rows: list[tuple[int, int, list[int]]]) -> list[np.ndarray]:
        """Evaluate tokens of several sequences in one batch (in several when they do not fit
        one): each row is (sequence, position of its first token, tokens, at least one).
        Returns each row's logits after its last token."""
        if not rows:
            return []
        if max(pos + len(tokens) for _, pos, tokens in rows) >= self.n_ctx:
            raise ContextOverflowError(f"output does not fit the context of {self.n_ctx}")
        size = self.llama.n_batch
        # (sequence, position, tokens, whether the row ends with them)
        parts = [(seq, pos + k, tokens[k:k + size], k + size >= len(tokens))
                 for seq, pos, tokens in rows for k in range(0, len(tokens), size)]
        logits, batch = [], []
        for part in parts:
            if sum(len(p[2]) for p in batch) + len(part[2]) > size:
                logits += self._eval_batch(batch)
                batch = []
            batch.append(part)
        logits += self._eval_batch(batch)
        return [row for row, part in zip(logits, parts) if part[3]]

    def _eval_batch(self, parts: list[tuple]) -> list[np.ndarray]:
        """One llama_decode of (sequence, position, tokens, _) parts; each part's last logits."""
        n = sum(len(part[2]) for part in parts)
        batch = llama_cpp.llama_batch_init(n, 0, 1)
        try:
            i, last = 0, []
            for seq, pos, tokens, _ in parts:
                for j, tok in enumerate(tokens):
                    batch.token[i], batch.pos[i], batch.n_seq_id[i] = tok, pos + j, 1
                    batch.seq_id[i][0] = seq
                    batch.logits[i] = j == len(tokens) - 1
                    i += 1
                last.append(i - 1)
            batch.n_tokens = n
            if llama_cpp.llama_decode(self.llama._ctx.ctx, batch) != 0:
                raise RuntimeError("llama.cpp could not evaluate the batch")
            return [np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(
                self.llama._ctx.ctx, at), shape=(self.n_vocab,)).copy() for at in last]
        finally:
            llama_cpp.llama_batch_free(batch)


BEAM_SEQUENCES = 4  # KV sequences besides the prompt's, one per hypothesis of a beam search


@contextmanager
def _sequences(n: int):
    """Llama() takes no n_seq_max: give its context parameters room for `n` sequences in one
    shared (unified) cache, where a copied sequence shares its cells."""
    low = llama_cpp.llama_cpp  # the module Llama() reads its defaults from
    defaults = low.llama_context_default_params

    def params():
        p = defaults()
        p.n_seq_max, p.kv_unified = n, True
        return p

    low.llama_context_default_params = params
    try:
        yield
    finally:
        low.llama_context_default_params = defaults


class ContextOverflowError(RuntimeError):
    pass


def open_model(settings) -> LocalModel:
    """Load the configured model, verified, with the configured runtime settings."""
    from .models import get_entry, resolve  # keep llm importable without the manifest

    path = resolve(settings)
    m = settings.model
    model_id = None if m.path else get_entry(m.name).sha256
    return LocalModel(path, n_ctx=m.n_ctx, n_threads=m.n_threads, n_batch=m.n_batch,
                      model_id=model_id)
