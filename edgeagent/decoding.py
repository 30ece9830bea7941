"""Constrained greedy decoding that never pays a whole-vocabulary grammar pass.

At each step the greedy token is checked against the matcher alone (one cheap check); only when
the grammar rejects it are the next candidates by logit tried, and only when all of those fail
is the vocabulary filtered (by the characters the grammar allows next). Text the grammar forces
(argument names, `=`, quotes, the rest of a tool name once its prefix is unique) is not sampled at
all: it is tokenized and evaluated in one batch ("jump-forward").

A call the rules asked for that adds nothing (a repeat: the decision stalls) means the model was
asked for more than it saw how to give: rather than end there, the decoder goes back to the step
of that call where the model was least sure (the smallest lead of its token over the best other
token the grammar allows) and takes the other token ("diverging"), so the call varies where the
model itself hesitated.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Iterator

import numpy as np

from .grammar import Matcher
from .llm import BEAM_SEQUENCES, LocalModel

TOP_CANDIDATES = 48
ALTERNATIVES = 8      # other tokens kept at each sampled step of a later call
MAX_DIVERGENCES = 3   # per decision


class DecodeError(RuntimeError):
    pass


@dataclass
class DecodeStats:
    sampled: int = 0        # tokens chosen from the logits
    forced: int = 0         # tokens emitted by jump-forward, evaluated in batches
    rejected_greedy: int = 0  # greedy token refused by the grammar
    full_scans: int = 0     # steps that needed the vocabulary filter
    diverged: int = 0       # stalled calls decoded again from their least sure step
    ms: float = 0.0

    @property
    def completion_tokens(self) -> int:
        return self.sampled + self.forced


def _accepts(matcher: Matcher, text: str | None) -> Matcher | None:
    return matcher.feed(text) if text else None


def _forced(matcher: Matcher, emitted: int, closing_at: int) -> tuple[Matcher, str]:
    """The matcher (in closing mode once `emitted` output tokens reach `closing_at`: the rest
    of the budget finishes what is open) and the text it forces next."""
    if emitted >= closing_at and not matcher.closing:
        matcher = matcher.closing_mode()
    # A trailing space is left to the sampler: the model's tokens carry spaces in front of
    # words (" height"), so forcing a bare space would split a natural token in two.
    return matcher, matcher.forced_text().rstrip(" ")


def _piece(model: LocalModel, tokens) -> str:
    """The text of a sampled token, or of the byte tokens that spell one character."""
    return model.token_text(tokens[0]) if len(tokens) == 1 else model.detokenize(list(tokens))


def _allowed_in_top(logits: np.ndarray, matcher: Matcher, model: LocalModel
                   ) -> Iterator[tuple[int, str, Matcher]]:
    """The tokens among the TOP_CANDIDATES by logit that the grammar allows, likeliest first,
    with their text and the matcher after them."""
    top = np.argpartition(logits, -TOP_CANDIDATES)[-TOP_CANDIDATES:]
    for tok in top[np.argsort(-logits[top])]:
        text = model.token_text(int(tok))
        after = _accepts(matcher, text)
        if after is not None:
            yield int(tok), text, after


def pick_token(logits: np.ndarray, matcher: Matcher, model: LocalModel, stats: DecodeStats
               ) -> tuple[list[int], Matcher]:
    """The highest-logit token the grammar allows (or the byte tokens of a character that has
    no token of its own), and the matcher after it."""
    text = model.token_text
    best = int(np.argmax(logits))
    after = _accepts(matcher, text(best))
    if after is not None:
        return [best], after
    stats.rejected_greedy += 1
    found = next(_allowed_in_top(logits, matcher, model), None)
    if found is not None:
        return [found[0]], found[2]
    stats.full_scans += 1
    allowed = [toks for ch, toks in model.tokens_by_first_char.items()
               if matcher.feed(ch) is not None]
    if allowed:
        candidates = np.concatenate(allowed)
        for tok in candidates[np.argsort(-logits[candidates])]:
            after = _accepts(matcher, text(int(tok)))
            if after is not None:
                return [int(tok)], after
    # A character the vocabulary spells only in bytes ("♥" in a byte-level BPE): one the
    # prompt contains and the grammar allows, the likeliest by the logit of its first byte.
    spelled = [(model.tokenize(ch), after) for ch in dict.fromkeys(
        model.detokenize(model.evaluated)) if ord(ch) > 127
        and (after := matcher.feed(ch)) is not None]
    if spelled:
        return max(spelled, key=lambda option: logits[option[0][0]])
    raise DecodeError("no token of the vocabulary continues the call grammar")


@dataclass
class _Step:
    """A sampled step of a later call: where that call may diverge if it stalls."""

    call: int         # the calls finished before it
    emitted: int      # output tokens before it
    pieces: int       # output pieces before it
    matcher: Matcher  # before it
    others: list      # (lead of the chosen token's logit over it, token) for the next tokens


def _least_sure(steps: list[_Step], model: LocalModel):
    """The step where the chosen token led the best other token the grammar allows by the
    least, with that token and the matcher after it; None if no step has one."""
    best = None
    for step in steps:
        for lead, tok in sorted(step.others):
            after = _accepts(step.matcher, model.token_text(tok))
            if after is not None:
                if best is None or lead < best[0]:
                    best = (lead, step, tok, after)
                break
    return best


def decode(model: LocalModel, matcher: Matcher, max_tokens: int = 512, diverge: bool = False
           ) -> tuple[Matcher, str, DecodeStats]:
    """Decode greedily from the model's current state until the matcher finishes; with
    `diverge`, a decision that stalls on a call takes another way instead."""
    start = time.perf_counter()
    stats = DecodeStats()
    prompt = model.evaluated if diverge else []  # where a divergence rewinds to
    pieces: list[str] = []
    emitted: list[int] = []  # the output's tokens, evaluated or pending
    pending: list[int] = []  # chosen but not yet evaluated: a sampled token + forced text
    steps: list[_Step] = []
    closing_at = max_tokens * 3 // 4
    while True:
        while not matcher.finished:
            if stats.completion_tokens >= max_tokens:
                raise DecodeError(f"the decision did not finish within {max_tokens} tokens "
                                  f"(it ends: {''.join(pieces)[-60:]!r})")
            matcher, forced = _forced(matcher, stats.completion_tokens, closing_at)
            if forced:
                tokens = model.tokenize(forced)
                matcher = matcher.feed(forced)
                stats.forced += len(tokens)
                pieces.append(forced)
                pending += tokens
                emitted += tokens
                continue
            if pending:  # one batch for the last sampled token and the text forced after it
                model.append(pending)
                pending = []
            logits = model.logits()
            chosen, after = pick_token(logits, matcher, model, stats)
            if diverge and matcher.calls_made and len(chosen) == 1:
                top = np.argpartition(logits, -ALTERNATIVES)[-ALTERNATIVES:]
                steps.append(_Step(matcher.calls_made, len(emitted), len(pieces), matcher,
                                   [(float(logits[chosen[0]] - logits[t]), int(t))
                                    for t in top if t != chosen[0]]))
            matcher, pending = after, chosen
            emitted += chosen
            stats.sampled += 1
            pieces.append(_piece(model, chosen))
        if not (diverge and matcher.stalled and stats.diverged < MAX_DIVERGENCES):
            break
        found = _least_sure([s for s in steps if s.call == len(matcher.result)], model)
        if found is None:
            break
        _, step, tok, matcher = found
        del emitted[step.emitted:], pieces[step.pieces:]
        steps = [s for s in steps if s.emitted < step.emitted]
        model.set_prompt(prompt + emitted)
        pending = [tok]
        emitted.append(tok)
        pieces.append(model.token_text(tok))
        stats.diverged += 1
    stats.ms = (time.perf_counter() - start) * 1000
    return matcher, "".join(pieces), stats


def generate_text(model: LocalModel, max_tokens: int, stop: str = "\n") -> tuple[str, int]:
    """Plain greedy text (a final answer) up to `stop`; returns the text and tokens used."""
    tokens: list[int] = []
    for _ in range(max_tokens):
        tok = int(np.argmax(model.logits()))
        if model.is_end(tok):
            break
        tokens.append(tok)
        if stop in model.detokenize(tokens[-4:]):
            break
        model.append([tok])
    # detokenize the whole run: a character may span several byte tokens
    return model.detokenize(tokens).split(stop)[0].strip(), len(tokens)


@dataclass
class _Hypothesis:
    """A partial decision of a beam search, in KV sequence `seq` (which holds the prompt and
    `tokens` except `pending`)."""

    matcher: Matcher
    seq: int
    score: float = 0.0  # the model's log-probability of what it chose; forced text is free
    tokens: tuple = ()
    pieces: tuple = ()
    pending: tuple = ()  # chosen but not yet evaluated
    sampled: int = 0
    logits: np.ndarray | None = None

    @property
    def ended(self) -> bool:
        """Finished at the decision's end, not cut short by a call that repeats one."""
        return self.matcher.finished and self.pieces[-1].endswith("\n")

    @property
    def rank(self) -> tuple:
        # A repeat ends a decision early, so it would win on probability alone: it is only
        # taken when no hypothesis ends properly, as greedy decoding would end there too.
        return self.ended, self.score

    def absorb_forced(self, model: LocalModel, closing_at: int) -> "_Hypothesis":
        """The hypothesis with the text the grammar forces next added (to be evaluated)."""
        h = self
        while not h.matcher.finished:
            matcher, forced = _forced(h.matcher, len(h.tokens), closing_at)
            if not forced:
                return replace(h, matcher=matcher)
            tokens = tuple(model.tokenize(forced))
            h = replace(h, matcher=matcher.feed(forced), tokens=h.tokens + tokens,
                        pieces=h.pieces + (forced,), pending=h.pending + tokens)
        return h


def _log_normalizer(logits: np.ndarray) -> float:
    top = float(logits.max())
    return top + float(np.log(np.exp(logits - top).sum()))


_STRUCTURE = ",)]}; \n"


def _continuations(h: _Hypothesis, model: LocalModel, width: int, stats: DecodeStats):
    """Up to `width` (log-probability, tokens, matcher) the grammar allows after `h`, the
    likeliest first; the vocabulary filter only when none of the top candidates fits.

    Only a value's content branches: whether to give an optional argument, another list item
    or another call stays the likeliest token's choice, as in greedy decoding, since a
    search over whole decisions would favour the shortest (adding anything costs
    probability). So a token that ends the value is kept only when it is the likeliest to end
    it that way (`"` rather than `")` or `",`)."""
    depth = h.matcher.value_depth() if not h.matcher.calls_made else None
    normalizer = _log_normalizer(h.logits)
    found, ends = [], set()
    for tok, text, after in _allowed_in_top(h.logits, h.matcher, model):
        if depth is not None and (after.finished or after.value_depth() is None or
                                  len(after.stack) < depth):
            end = text.rstrip(_STRUCTURE)
            if end in ends:
                continue
            ends.add(end)
        found.append((float(h.logits[tok]) - normalizer, (tok,), after))
        if depth is None or len(found) == width:
            break
    if not found:
        chosen, after = pick_token(h.logits, h.matcher, model, stats)
        found.append((float(h.logits[chosen[0]]) - normalizer, tuple(chosen), after))
    return found


def beam_decode(model: LocalModel, matcher: Matcher, width: int = 4, margin: float = 4.0,
                max_tokens: int = 512) -> tuple[Matcher, str, DecodeStats]:
    """A decision by a beam search over the first call's values: at each step each hypothesis
    is continued by its `width` likeliest allowed tokens (one, outside those values), and the
    `width` best continuations within `margin` (log-probability) of the best one are kept; the
    decision whose chosen tokens are the likeliest wins. Greedy decoding commits to a value's
    first token ("Yamaha" for the instrument) before it sees what follows. The hypotheses are
    KV sequences of one batch, so a step costs one evaluation whatever their number."""
    start = time.perf_counter()
    stats = DecodeStats()
    at = len(model.evaluated)
    closing_at = max_tokens * 3 // 4
    model.copy_sequence(0, 1)
    live = [_Hypothesis(matcher, 1, logits=model.logits().copy())]
    best_done: _Hypothesis | None = None
    try:
        while live:
            live = [h.absorb_forced(model, closing_at) for h in live]
            waiting = [h for h in live if h.pending and not h.matcher.finished]
            for h, logits in zip(waiting, model.eval_sequences(
                    [(h.seq, at + len(h.tokens) - len(h.pending), list(h.pending))
                     for h in waiting])):
                h.logits, h.pending = logits, ()
            grown = []
            for h in live:
                if h.matcher.finished:
                    if best_done is None or h.rank > best_done.rank:
                        best_done = h
                    continue
                if len(h.tokens) >= max_tokens:
                    continue
                for logp, tokens, after in _continuations(h, model, width, stats):
                    grown.append((h.score + logp, h, tokens, after))
            floor = max((g[0] for g in grown), default=0.0) - margin
            if best_done is not None and best_done.ended:
                floor = max(floor, best_done.score)
            grown = sorted((g for g in grown if g[0] > floor), key=lambda g: -g[0])[:width]
            live = _place(model, grown)
    finally:
        model.drop_sequences()
    if best_done is None:
        raise DecodeError(f"the decision did not finish within {max_tokens} tokens")
    stats.sampled = best_done.sampled
    stats.forced = len(best_done.tokens) - best_done.sampled
    stats.ms = (time.perf_counter() - start) * 1000
    return best_done.matcher, "".join(best_done.pieces), stats


def _place(model: LocalModel, grown: list) -> list[_Hypothesis]:
    """The kept continuations as hypotheses, each in a KV sequence: the first child of a
    hypothesis keeps its sequence, others get a copy in a free one."""
    kept = {parent.seq for _, parent, _, _ in grown}
    free = [seq for seq in range(1, 1 + BEAM_SEQUENCES) if seq not in kept]
    placed = []
    for score, parent, tokens, after in grown:
        seq = parent.seq
        if seq in {h.seq for h in placed}:  # the parent's sequence went to an earlier child
            seq = free.pop(0)
            model.copy_sequence(parent.seq, seq)
        placed.append(_Hypothesis(after, seq, score, parent.tokens + tokens,
                                  parent.pieces + (_piece(model, tokens),), tokens,
                                  parent.sampled + 1))
    return placed
