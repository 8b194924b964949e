"""The security screen: generated Lean is untrusted and must not run code or touch the system.

Applied to every text before any Lean process sees it (the `LeanChecker` backends call it
themselves). Comments and strings are blanked first, so `-- #eval` in a comment is harmless and
`"IO"` in a string is not a reference; a command hidden in a comment cannot run either.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from indexer.lexer import lex

# (pattern on comment-blanked code, why it is refused)
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"#eval\b|#exit\b|#print\s+axioms|#reduce\b"), "runs code at elaboration time"),
    (
        re.compile(r"(?<![\w.])run_cmd\b|(?<![\w.])run_elab\b|(?<![\w.])run_meta\b"),
        "runs a metaprogram",
    ),
    (re.compile(r"(?<![\w.'])IO(?![\w'])|(?<![\w.'])IO\.|\bEIO\b|\bBaseIO\b"), "uses `IO`"),
    (
        re.compile(
            r"(?<![\w.])unsafe\b|\bunsafeCast\b|\bunsafeIO\b|\bunsafeBaseIO\b|"
            r"\bimplemented_by\b|\bunsafeEIO\b"
        ),
        "uses `unsafe` code",
    ),
    (re.compile(r"@\[\s*extern\b|\bextern\b\s*\"|@\[\s*export\b"), "binds foreign code (`extern`)"),
    (re.compile(r"\bSystem\.|\bFilePath\b|\bProcess\b|\bIO\.FS\b"), "touches the file system"),
    (
        re.compile(
            r"(?<![\w.])elab\b|(?<![\w.])macro_rules\b|(?<![\w.])macro\b|"
            r"(?<![\w.])syntax\b|(?<![\w.])initialize\b|(?<![\w.])builtin_initialize\b"
        ),
        "defines syntax or elaborators (can run code)",
    ),
    (
        re.compile(
            r"\bLean\.Elab\b|\bLean\.Meta\b|\bMetaM\b|\bTermElabM\b|\bCommandElabM\b|"
            r"\bCoreM\b|\bTacticM\b"
        ),
        "uses Lean's metaprogramming monads",
    ),
    (re.compile(r"(?<![\w.])axiom\b"), "adds an axiom"),
    (
        re.compile(r"\bnative_decide\b|\bLean\.ofReduceBool\b|\bofReduceBool\b"),
        "trusts compiled code (`native_decide`)",
    ),
]

_IMPORT = re.compile(r"^\s*import\s+(.+)$", re.M)


class ScreenResult(BaseModel):
    """Whether a text may be sent to Lean, and if not, each reason with the offending text."""

    allowed: bool
    problems: list[str]


LEAN_CORE = ("Init", "Std", "Lean")


def imports(code: str) -> list[tuple[int, str]]:
    """(line, module) of each module an `import` line names."""
    return [
        (code.count("\n", 0, m.start()) + 1, module)
        for m in _IMPORT.finditer(code)
        for module in m.group(1).split()
    ]


def _package_key(name: str) -> str:
    """Lake package names and their module roots differ in case (`proofwidgets`,
    `ProofWidgets`; `importGraph`, `ImportGraph`): compared without it."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def screen(
    code: str, allowed_imports: tuple[str, ...] = ("Mathlib", "Batteries", *LEAN_CORE)
) -> ScreenResult:
    """Refuse text that could run code or reach outside Lean's type checker.

    `allowed_imports` are module roots (or package names) a statement may import: the
    project's own, its dependencies' (the caller adds them) and Lean core's.
    """
    allowed = {_package_key(a) for a in (*allowed_imports, *LEAN_CORE)}
    text = lex(code).code
    problems: list[str] = []
    for pattern, why in _RULES:
        m = pattern.search(text)
        if m is not None:
            line = text.count("\n", 0, m.start()) + 1
            problems.append(f"line {line}: `{m.group().strip()}` {why}")
    for line, module in imports(text):
        if _package_key(module.split(".", 1)[0]) not in allowed:
            problems.append(f"line {line}: `import {module}` is outside the project")
    if "\x00" in code:
        problems.append("contains a NUL character")
    return ScreenResult(allowed=not problems, problems=problems)


class UnsafeLeanError(ValueError):
    """Raised by `require_safe` when the screen refuses a text."""


def require_safe(code: str, allowed_imports: tuple[str, ...] | None = None) -> None:
    result = screen(code) if allowed_imports is None else screen(code, allowed_imports)
    if not result.allowed:
        raise UnsafeLeanError("refused to send to Lean: " + "; ".join(result.problems))
