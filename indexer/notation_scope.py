"""Where a notation token is in force, and which tokens have a meaning we did not read.

A `scoped` notation (`-` of `PeriodPair`, `•` of `IdealFilter`) often reuses a token that
Lean core already gives a global meaning. Without core's sources that meaning is not in the
notation table, so the token would look scoped-only. Mathlib's own signatures tell: a symbol
they use where none of its notations is in force has a global meaning from somewhere we did not
read. Such tokens get a `global` row of kind `inferred`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from indexer.lean_syntax import ID_FIRST
from indexer.lean_terms.syntax import NOTATION_ATOMS
from indexer.models import Declaration, NotationEntry

INFERRED = "inferred"


def opened_namespaces(opens: Iterable[str], namespace: str) -> set[str]:
    """Namespaces whose scoped notation is in force: the current namespace with its parents,
    and each opened one (`open X`, `open scoped X`, `open X (a b)`, `open X hiding y`) under
    every name Lean may resolve it to: as written, inside the current namespace or its parents,
    or inside a namespace opened before it (`open CategoryTheory MonoidalCategory`)."""
    parts = namespace.split(".") if namespace else []
    out = {".".join(parts[:k]) for k in range(1, len(parts) + 1)}
    for spec in opens:
        name = spec.removeprefix("scoped ").split(" ", 1)[0]
        out |= {name} | {f"{prefix}.{name}" for prefix in out}
    return out


def inferred_global_tokens(
    decls: Iterable[Declaration], entries: list[NotationEntry], min_modules: int = 2
) -> list[NotationEntry]:
    """A `global` entry for each symbolic token that has no global notation but appears in the
    signatures of at least `min_modules` modules where none of its scoped notations is open
    (only symbols: `π` and `D.` also occur as or in identifiers)."""
    scoped: dict[str, set[str]] = defaultdict(set)
    local: dict[str, set[str]] = defaultdict(set)
    has_global: set[str] = set()
    for e in entries:
        if e.scope == "global":
            has_global.add(e.token)
        elif e.scope == "scoped":
            scoped[e.token].add(e.namespace)
        else:
            local[e.token].add(e.module)
    candidates = {t: ns for t, ns in scoped.items() if t not in has_global and _symbolic(t)}
    if not candidates:
        return []
    tokens = {e.token for e in entries} | set(NOTATION_ATOMS)
    # Longest token first, so that `ℝ≥0∞` is read as itself and not as a use of `∞`.
    wanted = sorted({u for u in tokens if any(t in u for t in candidates)}, key=len, reverse=True)
    finder = re.compile("|".join(map(re.escape, wanted)))
    seen_in: dict[str, set[str]] = defaultdict(set)
    opened_cache: dict[tuple[tuple[str, ...], str], set[str]] = {}
    for d in decls:
        for token in {m.group() for m in finder.finditer(d.signature)}:
            if token not in candidates or d.module in local[token]:
                continue  # a longer token, or the file's own `local notation`
            if len(seen_in[token]) >= min_modules or d.module in seen_in[token]:
                continue
            key = (tuple(d.opens), d.namespace)
            if key not in opened_cache:
                opened_cache[key] = opened_namespaces(d.opens, d.namespace)
            if not (candidates[token] & opened_cache[key]):
                seen_in[token].add(d.module)
    return [
        NotationEntry(token, INFERRED, "", "global", None, "")
        for token, modules in sorted(seen_in.items())
        if len(modules) >= min_modules
    ]


_WORD_CHAR = re.compile(f"[{ID_FIRST}0-9]")


def _symbolic(token: str) -> bool:
    return _WORD_CHAR.search(token) is None
