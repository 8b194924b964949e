"""Rules that undo choices of spelling: the same term written with other syntax."""

from __future__ import annotations

from collections.abc import Iterator

from formalizer.normal_form.context import Context
from formalizer.normal_form.rule import rule
from indexer.lean_terms import App, Binder, Ident, Node, Op, Paren, Quant, Typed
from indexer.lean_terms.names import global_names
from indexer.lean_terms.tree import map_children

_SPLIT_HEADS = ("∀", "∃")
# Relations a binder may carry and the connective its macro uses: `∀ x > 0, P` is
# `∀ x, x > 0 → P`, `∃ x ∈ s, P` is `∃ x, x ∈ s ∧ P` (Mathlib's `binderPred`).
_BINDER_RELATIONS = frozenset("∈ ∉ ⊆ ⊂ ⊇ ⊃ < > ≤ ≥ ≠".split())


@rule(
    "spelling",
    lemma="syntax: parentheses only group",
    meets=[("(a + b) = (c)", "a + b = c")],
    apart=[("(a + b) * c = d", "a + b * c = d")],
    definitional=True,
)
def parentheses(node: Node, ctx: Context) -> Node | None:
    """Parentheses are dropped; the printer puts back those precedence needs."""
    return node.inner if isinstance(node, Paren) else None


def sections(node: Node) -> Node:
    """Every `·` section as the `fun` it stands for, its `·` the arguments in order:
    `(· ≥ ·)` is `fun a b ↦ a ≥ b`. Done top-down before any rule, so that no rewrite of the
    body (`≥` flipped to `≤`) can reorder the arguments."""
    if isinstance(node, Paren) and (dots := _section_dots(node.inner)):
        names = iter(tuple(f"_c{i}" for i in range(dots)))
        params = tuple(f"_c{i}" for i in range(dots))
        return Quant("fun", (Binder(params),), sections(_fill(node.inner, names)))
    return map_children(node, sections)


def _section_dots(node: Node) -> int:
    if isinstance(node, Ident) and node.name == "·":
        return 1
    if isinstance(node, Paren):
        return 0  # an inner section is its own `fun`
    return sum(_section_dots(c) for c in node.children())


def _fill(node: Node, names: Iterator[str]) -> Node:
    if isinstance(node, Ident) and node.name == "·":
        return Ident(next(names))
    if isinstance(node, Paren):
        return node
    return map_children(node, lambda child: _fill(child, names))


@rule(
    "spelling",
    lemma="syntax: `λ` is `fun`, `=>` is `↦`",
    meets=[("(λ x => x + 1) = g", "(fun x ↦ x + 1) = g")],
    apart=[("(fun x ↦ x + 1) = g", "(fun x ↦ x + 2) = g")],
    definitional=True,
)
def fun_spelling(node: Node, ctx: Context) -> Node | None:
    """`λ` is `fun`; `Π` is `∀`."""
    if isinstance(node, Quant) and node.head in ("λ", "Π"):
        return Quant("fun" if node.head == "λ" else "∀", node.binders, node.body)
    return None


@rule(
    "spelling",
    lemma="syntax: `f <| x`, `f $ x` and `x |> f` are `f x`; application is left-associative",
    meets=[
        ("(f <| g x) = 1", "f (g x) = 1"),
        ("(f a) b = c", "f a b = c"),
        ("(x |> f) = y", "f x = y"),
    ],
    apart=[("(f <| x + 1) = y", "f x + 1 = y"), ("f <| g x = 1", "f (g x) = 1")],
    definitional=True,
)
def application(node: Node, ctx: Context) -> Node | None:
    """Pipes are application, and `(f a) b` is `f a b`."""
    if isinstance(node, Op) and node.fixity == "infix" and node.op in ("<|", "$", "|>"):
        fn, arg = node.args if node.op != "|>" else node.args[::-1]
        return _apply(fn, (arg,))
    if isinstance(node, App) and isinstance(node.fn, (App, Paren)):
        inner = node.fn.inner if isinstance(node.fn, Paren) else node.fn
        if isinstance(inner, App):
            return App(inner.fn, inner.args + node.args)
    return None


def _apply(fn: Node, args: tuple[Node, ...]) -> Node:
    if isinstance(fn, App):
        return App(fn.fn, fn.args + args)
    return App(fn, args)


@rule(
    "spelling",
    lemma="syntax: `(x : α) → P x` is `∀ x : α, P x`",
    meets=[("(f : (n : ℕ) → Fin (n + 1)) : f = f", "(f : ∀ n : ℕ, Fin (n + 1)) : f = f")],
    apart=[("(f : ℕ → Fin 2) : f = f", "(f : ℕ → Fin 3) : f = f")],
    definitional=True,
)
def dependent_arrow(node: Node, ctx: Context) -> Node | None:
    """A named binder on the left of `→` is a `∀`."""
    if isinstance(node, Op) and node.op in ("→", "->") and node.fixity == "infix":
        left = node.args[0].inner if isinstance(node.args[0], Paren) else node.args[0]
        if isinstance(left, Typed) and isinstance(left.expr, Ident) and left.type is not None:
            return Quant("∀", (Binder((left.expr.name,), left.type),), node.args[1])
    return None


@rule(
    "spelling",
    lemma="syntax: `∀ x y : α, P` is `∀ x : α, ∀ y : α, P` (binder brackets only set explicitness)",
    meets=[("∀ x y : ℕ, x + y = y + x", "∀ (x : ℕ) (y : ℕ), x + y = y + x")],
    apart=[("∀ x y : ℕ, x ≤ y", "∀ x y : ℤ, x ≤ y")],
    definitional=True,
)
def one_binder_each(node: Node, ctx: Context) -> Node | None:
    """`∀`/`∃` bind one name each, without brackets."""
    if not isinstance(node, Quant) or node.head not in _SPLIT_HEADS:
        return None
    first = node.binders[0]
    if len(node.binders) == 1 and len(first.names) == 1 and first.bracket in ("", "("):
        return None
    if first.default is not None or first.bracket == "⟨":
        return None
    names = first.names or ("_",)
    rest: Node = node.body
    if len(node.binders) > 1:
        rest = Quant(node.head, node.binders[1:], node.body)
    for name in reversed(names[1:]):
        rest = Quant(node.head, (Binder((name,), first.type, "", first.predicate),), rest)
    return Quant(node.head, (Binder((names[0],), first.type, "", first.predicate),), rest)


@rule(
    "spelling",
    lemma="Mathlib's binder predicates: `∀ x ∈ s, P` is `∀ x, x ∈ s → P`, `∃ x > 0, P` is "
    "`∃ x, x > 0 ∧ P`",
    meets=[
        ("∀ x ∈ s, f x = 0", "∀ x, x ∈ s → f x = 0"),
        ("∃ n > 0, n ∣ m", "∃ n, n > 0 ∧ n ∣ m"),
    ],
    apart=[("∃ n > 0, n ∣ m", "∃ n, n > 0 → n ∣ m")],
    definitional=True,
)
def bounded_quantifier(node: Node, ctx: Context) -> Node | None:
    """A quantifier's binder relation becomes a hypothesis (`∀`) or a conjunct (`∃`)."""
    if not isinstance(node, Quant) or node.head not in _SPLIT_HEADS or len(node.binders) != 1:
        return None
    b = node.binders[0]
    if b.predicate is None or len(b.names) != 1 or b.predicate[0] not in _BINDER_RELATIONS:
        return None
    rel, right = b.predicate
    fact = Op(rel, (Ident(b.names[0]), right))
    body = Op("→" if node.head == "∀" else "∧", (fact, node.body))
    return Quant(node.head, (Binder(b.names, b.type, b.bracket),), body)


@rule(
    "spelling",
    lemma="`ge_iff_le`, `gt_iff_lt` (`a ≥ b` is notation for `b ≤ a`)",
    meets=[("x ≥ 2", "2 ≤ x"), ("a > b + 1", "b + 1 < a")],
    apart=[("x ≥ 2", "x ≤ 2"), ("a > b", "a ≥ b")],
    definitional=True,
)
def flip_greater(node: Node, ctx: Context) -> Node | None:
    """`≥` and `>` are `≤` and `<` with the operands swapped."""
    if isinstance(node, Op) and node.fixity == "infix" and node.op in (">", "≥"):
        return Op("<" if node.op == ">" else "≤", node.args[::-1])
    return None


@rule(
    "spelling",
    lemma="`Ne a b` is `¬ a = b`; `a ∉ s` is `¬ a ∈ s`",
    meets=[("¬ (a = b)", "a ≠ b"), ("¬ (x ∈ s)", "x ∉ s")],
    apart=[("¬ (a = b)", "a = b"), ("¬ (a ≤ b)", "a ≠ b")],
    definitional=True,
)
def negated_relation(node: Node, ctx: Context) -> Node | None:
    """A negated `=` or `∈` is written `≠`, `∉`."""
    if isinstance(node, Op) and node.op == "¬" and node.fixity == "prefix":
        inner = node.args[0].inner if isinstance(node.args[0], Paren) else node.args[0]
        if isinstance(inner, Op) and inner.fixity == "infix" and inner.op in ("=", "∈"):
            return Op("≠" if inner.op == "=" else "∉", inner.args)
    return None


@rule(
    "spelling",
    lemma="η-reduction (definitional in Lean 4): `fun x ↦ f x` is `f`",
    meets=[
        (
            "(a : ℕ → ℝ) (h : Summable a) : Tendsto a atTop (𝓝 0)",
            "(a : ℕ → ℝ) (h : Summable fun n => a n) : Tendsto (fun n => a n) atTop (𝓝 0)",
        )
    ],
    apart=[
        ("(a : ℕ → ℝ) : Summable a", "(a : ℕ → ℝ) : Summable fun n => a (n + 1)"),
        ("Continuous fun x : {x : ℝ // x ≠ 0} => Real.log x", "Continuous Real.log"),
    ],
    definitional=True,
)
def eta(node: Node, ctx: Context) -> Node | None:
    """A `fun` that only applies a function to its argument is that function."""
    if not (isinstance(node, Quant) and node.head == "fun" and len(node.binders) == 1):
        return None
    b = node.binders[0]
    body = node.body
    if len(b.names) != 1 or b.predicate is not None or not isinstance(body, App):
        return None
    (x,) = b.names
    *rest, last = body.args
    free = {n.split(".", 1)[0] for part in (body.fn, *rest) for n, _ in global_names(part)}
    if last != Ident(x) or x in free:
        return None
    fn_type = ctx.types.get(body.fn.name) if isinstance(body.fn, Ident) and not rest else None
    domain = fn_type.args[0] if isinstance(fn_type, Op) and fn_type.op == "→" else None
    if b.type is not None and b.type != domain:
        return None  # `fun x : {x // x ≠ 0} ↦ Real.log x` applies `log` to `↑x`: no η
    return App(body.fn, tuple(rest)) if rest else body.fn


_ASCII = {"\\/": "∨", "/\\": "∧", ">=": "≥", "<=": "≤", "->": "→", "<->": "↔"}


@rule(
    "spelling",
    lemma="syntax: `\\/`, `/\\`, `>=`, `<=`, `->`, `<->` are the same notations as `∨`, `∧`, `≥`, "
    "`≤`, `→`, `↔`",
    meets=[("(a b : ℤ) (h : b >= 0) : a = 0 \\/ b <= 1", "(a b : ℤ) (h : b ≥ 0) : a = 0 ∨ b ≤ 1")],
    apart=[("(a b : ℤ) : a = 0 \\/ b <= 1", "(a b : ℤ) : a = 0 /\\ b <= 1")],
    definitional=True,
)
def ascii_operators(node: Node, ctx: Context) -> Node | None:
    """An operator's ASCII spelling is its Unicode one."""
    if isinstance(node, Op) and node.fixity == "infix" and node.op in _ASCII:
        return Op(_ASCII[node.op], node.args)
    return None
