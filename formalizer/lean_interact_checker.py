"""`LeanChecker` on a Lean REPL driven by lean-interact (optional extra `lean`).

The header (`import Mathlib`, `open`s) is elaborated once per distinct header and its
environment reused, so each statement costs only its own elaboration. Needs a Lean project
with Mathlib built (`lake build`) and the `lean-interact` package.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from formalizer.lean_checker import CheckFailure, LeanCheckResult, messages_from_repl, refusal


class LeanInteractChecker:
    """`server` is anything with lean-interact's `run(request, timeout=)` (tests pass a replay
    of recorded REPL transcripts); by default an `AutoLeanServer` on `project`."""

    def __init__(
        self,
        project: str | Path | None = None,
        *,
        server: Any = None,
        timeout: float = 120.0,
        allowed_imports: tuple[str, ...] = ("Mathlib", "Batteries", "Std", "Init"),
    ) -> None:
        if server is None:
            if project is None:
                raise ValueError("give a Lean project directory (with Mathlib built) or a server")
            server = _start_server(Path(project))
        self.server = server
        self.project = str(project) if project else "replay"
        self.timeout = timeout
        self.allowed_imports = allowed_imports
        self._envs: dict[str, int] = {}
        self._lock = threading.Lock()  # one REPL process answers one request at a time

    @property
    def identity(self) -> str:
        return f"lean-interact:{self.project}"

    def check(self, code: str, header: str = "") -> LeanCheckResult:
        refused = refusal(code, header, self.identity, self.allowed_imports)
        if refused is not None:
            return refused
        start = time.perf_counter()
        with self._lock:
            env, failure = self._header_env(header)
            raw: dict = {}
            if failure is None:
                raw, failure = self._run(code, env)
        seconds = time.perf_counter() - start
        if failure is not None:
            return failure.result(seconds, self.identity)
        messages = messages_from_repl(raw.get("messages", []))
        ok = not any(m.severity == "error" for m in messages)
        return LeanCheckResult(ok=ok, messages=messages, seconds=seconds, backend=self.identity)

    def close(self) -> None:
        kill = getattr(self.server, "kill", None)
        if callable(kill):
            kill()

    # ---------------------------------------------------------------- REPL
    def _header_env(self, header: str) -> tuple[int | None, CheckFailure | None]:
        if not header.strip():
            return None, None
        if header in self._envs:
            return self._envs[header], None
        raw, failure = self._run(header, None)
        if failure is not None:
            return None, CheckFailure(f"the header failed: {failure.error}", failure.timed_out)
        errors = [m for m in raw.get("messages", []) if m.get("severity") == "error"]
        if errors:
            messages = "; ".join(str(m.get("data")) for m in errors)
            return None, CheckFailure("the header failed: " + messages)
        self._envs[header] = raw["env"]
        return raw["env"], None

    def _run(self, cmd: str, env: int | None) -> tuple[dict, CheckFailure | None]:
        from lean_interact import Command
        from lean_interact.interface import LeanError

        request = Command(cmd=cmd) if env is None else Command(cmd=cmd, env=env)
        try:
            response = self.server.run(request, timeout=self.timeout)
        except TimeoutError:
            return {}, CheckFailure(
                f"Lean did not answer within {self.timeout:g} s", timed_out=True
            )
        except Exception as e:  # the REPL died or refused the request
            return {}, CheckFailure(f"Lean REPL failed: {type(e).__name__}: {e}")
        if isinstance(response, LeanError):
            return {}, CheckFailure(f"Lean REPL error: {response.message}")
        return response.model_dump(by_alias=True, exclude_none=True), None


def _start_server(project: Path) -> Any:
    try:
        from lean_interact import AutoLeanServer, LeanREPLConfig, LocalProject
    except ImportError as e:
        raise RuntimeError(
            "the Lean REPL backend needs lean-interact: pip install 'autoformalizer[lean]'"
        ) from e
    if not (project / "lakefile.lean").is_file() and not (project / "lakefile.toml").is_file():
        raise RuntimeError(f"{project} is not a Lean project (no lakefile.lean/lakefile.toml)")
    config = LeanREPLConfig(project=LocalProject(directory=str(project)))
    return AutoLeanServer(config)
