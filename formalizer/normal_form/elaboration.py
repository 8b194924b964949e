"""Rules for what elaboration inserts or resolves: universes, coercions to a type, field
notation on a variable, a binder's elided type. They assume what BEq assumes: both
statements elaborate."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from formalizer.normal_form.context import Context
from formalizer.normal_form.rule import rule
from indexer.lean_terms import (
    App,
    Binder,
    Bracket,
    Ident,
    Node,
    Num,
    Op,
    Proj,
    Quant,
    SetBuilder,
    Typed,
    walk,
)

_FIELD_TYPES_OF_SORT = ("Type", "Sort")


@rule(
    "spelling",
    lemma="universe polymorphism: a binder's own universe variable is `Type*`",
    meets=[
        ("(G : Type u) [Group G] (a : G) : a * 1 = a", "(G : Type*) [Group G] (a : G) : a * 1 = a"),
        ("(X : Type _) (x : X) : x = x", "(X : Type u_1) (x : X) : x = x"),
    ],
    apart=[
        (
            "(A : Type u) (B : Type u) (f : A → B) : f = f",
            "(A : Type u) (B : Type v) (f : A → B) : f = f",
        ),
    ],
    definitional=True,
)
def own_universe(node: Node, ctx: Context) -> Node | None:
    """`Type u` where `u` is used by no other binder, and `Type _`, are `Type*`."""
    if (
        isinstance(node, App)
        and isinstance(node.fn, Ident)
        and node.fn.name in _FIELD_TYPES_OF_SORT
    ):
        (level,) = node.args if len(node.args) == 1 else (None,)
        if isinstance(level, Ident) and (level.name == "_" or ctx.universes.get(level.name) == 1):
            return Ident(f"{node.fn.name}*")
    return None


@rule(
    "spelling",
    lemma="coercion to a type (`CoeSort`): `↥S` is what `S` elaborates to where a type is due",
    meets=[
        (
            "(F : Subfield K) (x : K) : IsAlgebraic (↥F) x",
            "(F : Subfield K) (x : K) : IsAlgebraic F x",
        )
    ],
    apart=[
        ("(F : Subfield K) (x : K) : IsAlgebraic F x", "(F : Subfield K) (x : K) : IsIntegral F x")
    ],
    definitional=True,
)
def coe_sort(node: Node, ctx: Context) -> Node | None:
    """`↥S` on a name is the name."""
    if isinstance(node, Op) and node.op == "↥" and isinstance(node.args[0], Ident):
        return node.args[0]
    return None


@rule(
    "spelling",
    lemma="generalized field notation: `s.f` with `s : T …` is `T.f s`",
    meets=[
        ("(s : Set ℕ) : s.Nonempty", "(s : Set ℕ) : Set.Nonempty s"),
        ("(p : ℕ) : p.Prime", "(p : ℕ) : Nat.Prime p"),
        ("(s t : Set ℕ) : (s ∩ t).Nonempty", "(s t : Set ℕ) : Set.Nonempty (s ∩ t)"),
    ],
    apart=[
        ("(s : Set ℕ) : s.Nonempty", "(s : Finset ℕ) : s.Nonempty"),
        ("(p : ℕ) : p.Prime", "(p : ℤ) : p.Prime"),
    ],
    definitional=True,
)
def field_notation(node: Node, ctx: Context) -> Node | None:
    """A field of a variable (or of `s ∩ t`, …) whose type the statement writes is a call."""
    if isinstance(node, Ident) and "." in node.name:
        var, _, field = node.name.partition(".")
        subject: Node = Ident(var)
    elif isinstance(node, Proj) and not node.field.isdigit():
        subject, field = node.expr, node.field
    else:
        return None
    head = ctx.type_head(subject)
    if head is None or head in ctx.types or "." in field or field[:1].isdigit():
        return None
    return App(Ident(f"{head}.{field}"), (subject,))


@rule(
    "spelling",
    lemma="elaboration: a binder without a type gets the one its first use fixes",
    meets=[
        ("(A : ℕ → Set X) : ∀ n, IsOpen (A n)", "(A : ℕ → Set X) : ∀ n : ℕ, IsOpen (A n)"),
        ("(s : Set X) : ∃ x, x ∈ s", "(s : Set X) : ∃ x : X, x ∈ s"),
        ("(f : X → ℝ) : IsOpen {x | f x < 1}", "(f : X → ℝ) : IsOpen {x : X | f x < 1}"),
    ],
    apart=[("(A : ℕ → Set X) : ∀ n, IsOpen (A n)", "(A : ℤ → Set X) : ∀ n : ℤ, IsOpen (A n)")],
    definitional=True,
)
def elided_binder_type(node: Node, ctx: Context) -> Node | None:
    """`∀ n, P (A n)` with `A : ℕ → _` is `∀ n : ℕ, …`; `∃ x, x ∈ s` with `s : Set X` types `x`."""
    if isinstance(node, SetBuilder) and not node.more:
        b = node.binder
        if b.type is None and b.predicate is None and len(b.names) == 1:
            typ = _first_use_type(b.names[0], node.body, ctx)
            if typ is not None:
                return replace(node, binder=Binder(b.names, typ))
        return None
    if not isinstance(node, Quant) or node.head not in ("∀", "∃", "∃!", "fun", "⋃", "⋂"):
        return None
    if len(node.binders) != 1 or len(node.binders[0].names) != 1:
        return None
    b = node.binders[0]
    if b.type is not None or b.predicate is not None or b.names[0] in ctx.types:
        return None
    typ = _first_use_type(b.names[0], node.body, ctx)
    if typ is None:
        return None
    return Quant(node.head, (Binder(b.names, typ, b.bracket),), node.body)


def _first_use_type(name: str, body: Node, ctx: Context) -> Node | None:
    """The type that elaboration gives `name` at its first use that fixes one, reading left
    to right: an argument of a local function, an ascription, membership in a typed set, or a
    relation or sum with a variable of known type. Uses that fix nothing (`x > 0`, `a < b`
    with `b` untyped too) are passed over, as the elaborator postpones them; any other use
    stops the search (nothing is inferred)."""
    for parent, scope in _uses(name, body, {}):
        found = _fixed_by(name, parent, ctx.scoped(scope))
        if found is _NOTHING:
            found = _limit_type(name, parent, body, ctx.scoped(scope))
            if found is None:
                continue
        return found  # a type, or None: this use decides something we cannot read
    return None


def _limit_type(name: str, parent: Node, body: Node, ctx: Context) -> Node | None:
    """`Tendsto u l (𝓝 x)` with `u : ℕ → ℝ`: the limit `x` is a real."""
    if parent != App(Ident("nhds"), (Ident(name),)):
        return None
    for n in walk(body):
        if isinstance(n, App) and n.fn == Ident("Tendsto") and n.args[2:] == (parent,):
            typ = ctx.type_of(n.args[0])
            if isinstance(typ, Op) and typ.op == "→" and typ.fixity == "infix":
                return typ.args[1]
    return None


_NOTHING = Ident("∅ no type")  # a use that fixes no type
_HOMOGENEOUS = frozenset("= ≠ < ≤ > ≥ + - *".split())


def _fixed_by(name: str, parent: Node, ctx: Context) -> Node | None:
    var = Ident(name)
    if isinstance(parent, App) and isinstance(parent.fn, Ident) and parent.fn.name in ctx.types:
        domains = _domains(ctx.types[parent.fn.name])
        i = parent.args.index(var) if var in parent.args else len(domains)
        return domains[i] if i < len(domains) else None
    if isinstance(parent, Typed) and parent.expr == var:
        return parent.type
    if isinstance(parent, Op) and parent.op in ("∈", "∉") and parent.args[0] == var:
        typ = ctx.type_of(parent.args[1])  # `x ∈ H` with `H : Subgroup G`: `x : G`
        return typ.args[-1] if isinstance(typ, App) and typ.args else None
    if isinstance(parent, Op) and parent.fixity == "infix" and parent.op in _HOMOGENEOUS:
        other = parent.args[1] if parent.args[0] == var else parent.args[0]
        if isinstance(other, Num) or (isinstance(other, Ident) and other.name not in ctx.types):
            return _NOTHING
        return ctx.type_of(other)  # `a * x` with `a : F`, `f x = c`: binop% unifies
    if parent == App(Ident("nhds"), (var,)):
        return _NOTHING  # the limit's type comes from `Tendsto` (below)
    return None


def _uses(name: str, node: Node, scope: dict[str, Node]) -> Iterator[tuple[Node, dict[str, Node]]]:
    """The parent of each occurrence of `name`, left to right, with the types of the binders
    around it (`∃ p, ∃ q : ℕ, p < q`: `q : ℕ` where `p` is used)."""
    if isinstance(node, Quant):
        for b in node.binders:
            if name in b.names:
                return  # shadowed
            if b.type is not None:
                scope = {**scope, **dict.fromkeys(b.names, b.type)}
    for child in node.children():
        if child == Ident(name):
            yield node, scope
        else:
            yield from _uses(name, child, scope)


def _domains(typ: Node) -> list[Node]:
    """`ℕ → ℝ → X` has the domains `ℕ`, `ℝ`."""
    out = []
    while isinstance(typ, Op) and typ.op == "→" and typ.fixity == "infix":
        out.append(typ.args[0])
        typ = typ.args[1]
    return out


@rule(
    "spelling",
    lemma="`funext_iff`: `f = fun x ↦ e` is `∀ x, f x = e`",
    meets=[("(f : ℕ → ℕ) : f = fun n ↦ n + 1", "(f : ℕ → ℕ) : ∀ n, f n = n + 1")],
    apart=[("(f : ℕ → ℕ) : f = fun n ↦ n + 1", "(f : ℕ → ℕ) : ∀ n, f n = n + 2")],
)
def function_equation(node: Node, ctx: Context) -> Node | None:
    """An equation between a variable function and a `fun` is an equation at every point."""
    if not (isinstance(node, Op) and node.op == "=" and node.fixity == "infix"):
        return None
    for f, lam in (node.args, node.args[::-1]):
        if (
            isinstance(f, Ident)
            and f.name in ctx.types
            and isinstance(lam, Quant)
            and lam.head == "fun"
            and len(lam.binders) == 1
            and len(lam.binders[0].names) == 1
            and lam.binders[0].predicate is None
        ):
            (x,) = lam.binders[0].names
            domains = _domains(ctx.types[f.name])
            typ = lam.binders[0].type or (domains[0] if domains else None)
            point = Op("=", (App(f, (Ident(x),)), lam.body))
            return Quant("∀", (Binder((x,), typ),), point)
    return None


@rule(
    "spelling",
    lemma="`Nat.prime_iff`: `Prime p` is `Nat.Prime p` for `p : ℕ`",
    meets=[("(p : ℕ) (hp : Prime p) : 2 ≤ p", "(p : ℕ) (hp : Nat.Prime p) : 2 ≤ p")],
    apart=[("(p : ℤ) (hp : Prime p) : 2 ≤ p", "(p : ℤ) (hp : Nat.Prime p) : 2 ≤ p")],
)
def natural_prime(node: Node, ctx: Context) -> Node | None:
    """`Prime` on a natural number is `Nat.Prime`."""
    if (
        isinstance(node, App)
        and node.fn in (Ident("Prime"), Ident("_root_.Prime"))
        and len(node.args) == 1
        and ctx.type_head(node.args[0]) == "Nat"
    ):
        return App(Ident("Nat.Prime"), node.args)
    return None


@rule(
    "spelling",
    lemma="`Nat.card_eq_fintype_card`; `‖z‖` is `norm z`, and `Complex.abs z` is `‖z‖` "
    "(`Complex.norm_eq_abs`)",
    meets=[
        (
            "(G : Type*) [Fintype G] : Fintype.card G = 4",
            "(G : Type*) [Fintype G] : Nat.card G = 4",
        ),
        ("(z : ℂ) : Complex.abs z = 1", "(z : ℂ) : ‖z‖ = 1"),
        ("(z : ℂ) : abs (1 + z) = 1", "(z : ℂ) : ‖1 + z‖ = 1"),
    ],
    apart=[
        (
            "(G : Type*) [Fintype G] : Fintype.card G = 4",
            "(G : Type*) [Fintype G] : Nat.card G = 5",
        ),
        ("(x : ℝ) : abs x = 1", "(x : ℝ) : ‖x‖ = 2"),
    ],
)
def standard_spellings(node: Node, ctx: Context) -> Node | None:
    """One name per quantity: `Nat.card`, `norm`."""
    if isinstance(node, App) and node.fn == Ident("Fintype.card"):
        return App(Ident("Nat.card"), node.args)
    if (
        isinstance(node, Bracket)
        and node.open == "‖"
        and node.close == "‖"
        and len(node.items) == 1
    ):
        return App(Ident("norm"), node.items)
    if (
        isinstance(node, App)
        and node.fn in (Ident("abs"), Ident("Complex.abs"))
        and len(node.args) == 1
        and (node.fn == Ident("Complex.abs") or ctx.type_head(node.args[0]) == "Complex")
    ):
        return App(Ident("norm"), node.args)
    return None
