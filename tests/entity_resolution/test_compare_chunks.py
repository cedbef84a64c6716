"""Comparison levels do not depend on how the candidate pairs are cut into chunks."""

from __future__ import annotations

import numpy as np

from entity_resolution import Settings
from entity_resolution.blocking import candidate_pairs
from entity_resolution.febrl import febrl_frame, load_febrl
from entity_resolution.frame import Features
from entity_resolution.resolution import compare


def test_levels_equal_for_any_chunk_size() -> None:
    settings = Settings()
    features = Features.build(febrl_frame(load_febrl(1)))
    pairs, _ = candidate_pairs(features, settings.rules(), settings.max_block_size)
    assert len(pairs) > 400
    whole = compare(features, pairs, settings.comparisons)
    chunked = compare(features, pairs, settings.comparisons, chunk=97)
    assert whole.shape == (len(pairs), len(settings.comparisons))
    assert (whole > 0).any()
    np.testing.assert_array_equal(chunked, whole)
