"""Which language model to use: from an argument, the environment, or a config file.

Precedence: explicit values (API or CLI `--llm`) > environment variables > the `[llm]` table
of `./autoformalizer.toml` or `~/.config/autoformalizer/config.toml`.

    AUTOFORMALIZER_LLM=openai:deepseek-chat@https://api.deepseek.com/v1   (compact spec)
    AUTOFORMALIZER_LLM_BACKEND=openai  AUTOFORMALIZER_LLM_MODEL=...  AUTOFORMALIZER_LLM_BASE_URL=...
    AUTOFORMALIZER_LLM_API_KEY=...  (or OPENAI_API_KEY)
    AUTOFORMALIZER_LLM_TIMEOUT=120  AUTOFORMALIZER_LLM_MAX_RETRIES=4  (also _CONCURRENCY)

Compact specs: `openai:MODEL@BASE_URL`, `transformers:HF_ID_OR_PATH`, `smollm2`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from formalizer.llm import LLMBackend, LLMError

CONFIG_FILES = (Path("autoformalizer.toml"), Path("~/.config/autoformalizer/config.toml"))

NOT_CONFIGURED = (
    "no language model is configured: give --llm openai:MODEL@URL (any OpenAI-compatible "
    "server: vLLM, Ollama, llama.cpp, OpenAI, DeepSeek; key in AUTOFORMALIZER_LLM_API_KEY), "
    "--llm transformers:ID_OR_PATH (a local model or .gguf file) or --llm smollm2 (a tiny "
    "offline test model), or set AUTOFORMALIZER_LLM or an [llm] table in ./autoformalizer.toml"
)


class LLMConfig(BaseModel):
    backend: Literal["openai", "transformers"]
    model: str
    base_url: str | None = None
    api_key: str | None = None
    gguf_file: str | None = None
    timeout: float = 120.0
    max_retries: int = 4
    concurrency: int = 8
    temperature: float = 0.7
    max_tokens: int = 1024


def parse_spec(spec: str) -> dict[str, str]:
    """`openai:MODEL@URL` / `transformers:PATH` / `smollm2` -> config fields."""
    spec = spec.strip()
    if spec == "smollm2":
        return {"backend": "transformers", "model": "smollm2"}
    backend, sep, rest = spec.partition(":")
    if not sep or backend not in ("openai", "transformers") or not rest:
        raise LLMError(
            f"cannot read LLM spec {spec!r}: expected openai:MODEL@URL, "
            "transformers:ID_OR_PATH or smollm2"
        )
    if backend == "openai":
        model, at, url = rest.partition("@")
        if not at or not model or not url:
            raise LLMError(f"LLM spec {spec!r}: write openai:MODEL@BASE_URL")
        return {"backend": "openai", "model": model, "base_url": url}
    return {"backend": "transformers", "model": rest}


def _from_env(env: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if env.get("AUTOFORMALIZER_LLM"):
        out.update(parse_spec(env["AUTOFORMALIZER_LLM"]))
    for key in (
        "backend",
        "model",
        "base_url",
        "api_key",
        "gguf_file",
        "timeout",
        "max_retries",
        "concurrency",
    ):
        value = env.get(f"AUTOFORMALIZER_LLM_{key.upper()}")
        if value:
            out[key] = value
    return out


def _from_file(paths: tuple[Path, ...]) -> dict:
    for path in paths:
        path = path.expanduser()
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
                raise LLMError(f"{path}: not valid TOML ({e})") from e
            table = data.get("llm", {})
            if not isinstance(table, dict):
                raise LLMError(f"{path}: `llm` must be a table")
            return table
    return {}


def load_config(
    spec: str | None = None,
    overrides: dict | None = None,
    env: dict[str, str] | None = None,
    config_files: tuple[Path, ...] = CONFIG_FILES,
) -> LLMConfig:
    """The effective configuration; `LLMError` listing the options when there is none."""
    env = dict(os.environ) if env is None else env
    values: dict = dict(_from_file(config_files))
    values.update(_from_env(env))
    if spec:
        values.update(parse_spec(spec))
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    if not values.get("backend") or not values.get("model"):
        raise LLMError(NOT_CONFIGURED)
    if values["backend"] == "openai":
        if not values.get("base_url"):
            raise LLMError("the openai backend needs a base URL (e.g. http://localhost:8000/v1)")
        from formalizer.openai_backend import check_base_url

        values["base_url"] = check_base_url(str(values["base_url"]))
        values.setdefault(
            "api_key", env.get("AUTOFORMALIZER_LLM_API_KEY") or env.get("OPENAI_API_KEY")
        )
    try:
        return LLMConfig(**values)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors())
        raise LLMError(f"bad LLM configuration: {problems}") from None


def make_backend(config: LLMConfig) -> LLMBackend:
    if config.backend == "openai":
        from formalizer.openai_backend import OpenAIBackend

        assert config.base_url is not None
        return OpenAIBackend(
            base_url=config.base_url,
            model=config.model,
            api_key=config.api_key,
            timeout=config.timeout,
            max_retries=config.max_retries,
            concurrency=config.concurrency,
        )
    from formalizer.transformers_backend import TransformersBackend

    return TransformersBackend(config.model, gguf_file=config.gguf_file)
