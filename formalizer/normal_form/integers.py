"""Rules for natural numbers and integers: parity, divisibility and congruences as remainders,
strict bounds by numerals as non-strict ones, numerals worked out."""

from __future__ import annotations

from formalizer.normal_form.context import Context
from formalizer.normal_form.numbers import leaf_types
from formalizer.normal_form.rule import rule
from indexer.lean_terms import App, Bracket, Ident, Node, Num, Op, Typed

_MODS = {"MOD": "ℕ", "ZMOD": "ℤ"}


def _integer(node: Node, ctx: Context) -> str | None:
    """`ℕ` or `ℤ` when every leaf of `node` with a type has that one."""
    types = {t for t in leaf_types(node, ctx) if t != ""}
    if types in ({"ℕ"}, {"ℤ"}):
        return next(iter(types))
    return None


def _num(node: Node) -> int | None:
    if isinstance(node, Num) and node.text.isdigit():
        return int(node.text)
    if isinstance(node, Op) and node.fixity == "prefix" and node.op == "-":
        inner = _num(node.args[0])
        return None if inner is None else -inner
    return None


def _numeral(value: int) -> Node:
    return Num(str(value)) if value >= 0 else Op("-", (Num(str(-value)),), "prefix")


def _mod(x: Node, n: Node) -> Node:
    return Op("%", (x, n))


@rule(
    "spelling",
    lemma="`Nat.even_iff`, `Int.even_iff`, `Nat.odd_iff`, `Int.odd_iff`, "
    "`Nat.dvd_iff_mod_eq_zero`, `Int.dvd_iff_emod_eq_zero`, `Nat.mod_two_ne_zero`, "
    "`Int.emod_two_ne_zero`; `Nat.ModEq`, `Int.ModEq` are `a % n = b % n` by definition",
    meets=[
        ("(n : ℕ) (h : Even n) : True", "(n : ℕ) (h : n % 2 = 0) : True"),
        ("(n : ℤ) (h : ¬ Even n) : True", "(n : ℤ) (h : Odd n) : True"),
        ("(n : ℤ) (h : n % 2 ≠ 0) : True", "(n : ℤ) (h : Odd n) : True"),
        ("(n : ℕ) (h : 2 ∣ n) : True", "(n : ℕ) (h : Even n) : True"),
        ("(p : ℕ) (h : p ≡ 3 [MOD 4]) : True", "(p : ℕ) (h : p % 4 = 3) : True"),
        ("(a : ℤ) (h : a ≡ -1 [ZMOD 6]) : True", "(a : ℤ) (h : a % 6 = 5) : True"),
    ],
    apart=[
        ("(n : ℕ) (h : Even n) : True", "(n : ℕ) (h : Odd n) : True"),
        ("(x : ℝ) (h : 2 ∣ x) : True", "(x : ℝ) (h : x % 2 = 0) : True"),
        ("(p : ℕ) (h : p ≡ 3 [MOD 4]) : True", "(p : ℕ) (h : p % 4 = 1) : True"),
        ("(p : ℕ) (h : p - 1 ≡ 0 [ZMOD 3]) : True", "(p : ℕ) (h : (p - 1) % 3 = 0) : True"),
    ],
)
def remainders(node: Node, ctx: Context) -> Node | None:
    """Parity, divisibility by a numeral and congruences are statements about remainders."""
    if isinstance(node, App) and node.fn in (Ident("Even"), Ident("Odd")) and len(node.args) == 1:
        (n,) = node.args
        if _integer(n, ctx):
            return Op("=", (_mod(n, Num("2")), Num("0" if node.fn == Ident("Even") else "1")))
    if isinstance(node, Op) and node.fixity == "infix" and node.op == "∣":
        c, n = node.args
        if _num(c) is not None and _num(c) > 0 and _integer(n, ctx):
            return Op("=", (_mod(n, c), Num("0")))
    if isinstance(node, Op) and node.fixity == "infix" and node.op == "≠":
        for left, right in (node.args, node.args[::-1]):
            two = isinstance(left, Op) and left.op == "%" and left.args[1] == Num("2")
            if two and right in (Num("0"), Num("1")) and _integer(left.args[0], ctx):
                return Op("=", (left, Num("1" if right == Num("0") else "0")))
    if isinstance(node, Op) and node.fixity == "infix" and node.op == "≡":
        a, rest = node.args
        found = _modulus(rest)
        if found is not None:  # `[ZMOD n]` reads both sides in ℤ: `p - 1` is `↑p - 1` there
            (b, n), typ = found
            a, b = Typed(a, Ident(typ)), Typed(b, Ident(typ))
            return Op("=", (_mod(a, n), _mod(b, n)))
    return None


def _modulus(node: Node) -> tuple[tuple[Node, Node], str] | None:
    """`b [MOD n]` as Lean reads the notation: `b`, `n` and the type both sides are read in
    (the reader sees `[MOD n]` as `b`'s last argument)."""
    if isinstance(node, App) and node.args:
        last = node.args[-1]
        if (
            isinstance(last, Bracket)
            and last.open == "["
            and len(last.items) == 1
            and isinstance(last.items[0], App)
            and isinstance(last.items[0].fn, Ident)
            and last.items[0].fn.name in _MODS
            and len(last.items[0].args) == 1
        ):
            rest = node.args[:-1]
            typ = _MODS[last.items[0].fn.name]
            return ((App(node.fn, rest) if rest else node.fn), last.items[0].args[0]), typ
    if isinstance(node, Op) and node.fixity == "prefix" and node.op == "-":
        inner = _modulus(node.args[0])
        if inner is None:
            return None
        (b, n), typ = inner
        return (Op("-", (b,), "prefix"), n), typ
    if isinstance(node, Op) and node.fixity == "infix":
        inner = _modulus(node.args[1])
        if inner is None:
            return None
        (b, n), typ = inner
        return (Op(node.op, (node.args[0], b)), n), typ
    return None


@rule(
    "spelling",
    lemma="arithmetic on numerals (`Int.emod` of numerals, `Nat.cast_ofNat`, `norm_num`)",
    meets=[
        ("(a : ℤ) : a % 6 = -1 % 6", "(a : ℤ) : a % 6 = 5"),
        ("(n : ℕ) : n = 2 * 3", "(n : ℕ) : n = 6"),
    ],
    apart=[
        ("(n : ℕ) : n = 2 * 3", "(n : ℕ) : n = 5"),
        (
            "{R : Type*} [AddMonoidWithOne R] : 3 + 1 = (4 : R)",
            "{R : Type*} [AddMonoidWithOne R] : 2 + 2 = (4 : R)",
        ),
    ],
)
def numerals(node: Node, ctx: Context) -> Node | None:
    """`2 * 3` is `6`, `-1 % 6` is `5` (the remainder of integers is never negative), in a
    statement about numbers only: in a general `AddMonoidWithOne R` numerals are casts, and
    `3 + 1 = (4 : R)` is a theorem, not a spelling (found by the Mathlib probe)."""
    if not ctx.commutative:
        return None
    if not (isinstance(node, Op) and node.fixity == "infix" and node.op in ("+", "*", "%")):
        return None
    a, b = (_num(x) for x in node.args)
    if a is None or b is None:
        return None
    if node.op == "%":
        return _numeral(a % b) if b > 0 else None
    return _numeral(a + b if node.op == "+" else a * b)


@rule(
    "spelling",
    lemma="`Nat.lt_iff_add_one_le`, `Int.lt_iff_add_one_le`, `Nat.pos_iff_ne_zero`: on ℕ and ℤ a "
    "strict bound by a numeral is a non-strict one",
    meets=[
        ("(m : ℤ) (h : m > 1) : True", "(m : ℤ) (h : 2 ≤ m) : True"),
        ("(m : ℤ) : m ≤ 3 ∨ m = 7", "(m : ℤ) : m < 4 ∨ m = 7"),
        ("(n : ℕ) (h : n ≠ 0) : True", "(n : ℕ) (h : 1 ≤ n) : True"),
        ("(n : ℕ) (h : n > 0) : True", "(n : ℕ) (h : n ≠ 0) : True"),
    ],
    apart=[
        ("(x : ℝ) (h : x > 1) : True", "(x : ℝ) (h : 2 ≤ x) : True"),
        ("(n : ℕ) (h : n < 0) : True", "(n : ℕ) (h : n ≤ 0) : True"),
        ("(n : ℤ) (h : n ≠ 0) : True", "(n : ℤ) (h : 1 ≤ n) : True"),
    ],
)
def integer_bounds(node: Node, ctx: Context) -> Node | None:
    """`c < n` is `c + 1 ≤ n`, `n < c` is `n ≤ c - 1`; on ℕ, `n ≠ 0` is `1 ≤ n`."""
    if not (isinstance(node, Op) and node.fixity == "infix"):
        return None
    left, right = node.args
    if node.op == "<":
        c, t = _num(left), right
        if c is not None and _integer(t, ctx):
            return Op("≤", (_numeral(c + 1), t))
        c, t = _num(right), left
        kind = _integer(t, ctx)
        if c is not None and kind and (kind == "ℤ" or c >= 1):
            return Op("≤", (t, _numeral(c - 1)))
    if node.op == "≠":
        for t, zero in ((left, right), (right, left)):
            if zero == Num("0") and _integer(t, ctx) == "ℕ":
                return Op("≤", (Num("1"), t))
    return None
