from pathlib import Path

import pytest

from formalizer.llm import LLMError
from formalizer.llm_config import load_config, make_backend, parse_spec
from formalizer.openai_backend import OpenAIBackend


def test_nothing_configured_lists_the_options(tmp_path: Path) -> None:
    with pytest.raises(LLMError) as e:
        load_config(env={}, config_files=(tmp_path / "none.toml",))
    msg = str(e.value)
    assert "openai:MODEL@" in msg and "transformers:" in msg and "smollm2" in msg


def test_precedence_argument_over_env_over_file(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text(
        '[llm]\nbackend = "openai"\nmodel = "from-file"\nbase_url = "http://f/v1"\n'
        "concurrency = 3\n"
    )
    cfg = load_config(env={}, config_files=(f,))
    assert (cfg.model, cfg.base_url, cfg.concurrency) == ("from-file", "http://f/v1", 3)
    env = {"AUTOFORMALIZER_LLM": "openai:from-env@http://e/v1", "OPENAI_API_KEY": "sk"}
    cfg = load_config(env=env, config_files=(f,))
    assert (cfg.model, cfg.base_url, cfg.api_key) == ("from-env", "http://e/v1", "sk")
    cfg = load_config("openai:arg@http://a/v1", env=env, config_files=(f,))
    assert cfg.model == "arg" and cfg.concurrency == 3
    backend = make_backend(cfg)
    assert isinstance(backend, OpenAIBackend) and backend.identity == "openai:arg@http://a/v1"


def test_bad_specs_and_files(tmp_path: Path) -> None:
    assert parse_spec("smollm2") == {"backend": "transformers", "model": "smollm2"}
    assert parse_spec("transformers:/m/x.gguf")["model"] == "/m/x.gguf"
    for bad in ("gpt4", "openai:model-without-url", "foo:bar"):
        with pytest.raises(LLMError, match="spec"):
            parse_spec(bad)
    f = tmp_path / "bad.toml"
    f.write_text("[llm\n")
    with pytest.raises(LLMError, match="not valid TOML"):
        load_config(env={}, config_files=(f,))
    with pytest.raises(LLMError, match="bad LLM configuration: concurrency"):
        load_config(
            "openai:m@http://x/v1", overrides={"concurrency": "many"}, env={}, config_files=()
        )
