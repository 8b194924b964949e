"""Client for any OpenAI-compatible chat-completions server (vLLM, Ollama, llama.cpp's server,
OpenAI, DeepSeek, ...), on the standard library's HTTP client.

Time-outs per request, retries with exponential backoff (honouring `Retry-After`) on 429, 5xx,
time-outs, dropped connections and malformed bodies, and a bound on requests in flight shared
by every thread that uses the same backend object.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from formalizer.llm import ChatMessage, LLMError

RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


@dataclass
class OpenAIBackend:
    """`base_url` ends before `/chat/completions` (e.g. `http://localhost:8000/v1`)."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 120.0
    max_retries: int = 4
    backoff: float = 1.0  # first retry waits about this long, doubling after each
    max_backoff: float = 30.0
    concurrency: int = 8
    extra_body: dict = field(default_factory=dict)
    _slots: threading.BoundedSemaphore = field(init=False, repr=False)
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._rng = random.Random()
        self.base_url = self.base_url.rstrip("/")

    @property
    def identity(self) -> str:
        return f"openai:{self.model}@{self.base_url}"

    def complete(
        self,
        messages: list[ChatMessage],
        *,
        n: int = 1,
        temperature: float = 0.7,
        max_tokens: int = 1024,
    ) -> list[str]:
        """`n` answers; servers that ignore `n` are asked again until there are `n`."""
        answers: list[str] = []
        while len(answers) < n:
            body = {
                "model": self.model,
                "messages": messages,
                "n": n - len(answers),
                "temperature": temperature,
                "max_tokens": max_tokens,
                **self.extra_body,
            }
            got = self._request(body)
            if not got:
                raise LLMError(f"{self.identity}: the response has no choices")
            answers.extend(got)
        return answers[:n]

    # ------------------------------------------------------------------ HTTP
    def _request(self, body: dict) -> list[str]:
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        url = f"{self.base_url}/chat/completions"
        last_problem = ""
        for attempt in range(self.max_retries + 1):
            wait: float | None = None
            try:
                with self._slots:
                    req = urllib.request.Request(url, data=data, headers=headers, method="POST")
                    with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                        raw = resp.read()
                return _parse_choices(raw)
            except urllib.error.HTTPError as e:
                detail = _error_detail(e)
                last_problem = f"HTTP {e.code} {detail}".strip()
                if e.code not in RETRY_STATUS:
                    raise LLMError(f"{self.identity}: {last_problem}") from None
                wait = _retry_after(e.headers.get("Retry-After"))
            except TimeoutError:
                last_problem = f"no answer within {self.timeout:g} s"
            except urllib.error.URLError as e:
                if isinstance(e.reason, (TimeoutError, socket.timeout)):
                    last_problem = f"no answer within {self.timeout:g} s"
                else:
                    last_problem = f"cannot reach the server ({e.reason})"
            except (http.client.HTTPException, ConnectionError) as e:
                last_problem = f"connection dropped ({type(e).__name__}: {e})"
            except _Malformed as e:
                last_problem = f"malformed response ({e})"
            if attempt < self.max_retries:
                time.sleep(self._delay(attempt, wait))
        raise LLMError(
            f"{self.identity}: gave up after {self.max_retries + 1} attempts: {last_problem}"
        )

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_backoff)
        base = min(self.backoff * (2**attempt), self.max_backoff)
        return base * (0.5 + self._rng.random() / 2)  # jitter keeps parallel clients apart


class _Malformed(Exception):
    pass


def _parse_choices(raw: bytes) -> list[str]:
    try:
        obj = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise _Malformed(f"not JSON: {raw[:80]!r}") from e
    if not isinstance(obj, dict) or not isinstance(obj.get("choices"), list):
        raise _Malformed("no `choices` list")
    out: list[str] = []
    for choice in obj["choices"]:
        msg = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(msg, dict):
            raise _Malformed("a choice without a `message`")
        content = msg.get("content")
        if content is None:
            content = ""  # e.g. a refusal or a tool call: no text to extract from
        if not isinstance(content, str):
            raise _Malformed("a message whose `content` is not text")
        out.append(content)
    return out


def _error_detail(e: urllib.error.HTTPError) -> str:
    try:
        body = e.read()[:500].decode("utf-8", "replace")
    except Exception:
        return ""
    try:
        obj = json.loads(body)
        err = obj.get("error", obj)
        if isinstance(err, dict):
            return str(err.get("message", err))
        return str(err)
    except (json.JSONDecodeError, AttributeError):
        return body.strip()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
