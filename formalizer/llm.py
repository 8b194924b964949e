"""What the formalizer needs from a language model: chat in, `n` completions out.

Backends: `openai_backend.OpenAIBackend` (any OpenAI-compatible chat-completions server) and
`transformers_backend.TransformersBackend` (a local Hugging Face model, GGUF included).
`llm_config.make_backend` builds one from arguments, environment or a config file.
"""

from __future__ import annotations

from typing import Protocol, TypedDict

from indexer.errors import UserError


class ChatMessage(TypedDict):
    role: str  # system | user | assistant
    content: str


class LLMError(UserError, RuntimeError):
    """The model could not answer (after retries); the message says why."""


class LLMBackend(Protocol):
    """`complete` returns `n` answers to one conversation; `identity` names model and server."""

    @property
    def identity(self) -> str: ...

    def complete(
        self,
        messages: list[ChatMessage],
        *,
        n: int = 1,
        temperature: float = 0.7,
        max_tokens: int = 1024,
        deadline: float | None = None,  # a time.monotonic() value; None: no limit
    ) -> list[str]: ...
