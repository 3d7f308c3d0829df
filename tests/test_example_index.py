"""The example index (bot.semantic.ExampleIndex): a message's similarities to the examples and its labels'
scores are the same whether its windows are multiplied one by one or together."""

from __future__ import annotations

import numpy as np
import pytest

from bot.semantic import CHUNK, FEW_WINDOWS, ExampleIndex


@pytest.mark.parametrize("windows", [1, 2, FEW_WINDOWS, FEW_WINDOWS + 1, 9])
def test_similarities_and_scores_are_those_of_every_window_against_every_example(windows: int) -> None:
    rng = np.random.default_rng(windows)
    labels = [f"topic{i % 7}" for i in range(3 * CHUNK + 5)]  # unsorted; some labels span two chunks
    matrix = rng.standard_normal((len(labels), 16)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    vectors = rng.standard_normal((windows, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = ExampleIndex(labels, matrix, k=3)

    sims = index.similarities(vectors)

    expected = vectors @ matrix.T  # examples in their given order
    order = sorted(range(len(labels)), key=labels.__getitem__)  # the index keeps them grouped by label
    assert sims.shape == (windows, len(labels))
    np.testing.assert_allclose(sims, expected[:, order], rtol=0, atol=1e-5)
    scores = index.scores(sims)
    for label in set(labels):
        columns = [i for i, name in enumerate(labels) if name == label]
        best_window = max(np.sort(expected[w, columns])[-3:].mean() for w in range(windows))
        assert scores[label] == pytest.approx(best_window, abs=1e-5)
