"""One interface for everything that runs Lean: type-check a header + statement, get messages.

Backends: `lean_interact_checker.LeanInteractChecker` (a Lean REPL driven by lean-interact) and
`kimina_checker.KiminaChecker` (a Kimina-style Lean server over HTTP). Both pass every text
through the security screen first: a refused text never reaches Lean and comes back as a
result with `refused` set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel, Field

from formalizer.security import screen


class LeanMessage(BaseModel):
    severity: str  # error | warning | info
    text: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True)
class CheckFailure:
    """Why a backend got no answer from Lean; a time-out says nothing about the text."""

    error: str
    timed_out: bool = False

    def result(self, seconds: float, backend: str) -> LeanCheckResult:
        return LeanCheckResult(
            ok=False, error=self.error, timed_out=self.timed_out, seconds=seconds, backend=backend
        )


class LeanCheckResult(BaseModel):
    """What Lean said about one text. `ok`: ran, and no message is an error."""

    ok: bool
    messages: list[LeanMessage] = Field(default_factory=list)
    error: str | None = None  # the checker failed (time-out, crash, server error)
    timed_out: bool = False  # `error` is a time-out: Lean may have been right, but too slow
    refused: list[str] = Field(default_factory=list)  # reasons the screen gave
    seconds: float = 0.0
    backend: str = ""

    @property
    def errors(self) -> list[LeanMessage]:
        return [m for m in self.messages if m.severity == "error"]

    def error_text(self, limit: int = 6) -> str:
        """Errors as the repair prompt shows them: `line:col: message`."""
        if self.refused:
            return "refused: " + "; ".join(self.refused)
        if self.error:
            return self.error
        lines = [
            f"{m.line}:{m.column}: {m.text.strip()}" if m.line is not None else m.text.strip()
            for m in self.errors[:limit]
        ]
        return "\n".join(lines)


class LeanChecker(Protocol):
    @property
    def identity(self) -> str: ...

    def check(self, code: str, header: str = "") -> LeanCheckResult:
        """Type-check `code` after `header` (the header's environment may be reused)."""
        ...

    def close(self) -> None: ...


def refusal(
    code: str, header: str, backend: str, allowed_imports: tuple[str, ...]
) -> LeanCheckResult | None:
    """A refused result when the screen rejects `header` + `code`, else None."""
    verdict = screen(f"{header}\n{code}", allowed_imports)
    if verdict.allowed:
        return None
    return LeanCheckResult(ok=False, refused=verdict.problems, backend=backend)


def messages_from_repl(raw: list[dict]) -> list[LeanMessage]:
    """Messages in the Lean REPL's JSON shape (`pos`/`endPos`/`severity`/`data`)."""
    out = []
    for m in raw:
        pos = m.get("pos") or {}
        end = m.get("endPos") or {}
        out.append(
            LeanMessage(
                severity=str(m.get("severity", "error")),
                text=str(m.get("data", "")),
                line=pos.get("line"),
                column=pos.get("column"),
                end_line=end.get("line"),
                end_column=end.get("column"),
            )
        )
    return out
