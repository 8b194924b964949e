"""A normal-form rule: a small rewrite of one tree node, with the lemma that makes it sound
and the examples that must meet and the near-misses that must stay apart.

Rules register themselves with `@rule`; the catalogue (`docs/normal_form_rules.md`) and the
per-rule tests are generated from this registry, so a rule cannot exist without its examples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from formalizer.normal_form.context import Context
from indexer.lean_terms import Node

# The phases in the order the driver runs them; each runs to a fixed point before the next.
# `conclusion` rules apply at the root of a statement's conclusion only (see `telescope.peel`);
# `telescope` rules rewrite the whole list of binders and hypotheses (`Telescope -> Telescope`).
PHASES = ("spelling", "logic", "order")
ALL_PHASES = ("conclusion", "telescope", *PHASES)

Rewrite = Callable[[Node, Context], Node | None]
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    name: str
    phase: str
    lemma: str  # the Lean lemma (or definition) that justifies the rewrite
    rewrite: Callable[..., Any]  # `Rewrite`; for `telescope` rules (Telescope, Context)
    meets: tuple[tuple[str, str], ...]  # statements the rule makes equal
    apart: tuple[tuple[str, str], ...]  # near-misses that must keep different forms
    doc: str = field(default="")
    # The rewrite is definitional (notation, elaboration, unfolding): it may also rewrite the
    # type of a variable or of a hypothesis used as a term, where a propositional one may not.
    definitional: bool = False


RULES: list[Rule] = []


def rule(
    phase: str,
    lemma: str,
    meets: list[tuple[str, str]],
    apart: list[tuple[str, str]],
    definitional: bool = False,
) -> Callable[[F], F]:
    """Register a rewrite. `meets`/`apart` are pairs of theorem statements (or bare types)."""
    if phase not in ALL_PHASES:
        raise ValueError(f"unknown phase {phase!r}")

    def register(fn: F) -> F:
        doc = (fn.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        entry = Rule(fn.__name__, phase, lemma, fn, tuple(meets), tuple(apart), doc, definitional)
        RULES.append(entry)
        return fn

    return register


def rules_of(phase: str, definitional_only: bool = False) -> list[Rule]:
    return [r for r in RULES if r.phase == phase and (r.definitional or not definitional_only)]
