"""Canonical names and order for a telescope's entries, by colour refinement.

A variable's colour starts as its type and is refined by the shapes of the terms it occurs
in (itself marked, the others by their colours), so names follow roles, not spelling.
Variables whose colours tie are tried in every order (up to `_ORDERS`) and the smallest
printed form wins; past that, their written order decides (a missed equivalence, never a
false one: any naming is a renaming).
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import math

from formalizer.normal_form.context import Context
from formalizer.normal_form.driver import normalise
from formalizer.normal_form.names import mentioned, rename
from formalizer.normal_form.telescope import Entry, Telescope
from indexer.lean_terms import Node
from indexer.lean_terms.printer import to_lean

_ORDERS = 24
_ROUNDS = 2


def canonical(t: Telescope, ctx: Context) -> Telescope:
    names = [e.name for e in t.entries if e.name]
    colours = _colours(t, names, ctx)
    classes = [[n for n in names if colours[n] == c] for c in sorted(set(colours.values()))]
    if math.prod(math.factorial(len(c)) for c in classes) > _ORDERS:
        orders = [[n for c in classes for n in c]]
    else:
        orders = [
            [n for c in perm for n in c]
            for perm in itertools.product(*(itertools.permutations(c) for c in classes))
        ]
    finished = (_finish(t, order, ctx) for order in orders)
    return min(finished, key=Telescope.print)


def _finish(t: Telescope, order: list[str], ctx: Context) -> Telescope:
    env = {name: f"_v{i}" for i, name in enumerate(order)}
    named = Telescope(
        tuple(Entry(env.get(e.name) if e.name else None, e.type, e.instance) for e in t.entries),
        t.conclusion,
    )
    ordered = named.map(
        lambda n: normalise(rename(n, env), ctx, ("order",)), named=lambda n: rename(n, env)
    )
    return Telescope(_sorted_entries(ordered), ordered.conclusion)


def _sorted_entries(t: Telescope) -> tuple[Entry, ...]:
    """Entries in dependency order, the smallest printed one first among those ready."""
    names = t.names()
    needs = [mentioned(e.type, names) - {e.name} for e in t.entries]
    key = [
        ("_" if e.type is None else to_lean(e.type), e.name or "", e.instance) for e in t.entries
    ]
    done: set[str] = set()
    ready = [(key[i], i) for i, n in enumerate(needs) if not n]
    heapq.heapify(ready)
    waiting = {i for i, n in enumerate(needs) if n}
    out = []
    while ready:
        _, i = heapq.heappop(ready)
        out.append(t.entries[i])
        if t.entries[i].name:
            done.add(t.entries[i].name)  # type: ignore[arg-type]
        for j in sorted(waiting):
            if needs[j] <= done:
                waiting.discard(j)
                heapq.heappush(ready, (key[j], j))
    out.extend(t.entries[j] for j in sorted(waiting))  # a cycle: keep the written order
    return tuple(out)


def _colours(t: Telescope, names: list[str], ctx: Context) -> dict[str, str]:
    masked = dict.fromkeys(names, "□")
    colour = {
        e.name: _digest([_shape(e.type, masked, ctx)]) for e in t.entries if e.name is not None
    }
    terms = t.terms()
    uses = [mentioned(x, frozenset(names)) for x in terms]  # the same in every round
    for _ in range(_ROUNDS):
        refined = {}
        for v in names:
            env = {u: f"c{colour[u]}" for u in names}
            env[v] = "★"
            seen = [_shape(x, env, ctx) for x, used in zip(terms, uses, strict=True) if v in used]
            refined[v] = _digest([colour[v], *sorted(seen)])
        colour = refined
    return colour


def _shape(node: Node | None, env: dict[str, str], ctx: Context) -> str:
    if node is None:
        return "_"
    return to_lean(normalise(rename(node, env), ctx, ("order",)))


def _digest(parts: list[str]) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]
