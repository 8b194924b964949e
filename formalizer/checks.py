"""Lean-free checks of one statement: parse, syntax (brackets, stray keywords), security
screen, content (not vacuous), identifiers, argument types (`formalizer.types`).

Always on: they need only the knowledge base. Each yields a `Check`; the identifier check also
returns the statement with deprecated and renamed names rewritten to current Mathlib.
"""

from __future__ import annotations

from typing import Literal
from weakref import WeakKeyDictionary

from pydantic import BaseModel, Field

from formalizer.content import vacuity
from formalizer.identifiers import IdentifierChecker, IdentifierFinding
from formalizer.security import screen
from formalizer.statement import (
    StatementError,
    parse_statement,
    statement_tree,
    syntax_problems,
)
from formalizer.types import TypeChecker

CheckName = Literal["parse", "syntax", "security", "content", "identifiers", "types", "lean"]


class Check(BaseModel):
    """One check's verdict: passed True/False, or None when it was skipped (and why)."""

    name: CheckName
    passed: bool | None
    problems: list[str] = Field(default_factory=list)
    detail: str = ""


class StatementCheck(BaseModel):
    """All Lean-free checks of one statement."""

    id: str = ""
    header: str = ""
    formal_statement: str  # as given
    statement: str | None = None  # the declaration, with deprecated names rewritten
    checks: list[Check]
    identifiers: list[IdentifierFinding] = Field(default_factory=list)
    rewritten: dict[str, str] = Field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(c.passed is not False for c in self.checks)

    def check(self, name: CheckName) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    @property
    def unknown(self) -> list[IdentifierFinding]:
        return [f for f in self.identifiers if f.flagged]


def check_statement(
    formal_statement: str,
    header: str = "",
    idents: IdentifierChecker | None = None,
    item_id: str = "",
    allowed_imports: tuple[str, ...] = ("Mathlib", "Batteries"),
) -> StatementCheck:
    """Run every Lean-free check; the identifier check only when `idents` is given (its
    index's own module roots may then be imported too)."""
    if idents is not None:
        allowed_imports = tuple(dict.fromkeys(allowed_imports + idents.module_roots))
    sec = screen(f"{header}\n{formal_statement}", allowed_imports)
    result = StatementCheck(id=item_id, header=header, formal_statement=formal_statement, checks=[])
    checks = result.checks  # pydantic copies lists given to it: append to the model's own
    checks.append(Check(name="security", passed=sec.allowed, problems=sec.problems))
    try:
        stmt = parse_statement(formal_statement, header)
    except StatementError as e:
        checks.append(Check(name="parse", passed=False, problems=[str(e)]))
        return result
    checks.append(Check(name="parse", passed=True))
    syntax = syntax_problems(f"{stmt.binders}\n{stmt.conclusion}")
    checks.append(Check(name="syntax", passed=not syntax, problems=syntax))
    empty = vacuity(stmt.binders, stmt.conclusion)
    checks.append(
        Check(
            name="content",
            passed=empty is None,
            problems=[f"the statement says nothing: {empty}"] if empty else [],
        )
    )
    result.statement = stmt.render(stmt.proof or "by sorry")
    if idents is None:
        checks.append(
            Check(name="identifiers", passed=None, detail="skipped: no knowledge base given")
        )
        return result
    report = idents.check(stmt)
    result.identifiers = report.findings
    result.rewritten = report.rewritten
    result.statement = report.statement
    problems = [_describe(f) for f in report.unknown]
    detail = ""
    if report.rewritten:
        detail = "rewritten: " + ", ".join(f"{a} -> {b}" for a, b in report.rewritten.items())
    if report.external:
        detail = (detail + "; " if detail else "") + "external: " + ", ".join(report.external)
    checks.append(Check(name="identifiers", passed=not problems, problems=problems, detail=detail))
    unfinished = idents.unfinished_notation(stmt)
    if unfinished:  # a syntax error the notation tables show
        syntax_check = result.check("syntax")
        assert syntax_check is not None
        syntax_check.passed = False
        syntax_check.problems.extend(unfinished)
    tree = statement_tree(
        stmt, idents.lexer_tokens(tuple(stmt.opens), stmt.namespace), idents.kb.operators()
    )
    mismatches = _type_checker(idents).problems(stmt, tree)
    checks.append(Check(name="types", passed=not mismatches, problems=mismatches))
    return result


_TYPE_CHECKERS: WeakKeyDictionary[IdentifierChecker, TypeChecker] = WeakKeyDictionary()


def _type_checker(idents: IdentifierChecker) -> TypeChecker:
    """One per identifier checker, so that declarations' parameters are read once."""
    if idents not in _TYPE_CHECKERS:
        _TYPE_CHECKERS[idents] = TypeChecker(idents)
    return _TYPE_CHECKERS[idents]


def _describe(f: IdentifierFinding) -> str:
    what = {
        "removed": "removed from Mathlib",
        "unbound": "auto-bound implicit (no binder)",
    }.get(f.status, "unknown identifier")
    msg = f"`{f.identifier}`: {what}"
    if (f.note and f.status in ("removed", "unbound")) or f.note.startswith(
        ("notation", "an instance")
    ):
        msg += f" ({f.note})"
    if f.suggestions:
        msg += "; did you mean " + ", ".join(f"`{s}`" for s in f.suggestions) + "?"
    return msg
