"""Renaming: local and bound variables get names that depend only on the statement's shape.

Bound variables (`∀ x`, `fun x`, `{x | …}`, `∑ x ∈ s`) are named by how deep their binder is
(`_b0`, `_b1`, …: de Bruijn levels), so alpha-renaming cannot change a form. The statement's
own variables are named by colour refinement (`canonical_order`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from indexer.lean_terms import Binder, Ident, Node, Op, Proj, Quant, Raw, SetBuilder, parse_term
from indexer.lean_terms.names import global_names
from indexer.lean_terms.printer import to_lean
from indexer.lean_terms.tree import map_children


def rename(node: Node, env: Mapping[str, str], depth: int | None = 0) -> Node:
    """`node` with free names mapped by `env`; each bound name replaced by its level
    (`_b{depth}`, counting from `depth`), or kept when `depth` is None."""
    if isinstance(node, Ident):
        return Ident(_renamed(node.name, env))
    if isinstance(node, Op) and node.fixity == "infix" and "[" in node.op:
        node = Op(_renamed_subscript(node.op, env), node.args)  # `→ₗ[R]` names `R`
    if isinstance(node, Quant):
        binders, inner, level = _bind(node.binders, env, depth)
        return Quant(node.head, binders, rename(node.body, inner, level))
    if isinstance(node, SetBuilder):
        if node.more:  # `{f x | (x) (h : p x)}`: the binders after the bar bind the term
            more, inner, level = _bind(node.more, env, depth)
            head = Binder(tuple(n for b in more for n in b.names), bracket="(")
            return replace(node, binder=head, body=rename(node.body, inner, level), more=more)
        (binder,), inner, level = _bind((node.binder,), env, depth)
        return replace(node, binder=binder, body=rename(node.body, inner, level))
    return map_children(node, lambda child: rename(child, env, depth))


def _bind(
    binders: tuple[Binder, ...], env: Mapping[str, str], depth: int | None
) -> tuple[tuple[Binder, ...], dict[str, str], int | None]:
    out = []
    inner = dict(env)
    for b in binders:
        typ = rename(b.type, inner, depth) if b.type is not None else None
        pred = (b.predicate[0], rename(b.predicate[1], inner, depth)) if b.predicate else None
        default = rename(b.default, inner, depth) if b.default is not None else None
        names = []
        for name in b.names:
            if name in ("_", "·"):
                names.append(name)
            elif depth is None:  # kept: it only shadows
                inner.pop(name, None)
                names.append(name)
            else:
                inner[name] = f"_b{depth}"
                names.append(inner[name])
                depth += 1
        out.append(Binder(tuple(names), typ, b.bracket, pred, default))
    return tuple(out), inner, depth


def _renamed_subscript(op: str, env: Mapping[str, str]) -> str:
    head, _, rest = op.partition("[")
    inner = parse_term(rest.removesuffix("]"))
    if isinstance(inner, Raw):
        return op
    return f"{head}[{to_lean(rename(inner, env, None))}]"


def _renamed(name: str, env: Mapping[str, str]) -> str:
    if name in env:
        return env[name]
    head, dot, rest = name.partition(".")  # `s.card` on a local `s`
    if dot and head in env:
        return f"{env[head]}.{rest}"
    return name


def mentioned(node: Node | None, names: frozenset[str]) -> frozenset[str]:
    """Which of `names` occur free in `node` (`s.card` mentions `s`)."""
    if node is None:
        return frozenset()
    return frozenset(name.split(".", 1)[0] for name, _ in global_names(node)) & names


def substitute(node: Node, name: str, value: Node) -> Node:
    """`node` with the free variable `name` replaced by `value` (`s.f` by `value.f`). The
    caller makes sure no binder in `node` captures a name free in `value`."""
    if isinstance(node, Ident):
        if node.name == name:
            return value
        head, dot, rest = node.name.partition(".")
        if dot and head == name:
            return Proj(value, rest)
        return node
    if isinstance(node, Quant) and any(name in b.names for b in node.binders):
        return node  # shadowed (a binder's own type could still mention it: rare, kept)
    if isinstance(node, SetBuilder) and name in node.binder.names:
        return node
    return map_children(node, lambda child: substitute(child, name, value))


def apart(node: Node, taken: set[str]) -> Node:
    """`node` with every bound name that is in `taken` replaced by a fresh one (`p` -> `p_1`)."""
    if isinstance(node, (Quant, SetBuilder)):
        binders = node.binders if isinstance(node, Quant) else (node.binder, *node.more)
        clashing = {n for b in binders for n in b.names if n in taken}
        if clashing:
            env = {}
            for name in sorted(clashing):
                fresh = next(f"{name}_{i}" for i in range(1, 1000) if f"{name}_{i}" not in taken)
                taken.add(fresh)
                env[name] = fresh
            node = _rebind(node, env)
    return map_children(node, lambda child: apart(child, taken))


def _rebind(node: Quant | SetBuilder, env: dict[str, str]) -> Node:
    """The binder's names, and their uses in later binders and in what it scopes, renamed."""
    binders = node.binders if isinstance(node, Quant) else (node.binder, *node.more)
    out, bound = [], {}
    for b in binders:
        typ = rename(b.type, bound, None) if b.type is not None else None
        pred = (b.predicate[0], rename(b.predicate[1], bound, None)) if b.predicate else None
        out.append(Binder(tuple(env.get(n, n) for n in b.names), typ, b.bracket, pred, b.default))
        bound.update({n: env[n] for n in b.names if n in env})
    body = rename(node.body, bound, None)
    if isinstance(node, Quant):
        return Quant(node.head, tuple(out), body)
    return replace(node, binder=out[0], body=body, more=tuple(out[1:]))
