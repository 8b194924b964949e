"""Rules for numerals and casts: where an ascription or a coercion arrow is redundant.

Lean elaborates a tree of `+ - * / = < ≤ ∣ …` as one unit (`binop%`): every leaf is coerced to
the largest number type among them, and a numeral takes that type. So `(2 : ℝ) * x` is
`2 * x` for `x : ℝ`, and `x = ↑n`, `x = n` and `x = (n : ℝ)` are one statement for `n : ℕ`.
"""

from __future__ import annotations

from formalizer.normal_form.context import Context
from formalizer.normal_form.rule import rule
from indexer.lean_terms import App, Bracket, Ident, Node, Num, Op, Paren, Typed
from indexer.lean_terms.printer import to_lean

# Number types in coercion order: a leaf of a smaller one is cast to the largest present.
_RANK = {
    "ℕ": 0,
    "Nat": 0,
    "ℤ": 1,
    "Int": 1,
    "ℚ": 2,
    "Rat": 2,
    "ℝ": 3,
    "Real": 3,
    "ℂ": 4,
    "Complex": 4,
}
_CANONICAL = {"Nat": "ℕ", "Int": "ℤ", "Rat": "ℚ", "Real": "ℝ", "Complex": "ℂ"}
# Functions whose value is a natural number whatever their arguments.
NAT_VALUED = frozenset(
    "Nat.card Fintype.card Finset.card Nat.factorial Nat.gcd Nat.lcm Nat.totient Nat.choose "
    "Finset.card Multiset.card List.length orderOf Nat.fib".split()
)
_TREE_OPS = frozenset("+ - * / % = ≠ < ≤ ∣".split())
_RELATIONS = frozenset("= ≠ < ≤ ∣".split())


def _number(typ: Node | None) -> str | None:
    if isinstance(typ, Ident) and typ.name in _RANK:
        return _CANONICAL.get(typ.name, typ.name)
    return None


def _leaves(node: Node) -> list[Node]:
    """The operands of one `binop%` tree (exponents and arguments are trees of their own)."""
    if isinstance(node, Paren):
        return _leaves(node.inner)
    if isinstance(node, Op) and node.fixity == "infix" and node.op in _TREE_OPS:
        return _leaves(node.args[0]) + _leaves(node.args[1])
    if isinstance(node, Op) and node.fixity == "infix" and node.op == "^":
        return _leaves(node.args[0])
    if isinstance(node, Op) and node.fixity == "prefix" and node.op == "-":
        return _leaves(node.args[0])
    if isinstance(node, Op) and node.fixity == "postfix" and node.op == "⁻¹":
        return _leaves(node.args[0])  # `x⁻¹` is `1 / x`, a part of the tree
    return [node]


def _leaf_type(leaf: Node, ctx: Context) -> str | None:
    """The number type a leaf has before coercion; '' for a bare numeral (any type)."""
    if isinstance(leaf, Num):
        return ""
    if isinstance(leaf, Typed):
        return _number(leaf.type)
    if isinstance(leaf, Op) and leaf.op == "↑" and leaf.fixity == "prefix":
        return _leaf_type(leaf.args[0], ctx)  # its own type; the tree decides the target
    if isinstance(leaf, App) and isinstance(leaf.fn, Ident) and leaf.fn.name in NAT_VALUED:
        return "ℕ"
    return _number(ctx.type_of(leaf))  # a variable, or a local function applied


def _numeral_leaf(leaf: Node) -> bool:
    """`2`, `-2`, `(2 : ℝ)`, `↑2`: a numeral, however written."""
    while isinstance(leaf, (Typed, Paren)) or (isinstance(leaf, Op) and leaf.op in ("↑", "-")):
        leaf = (
            leaf.expr
            if isinstance(leaf, Typed)
            else leaf.inner
            if isinstance(leaf, Paren)
            else leaf.args[0]
        )
    return isinstance(leaf, Num)


def _settled(node: Node, target: str, ctx: Context) -> Node:
    """`node` with each leaf written as the tree elaborates it at `target`."""
    if isinstance(node, Paren):
        return _settled(node.inner, target, ctx)
    if isinstance(node, Op) and node.fixity == "infix" and node.op in _TREE_OPS | {"^"}:
        left = _settled(node.args[0], target, ctx)
        right = node.args[1] if node.op == "^" else _settled(node.args[1], target, ctx)
        return Op(node.op, (left, right))
    if isinstance(node, Op) and node.fixity == "prefix" and node.op == "-":
        return Op("-", (_settled(node.args[0], target, ctx),), "prefix")
    if isinstance(node, Op) and node.fixity == "postfix" and node.op == "⁻¹":
        return Op("⁻¹", (_settled(node.args[0], target, ctx),), "postfix")
    inner = node
    while True:  # `((n : ℤ) : ℝ)`, `↑n`, `(2 : ℝ)`: the atom under its casts and ascriptions
        if isinstance(inner, Typed) and _number(inner.type) is not None:
            inner = inner.expr
        elif isinstance(inner, Op) and inner.op == "↑" and inner.fixity == "prefix":
            inner = inner.args[0]
        elif isinstance(inner, Paren):
            inner = inner.inner
        else:
            break
    if isinstance(node, Typed) and _number(node.type) == target and not isinstance(inner, Num):
        own = set(leaf_types(node.expr, ctx)) - {""}
        if own == {target}:  # `(a * a : ℤ)` with `a : ℤ`: the ascription says nothing
            return _settled(node.expr, target, ctx)
    negative = isinstance(inner, Op) and inner.op == "-" and isinstance(inner.args[0], Num)
    if negative or isinstance(inner, Num):
        return inner  # `(-1 : ℤ)` in a tree of ℤ is `-1`
    if not isinstance(inner, (Ident, App)):
        return node  # `((n - 1 : ℕ) : ℝ)`: the inner ascription fixes a tree of its own
    own = _leaf_type(inner, ctx)
    return inner if own == target else Typed(inner, Ident(target))


@rule(
    "spelling",
    lemma="`binop%` elaboration: one type for a tree of arithmetic and relations, numerals "
    "at that type, smaller number types cast up (`Nat.cast`)",
    meets=[
        ("(x : ℝ) : (2 : ℝ) * x = 1", "(x : ℝ) : 2 * x = 1"),
        ("(x : ℝ) (n : ℕ) : x = ↑n", "(x : ℝ) (n : ℕ) : x = n"),
        ("(x : ℝ) (n : ℕ) : x = (n : ℝ) + 1", "(x : ℝ) (n : ℕ) : x = ↑n + (1 : ℝ)"),
        ("(a : ℤ) : (3 : ℤ) ∣ a", "(a : ℤ) : 3 ∣ a"),
        ("(2 : ℝ) + 1 = 3", "2 + 1 = (3 : ℝ)"),
        ("(n : ℕ) (h : (2 : ℝ) * n = 1) : True", "(n : ℕ) (h : 2 * (n : ℝ) = 1) : True"),
    ],
    apart=[
        ("(n : ℕ) : (2 : ℝ) * n = 1", "(n : ℕ) : 2 * n = 1"),
        ("(2 : ℝ) / 4 = 0", "2 / 4 = 0"),
        ("(n : ℕ) (h : (2 : ℝ) * n = 1) : True", "(n : ℕ) (h : 2 * n = 1) : True"),
        ("(f : ℝ → ℕ) (x : ℝ) : (2 : ℝ) ^ f x = 3", "(f : ℝ → ℕ) (x : ℝ) : 2 ^ f x = 3"),
        ("(x : ℝ) (n : ℕ) : x = (n : ℝ) - 1", "(x : ℝ) (n : ℕ) : x = ((n - 1 : ℕ) : ℝ)"),
    ],
    definitional=True,
)
def settle_numbers(node: Node, ctx: Context) -> Node | None:
    """Numerals and casts in a tree of arithmetic written the way elaboration reads them."""
    if not (isinstance(node, Op) and node.fixity == "infix" and node.op in _RELATIONS):
        return None
    leaves = _leaves(node)
    types = [_leaf_type(leaf, ctx) for leaf in leaves]
    if any(t is None for t in types):
        return None  # a leaf of unknown type: elaboration cannot be replayed
    known = [t for t in types if t]
    if not known:
        return None
    target = max(known, key=lambda t: _RANK[t])  # numeral ascriptions count: `(2 : ℝ) * n`
    if all(_numeral_leaf(leaf) for leaf, t in zip(leaves, types, strict=True) if t):
        out = _numerals_at(node, target)  # `(2 : ℝ) + 1 = 3`: each side ascribed once
    else:  # a variable carries the type (cast up where it is smaller): numerals go bare
        out = _settled(node, target, ctx)
    return None if out == node else out


def _numerals_at(node: Op, target: str) -> Node:
    """A relation between numerals only: each side bare, ascribed once with the type."""
    if len({t for t in _ascribed_types(node)}) != 1:
        return node
    typ = Ident(target)
    return Op(node.op, tuple(Typed(_bare(side), typ) for side in node.args))


def _ascribed_types(node: Node) -> list[str]:
    return [t for leaf in _leaves(node) if (t := _number(getattr(leaf, "type", None)))]


def _bare(node: Node) -> Node:
    """`node` without ascriptions or casts on its numerals."""
    if isinstance(node, Typed) and _number(node.type) is not None:
        return _bare(node.expr)
    if isinstance(node, Paren):
        return _bare(node.inner)
    if isinstance(node, Op) and node.fixity == "prefix" and node.op == "↑":
        return _bare(node.args[0])
    if isinstance(node, Op):
        keep_exponent = node.op == "^"
        args = (
            (_bare(node.args[0]), node.args[1]) if keep_exponent else tuple(map(_bare, node.args))
        )
        return Op(node.op, args, node.fixity)
    return node


@rule(
    "spelling",
    lemma="`Membership` has the element type as an `outParam`: `(1 : F) ∈ K` is `1 ∈ K` for "
    "`K : Subring F`",
    meets=[
        ("(K : Subring F) : (1 : F) ∈ K", "(K : Subring F) : 1 ∈ K"),
        ("(s : Set ℝ) : (2 : ℝ) ∉ s", "(s : Set ℝ) : 2 ∉ s"),
    ],
    apart=[("(s : Set ℝ) : (2 : ℕ) ∈ s", "(s : Set ℝ) : 2 ∈ s")],
    definitional=True,
)
def member_ascription(node: Node, ctx: Context) -> Node | None:
    """An ascription on an element that only repeats the collection's element type."""
    if not (isinstance(node, Op) and node.fixity == "infix" and node.op in ("∈", "∉")):
        return None
    x, s = node.args
    if not (isinstance(x, Typed) and isinstance(x.expr, (Num, Ident)) and x.type is not None):
        return None
    typ = ctx.types.get(s.name) if isinstance(s, Ident) else None
    if isinstance(typ, App) and typ.args and typ.args[-1] == x.type:
        return Op(node.op, (x.expr, s))
    return None


_ARITHMETIC = frozenset("+ - *".split())


@rule(
    "spelling",
    lemma="`R[X]` is notation for `Polynomial R`; `map_ofNat`, `map_intCast`: `C (12 : R)` is "
    "`(12 : R[X])`; `binop%` takes one ascription for a tree",
    meets=[
        (
            "Irreducible (X ^ 3 + 6 * X + 12 : ℚ[X])",
            "Irreducible (X ^ 3 + 6 * X + 12 : Polynomial ℚ)",
        ),
        (
            "Irreducible (Polynomial.C (12 : ℚ) + Polynomial.C (6 : ℚ) * X + X ^ 3)",
            "Irreducible (12 + 6 * X + X ^ 3 : Polynomial ℚ)",
        ),
        (
            "{a : ℤ | Irreducible (X ^ 2 + Polynomial.C (a : ℚ))}",
            "{a : ℤ | Irreducible (X ^ 2 + (a : ℚ[X]) : ℚ[X])}",
        ),
    ],
    apart=[
        (
            "Irreducible (Polynomial.C (12 : ℚ) + X ^ 3)",
            "Irreducible (12 + X ^ 3 : Polynomial ℤ)",
        )
    ],
)
def polynomial_numerals(node: Node, ctx: Context) -> Node | None:
    """Polynomial rings by name, constants of numerals as numerals of the ring, and one
    ascription for a tree of arithmetic whose only typed leaves are numerals of one type."""
    if (
        isinstance(node, App)
        and len(node.args) == 1
        and isinstance(node.args[0], Bracket)
        and node.args[0].open == "["
        and node.args[0].items == (Ident("X"),)
        and isinstance(node.fn, Ident)
        and node.fn.span[1] == node.args[0].span[0]
    ):
        return App(Ident("Polynomial"), (node.fn,))  # `ℚ[X]`
    if (
        isinstance(node, App)
        and node.fn in (Ident("Polynomial.C"), Ident("C"))
        and len(node.args) == 1
        and isinstance(node.args[0], Typed)
        and isinstance(node.args[0].expr, (Num, Ident))
        and node.args[0].type is not None
    ):  # `C (a : ℚ)` with `a : ℤ` is `(a : ℚ[X])` (`map_intCast`)
        ring = App(Ident("Polynomial"), (node.args[0].type,))
        return Typed(node.args[0].expr, ring)
    if isinstance(node, Typed) and isinstance(node.expr, Typed) and node.expr.type == node.type:
        return node.expr  # `((e : T) : T)`
    if isinstance(node, Op) and node.fixity == "infix" and node.op in _ARITHMETIC:
        ascribed = {to_lean(t.type) for t in _typed_leaves(node) if t.type is not None}
        if len(ascribed) == 1 and _number(next(iter(_typed_leaves(node))).type) is None:
            typ = next(t.type for t in _typed_leaves(node))
            return Typed(_strip(node), typ)
    return None


def _typed_leaves(node: Node) -> list[Typed]:
    if isinstance(node, Op) and node.fixity == "infix" and node.op in _ARITHMETIC | {"^"}:
        parts = node.args if node.op != "^" else node.args[:1]
        return [t for a in parts for t in _typed_leaves(a)]
    return [node] if isinstance(node, Typed) else []


def _strip(node: Node) -> Node:
    if isinstance(node, Op) and node.fixity == "infix" and node.op in _ARITHMETIC | {"^"}:
        right = node.args[1] if node.op == "^" else _strip(node.args[1])
        return Op(node.op, (_strip(node.args[0]), right))
    return node.expr if isinstance(node, Typed) else node


def at_type(value: Node, typ: Node | None, ctx: Context) -> Node:
    """`value` where it replaces a variable of type `typ`: ascribed, unless its own leaves
    already give it that number type (`p ^ n` for `m : ℕ` with `p n : ℕ`)."""
    if typ is None:
        return value
    target = _number(typ)
    types = [_leaf_type(leaf, ctx) for leaf in _leaves(value)]
    if target is not None and types and all(t == target for t in types):
        return value
    return Typed(value, typ)


def leaf_types(node: Node, ctx: Context) -> list[str | None]:
    """The number types of the leaves of `node`'s arithmetic ('' for a bare numeral)."""
    return [_leaf_type(leaf, ctx) for leaf in _leaves(node)]


def same_type(value: Node, typ: Node | None, ctx: Context) -> bool:
    """Whether an equation `v = value` with `v : typ` is an equation in `typ` itself, so that
    `v` can be replaced by `value`: every leaf of `value` a bare numeral or of type `typ`
    (`m = p ^ n` with `p n : ℕ`, `a = 1` with `a : E`; not `(⊤ : EReal) = x` with `x : ℝ`,
    where `x` is cast)."""
    if typ is None:
        return False
    target = _number(typ)
    for leaf in _leaves(value):
        if isinstance(leaf, Num):
            continue
        if target is not None:
            if _leaf_type(leaf, ctx) != target:
                return False
        elif ctx.type_of(leaf) != typ:
            return False
    return True
