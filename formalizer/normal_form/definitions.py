"""Rules that unfold a definition into the logic it abbreviates (`Function.Injective f` is
`∀ a b, f a = f b → a = b`), so that a statement and its unfolded restatement meet."""

from __future__ import annotations

from formalizer.normal_form.context import Context
from formalizer.normal_form.names import substitute
from formalizer.normal_form.rule import rule
from indexer.lean_terms import App, Binder, Ident, Node, Num, Op, Quant
from indexer.lean_terms.names import global_names


def _domain_codomain(f: Node, ctx: Context) -> tuple[Node | None, Node | None]:
    typ = ctx.types.get(f.name) if isinstance(f, Ident) else None
    if isinstance(typ, Op) and typ.fixity == "infix" and _arrow(typ.op):
        return typ.args[0], typ.args[1]  # `ℕ → ℝ`, and bundled maps `G →* H`, `A →ₗ[R] B`
    return None, None


def _arrow(op: str) -> bool:
    return op[:1] in "→≃↪" and (op == "→" or op[1:2] in "+*ₗₐLo[")


def _fresh(avoid: Node, n: int) -> list[str]:
    taken = {name for name, _ in global_names(avoid)}
    return [x for x in (f"_u{i}" for i in range(n + len(taken))) if x not in taken][:n]


def _forall(names: list[str], typ: Node | None, body: Node) -> Node:
    for name in reversed(names):
        body = Quant("∀", (Binder((name,), typ),), body)
    return body


def _imp(a: Node, b: Node) -> Node:
    return Op("→", (a, b))


# name -> (hypothesis relation on arguments, conclusion relation on values, strict?)
_ORDER_MAPS = {
    "Monotone": ("≤", "≤", False),
    "Antitone": ("≤", "≥", False),
    "StrictMono": ("<", "<", False),
    "StrictAnti": ("<", ">", False),
}


@rule(
    "spelling",
    lemma="the definitions of `Function.Injective`, `Function.Surjective`, "
    "`Function.Bijective`, `Monotone`, `Antitone`, `StrictMono`, `StrictAnti` (by `Iff.rfl`)",
    meets=[
        (
            "(f : ℝ → ℝ) (hf : Function.Injective f) : True",
            "(g : ℝ → ℝ) (hg : ∀ x y : ℝ, g x = g y → x = y) : True",
        ),
        ("(f : ℝ → ℕ) : Function.Surjective f", "(f : ℝ → ℕ) : ∀ n : ℕ, ∃ x : ℝ, f x = n"),
        (
            "(f : ℝ → ℕ) : Function.Bijective f",
            "(f : ℝ → ℕ) : Function.Injective f ∧ Function.Surjective f",
        ),
        (
            "(f : ℕ → ℕ) (hf : ∀ a b, a < b → f a < f b) : True",
            "(f : ℕ → ℕ) (hf : StrictMono f) : True",
        ),
    ],
    apart=[
        ("(f : ℕ → ℕ) (hf : StrictMono f) : True", "(f : ℕ → ℕ) (hf : Monotone f) : True"),
        ("(f : ℝ → ℕ) : Function.Surjective f", "(f : ℝ → ℕ) : Function.Injective f"),
    ],
    definitional=True,
)
def function_properties(node: Node, ctx: Context) -> Node | None:
    """`Function.Injective f` and its kin written out, binders typed from `f`'s type."""
    if not (isinstance(node, App) and isinstance(node.fn, Ident) and len(node.args) == 1):
        return None
    name = node.fn.name.removeprefix("Function.")
    (f,) = node.args
    domain, codomain = _domain_codomain(f, ctx)
    if domain is None:
        return None  # not a function the statement types: `Injective P` for `P : C` stays
    if name == "Injective":
        a, b = _fresh(f, 2)
        eq = Op("=", (App(f, (Ident(a),)), App(f, (Ident(b),))))
        return _forall([a, b], domain, _imp(eq, Op("=", (Ident(a), Ident(b)))))
    if name == "Surjective":
        y, x = _fresh(f, 2)
        found = Quant("∃", (Binder((x,), domain),), Op("=", (App(f, (Ident(x),)), Ident(y))))
        return _forall([y], codomain, found)
    if name == "Bijective":
        return Op(
            "∧", (App(Ident("Function.Injective"), (f,)), App(Ident("Function.Surjective"), (f,)))
        )
    if name in _ORDER_MAPS:
        before, after, _ = _ORDER_MAPS[name]
        a, b = _fresh(f, 2)
        values = Op(after, (App(f, (Ident(a),)), App(f, (Ident(b),))))
        return _forall([a, b], domain, _imp(Op(before, (Ident(a), Ident(b))), values))
    return None


@rule(
    "spelling",
    lemma="`∃! x, P x` is `∃ x, P x ∧ ∀ y, P y → y = x` (`ExistsUnique`); `∃! x ∈ s, P` is "
    "`∃! x, x ∈ s ∧ P`",
    meets=[
        (
            "(f : ℕ → ℕ) : ∃! n, ∀ m, f m ≤ f n",
            "(f : ℕ → ℕ) : ∃ n, (∀ m, f m ≤ f n) ∧ ∀ k, (∀ m, f m ≤ f k) → k = n",
        ),
    ],
    apart=[
        ("(f : ℕ → ℕ) : ∃! n, ∀ m, f m ≤ f n", "(f : ℕ → ℕ) : ∃ n, ∀ m, f m ≤ f n"),
    ],
    definitional=True,
)
def unique_existence(node: Node, ctx: Context) -> Node | None:
    """`∃!` written out."""
    if not (isinstance(node, Quant) and node.head == "∃!" and len(node.binders) == 1):
        return None
    b = node.binders[0]
    if len(b.names) != 1:
        return None
    (x,) = b.names
    body = node.body
    if b.predicate is not None:
        body = Op("∧", (Op(b.predicate[0], (Ident(x), b.predicate[1])), body))
    (y,) = _fresh(Quant("∃", (b,), body), 1)
    other = substitute(body, x, Ident(y))
    unique = Quant("∀", (Binder((y,), b.type),), _imp(other, Op("=", (Ident(y), Ident(x)))))
    return Quant("∃", (Binder((x,), b.type),), Op("∧", (body, unique)))


@rule(
    "spelling",
    lemma="`Nat.Coprime m n` is `Nat.gcd m n = 1` (by definition); `Commute a b` is "
    "`a * b = b * a` (`SemiconjBy`); `[Fact p]` is `p` (`Fact.out`)",
    meets=[
        (
            "(m n : ℕ) (h : Nat.Coprime (m + 1) n) : True",
            "(m n : ℕ) (h : Nat.gcd (m + 1) n = 1) : True",
        ),
        (
            "{G : Type*} [Group G] (a b : G) (h : Commute a b) : True",
            "{G : Type*} [Group G] (a b : G) (h : a * b = b * a) : True",
        ),
        (
            "(p : ℕ) [Fact p.Prime] (h : p ∣ 6) : p ≤ 3",
            "(p : ℕ) (hp : Nat.Prime p) (h : p ∣ 6) : p ≤ 3",
        ),
    ],
    apart=[
        ("(m n : ℕ) (h : Nat.Coprime m n) : True", "(m n : ℕ) (h : Nat.gcd m n = 2) : True"),
        (
            "{G : Type*} [Group G] (a b : G) (h : Commute a b) : True",
            "{G : Type*} [Group G] (a b : G) (h : a * b = a * b) : True",
        ),
    ],
)
def small_definitions(node: Node, ctx: Context) -> Node | None:
    """`Nat.Coprime`, `Commute` and `Fact` unfolded."""
    if not (isinstance(node, App) and isinstance(node.fn, Ident)):
        return None
    name, args = node.fn.name, node.args
    if name in ("Nat.Coprime", "Coprime") and len(args) == 2:
        return Op("=", (App(Ident("Nat.gcd"), args), Num("1")))
    if name == "Commute" and len(args) == 2 and _domain_codomain(args[0], ctx) == (None, None):
        a, b = args  # (of functions, people mean composition: left alone)
        return Op("=", (Op("*", (a, b)), Op("*", (b, a))))
    if name == "Fact" and len(args) == 1:
        return args[0]
    return None


@rule(
    "spelling",
    lemma="`Set.subset_def`: `s ⊆ t` is `∀ x, x ∈ s → x ∈ t` (by definition)",
    meets=[
        (
            "(s t : Set ℝ) (h : s ⊆ t) : t ⊆ s ∧ True",
            "(s t : Set ℝ) (h : ∀ x : ℝ, x ∈ s → x ∈ t) : (∀ y ∈ t, y ∈ s) ∧ True",
        )
    ],
    apart=[("(s t : Set ℝ) (h : s ⊆ t) : 0 ∈ s", "(s t : Set ℝ) (h : t ⊆ s) : 0 ∈ s")],
    definitional=True,
)
def subset(node: Node, ctx: Context) -> Node | None:
    """`s ⊆ t` on sets is membership carried over."""
    if not (isinstance(node, Op) and node.fixity == "infix" and node.op == "⊆"):
        return None
    s, t = node.args
    if ctx.type_head(s) != "Set" and ctx.type_head(t) != "Set":
        return None
    (x,) = _fresh(node, 1)
    typ = ctx.types.get(s.name) if isinstance(s, Ident) else None
    element = typ.args[0] if isinstance(typ, App) and len(typ.args) == 1 else None
    body = _imp(Op("∈", (Ident(x), s)), Op("∈", (Ident(x), t)))
    return Quant("∀", (Binder((x,), element),), body)


_POINTWISE = {"ContinuousAt": "Continuous", "DifferentiableAt": "Differentiable"}


@rule(
    "spelling",
    lemma="`continuous_iff_continuousAt`; `Differentiable 𝕜 f` is `∀ x, DifferentiableAt 𝕜 f x`",
    meets=[
        (
            "(f : ℝ → ℝ) (hf : Continuous f) : True",
            "(f : ℝ → ℝ) (hf : ∀ x, ContinuousAt f x) : True",
        ),
        ("(f : ℝ → ℝ) : Differentiable ℝ f", "(f : ℝ → ℝ) : ∀ x, DifferentiableAt ℝ f x"),
    ],
    apart=[("(f : ℝ → ℝ) : Continuous f", "(f : ℝ → ℝ) : ContinuousAt f 0")],
)
def everywhere(node: Node, ctx: Context) -> Node | None:
    """A property at every point is the global property."""
    if not (isinstance(node, Quant) and node.head == "∀" and len(node.binders) == 1):
        return None
    b = node.binders[0]
    body = node.body
    if len(b.names) != 1 or b.predicate is not None or not isinstance(body, App):
        return None
    if not (isinstance(body.fn, Ident) and body.fn.name in _POINTWISE and body.args):
        return None
    (x,) = b.names
    *rest, point = body.args
    if point != Ident(x) or any(x in {n for n, _ in global_names(a)} for a in rest):
        return None
    return App(Ident(_POINTWISE[body.fn.name]), tuple(rest))
