"""Client for any OpenAI-compatible chat-completions server (vLLM, Ollama, llama.cpp's server,
OpenAI, DeepSeek, ...), on the standard library's HTTP client.

Time-outs per request; retries with exponential backoff (honouring `Retry-After`) only for
what can pass — 408/425/429/5xx, time-outs, dropped or reset connections, malformed bodies —
each reported with its cause and wait; never for a bad URL, a refused connection or another 4xx,
which fail at once. An optional deadline bounds a whole call, retries included. Requests in
flight are bounded for every thread that uses the same backend object.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from formalizer.llm import ChatMessage, LLMError

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def check_base_url(url: str) -> str:
    """`url` without a trailing slash, or an `LLMError` when it is not an http(s) URL."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LLMError(
            f"LLM base URL {url!r} is not an http:// or https:// URL "
            "(e.g. http://localhost:8000/v1)"
        )
    return url.strip().rstrip("/")


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
    report: Callable[[str], None] | None = _stderr  # each retry: its cause and wait
    _slots: threading.BoundedSemaphore = field(init=False, repr=False)
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._rng = random.Random()
        self.base_url = check_base_url(self.base_url)

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
        deadline: float | None = None,
    ) -> list[str]:
        """`n` answers; servers that ignore `n` are asked again until there are `n`.
        `deadline`: a `time.monotonic()` value after which no request is made or waited on."""
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
            got = self._request(body, deadline)
            if not got:
                raise LLMError(f"{self.identity}: the response has no choices")
            answers.extend(got)
        return answers[:n]

    # ------------------------------------------------------------------ HTTP
    def _request(self, body: dict, deadline: float | None = None) -> list[str]:
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        url = f"{self.base_url}/chat/completions"
        problem = ""
        for attempt in range(self.max_retries + 1):
            timeout = self.timeout
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    why = f" (last: {problem})" if problem else ""
                    raise LLMError(f"{self.identity}: the deadline passed{why}")
                timeout = min(timeout, left)
            wait: float | None = None
            try:
                with self._slots:
                    req = urllib.request.Request(url, data=data, headers=headers, method="POST")
                    with urllib.request.urlopen(req, timeout=timeout) as resp:
                        raw = resp.read()
                return _parse_choices(raw)
            except urllib.error.HTTPError as e:
                problem = f"HTTP {e.code} {_error_detail(e)}".strip()
                if e.code not in RETRY_STATUS:
                    raise LLMError(f"{self.identity}: {problem}") from None
                wait = _retry_after(e.headers.get("Retry-After"))
            except TimeoutError:
                problem = f"no answer within {timeout:g} s"
            except urllib.error.URLError as e:
                if isinstance(e.reason, (TimeoutError, socket.timeout)):
                    problem = f"no answer within {timeout:g} s"
                elif isinstance(e.reason, ConnectionResetError):
                    problem = "connection reset"
                else:  # refused, unknown host, bad certificate: retrying will not help
                    raise LLMError(
                        f"{self.identity}: cannot reach the server ({e.reason}); is it running "
                        "at that address?"
                    ) from None
            except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError) as e:
                problem = f"connection dropped ({type(e).__name__})"
            except (http.client.RemoteDisconnected, http.client.IncompleteRead) as e:
                problem = f"connection dropped ({type(e).__name__})"
            except ConnectionError as e:
                raise LLMError(f"{self.identity}: cannot reach the server ({e})") from None
            except http.client.HTTPException as e:
                raise LLMError(
                    f"{self.identity}: the server does not speak HTTP as expected "
                    f"({type(e).__name__})"
                ) from None
            except _Malformed as e:
                problem = f"malformed response ({e})"
            if attempt < self.max_retries:
                delay = self._delay(attempt, wait)
                if deadline is not None:
                    delay = max(0.0, min(delay, deadline - time.monotonic()))
                if self.report is not None:
                    self.report(
                        f"{self.identity}: {problem}; retry {attempt + 1} of "
                        f"{self.max_retries} in {delay:.1f} s"
                    )
                time.sleep(delay)
        raise LLMError(f"{self.identity}: gave up after {self.max_retries + 1} attempts: {problem}")

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
