"""Choosing one statement among the candidates: self-consistency over normalized statements,
filtered by checks, tie-broken by semantic similarity to the input.

Candidates with the same equivalence normal form (`formalizer.normal_form`: names, binders,
hypothesis order, `≥`/`≤`, bounded quantifiers, commutative operands, ... undone) fall into
one group; a group's votes are its members. Ranking: groups that passed Lean (when Lean ran)
before those that did not, groups passing the Lean-free checks before failing ones, then
`score` = vote share + `similarity_weight` x similarity of the statement to the input text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from formalizer.normal_form import normal_form
from indexer.lean_terms.syntax import NO_OPERATORS, Operators


@dataclass
class Scored:
    """What selection needs to know about one candidate."""

    index: int
    statement: str
    lean_free_ok: bool
    lean_ok: bool | None  # None: Lean did not run
    similarity: float = 0.0


@dataclass
class Group:
    key: str
    members: list[int]
    votes: int
    lean_free_ok: bool
    lean_ok: bool | None
    similarity: float
    score: float


def rank_groups(
    cands: list[Scored],
    similarity_weight: float = 0.5,
    operators: Operators = NO_OPERATORS,
    qualify: Callable[[str], str] | None = None,
) -> list[Group]:
    """Groups of equivalent candidates, best first. With an index: `operators` its declared
    ones, so statements are read with the precedences its notation declares, and `qualify`
    writes global names in full (`formalizer.statement_names`), so `card G` under
    `open Fintype` votes with `Fintype.card G`."""
    groups: dict[str, list[Scored]] = {}
    for c in cands:
        if c.statement:
            text = qualify(c.statement) if qualify is not None else c.statement
            groups.setdefault(normal_form(text, operators=operators), []).append(c)
    total = sum(len(v) for v in groups.values()) or 1
    out = []
    for key, members in groups.items():
        lean_values = [m.lean_ok for m in members if m.lean_ok is not None]
        lean_ok = any(lean_values) if lean_values else None
        sim = max(m.similarity for m in members)
        out.append(
            Group(
                key=key,
                members=[m.index for m in members],
                votes=len(members),
                lean_free_ok=any(m.lean_free_ok for m in members),
                lean_ok=lean_ok,
                similarity=sim,
                score=len(members) / total + similarity_weight * sim,
            )
        )
    out.sort(key=lambda g: (g.lean_ok is True, g.lean_free_ok, g.score), reverse=True)
    return out
