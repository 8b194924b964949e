"""`LeanChecker` on a Kimina-style Lean server (project-numina/kimina-lean-server) over HTTP.

Current protocol: `POST {url}/api/check` with `{"snippets": [{"id", "code"}], "timeout",
"debug", "reuse"}`, answered by `{"results": [{"id", "time", "error", "response": {"messages":
[...REPL messages...], "env"}}]}`. The older `POST /verify` protocol (`{"codes": [{"custom_id",
"proof"}]}`) is spoken with `protocol="verify"`. The server splits header from body itself and
reuses REPLs per header, so the full text is sent each time.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Literal

from formalizer.lean_checker import CheckFailure, LeanCheckResult, messages_from_repl, refusal

_RETRY = frozenset({429, 500, 502, 503, 504})


class KiminaChecker:
    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        protocol: Literal["check", "verify"] = "check",
        max_retries: int = 2,
        allowed_imports: tuple[str, ...] = ("Mathlib", "Batteries", "Std", "Init"),
    ) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.protocol = protocol
        self.max_retries = max_retries
        self.allowed_imports = allowed_imports

    @property
    def identity(self) -> str:
        return f"kimina:{self.url}"

    def check(self, code: str, header: str = "") -> LeanCheckResult:
        refused = refusal(code, header, self.identity, self.allowed_imports)
        if refused is not None:
            return refused
        text = f"{header.rstrip()}\n\n{code}" if header.strip() else code
        snippet_id = uuid.uuid4().hex[:12]
        if self.protocol == "check":
            path = "/api/check"
            body = {
                "snippets": [{"id": snippet_id, "code": text}],
                "timeout": int(self.timeout),
                "debug": False,
                "reuse": True,
            }
        else:
            path = "/verify"
            body = {"codes": [{"custom_id": snippet_id, "proof": text}], "infotree_type": None}
        start = time.perf_counter()
        obj, failure = self._post(path, body)
        seconds = time.perf_counter() - start
        if failure is not None:
            return failure.result(seconds, self.identity)
        return _result(obj, seconds, self.identity)

    def close(self) -> None:
        pass

    def _post(self, path: str, body: dict) -> tuple[dict, CheckFailure | None]:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
            headers["X-API-Key"] = self.api_key
        data = json.dumps(body).encode()
        failure = CheckFailure("no request was sent")
        for attempt in range(self.max_retries + 1):
            req = urllib.request.Request(self.url + path, data=data, headers=headers)
            try:
                # The server enforces `timeout` per snippet; allow it time to say so.
                with urllib.request.urlopen(req, timeout=self.timeout + 30) as resp:
                    return json.loads(resp.read()), None
            except urllib.error.HTTPError as e:
                failure = CheckFailure(f"Lean server answered HTTP {e.code}")
                if e.code not in _RETRY:
                    return {}, failure
            except TimeoutError:
                failure = CheckFailure(
                    f"Lean server did not answer within {self.timeout + 30:g} s", timed_out=True
                )
            except urllib.error.URLError as e:
                failure = CheckFailure(f"cannot reach the Lean server at {self.url} ({e.reason})")
            except (json.JSONDecodeError, UnicodeDecodeError):
                failure = CheckFailure("Lean server sent a body that is not JSON")
            except ConnectionError as e:
                failure = CheckFailure(f"connection to the Lean server dropped ({e})")
            if attempt < self.max_retries:
                time.sleep(min(2.0**attempt, 10.0))
        return {}, failure


def _result(obj: dict, seconds: float, backend: str) -> LeanCheckResult:
    results = obj.get("results") if isinstance(obj, dict) else None
    if not isinstance(results, list) or not results:
        return LeanCheckResult(
            ok=False, error="Lean server response has no results", seconds=seconds, backend=backend
        )
    first = results[0]
    if first.get("error"):
        error = str(first["error"])
        # The server reports its own per-snippet time limit only in words
        # ("Lean REPL command timed out in 60 seconds").
        timed_out = "timed out" in error.lower() or "timeout" in error.lower()
        return CheckFailure(error, timed_out).result(seconds, backend)
    response = first.get("response") or {}
    if "message" in response and "messages" not in response:  # the REPL's own error object
        return LeanCheckResult(
            ok=False,
            error=f"Lean REPL error: {response['message']}",
            seconds=seconds,
            backend=backend,
        )
    messages = messages_from_repl(response.get("messages", []))
    ok = not any(m.severity == "error" for m in messages)
    return LeanCheckResult(ok=ok, messages=messages, seconds=seconds, backend=backend)
