"""Rules for notation: each notation written as the function it stands for (or the other way
round, one spelling chosen), so that `|x|` and `abs x`, `𝓝 l` and `nhds l` meet."""

from __future__ import annotations

from formalizer.normal_form.context import Context
from formalizer.normal_form.rule import rule
from indexer.lean_terms import App, Binder, Bracket, Ident, Node, Num, Op, Quant
from indexer.lean_terms.printer import to_lean

# Notations that are a constant applied to what follows (`notation "π" => Real.pi`).
_CONSTANTS = {"π": "Real.pi", "𝓝": "nhds", "conj": "starRingEnd ℂ", "√": "Real.sqrt"}
_BIG_OPERATORS = {"Finset.sum": "∑", "Finset.prod": "∏"}
_IMAGES = {"Set.image": "''", "Set.preimage": "⁻¹'"}


@rule(
    "spelling",
    lemma="notation: `|a|` is `abs a`, `√x` is `Real.sqrt x`, `π` is `Real.pi`, `𝓝` is `nhds`, "
    "`conj` is `starRingEnd ℂ`, `n !` is `Nat.factorial n`, `f '' s` is `Set.image f s`",
    meets=[
        (
            "(x y : ℝ) (h : |x - y| < 1) : f |x| ≤ 1 + √y",
            "(x y : ℝ) (h : abs (x - y) < 1) : f (abs x) ≤ 1 + Real.sqrt y",
        ),
        (
            "(u : ℕ → ℝ) (l : ℝ) : Tendsto u atTop (𝓝 l)",
            "(u : ℕ → ℝ) (l : ℝ) : Tendsto u atTop (nhds l)",
        ),
        ("(n : ℕ) : (n + 1)! ≤ (n + 1) ^ n", "(n : ℕ) : Nat.factorial (n + 1) ≤ (n + 1) ^ n"),
        (
            "(z : ℂ) : z * conj z = Complex.normSq z",
            "(z : ℂ) : z * (starRingEnd ℂ) z = Complex.normSq z",
        ),
        ("(x : ℝ) : x < π", "(x : ℝ) : x < Real.pi"),
    ],
    apart=[
        ("(x : ℝ) : |x| < 1", "(x : ℝ) : x < 1"),
        ("(π : ℝ) : π < 4", "(π : ℝ) : Real.pi < 4"),
        ("(n : ℕ) : (n + 1)! ≤ 2", "(n : ℕ) : n + 1 ≤ 2"),
    ],
    definitional=True,
)
def notation_as_function(node: Node, ctx: Context) -> Node | None:
    """A notation is the constant it unfolds to."""
    if (
        isinstance(node, Bracket)
        and node.open == "|"
        and node.close == "|"
        and len(node.items) == 1
    ):
        return App(Ident("abs"), node.items)
    if isinstance(node, Ident) and node.name in _CONSTANTS and node.name not in ctx.types:
        return _constant(_CONSTANTS[node.name])  # (a variable named `π` is no notation)
    if isinstance(node, Op) and node.fixity == "prefix" and node.op == "√":
        return App(Ident("Real.sqrt"), node.args)
    if isinstance(node, Op) and node.fixity == "postfix" and node.op == "!":
        return App(Ident("Nat.factorial"), node.args)
    if isinstance(node, Op) and node.fixity == "infix" and node.op in ("''", "⁻¹'"):
        name = "Set.image" if node.op == "''" else "Set.preimage"
        return App(Ident(name), node.args)
    if (
        isinstance(node, App)
        and isinstance(node.fn, Ident)
        and node.fn.name in ("image", "preimage")
    ):
        return App(Ident(f"Set.{node.fn.name}"), node.args)  # under `open Set`
    return None


def _constant(text: str) -> Node:
    head, _, arg = text.partition(" ")
    return App(Ident(head), (Ident(arg),)) if arg else Ident(head)


@rule(
    "spelling",
    lemma="notation: `∑ i ∈ s, f i` is `Finset.sum s (fun i ↦ f i)` (`∏` alike)",
    meets=[
        (
            "(n : ℕ) : ∑ i in Finset.range n, (i : ℝ) * 2 = 0",
            "(n : ℕ) : Finset.sum (Finset.range n) (fun k => (k : ℝ) * 2) = 0",
        )
    ],
    apart=[
        (
            "(n : ℕ) : ∑ i in Finset.range n, (i : ℝ) * 2 = 0",
            "(n : ℕ) : Finset.prod (Finset.range n) (fun k => (k : ℝ) * 2) = 0",
        )
    ],
    definitional=True,
)
def big_operator_call(node: Node, ctx: Context) -> Node | None:
    """`Finset.sum s (fun i ↦ e)` is written `∑ i ∈ s, e`."""
    if not (isinstance(node, App) and isinstance(node.fn, Ident)):
        return None
    head = _BIG_OPERATORS.get(node.fn.name) or _BIG_OPERATORS.get(f"Finset.{node.fn.name}")
    if head is None or len(node.args) != 2:
        return None
    s, f = node.args
    if (
        isinstance(f, Quant)
        and f.head == "fun"
        and len(f.binders) == 1
        and len(f.binders[0].names) == 1
    ):
        (name,) = f.binders[0].names
        return Quant(head, (Binder((name,), predicate=("∈", s)),), f.body)
    return None


@rule(
    "spelling",
    lemma="`one_div`: `1 / a` is `a⁻¹`",
    meets=[("(x : ℝ) (h : 0 < x) : 1 / (x + 1) < 1 / x", "(x : ℝ) (h : 0 < x) : (x + 1)⁻¹ < x⁻¹")],
    apart=[
        ("(x : ℝ) : 1 / x < 1", "(x : ℝ) : x < 1"),
        ("(x : ℝ) : 2 / x < 1", "(x : ℝ) : x⁻¹ < 1"),
    ],
)
def one_over(node: Node, ctx: Context) -> Node | None:
    """`1 / a` is `a⁻¹`."""
    if (
        isinstance(node, Op)
        and node.fixity == "infix"
        and node.op == "/"
        and node.args[0] == Num("1")
    ):
        return Op("⁻¹", (node.args[1],), "postfix")
    return None


@rule(
    "spelling",
    lemma="`Module.End R M` is `M →ₗ[R] M` (an abbreviation)",
    meets=[
        (
            "{V : Type*} [AddCommGroup V] [Module ℝ V] (T : V →ₗ[ℝ] V) : T = 0",
            "{V : Type*} [AddCommGroup V] [Module ℝ V] (T : Module.End ℝ V) : T = 0",
        )
    ],
    apart=[
        (
            "{V : Type*} [AddCommGroup V] [Module ℝ V] (T : V →ₗ[ℝ] V) : T = 0",
            "{V : Type*} [AddCommGroup V] [Module ℝ V] (T : V →ₗ[ℚ] V) : T = 0",
        )
    ],
    definitional=True,
)
def endomorphisms(node: Node, ctx: Context) -> Node | None:
    """`Module.End R V` is `V →ₗ[R] V`."""
    if (
        isinstance(node, App)
        and node.fn in (Ident("Module.End"), Ident("End"))
        and len(node.args) == 2
    ):
        ring, space = node.args
        return Op(f"→ₗ[{to_lean(ring)}]", (space, space))
    return None
