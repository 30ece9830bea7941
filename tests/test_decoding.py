"""The beam search and the KV sequences it runs in, on the real default model."""

import numpy as np

from edgeagent.decoding import beam_decode, decode
from edgeagent.grammar import Grounding, Matcher
from edgeagent.prompt import request_suffix, static_prefix
from edgeagent.tools import tools_from_definitions

EMPIRES = tools_from_definitions([{"name": "empire_religion", "description": "Get the religions "
    "of an ancient empire.", "parameters": {"type": "dict", "properties": {
        "empire": {"type": "string"}}, "required": ["empire"]}}])
# (with "and" the grammar itself ends the value before it: "&" leaves that to the beam)
REQUEST = "What religions did the Roman Empire & the Ottoman Empire have?"


def _prompt(model, tools, request):
    return [model.bos] + model.tokenize(static_prefix(tools) + request_suffix(request))


def _matcher(request):
    return Matcher.for_decision(EMPIRES, max_calls=4, allow_none=False,
                                ground=Grounding(request))


def test_a_copied_sequence_goes_on_like_the_prompt_and_leaves_it_as_it_was(model):
    prompt = _prompt(model, EMPIRES, REQUEST)
    model.set_prompt(prompt)
    before = model.logits().copy()
    model.copy_sequence(0, 1)
    model.copy_sequence(0, 2)
    roman, byzantine = model.tokenize(" empire_religion("), model.tokenize(" none")
    rows = model.eval_sequences([(1, len(prompt), roman), (2, len(prompt), byzantine)])
    model.drop_sequences()
    for tokens, logits in zip((roman, byzantine), rows):
        model.set_prompt(prompt + tokens)
        alone = model.logits()
        # batched and one-by-one evaluation round differently; the choice is the same
        assert np.argmax(logits) == np.argmax(alone)
        assert np.abs(logits - alone).max() < 2.0
    model.set_prompt(prompt)
    assert np.argmax(model.logits()) == np.argmax(before)


def test_rows_longer_than_a_batch_are_evaluated_in_parts(model):
    from edgeagent.llm import LocalModel
    small = LocalModel(model.path, n_ctx=1024, n_threads=model.n_threads, n_batch=2)
    assert small.llama.n_batch == 5  # room for an output per sequence
    prompt = _prompt(small, EMPIRES, REQUEST)
    small.set_prompt(prompt)
    small.copy_sequence(0, 1)
    small.copy_sequence(0, 2)
    long, short = small.tokenize(' empire_religion(empire="Roman Empire")'), [small.bos]
    assert len(long) > 5
    rows = small.eval_sequences([(1, len(prompt), long), (2, len(prompt), short)])
    small.drop_sequences()
    for tokens, logits in zip((long, short), rows):
        small.set_prompt(prompt + tokens)
        assert np.argmax(logits) == np.argmax(small.logits())


def test_the_beam_ends_a_value_where_greedy_decoding_runs_on(model):
    prompt = _prompt(model, EMPIRES, REQUEST)
    model.set_prompt(prompt)
    greedy, greedy_text, _ = decode(model, _matcher(REQUEST))
    model.set_prompt(prompt)
    beam, _, stats = beam_decode(model, _matcher(REQUEST))
    # greedy decoding committed to one span running on over both names
    assert greedy.result == [{"name": "empire_religion",
                              "arguments": {"empire": "Roman Empire & the Ottoman Empire"}}]
    assert [c["arguments"]["empire"] for c in beam.result] == ["Roman Empire", "Ottoman Empire"]
    assert stats.sampled > 0 and stats.forced > 0
    # the search ran in other KV sequences: the prompt's own still decodes as before
    model.set_prompt(prompt)
    assert decode(model, _matcher(REQUEST))[1] == greedy_text
