"""Structural equivalence: two Lean statements with the same normal form say the same thing.

The normal form undoes the changes that never alter meaning: the theorem's name, binder and
hypothesis names (alpha-renaming), binder grouping and bracket kind (`{x y : ℝ}` = `(x : ℝ)
(y : ℝ)`), the order of hypotheses, `∀ x, P → Q` in the conclusion versus binders and
hypotheses, `≥`/`>` (flipped to `≤`/`<`), `¬ (a = b)`/`a ≠ b`, the order of the operands of
`=`, `≠`, `↔`, `∧`, `∨`, `λ`/`fun`, `=>`/`↦`, `∑ x in s`/`∑ x ∈ s`, `x ∈ Set.Icc a b`/
`a ≤ x ∧ x ≤ b` (and `Ico`/`Ioc`/`Ioo`, `Finset` alike), a conjunctive hypothesis/several,
redundant parentheses and spacing. The operands of `+` and `*` chains are sorted only when
every type the statement writes is a commutative number type (ℕ ℤ ℚ ℝ ℂ, `Fin n`, `ZMod n`,
functions and products of them) and no instance binder or non-commutative structure (`Matrix`,
`Equiv`, `List`, ordinals, ...) appears.
Nothing is reordered inside a `·` section with two or more `·` (their order is the order of
the arguments), nor in the type of a named binder the statement uses (`(h : R = S)` in
`eqToHom h`: its orientation is part of the conclusion's type); a binder written without a
type turns commutativity off; `⨆ i, f i * r` keeps its body whole (it is not `(⨆ i, f i) * r`);
precedences are Lean's, so `-x ^ n` is `-(x ^ n)` and `x * y • m` is `x * (y • m)`.
Also undone, as model outputs write them: `Type u_1`/`Type u`/`Type _` for the binder's own
universe (`Type*`); `[C x]` vs `(h : C x)`; `¬ P`/`a ≠ b` as the type vs `P → False`;
`Π`/`(i : ι) →` vs `∀`; `(f a) b`; `↥S`, and `↑x` as a function's argument; `fun x ↦ f x`
vs `f` (eta); a binder's elided type where its first use that fixes one is an argument of a
local function (`∀ n, IsConnected (A n)`, `∀ x y, f (x + y) = …`), the other operand of a
relation (`f x = c`, `a ≤ b + ε`), an interval's element or the limit in
`Tendsto u l (𝓝 c)`; relations of bound names and numerals (`∀ ε > 0`) are passed over.
Logic and notation written out: bounded quantifiers are their macros (`∀ x ∈ s, P` is
`∀ x, x ∈ s → P`, `∃ x > 0, P` is `∃ x, x > 0 ∧ P`) and `x ∈ s` with `s : Set T` types `x`; `∃`
moves out of `∧` and `∀` out of `→` (after visible propositions) when nothing is captured; `∧`,
`∨` and `→` chains are flat; membership in `s ∩ t`, `s ∪ t`, `sᶜ`, `{y | P y}` unfolds;
`¬ (a ∈ s)` is `a ∉ s`, and classically `¬ ¬ P` is `P`, `¬ ∀ x, P` is `∃ x, ¬ P`, `¬ (A → B)` is
`A ∧ ¬ B`, `¬ A → ¬ B` is `B → A`; `s ≠ ∅`, `s.Nonempty` and `Set.Nonempty s` are one form;
`x ^ 2` is `x * x`; `Prime p` is `Nat.Prime p` for `p : ℕ` (bound ones too); `Fintype.card` is
`Nat.card`, and a bare `[Fintype G]` is `[Finite G]`; `∃ x, x ∈ s` is `s.Nonempty` and
`∃ x, ∀ i, x ∈ s i` is `(⋂ i, s i).Nonempty`; membership in `⋂`/`⋃` unfolds; `Infinite ↥s`,
`Infinite {x // P}` and `¬ s.Finite` are `Set.Infinite s` (`Finite` alike); a hypothesis `m = e`
defining a number variable `m` by arithmetic on variables of its type is substituted.
Notation and definitions written out: `|a|` is `abs a`, `√x` is `Real.sqrt x`, `π` is `Real.pi`,
`1 / x` is `x⁻¹`, `‖a‖`, `Complex.abs a` and (on ℂ) `abs a` are `norm a`, `𝓝` is `nhds`, `conj`
is `starRingEnd ℂ`, `n !` is `Nat.factorial n`, `Module.End R V` is `V →ₗ[R] V`,
`Finset.sum s (fun i ↦ e)` is `∑ i ∈ s, e`, `(e).Prime` on arithmetic of type ℕ is
`Nat.Prime e`, `f = fun x ↦ e` for a local `f` is `∀ x, f x = e`, `∀ x, ContinuousAt f x` is
`Continuous f` (`DifferentiableAt`: `Differentiable`), `Commute a b` is `a * b = b * a`,
`[Fact P]` is `P`; `Function.Injective f`, `Surjective`, `Bijective`, `Monotone`, `Antitone`,
`StrictMono`, `StrictAnti` are their bodies (binders typed from `f`'s written type);
`∀ x, x ∈ s → x ∈ t` is `s ⊆ t`; `Nat.Coprime a b` is `Nat.gcd a b = 1`; `∃! x, P x` is
`∃ x, P x ∧ ∀ y, P y → y = x` (`∃! x ∈ s, P` is `∃! x, x ∈ s ∧ P`). For a variable `n` of `ℕ` or
`ℤ` and a numeral `c`: `c ≤ n` is `c - 1 < n`, `n ≤ c` is `n < c + 1`, `Even n` and `2 ∣ n` are
`n % 2 = 0`, `Odd n`, `¬ Even n` and `n % 2 ≠ 0` are `n % 2 = 1`; on `ℕ`, `n ≠ 0` is `0 < n`;
`a ≡ b [MOD n]` is `a % n = b % n` (`[ZMOD n]` on integer terms), numerals worked out. A
numeral's type ascription goes where elaboration makes it redundant, and casts where it puts
them (`eval.numeral_types`: `(2 : ℝ) * x` is `2 * x` for `x : ℝ`, `x = ↑n` and `x = n` are
`x = (n : ℝ)` for `n : ℕ`, `Polynomial.C (12 : ℚ) + X` is `(12 + X : ℚ[X])`), `(1 : F) ∈ K` is
`1 ∈ K` for `K : Subring F`, `(3 : ℤ) ∣ a` is `3 ∣ a` for `a : ℤ`, and `R[X]` is `Polynomial R`.
A conclusion `CommRing R` under `[Ring R]` (`CommGroup G` under `[Group G]`, …) and
`IsCommutative G Mul.mul` read as `∀ a b, a * b = b * a`: a theorem cannot conclude data, and
people read it so.
Bound variables (set-builder ones too) are renamed apart from free ones before names are made
canonical, and same-shaped hypotheses are tried in every order so that names cannot decide.
Equal normal forms are equivalent (sound); different ones may still be (incomplete).
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from eval.numeral_types import COLLECTIONS, NUMBER_RANK, settle_numerals
from eval.statement_names import NOTATION_TYPES
from formalizer.statement import StatementError, parse_statement
from indexer.lean_syntax import binder_groups

# Modifier letters Lean writes as postfix notation (`ᶜ` `ᵀ` `ᵒᵖ` `ᵒᵈ`), never inside a name;
# the subscripts `ᵢ`-`ᵪ` between them are name characters.
POSTFIX_CHARS = "\u1d2c-\u1d61\u1d6b-\u1dbf"
_TOKEN = re.compile(
    r"\s*("
    r"[∀∃∑∏][ᶠᵐ]|"  # `∀ᶠ x in f, P`, `∃ᵐ x ∂μ, P`, `∏ᶠ i, f i`: one notation each
    r"→\+\*|→\*|→\+|≃\+\*|≃\*|≃\+|[→≃][ₗₐL](?=\s*\[)|<->|->|=>|:=|≠|≤|≥|↔|→|↦|∧|∨|¬|∣|∈|∉|⊆|⊂|∀|∃!|∃|λ|[↑‖√⌊⌋⌈⌉!#⅟]|"
    r"[()\[\]{}⟨⟩,:]|"
    rf"[{POSTFIX_CHARS}]+|"
    rf"[^\s()\[\]{{}}⟨⟩,:≠≤≥↔→↦∧∨¬∣∈∉⊆⊂∀∃λ<>=+\-*/%^|↑‖√⌊⌋⌈⌉!#⅟{POSTFIX_CHARS}]+|"
    r"<|>|=|\+|-|\*|//|/|%|\^|\|"
    r")"
)
_OPEN = {"(": ")", "[": "]", "{": "}", "⟨": "⟩"}
_CLOSE = set(_OPEN.values())
# Tokens that open a binder reaching to the end of the term: `fun x ↦ …`, `∀ x, …`.
_BINDERS = ("∀", "∃", "∃!", "fun")
# `⨆ i, body`, `∑' n, body`, `∫ x in s, body`: binder notations whose body reaches as far
# right as it can. Kept whole (body normalised) and parenthesised as an operand.
_BIG = ("⨆", "⨅", "⋃", "⋂", "∑'", "∏'", "∫", "∫⁻", "∮", "⨍", "⨁", "∐")
_BIG += ("∀ᶠ", "∃ᶠ", "∀ᵐ", "∃ᵐ", "∑ᶠ", "∏ᶠ")
_REL = {"=", "≠", "<", ">", "≤", "≥", "∈", "∉", "⊆", "⊂", "∣"}
_SYMMETRIC = {"=", "≠", "↔", "∧", "∨"}
# Bundled morphisms and equivalences, `G →* H`, `A ≃+* B`: infix at `→`'s precedence.
_HOMS = ("→+*", "→*", "→+", "≃+*", "≃*", "≃+", "→ₗ", "→ₐ", "→L", "≃ₗ", "≃ₐ", "≃L")
_FLIP = {">": "<", "≥": "≤"}
_RELATIONS = ("=", "≠", "<", ">", "≤", "≥", "∈", "∉", "⊆", "⊂", "∣")


def tokens(text: str) -> list[str]:
    text = re.sub("λ(?!_)", " fun ", text)  # `λ_ X` is the left unitor, not a `fun`
    text = text.replace("=>", "↦").replace("->", "→").replace("<->", "↔")
    text = text.replace("<|", " $ ")  # `f <| x` and `f $ x` are `f (x)`
    out: list[tuple[str, int]] = []  # (token, where it starts)
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            if text[pos:].strip() == "":
                break
            out.append((text[pos], pos))
            pos += 1
            continue
        out.append((m.group(1), m.start(1)))
        pos = m.end()
    located = _polynomial_rings([(t, at) for t, at in out if t])
    toks = _notation(_norms(_absolute_values(located, text)))
    toks = _images(_factorials(_endomorphisms(toks)))
    return _dependent_arrows(_drop_coercions([("∀" if t == "Π" else t) for t in toks]))


_RING_NAME = re.compile(r"^(ℕ|ℤ|ℚ|ℝ|ℂ|[A-Z]|[A-Z]ₚ)$")


def _polynomial_rings(toks: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """`R[X]` -> `Polynomial R`: Mathlib's `notation:9000 R "[X]" => Polynomial R`, written
    with no space before the bracket. Read so only after a number type, a one-letter ring
    name or a bracket (`(ZMod p)[X]`): `l[X]` can index a list."""
    out = list(toks)
    k = 1
    while k + 2 < len(out):
        (t, at), (prev, prev_at) = out[k], out[k - 1]
        tight = at == prev_at + len(prev)
        if t == "[" and [x for x, _ in out[k + 1 : k + 3]] == ["X", "]"] and tight:
            start = k - 1
            if prev == ")":
                depth = 0
                for j in range(k - 1, -1, -1):
                    depth += (out[j][0] == ")") - (out[j][0] == "(")
                    if depth == 0:
                        start = j
                        break
            if prev == ")" or _RING_NAME.match(prev):
                out[k : k + 3] = []
                out.insert(start, ("Polynomial", -1))
        k += 1
    return out


def _absolute_values(toks: list[tuple[str, int]], text: str) -> list[str]:
    """`|a - b|` -> `(abs (a - b))`: Mathlib's `macro:max atomic("|" noWs) a:term noWs "|"`.
    Whitespace tells the bars apart as Lean's parser does: an opening bar has none after it,
    a closing bar none before it; `{x | p x}` has both. Anything unbalanced stays as written."""
    plain = [t for t, _ in toks]
    if "|" not in plain:
        return plain
    out: list[str] = []
    opened: list[int] = []  # the innermost bracket around each open bar (-1: none)
    brackets: list[int] = []  # the brackets open here, by position
    for k, (t, at) in enumerate(toks):
        tight_before = at > 0 and not text[at - 1].isspace()
        tight_after = at + 1 < len(text) and not text[at + 1].isspace()
        if t in _OPEN:
            brackets.append(k)
        elif t in _CLOSE and brackets:
            brackets.pop()
        if t != "|":
            out.append(t)
            continue
        inside = brackets[-1] if brackets else -1
        ends_term = bool(out) and (out[-1] not in _ALL_OPS or out[-1] in _CLOSE)
        if opened and opened[-1] == inside and tight_before and ends_term:
            if k + 1 < len(toks) and toks[k + 1][0].startswith("ₘ"):
                return plain  # `|a|ₘ` is `mabs a`
            opened.pop()
            out.extend([")", ")"])
        elif tight_after and text[at + 1] != "|":
            opened.append(inside)
            out.extend(["(", "abs", "("])
        else:
            out.append(t)
    return plain if opened else out


def _norms(toks: list[str]) -> list[str]:
    """`‖a + b‖` -> `(norm (a + b))`: Mathlib's `notation "‖" e "‖" => norm e`. A bar after
    the end of a term closes the innermost open one in the same brackets, any other opens
    one. Anything unbalanced, and `‖a‖₊` (`nnnorm`), `‖a‖ₑ`, stays as written."""
    if "‖" not in toks:
        return toks
    out: list[str] = []
    opened: list[int] = []  # the bracket depth at each open bar
    depth = 0
    for k, t in enumerate(toks):
        depth += (t in _OPEN) - (t in _CLOSE)
        ends_term = bool(out) and (out[-1] not in _ALL_OPS or out[-1] in _CLOSE)
        if t != "‖":
            out.append(t)
        elif opened and opened[-1] == depth and ends_term:
            if toks[k + 1 : k + 2] and toks[k + 1][0] in "₊ₑ":
                return toks
            opened.pop()
            out.extend([")", ")"])
        else:
            opened.append(depth)
            out.extend(["(", "norm", "("])
    return toks if opened else out


# Notations and names that are another name: `√` (`prefix:max`, taking its argument as an
# application does), `𝓝` (`notation "𝓝" => nhds`), and `Complex.abs`, which is the norm on ℂ
# (`Complex.norm_eq_abs`; Mathlib removed it for the norm).
_SAME_NAME = {"√": "Real.sqrt", "nhds": "𝓝", "Complex.abs": "norm"}


def _two_arguments(toks: list[str], k: int) -> tuple[list[list[str]], int]:
    """The (up to) two arguments after the function at `toks[k]`, each a token or a bracket,
    and where they end."""
    args, at = [], k + 1
    while len(args) < 2 and at < len(toks) and toks[at] not in _CLOSE | _ALL_OPS - {"("}:
        end = _closing(toks, at) if toks[at] in _OPEN else at
        args.append(toks[at : end + 1])
        at = end + 1
    return args, at


_IMAGES = {"Set.image": "''", "Set.preimage": "⁻¹'"}


def _images(toks: list[str]) -> list[str]:
    """`Set.image f s` -> `(f '' s)`, `Set.preimage f s` -> `(f ⁻¹' s)`: their notation."""
    out = list(toks)
    for k in range(len(out) - 1, -1, -1):
        if out[k] not in _IMAGES:
            continue
        args, at = _two_arguments(out, k)
        if len(args) == 2:
            out[k:at] = ["(", *args[0], _IMAGES[out[k]], *args[1], ")"]
    return out


def _factorials(toks: list[str]) -> list[str]:
    """`n !` and `(n + 1)!` -> `(Nat.factorial n)`: `open Nat`'s `notation:10000 n "!"`."""
    out = list(toks)
    for k in range(len(out) - 1, 0, -1):
        if out[k] != "!":
            continue
        if out[k - 1] == ")":
            start = _enclosing_bracket(out, k - 1)  # the `(` that `)` closes
            if start is None:
                continue
        elif _NAME_TOKEN.match(out[k - 1]) or out[k - 1].isdigit():
            start = k - 1
        else:
            continue
        out[start : k + 1] = ["(", "Nat.factorial", *out[start:k], ")"]
    return out


def _endomorphisms(toks: list[str]) -> list[str]:
    """`Module.End R M` -> `(M →ₗ[R] M)`: Mathlib's `abbrev Module.End R M := M →ₗ[R] M`."""
    out = list(toks)
    for k in range(len(out) - 1, -1, -1):
        if out[k] != "Module.End" or k + 2 >= len(out):
            continue
        args, at = _two_arguments(out, k)
        if len(args) == 2:
            ring, space = args
            out[k:at] = ["(", *space, "→ₗ", "[", *ring, "]", *space, ")"]
    return out


def _notation(toks: list[str]) -> list[str]:
    """Each of `_SAME_NAME` written one way, and `starRingEnd R` as `conj`, its notation
    (`ComplexConjugate`'s `notation "conj" => starRingEnd _`)."""
    out = [_SAME_NAME.get(t, t) for t in toks]
    for k in range(len(out) - 2, -1, -1):
        if out[k] != "starRingEnd" or out[k + 1] in _OPEN or out[k + 1] in _ALL_OPS:
            continue
        bracketed = k and out[k - 1] == "(" and out[k + 2 : k + 3] == [")"]
        out[k - 1 if bracketed else k : k + 3 if bracketed else k + 2] = ["conj"]
    return out


_NAME_TOKEN = re.compile(r"^[^\W\d][\w'₀-₉.]*$")


def _drop_coercions(toks: list[str]) -> list[str]:
    """`IsAlgebraic ↥F a` -> `IsAlgebraic F a`, `f ↑x` -> `f x`: a coercion arrow on a name that
    is a function's argument, or `↥` on a name, only spells out what elaboration inserts
    there. Kept elsewhere: `↑(a - b)` is not `↑a - ↑b`, and `⇑e.toEquiv = e` (an equation of
    functions) is not `e.toEquiv = e` (one of equivalences), because the first operand of a
    relation fixes the type the relation is about."""
    out: list[str] = []
    for i, t in enumerate(toks):
        argument = i > 0 and (_NAME_TOKEN.match(toks[i - 1]) or toks[i - 1] == ")")
        if t == "↑" and argument and i + 1 < len(toks) and _NAME_TOKEN.match(toks[i + 1]):
            continue
        if t[:1] == "↥" and _NAME_TOKEN.match(t[1:]):
            t = t[1:]
        out.append(t)
    return out


def _dependent_arrows(toks: list[str]) -> list[str]:
    """`(i : ι) → X i` -> `∀ i : ι, X i`: the same Pi type, two spellings."""
    i = 0
    while i < len(toks):
        if toks[i] == "(":
            j = _closing(toks, i)
            inner = toks[i + 1 : j]
            argument = i > 0 and (_NAME_TOKEN.match(toks[i - 1]) or toks[i - 1] in _CLOSE)
            if (
                j + 1 < len(toks)
                and toks[j + 1] == "→"
                and not argument  # `f (x : T) → P` applies `f` to an ascription
                and ":" in inner
                and inner.index(":") > 0
                and all(_simple_name(t) for t in inner[: inner.index(":")])
            ):
                toks = [*toks[:i], "∀", *inner, ",", *toks[j + 2 :]]
        i += 1
    return toks


def _depth_split(toks: list[str], op: str) -> list[list[str]]:
    """Split at `op` where no bracket is open and no binder (`∀`/`∃`/`fun` ... `,`) is open."""
    parts: list[list[str]] = [[]]
    depth = 0
    in_head = False  # inside `∑ x ∈ s` before its comma: no split points there
    for i, t in enumerate(toks):
        if in_head:
            parts[-1].append(t)
            in_head = not (depth == 0 and t == ",")
            depth += (t in _OPEN) - (t in _OPEN.values())
            continue
        if depth == 0 and t in ("∑", "∏"):
            parts[-1].append(t)
            in_head = True
            continue
        if t in _OPEN:
            depth += 1
        elif t in _OPEN.values():
            depth -= 1
        elif depth == 0 and t in (*_BINDERS, *_BIG):
            parts[-1].extend(toks[i:])  # a binder's body extends as far right as possible
            return parts
        if depth == 0 and t == op:
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def _strip_parens(toks: list[str]) -> list[str]:
    while len(toks) >= 2 and toks[0] == "(" and toks[-1] == ")":
        depth = 0
        for i, t in enumerate(toks):
            depth += t in _OPEN
            depth -= t in _OPEN.values()
            if depth == 0 and i < len(toks) - 1:
                return toks
        toks = toks[1:-1]
    return toks


def _apply_dollar(toks: list[str]) -> list[str]:
    """`f $ a + b` -> `f (a + b)`: `$` (and `<|`) binds loosest of all, so everything right of
    the first one outside brackets and binder bodies is one argument."""
    depth = 0
    for i, t in enumerate(toks):
        if depth == 0 and t in (*_BINDERS, *_BIG, "∑", "∏"):
            return toks  # a binder's body keeps its own `$`; normalised with the body
        if depth == 0 and t == "$" and 0 < i < len(toks) - 1:
            return [*toks[:i], "(", *toks[i + 1 :], ")"]
        depth += (t in _OPEN) - (t in _OPEN.values())
    return toks


def _enclosed(s: str) -> bool:
    """One pair of parentheses encloses all of `s` (`(a b)`, not `(a) (b)`)."""
    depth = 0
    for i, ch in enumerate(s):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return i == len(s) - 1 and s[0] == "("
    return False


def norm(toks: list[str]) -> str:
    """The normal form of one term (names already canonical)."""
    toks = _strip_parens(_apply_dollar(_strip_parens(toks)))
    if not toks:
        return ""
    if (subject := _nonempty_subject(toks)) is not None:
        return _nonempty(subject)
    if (sized := _set_size(toks)) is not None:
        if sized[0] == "Set.Nonempty":  # `Nonempty ↥s` is `s.Nonempty` (`Set.nonempty_coe_sort`)
            return _nonempty(_strip_parens(sized[1:]))
        return _sequence(sized)
    section = _section(toks)
    swap = not section and not getattr(_state, "ordered", False)
    for op in ("↔", "→", *_HOMS, "∨", "∧"):
        parts = _depth_split(toks, op)
        if len(parts) > 1:
            if op in ("∧", "∨"):  # associative: `a ∧ (b ∧ c)` is `a ∧ b ∧ c`
                parts = _flatten(parts, op)
            while op == "→" and len(tail := _depth_split(_strip_parens(parts[-1]), op)) > 1:
                parts = [*parts[:-1], *tail]  # `a → (b → c)` is `a → b → c`
            if (pulled := _prenex(parts, op)) is not None:
                return norm(pulled)
            if op == "→" and len(parts) == 2 and all(map(_negative, parts)):
                # `¬ A → ¬ B` is `B → A` (classically): `x ≠ y → f x ≠ f y` is injectivity
                positive = [_negative(p) or p for p in parts]
                return norm([*positive[1], "→", *positive[0]])
            if op == "→":  # right-associative, not symmetric
                return " → ".join(_wrap(norm(p)) for p in parts)
            if op in _HOMS:
                if len(parts) > 2:  # `A ≃* B ≃* C` is not a statement's type: as written
                    return _sequence(toks)
                return f" {op} ".join(_wrap(norm(p)) for p in parts)
            items = [_wrap(norm(p)) for p in parts]
            return f" {op} ".join(sorted(items, key=_sort_key) if swap else items)
    if toks[0] == "¬":
        inner = _strip_parens(toks[1:])
        if inner[:1] == ["¬"]:  # `¬ ¬ P` is `P` (classically)
            return norm(inner[1:])
        if _finite_set(inner) and (sized := _set_size(inner) or inner)[0] == "Set.Finite":
            return norm(["Set.Infinite", *sized[1:]])  # `Set.Infinite s` is `¬ s.Finite`
        if inner[:1] == ["∀"] and (comma := _top_level(inner, ",")) is not None:
            # `¬ ∀ x, P` is `∃ x, ¬ P` (classically; `push_neg` does the same)
            return norm(["∃", *inner[1:comma], ",", "¬", "(", *inner[comma + 1 :], ")"])
        connectives = [op for op in ("↔", "→", "∨", "∧") if len(_depth_split(inner, op)) > 1]
        if connectives == ["→"]:  # `¬ (A → B)` is `A ∧ ¬ B` (classically)
            imp = _depth_split(inner, "→")
            rest = [t for i, p in enumerate(imp[1:]) for t in (["→"] if i else []) + p]
            return norm(["(", *imp[0], ")", "∧", "¬", "(", *rest, ")"])
        eq = _depth_split(inner, "=") if not connectives else []
        if len(eq) == 2:
            sides = [norm(eq[0]), norm(eq[1])]
            if "∅" in sides:  # `¬ (s = ∅)` is `s.Nonempty`
                return _nonempty(sides[1 - sides.index("∅")])
            return " ≠ ".join(sorted(sides, key=_sort_key) if swap else sides)
        mem = _depth_split(inner, "∈") if not connectives else []
        if len(mem) == 2 and all(mem):  # `¬ (a ∈ s)` is `a ∉ s` (the notation's meaning)
            return norm([*mem[0], "∉", *mem[1]])
        return "¬ " + _wrap(norm(inner))
    if toks[0] in ("∀", "∃", "∃!"):
        return _quantifier(toks)
    for op in _RELATIONS:
        parts = _depth_split(toks, op)
        if len(parts) == 2 and all(parts):  # not `𝓝[>] x`, where `>` has no operands
            if op == "∈" and (interval := _interval(parts[0], parts[1])):
                return norm(interval)
            if op == "∈" and (unfolded := _membership(parts[0], parts[1])):
                return norm(unfolded)
            left, right = _binder_safe(norm(parts[0])), _binder_safe(norm(parts[1]))
            if op == "≠" and "∅" in (left, right):  # `s ≠ ∅` is `s.Nonempty`
                return _nonempty(right if left == "∅" else left)
            if op in _FLIP and not section:  # `a ≥ b` unfolds to `b ≤ a`; `(· ≥ ·)` does not
                return f"{right} {_FLIP[op]} {left}"
            if op in _SYMMETRIC and swap:
                left, right = sorted([left, right], key=_sort_key)
            return f"{left} {op} {right}"
    return _arith(toks)[0]


_NONEMPTY = re.compile(r"^([^\W\d][\w'₀-₉.]*)\.Nonempty$")


def _negative(toks: list[str]) -> list[str] | None:
    """`P` of a proposition `¬ P` or `a ≠ b` (`a = b`); None for any other."""
    toks = _strip_parens(toks)
    if toks[:1] == ["¬"]:
        inner = toks[1:]
        if len(_depth_split(inner, "→")) == 1 and _closing(inner, 0) == len(inner) - 1:
            return ["(", *_strip_parens(inner), ")"]
        return ["(", *inner, ")"] if len(inner) <= 2 else None
    sides = _depth_split(toks, "≠")
    if len(sides) == 2 and all(sides) and not any(_depth_split(toks, op)[1:] for op in _LOGIC):
        return ["(", *sides[0], "=", *sides[1], ")"]
    return None


_LOGIC = ("↔", "→", "∨", "∧", ",")


def _nonempty_subject(toks: list[str]) -> list[str] | None:
    """`s` of `s.Nonempty`, `(a ∩ b).Nonempty`, `Set.Nonempty s` or `Finset.Nonempty s`."""
    if len(toks) == 1 and (m := _NONEMPTY.match(toks[0])):
        return [m.group(1)]
    if len(toks) > 2 and toks[-1] == ".Nonempty" and _closing(toks, 0) == len(toks) - 2:
        return toks[1:-2] if toks[0] == "(" else toks[:-1] if toks[0] == "{" else None
    if toks[0] in ("Set.Nonempty", "Finset.Nonempty") and len(_arguments(toks[1:])) == 1:
        return toks[1:]
    return None


def _nonempty(subject: list[str] | str) -> str:
    """One form for `s.Nonempty`, `Set.Nonempty s` and `s ≠ ∅` (`Set.nonempty_iff_ne_empty`,
    `Finset.nonempty_iff_ne_empty`: the only types with both `∅` and `.Nonempty`)."""
    text = subject if isinstance(subject, str) else norm(subject)
    return f"{_wrap(text)}.Nonempty"


_SIZE = re.compile(r"^([^\W\d][\w'₀-₉]*)\.(Infinite|Finite)$")


def _size_shape(toks: list[str]) -> tuple[str, list[str]] | None:
    """(`Infinite`, `Finite` or `Nonempty`, subject) of `s.Infinite`, `(…).Finite`,
    `Finite X`, `Nonempty X`; None for other shapes."""
    if len(toks) == 1 and (m := _SIZE.match(toks[0])):
        return m.group(2), [m.group(1)]
    if toks[-1:] in ([".Infinite"], [".Finite"]) and _closing(toks, 0) == len(toks) - 2:
        return toks[-1][1:], toks[:-1]
    if toks[0] in ("Infinite", "Finite", "Nonempty", "_root_.Infinite", "_root_.Finite"):
        return toks[0].rsplit(".", 1)[-1], toks[1:]
    return None


def _set_size(toks: list[str]) -> list[str] | None:
    """`Infinite ↥s`, `Infinite {x // P}`, `s.Infinite`, `{x | P}.Infinite` -> `Set.Infinite s`
    (`Set.infinite_coe_iff`; `Finite` alike, `Set.finite_coe_iff`; `Nonempty ↥s` ->
    `Set.Nonempty s`) for a set `s`: a set-builder or a variable of type `Set T`. None for
    anything else."""
    if (shape := _size_shape(toks)) is None:
        return None
    kind, subject = shape
    if len(_arguments(subject)) != 1:
        return None
    subject = _strip_parens(subject)
    if subject[:1] == ["{"] and _closing(subject, 0) == len(subject) - 1:
        inner = subject[1:-1]
        if (bar := _top_level(inner, "//")) is not None:
            inner = [*inner[:bar], "|", *inner[bar + 1 :]]  # `{x // P}` is `↥{x | P}`
        if _top_level(inner, "|") is None:
            return None
        subject = ["{", *inner, "}"]
    elif len(subject) != 1 or getattr(_state, "carriers", {}).get(subject[0], ("",))[0] != "Set":
        return None
    if len(subject) == 1 or _closing(subject, 0) == len(subject) - 1:
        return [f"Set.{kind}", *subject]
    return [f"Set.{kind}", "(", *subject, ")"]


def _finite_set(toks: list[str]) -> bool:
    """`Set.Finite s`, `s.Finite`, `(…).Finite` or `Finite X`: the shapes whose negation may be
    `Set.Infinite s` (`_set_size` decides with the variables' types)."""
    if toks[:1] in (["Set.Finite"], ["Finite"]):
        return len(_arguments(toks[1:])) == 1
    shape = _size_shape(toks)
    return shape is not None and shape[0] == "Finite" and toks[0] != "_root_.Finite"


def _flatten(parts: list[list[str]], op: str) -> list[list[str]]:
    out: list[list[str]] = []
    for p in parts:
        inner = _strip_parens(p)
        sub = _depth_split(inner, op)
        out.extend(_flatten(sub, op) if len(sub) > 1 else [p])
    return out


def _prenex(parts: list[list[str]], op: str) -> list[str] | None:
    """`P ∧ ∃ y, Q` -> `∃ y, P ∧ Q` and `P → ∀ y, Q` -> `∀ y, P → Q` (valid whenever `y` is
    not free in `P`; then `∃ x ∈ s, ∃ y ∈ t, Q` meets `∃ x y, x ∈ s ∧ y ∈ t ∧ Q`). None when
    no quantifier can move out."""
    quantifier = {"∧": "∃", "→": "∀"}.get(op)
    candidates = range(len(parts)) if op == "∧" else [len(parts) - 1]
    for i in candidates if quantifier else []:
        q = _strip_parens(parts[i])
        comma = _top_level(q, ",") if q and q[0] == quantifier else None
        groups = _binder_list(q[1:comma]) if comma is not None else []
        if not groups:
            continue
        others = [t for j, p in enumerate(parts) if j != i for t in p]
        if {_head(t) for t in others} & {n for n, _ in groups}:
            continue  # `y` is free elsewhere: moving the binder would capture it
        if op == "→" and not all(_proposition(p) for p in parts[:-1]):
            continue  # `α → ∀ i, X i` is a type: `∀ i, α → X i` takes its arguments swapped
        rest = [[*p] for j, p in enumerate(parts) if j != i]
        body = ["(", *q[comma + 1 :], ")"]
        joined = [t for p in rest for t in ["(", *p, ")", op]]
        return [*q[: comma + 1], *joined, *body]
    return None


def _proposition(toks: list[str]) -> bool:
    """Visibly a proposition (a relation, a connective, a quantifier), not a type."""
    toks = _strip_parens(toks)
    if toks[:1] in (["¬"], ["∀"], ["∃"], ["∃!"], ["False"], ["True"]):
        return True
    return any(len(_depth_split(toks, op)) > 1 for op in (*_RELATIONS, "∧", "∨", "↔", "∉"))


def _section(toks: list[str]) -> bool:
    """`(· ≥ ·)`, `(f · + g ·)`: two or more `·` of one section, whose order is the order of
    the function's arguments, so its operands must stay where they are written."""
    depth, dots = 0, 0
    for t in toks:
        depth += (t in _OPEN) - (t in _OPEN.values())
        dots += depth == 0 and t == "·"
    return dots > 1


def _binder_safe(text: str) -> str:
    """A relation's operand that opens a binder (`fun x ↦ …`, `∀ x, …`) reaches to the end of
    the text: parenthesised, so that `(fun x ↦ x) = f` cannot read as `fun x ↦ (x = f)` once
    the operands are sorted."""
    return f"({text})" if text.split(" ", 1)[0] in _BINDERS else text


def _lambda(toks: list[str]) -> str:
    """`fun x ↦ body` with the body in normal form (`a * x + b` over ℂ as `x * a + b` does)."""
    arrow = _top_level(toks, "↦")
    if arrow is None or arrow == 1:
        return _sequence(toks)  # `fun | pattern ↦ …` and other shapes: as written
    head = _strip_parens(toks[1:arrow])  # `fun (x : X) ↦` is `fun x : X ↦`
    return f"fun {_sequence(head)} ↦ {norm(toks[arrow + 1 :])}"


_INTERVALS = {"Icc": ("≤", "≤"), "Ico": ("≤", "<"), "Ioc": ("<", "≤"), "Ioo": ("<", "<")}


def _interval(element: list[str], interval: list[str]) -> list[str] | None:
    """`x ∈ Set.Icc a b` -> `a ≤ x ∧ x ≤ b` (also `Ico`, `Ioc`, `Ioo`, and `Finset`'s)."""
    interval = _strip_parens(interval)
    if not interval or not re.fullmatch(r"(Set\.|Finset\.)?I(cc|co|oc|oo)", interval[0]):
        return None
    args = _arguments(interval[1:])
    if len(args) != 2:
        return None
    lo, hi = _INTERVALS[interval[0].rsplit(".", 1)[-1]]
    x = ["(", *element, ")"]
    return [*args[0], lo, *x, "∧", *x, hi, *args[1]]


def _membership(element: list[str], collection: list[str]) -> list[str] | None:
    """`x ∈ s ∩ t` -> `x ∈ s ∧ x ∈ t`, `x ∈ s ∪ t` -> `x ∈ s ∨ x ∈ t`, `x ∈ sᶜ` -> `x ∉ s`,
    `x ∈ {y | P y}` -> `P x` (`Set.mem_inter_iff` and the rest hold by definition; `Finset`'s
    alike). None for other collections, and for `∩` and `∪` mixed at one level."""
    collection = _strip_parens(collection)
    x = ["(", *element, ")"]
    for op, link in (("∩", "∧"), ("∪", "∨")):
        parts = _depth_split(collection, op)
        if len(parts) > 1 and all(parts):
            other = "∪" if op == "∩" else "∩"
            if any(len(_depth_split(p, other)) > 1 for p in parts):
                return None
            return [t for i, p in enumerate(parts) for t in ([link] if i else []) + [*x, "∈", *p]]
    if collection[:1] in (["⋂"], ["⋃"]) and (comma := _top_level(collection, ",")) is not None:
        # `x ∈ ⋂ i, s i` is `∀ i, x ∈ s i` (`Set.mem_iInter`; `⋃`: `∃`, `Set.mem_iUnion`)
        if {_head(t) for t in element} & set(_binder_names(collection, 0)):
            return None
        q = "∀" if collection[0] == "⋂" else "∃"
        return [q, *collection[1:comma], ",", *x, "∈", "(", *collection[comma + 1 :], ")"]
    if len(collection) > 1 and collection[-1] == "ᶜ" and len(_arguments(collection[:-1])) == 1:
        return [*x, "∉", *collection[:-1]]
    if collection[:1] == ["{"] and _closing(collection, 0) == len(collection) - 1:
        inner = collection[1:-1]
        bar = _top_level(inner, "|")
        if bar is None:  # `x ∈ {a, b}`: a set literal, not a set-builder
            return None
        head, body = inner[:bar], inner[bar + 1 :]
        name = head[0] if head and _simple_name(head[0]) else None
        captured = {_head(t) for t in element} & set(_bound_names(body))
        if name and (len(head) == 1 or head[1] == ":") and not captured:
            out: list[str] = []
            for b in body:
                if b == name:
                    out.extend(x)
                elif _head(b) == name:  # `y.succ`: only a name can take the field
                    if len(element) != 1 or not _simple_name(element[0]):
                        return None
                    out.append(element[0] + b[len(name) :])
                else:
                    out.append(b)
            return out
    return None


def _arguments(toks: list[str]) -> list[list[str]]:
    """`a (b + 1) c` -> `[a]`, `[(b + 1)]`, `[c]`: application arguments, brackets kept."""
    out: list[list[str]] = []
    i = 0
    while i < len(toks):
        end = _closing(toks, i) if toks[i] in _OPEN else i
        out.append(toks[i : end + 1])
        i = end + 1
    return out


# Lean's: `⧸` (quotient) infixl 35, `+ -` infixl 65, `* / %` infixl 70, `•` infixr 73,
# prefix `-` 75, `^` infixr 80 (so `-x ^ n` is `-(x ^ n)` and `-a * b` is `(-a) * b`).
_LEVELS = (
    (35, ("⧸",), "left"),
    (65, ("+", "-"), "left"),
    (70, ("*", "/", "%"), "left"),
    (73, ("•",), "right"),
    (80, ("^",), "right"),
)
_ATOM = 1024


def _arith(toks: list[str]) -> tuple[str, int]:
    """Arithmetic by precedence: parentheses kept only where they change the parse."""
    toks = _strip_parens(toks)
    if toks and toks[0] in _BINDERS:
        return (_quantifier(toks) if toks[0] != "fun" else _lambda(toks)), 0
    if toks and toks[0] in _BIG and (comma := _top_level(toks, ",")) is not None:
        head = _strip_parens(toks[1:comma])  # `⋃ (n : ℕ), s n` is `⋃ n : ℕ, s n`
        return f"{toks[0]} {_sequence(head)}, {norm(toks[comma + 1 :])}", 0
    k = _top_level(toks, ":")
    if k is not None and _top_level(toks[:k], "fun") is None:  # not `f fun x : T ↦ …`
        # `(n : ℝ)`: a type ascription is an atom with its parentheses
        return f"({norm(toks[:k])} : {norm(toks[k + 1 :])})", _ATOM
    for level, ops, assoc in _LEVELS:
        if toks and toks[0] in ("∑", "∏") and level > 67:
            return _big_operator(toks), 67  # `∑ x ∈ s, body`: body binds tighter than 67
        if level > 75 and toks and toks[0] == "-" and len(toks) > 1:
            inner, p = _arith(toks[1:])  # prefix `-` takes everything from `^` up
            return f"-{inner if p >= 75 else f'({inner})'}", 75
        at = _binary_positions(toks, ops, level)
        if not at:
            continue
        commutes = (
            level in _AC
            and getattr(_state, "commutative", False)
            and not getattr(_state, "ordered", False)
            and not _section(toks)
        )
        if commutes and all(toks[i] == _AC[level] for i in at):
            operands = sorted(_ac_operands(toks, at, level), key=_sort_key)
            return f" {_AC[level]} ".join(operands), level
        cut = at[-1] if assoc == "left" else at[0]
        (left, lp), (right, rp) = _arith(toks[:cut]), _arith(toks[cut + 1 :])
        if toks[cut] == "/" and left == "1":  # `1 / x` is `x⁻¹` (`one_div`)
            return (f"{right}⁻¹" if " " not in right else f"{_wrap(right)} ⁻¹"), _ATOM
        if toks[cut] == "^" and right == "2":  # `x ^ 2` is `x * x` in every monoid (`sq`)
            base = ["(", *toks[:cut], ")"]
            return _arith([*base, "*", *base])
        if lp < level or (lp == level and assoc == "right"):
            left = f"({left})"
        if rp < level or (rp == level and assoc == "left"):
            right = f"({right})"
        return f"{left} {toks[cut]} {right}", level
    seq = _sequence(toks)
    return seq, (_ATOM if " " not in seq or _enclosed(seq) else 1000)


_AC = {65: "+", 70: "*"}


def _ac_operands(toks: list[str], at: list[int], level: int) -> list[str]:
    """The operands of a `+` (or `*`) chain, nested chains flattened: `a * (b * c)` and
    `c * b * a` give the same operands. Only called for commutative types."""
    op = _AC[level]
    ops = next(o for lv, o, _ in _LEVELS if lv == level)
    out: list[str] = []
    for lo, hi in zip([-1, *at], [*at, len(toks)], strict=True):
        part = _strip_parens(toks[lo + 1 : hi])
        inner = _binary_positions(part, ops, level)
        if inner and all(part[i] == op for i in inner) and _binds_at(part, level):
            out.extend(_ac_operands(part, inner, level))
            continue
        text, prec = _arith(part)
        out.append(text if prec > level else f"({text})")
    return out


def _binds_at(toks: list[str], level: int) -> bool:
    """Nothing in `toks` binds looser than `level` (`3 * y + 2` is a sum, not a product)."""
    if not toks or toks[0] in (*_BINDERS, "∑", "∏", "-"):
        return False
    if _top_level(toks, ":") is not None:
        return False
    return not any(_binary_positions(toks, ops, lv) for lv, ops, _ in _LEVELS if lv < level)


def _big_operator(toks: list[str]) -> str:
    comma = _top_level(toks, ",")
    if comma is None:
        return _sequence(toks)
    head = ["∈" if t == "in" else t for t in toks[1:comma]]
    body, prec = _arith(toks[comma + 1 :])
    return f"{toks[0]} {' '.join(head)}, {body if prec >= 67 else f'({body})'}"


def _binary_positions(toks: list[str], ops: tuple[str, ...], level: int) -> list[int]:
    out = []
    depth = 0
    skip_to_comma = False
    for i, t in enumerate(toks):
        if skip_to_comma:
            skip_to_comma = not (depth == 0 and t == ",")
            depth += (t in _OPEN) - (t in _OPEN.values())
            continue
        if t in _OPEN:
            depth += 1
        elif t in _OPEN.values():
            depth -= 1
        elif depth == 0 and t in ("∀", "∃", "fun", *_BIG):
            break
        elif depth == 0 and t in ("∑", "∏"):
            if level > 67:
                break  # the big operator's body takes these operators
            skip_to_comma = True
        elif depth == 0 and t in ops and i > 0 and toks[i - 1] not in _ALL_OPS:
            out.append(i)
    return out


_ALL_OPS = {"+", "-", "*", "/", "%", "^", "•", "(", "[", ",", ":", "="} | _REL


_state = threading.local()


def _sort_key(text: str) -> tuple[str, str]:
    """Operands of symmetric operators are ordered by their shape with local names masked,
    so the order does not depend on what the variables are called."""
    local = getattr(_state, "local", ())
    masked = " ".join("□" if _head(t) in local else t for t in text.split()) if local else text
    return masked, text


def _wrap(s: str) -> str:
    """Parenthesize a compound operand, unless one pair of parens already encloses all of it
    (`(p n) ∧ (q n)` starts and ends with a paren but is not enclosed)."""
    return s if " " not in s or _enclosed(s) else f"({s})"


def _quantifier(toks: list[str]) -> str:
    """`∃ x y : T, P` -> `∃ x : T, ∃ y : T, P`; `∀ x ∈ s, P` kept with its bound form."""
    q = toks[0]
    comma = _top_level(toks, ",")
    if comma is None:
        return _sequence(toks)
    head, body = toks[1:comma], toks[comma + 1 :]
    groups = _binder_list(head)
    if not groups:
        return f"{q} {' '.join(head)}, {norm(body)}"
    if q == "∃" and (nonempty := _exists_member(*groups[-1], body)) is not None:
        groups, body = groups[:-1], nonempty
        if not groups:
            return norm(body)
    out = norm(body)
    for name, typ in reversed(groups):
        out = f"{q} {name}{' : ' + norm(typ) if typ else ''}, {out}"
    return out


def _exists_member(x: str, typ: list[str], body: list[str]) -> list[str] | None:
    """`∃ x, x ∈ s` -> `s.Nonempty` and `∃ x, ∀ i, x ∈ s i` -> `(⋂ i, s i).Nonempty`, with
    `x` not in `s` (`Set.Nonempty` and `Finset.Nonempty` are these by definition). `x` may
    have a written type `typ` only where it is the element type of a variable `s`: another
    type would make `x ∈ s` a coercion's membership. None for other bodies."""
    body = _strip_parens(body)
    binders: list[list[str]] = []
    while body[:1] == ["∀"] and (comma := _top_level(body, ",")) is not None:
        binders.append(body[1:comma])
        body = _strip_parens(body[comma + 1 :])
    # `∃ x, x ∈ s ∧ P` is `(∃ x, x ∈ s) ∧ P` at best: only a lone membership is read
    mem = _lone_membership(body, x)
    if mem is None:
        return None
    subject = mem[1]
    if not binders and subject[:1] != ["⋂"] and (_interval(mem[0], subject) or _membership(*mem)):
        return None  # `∃ c, c ∈ Set.Ioo a b` unfolds to meet `∃ c, a < c ∧ c < b` instead
    if typ:  # `∃ n : ℕ, n ∈ s` with `s : Set ℤ` is `∃ n : ℕ, ↑n ∈ s`, not `s.Nonempty`
        carriers = getattr(_state, "carriers", {})
        if binders or len(subject) != 1 or carriers.get(subject[0], ("",))[1:] != (norm(typ),):
            return None
    for head in reversed(binders):
        subject = ["⋂", *head, ",", *subject]
    return ["(", *subject, ")", ".Nonempty"]


def _lone_membership(toks: list[str], x: str) -> list[list[str]] | None:
    """`[[x], s]` when `toks` is `x ∈ s` alone (no other connective or relation at its top
    level) and `x` is not in `s`; else None."""
    others = ("↔", "→", "∨", "∧", *(r for r in _RELATIONS if r != "∈"))
    if any(len(_depth_split(toks, op)) > 1 for op in others):
        return None
    mem = _depth_split(toks, "∈")
    if len(mem) != 2 or mem[0] != [x] or not mem[1] or x in {_head(t) for t in mem[1]}:
        return None
    return mem


def _depth(toks: list[str]) -> int:
    return sum(t in _OPEN for t in toks) - sum(t in _OPEN.values() for t in toks)


def _top_level(toks: list[str], token: str) -> int | None:
    """Index of the first `token` outside every bracket, or None."""
    depth = 0
    for i, t in enumerate(toks):
        if depth == 0 and t == token:
            return i
        depth += (t in _OPEN) - (t in _OPEN.values())
    return None


def _closing(toks: list[str], start: int) -> int:
    """Index of the bracket closing the one opened at `start` (the last index if unclosed)."""
    depth = 0
    for j in range(start, len(toks)):
        depth += (toks[j] in _OPEN) - (toks[j] in _OPEN.values())
        if depth == 0:
            return j
    return len(toks) - 1


def _binder_list(head: list[str]) -> list[tuple[str, list[str]]]:
    """`x y : T` or `(x : T) (y : U)` -> [(x, T), (y, T or U)]; [] for other shapes."""
    if not head:
        return []
    if head[0] == "(":
        out: list[tuple[str, list[str]]] = []
        i = 0
        while i < len(head):
            if head[i] != "(":
                return []
            j = _closing(head, i)
            inner = head[i + 1 : j]
            if ":" not in inner:
                return []
            k = inner.index(":")
            out.extend((n, inner[k + 1 :]) for n in inner[:k])
            i = j + 1
        return out
    if ":" in head:
        k = head.index(":")
        if all(re.match(r"^[^\W\d]", n) for n in head[:k]):
            return [(n, head[k + 1 :]) for n in head[:k]]
        return []
    if all(re.match(r"^[^\W\d][\w'₀-₉]*$", n) for n in head):
        return [(n, []) for n in head]
    return []


# Tokens that apply to the term just before them: `x⁻¹`, `n !`, `sᶜ`, `(f x).1`
_TRAILING = re.compile(rf"^(⁻¹|!|\.|[{POSTFIX_CHARS}])")


def _sequence(toks: list[str]) -> str:
    """Applications and arithmetic: normalise bracketed parts, drop parens around atoms."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t in _OPEN:
            j = _closing(toks, i)
            inner = toks[i + 1 : j]
            close = _OPEN[t]
            if t == "(":
                inner_norm = _paren_inner(inner)
                atom = " " not in inner_norm or (len(out) == 0 and i == 0 and j == len(toks) - 1)
                if j + 1 < len(toks) and _TRAILING.match(toks[j + 1]):  # `(f x)⁻¹`, `(f x).1`
                    out.append(inner_norm if " " not in inner_norm else f"({inner_norm})")
                    i = j + 1
                    continue
                # `(f a) b` is `f a b`: application associates to the left
                atom = atom or (i == 0 and all(_NAME_TOKEN.match(x) or x.isdigit() for x in inner))
                # `s ∩ (f a)` is `s ∩ f a`: application binds tighter than any infix operator
                atom = atom or (
                    (i == 0 or toks[i - 1] in _INFIX)
                    and (j == len(toks) - 1 or toks[j + 1] in _INFIX)
                    and len(toks) > j - i + 1
                    and _is_application(inner)
                )
                out.append(inner_norm if atom else f"({inner_norm})")
            elif t == "{" and (bar := _top_level(inner, "|")) is not None:
                out.append(f"{{{_paren_inner(inner[:bar])} | {norm(inner[bar + 1 :])}}}")
            else:
                out.append(f"{t}{_paren_inner(inner)}{close}")
            i = j + 1
            continue
        if t == "fun" and out:  # `f fun x ↦ b` is `f (fun x ↦ b)`: the body reaches the end
            out.append(f"({_lambda(toks[i:])})")
            break
        if t in ("∑", "∏") and "in" in toks[i:]:
            k = toks.index("in", i)
            toks = [*toks[:k], "∈", *toks[k + 1 :]]
        out.append(t)
        i += 1
    return " ".join(out)


# Infix operators that `_LEVELS` does not order (they stay in `_sequence`'s token runs).
_INFIX = {"∩", "∪", "\\", "∆", "×ˢ", "∘", "⊓", "⊔", "''", "⁻¹'", "⊗", "⊕", "×"}


def _is_application(toks: list[str]) -> bool:
    """`f a (b + c)`: a name applied to arguments, nothing else at the top level."""
    if not toks or not _NAME_TOKEN.match(toks[0]):
        return False
    depth = 0
    for t in toks:
        if depth == 0 and t not in _OPEN and not (_NAME_TOKEN.match(t) or t.isdigit()):
            return False
        depth += (t in _OPEN) - (t in _OPEN.values())
    return True


def _paren_inner(inner: list[str]) -> str:
    if inner and inner[0] in (*_BINDERS, *_BIG, "∑", "∏"):
        return norm(inner)  # `(∀ x : T, P)`: its comma and colon are the binder's
    if "," in inner:
        return ", ".join(norm(p) for p in _depth_split(inner, ","))
    if ":" in inner and _depth(inner[: inner.index(":")]) == 0:
        k = inner.index(":")
        return f"{norm(inner[:k])} : {norm(inner[k + 1 :])}"
    return norm(inner)


@dataclass
class NormalForm:
    """Instance binders are among the hypotheses: `[C x]` and `(h : C x)` say the same."""

    variables: list[str]
    hypotheses: list[str]
    conclusion: str

    def text(self) -> str:
        return " | ".join([" ".join(self.variables), " ; ".join(self.hypotheses), self.conclusion])


def normal_form(statement: str) -> NormalForm:
    """Raises `StatementError` when the text is not a theorem statement."""
    stmt = parse_statement(statement)
    binders: list[tuple[str, str, str]] = []  # (bracket, name, type text)
    for bracket, names, typ in binder_groups(stmt.binders):
        if bracket == "[":
            binders.append(("[", names[0] if names else "", typ))
        else:
            binders.extend((bracket, n, typ) for n in names)
    binders = _universes(binders, stmt.conclusion)
    binders = [(b, n, _finite(t, binders)) for b, n, t in binders]
    types = {n: t for b, n, t in binders if b != "[" and n}
    unique = itertools.count()
    binders = [(b, n, " ".join(_written_out(tokens(t), types, unique))) for b, n, t in binders]
    concl = _written_out(tokens(stmt.conclusion), types, unique)
    concl = _intro(_commutative_structure(concl, binders), binders)
    binders = [(b, n, " ".join(_nat_card(tokens(t)))) for b, n, t in binders]
    concl = _nat_card(concl)
    names = [n for _, n, _ in binders if n]
    all_text = " ".join([t for _, _, t in binders] + concl)
    used = {n for n in names if re.search(rf"(?<![\w.']){re.escape(n)}(?![\w'])", all_text)}
    hyps, variables = [], []
    has_instances = False
    for bracket, name, typ in binders:
        mentions = any(
            re.search(rf"(?<![\w.']){re.escape(v)}(?![\w'])", typ) for v in names if v != name
        )
        if typ.startswith("Fact "):  # `[Fact P]` holds exactly when `P` does (`fact_iff`)
            typ = " ".join(_strip_parens(tokens(typ)[1:]))
        if bracket == "[":  # `[C x]` and `(h : C x)` both make a local instance
            has_instances = True
            hyps.append(typ)
        elif name not in used and mentions:
            hyps.append(typ)
        else:
            variables.append((name, typ))
    _state.local = set(_locals(variables, hyps, concl))
    # `a ≤ x ∧ x ≤ b → P` is `a ≤ x → x ≤ b → P`: conjunctive hypotheses become several
    hyps = [
        " ".join(part)
        for h in hyps
        for c in _depth_split(tokens(norm(tokens(h))), "∧")
        for part in _forall_parts(c)
    ]
    # `(h : ∀ x, x * x = 1) : ∀ x y, …`: the hypothesis's `x` is not the variable `x`
    fresh = itertools.count()
    concl = _fresh_bound(concl, fresh)
    hyps = [" ".join(_fresh_bound(tokens(h), fresh)) for h in hyps]
    variables = [(n, " ".join(_fresh_bound(tokens(t), fresh))) for n, t in variables]
    # `(p : ℕ) … Prime p`, `∀ p : ℕ, Prime p`, `{p : ℕ | p.Prime}`: once bound names are unique,
    # a bound `p : ℤ` can no longer be mistaken for the variable `p : ℕ`
    bound = _bound_types([concl, *map(tokens, hyps), *(tokens(t) for _, t in variables)])
    known = {**bound, **{n: " ".join(tokens(t)) for n, t in variables}}
    concl = _typed_rewrites(concl, known)
    hyps = [" ".join(_typed_rewrites(tokens(h), known)) for h in hyps]
    variables = [(n, " ".join(settle_numerals(tokens(t), known))) for n, t in variables]
    nat = {n for n, t in known.items() if t in ("ℕ", "Nat")}
    integers = {n for n, t in variables if t.strip() in ("ℤ", "Int")}

    def facts(toks: list[str]) -> list[str]:
        return _number_facts(_nat_prime(_count_parity(toks), nat), nat, integers)

    concl = facts(concl)
    hyps = [" ".join(facts(tokens(h))) for h in hyps]
    variables = [(n, " ".join(_nat_prime(tokens(t), nat))) for n, t in variables]
    while (point := _one_point(variables, hyps)) is not None:
        variables, hyps, concl = _substitute(*point, variables, hyps, concl)
    local = _locals(variables, hyps, concl)
    _state.local = set(local)
    _state.commutative = not has_instances and _commutative(
        [tokens(t) for _, t in variables], [tokens(h) for h in hyps] + [concl], set(local)
    )
    try:
        return _canonical(variables, hyps, concl, local)
    finally:
        _state.local = ()
        _state.commutative = False
        _state.carriers = {}


# A commutative class and the class of the same operations without commutativity.
_COMMUTED = {
    "CommGroup": ("Group", "*"),
    "CommMonoid": ("Monoid", "*"),
    "CommSemigroup": ("Semigroup", "*"),
    "CommRing": ("Ring", "*"),
    "CommSemiring": ("Semiring", "*"),
    "AddCommGroup": ("AddGroup", "+"),
    "AddCommMonoid": ("AddMonoid", "+"),
}


# The operations `IsCommutative G op` names, as infix.
_OPERATIONS = {"Mul.mul": "*", "HMul.hMul": "*", "· * ·": "*"}
_OPERATIONS |= {"Add.add": "+", "HAdd.hAdd": "+", "· + ·": "+"}


def _commutative_structure(concl: list[str], binders: list[tuple[str, str, str]]) -> list[str]:
    """`[Ring R] … : CommRing R` -> `∀ a b : R, a * b = b * a`. A theorem cannot conclude a
    structure (data), so such a conclusion is read as what the exercise asks: that the given
    operations commute. Both human-labelled sets read it so (RAutoformalizer's, ProofNetVerif).
    `IsCommutative G Mul.mul` (a `Prop` class) says the same by its one field."""
    words = _strip_parens(concl)
    if len(words) < 3 or words[0] != "IsCommutative" or not _simple_name(words[1]):
        op = None
    else:  # `IsCommutative G Mul.mul`, a class whose one field is commutativity
        op = _OPERATIONS.get(" ".join(_strip_parens(words[2:])))
    if op:
        carrier = words[1]
    elif len(words) == 2 and words[0] in _COMMUTED and _simple_name(words[1]):
        base, op = _COMMUTED[words[0]]
        carrier = words[1]
        if not any(b == "[" and t.split() == [base, carrier] for b, _, t in binders):
            return concl
    else:
        return concl
    a, b = "_comm_a", "_comm_b"
    return ["∀", a, b, ":", carrier, ",", a, op, b, "=", b, op, a]


def _written_out(toks: list[str], types: dict[str, str], unique: itertools.count) -> list[str]:
    """Notation, definitions and binder macros written out, and binders without a type typed
    from their first use: the rewrites that come before binders move into the signature."""
    toks = _big_operator_calls(_pointwise(_everywhere(_eta(_commute(toks, types), types)), types))
    toks = _unfold(_coprime(_pi(toks, types)), types)
    toks = _exists_unique(_binder_predicates(toks), unique)
    return _typed_binders(_subsets(toks, types), types)


_ARITHMETIC = {"+", "-", "*", "/", "%", "^", "(", ")"}
_BIG_CALLS = {"Finset.sum": "∑", "Finset.prod": "∏"}


# `∀ x, P … x` and the global predicate that says it (`continuous_iff_continuousAt`, and
# `Differentiable`'s definition), by the number of arguments before `x`.
_EVERYWHERE = {"ContinuousAt": ("Continuous", 1), "DifferentiableAt": ("Differentiable", 2)}


def _everywhere(toks: list[str]) -> list[str]:
    """`∀ x, ContinuousAt f x` -> `Continuous f`; `∀ x, DifferentiableAt ℝ f x` ->
    `Differentiable ℝ f`, when the quantifier's body is that one application."""
    out = list(toks)
    for k in range(len(out) - 1, -1, -1):
        if out[k] != "∀":
            continue
        comma = _top_level(out[k:], ",")
        end = _scope_end(out, k)
        if comma is None or comma not in (2, 4) or (comma == 4 and out[k + 2] != ":"):
            continue
        x, body = out[k + 1], out[k + comma + 1 : end]
        head = _EVERYWHERE.get(body[0]) if body else None
        if head is None or len(body) != head[1] + 2 or body[-1] != x or x in body[1:-1]:
            continue
        if all(_NAME_TOKEN.match(t) or t in ("ℝ", "ℂ") for t in body[1:-1]):
            out[k:end] = [head[0], *body[1:-1]]
    return out


def _commute(toks: list[str], types: dict[str, str]) -> list[str]:
    """`Commute a b` -> `(a * b = b * a)`: `Commute a b` is `SemiconjBy a b b`, by definition
    `a * b = b * a`. Only where an argument is a variable written with a type that is not a
    function's: `Function.Commute f g` (under `open Function`) is about composition."""
    out = list(toks)
    for k in range(len(out) - 2, -1, -1):
        if out[k] != "Commute":
            continue
        args, at = _two_arguments(out, k)
        typed = [x[0] for x in args if len(x) == 1 and x[0] in types]
        elements = bool(typed) and all("→" not in types[x] for x in typed)
        if len(args) == 2 and elements and _atomic(out, k, at):
            a, b = args
            out[k:at] = ["(", *a, "*", *b, "=", *b, "*", *a, ")"]
    return out


def _eta(toks: list[str], types: dict[str, str]) -> list[str]:
    """`fun x ↦ f x` -> `f` for a name `f`, where `x` is untyped or has the domain `f : D → C`
    is written with (eta: the same function, definitionally)."""
    out = list(toks)
    for k in range(len(out) - 1, -1, -1):
        if out[k] != "fun":
            continue
        bracketed = k > 0 and out[k - 1] == "("
        start, end = (k - 1, _closing(out, k - 1)) if bracketed else (k, _scope_end(out, k))
        lam = out[k + 1 : end]
        arrow = _top_level(lam, "↦")
        binder = _binder_list(lam[:arrow]) if arrow else []
        body = lam[arrow + 1 :] if arrow else []
        eta = len(binder) == 1 and len(body) == 2 and body[1] == binder[0][0] != body[0]
        # not another domain: `fun x : {x // x ≠ 0} ↦ log x` casts `x`, so it is not `log`
        written = _strip_parens(binder[0][1]) if eta else []
        same = not written or written == _domain(types.get(body[0], ""), binder[0][0])
        if eta and same and _NAME_TOKEN.match(body[0]):
            out[start : end + 1 if bracketed else end] = [body[0]]
    return out


def _pointwise(toks: list[str], types: dict[str, str]) -> list[str]:
    """`f = fun x ↦ e` (either way round) -> `∀ x : D, f x = e` for a local `f : D → C`
    (`funext_iff`): a function given by a formula, stated at each point."""
    if len(toks) > 4 and toks[0] in types and toks[1] == "=" and toks[2] == "fun":
        f, lam = toks[0], toks[2:]
    elif toks[:2] == ["(", "fun"] and _closing(toks, 0) == len(toks) - 3 and toks[-2] == "=":
        f, lam = toks[-1], toks[1:-3]
    else:
        return toks
    arrow = _top_level(lam, "↦")
    binder = _binder_list(lam[1:arrow]) if arrow else []
    domain = _domain(types.get(f, ""), f)
    if len(binder) != 1 or domain is None or not _simple_name(binder[0][0]) or f in lam[1:arrow]:
        return toks
    (x, written), body = binder[0], lam[arrow + 1 :]
    return ["∀", x, ":", *(_strip_parens(written) or domain), ",", f, x, "=", *body]


def _big_operator_calls(toks: list[str]) -> list[str]:
    """`Finset.sum s (fun i ↦ e)` -> `(∑ i ∈ s, e)`: the notation is that call."""
    out = list(toks)
    for k in range(len(out) - 1, -1, -1):
        if out[k] not in _BIG_CALLS or k + 1 >= len(out):
            continue
        end = _closing(out, k + 1) if out[k + 1] in _OPEN else k + 1
        lam = end + 1
        if lam + 4 >= len(out) or out[lam : lam + 2] != ["(", "fun"]:
            continue
        arrow = _top_level(out[lam + 2 :], "↦")
        close = _closing(out, lam)
        if arrow is None or lam + 2 + arrow >= close or out[close] != ")":
            continue
        binder, body = out[lam + 2 : lam + 2 + arrow], out[lam + 3 + arrow : close]
        if len(binder) != 1 or not _simple_name(binder[0]):
            continue
        finset = _strip_parens(out[k + 1 : end + 1])
        notation = [_BIG_CALLS[out[k]], binder[0], "∈", *finset, ",", *body]
        out[k : close + 1] = ["(", *notation, ")"]
    return out


def _one_point(
    variables: list[tuple[str, str]], hyps: list[str]
) -> tuple[str, list[str], str] | None:
    """A hypothesis `m = e` (or `e = m`) that defines the variable `m : T` of a number type by
    arithmetic `e` on other variables of type `T` and numerals: `∀ m, m = e → P m` is `P e`.
    `e`'s variables fix its type to `T`, so it elaborates where `m` stood as it does here.
    Returns `(m, e, the hypothesis)`, or None."""
    types = {n: t.strip() for n, t in variables}
    for h in hyps:
        sides = _depth_split(tokens(h), "=")
        if len(sides) != 2:
            continue
        for name, e in (sides, sides[::-1]):
            if len(name) != 1 or types.get(name[0]) not in _SCALAR_TYPES:
                continue
            typ, names = types[name[0]], [t for t in e if _NAME_TOKEN.match(t)]
            if (
                names
                and name[0] not in names
                and all(types.get(t) == typ for t in names)
                and all(t in _ARITHMETIC or t.isdigit() or t in names for t in e)
            ):
                return name[0], e, h
    return None


def _substitute(
    name: str,
    e: list[str],
    hyp: str,
    variables: list[tuple[str, str]],
    hyps: list[str],
    concl: list[str],
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """`name` replaced by `(e)` everywhere, its defining hypothesis and binder dropped."""

    def sub(toks: list[str]) -> list[str]:
        return [x for t in toks for x in (["(", *e, ")"] if t == name else [t])]

    return (
        [(n, " ".join(sub(tokens(t)))) for n, t in variables if n != name],
        [" ".join(sub(tokens(h))) for h in hyps if h != hyp],
        sub(concl),
    )


def _locals(variables: list[tuple[str, str]], hyps: list[str], concl: list[str]) -> list[str]:
    """The statement's own names: its variables and every bound variable."""
    bound = _bound_names(concl) + [b for h in hyps for b in _bound_names(tokens(h))]
    bound += [b for _, t in variables for b in _bound_names(tokens(t))]
    return [n for n, _ in variables] + bound


_SCALAR_TYPES = {"ℕ", "ℤ", "ℚ", "ℝ", "ℂ", "Nat", "Int", "Rat", "Real", "Complex", "NNReal"}
_SCALAR_TYPES |= {"ℝ≥0", "ENNReal", "ℝ≥0∞"}
# the tokens of a type built from commutative number types
_NUMBER_TYPES = _SCALAR_TYPES | {"Fin", "ZMod", "Prop", "→", "×", "(", ")", "_"}
_NON_COMMUTATIVE = re.compile(
    r"Matrix|Equiv|Perm|swap|List|Array|String|Ordinal|Cardinal|Quaternion|ℍ|Word|"
    r"FreeGroup|Function\.comp|∘|!!|\bof\b"
)


_VARIABLE_LIKE = re.compile(r"[A-Za-zα-ωΑ-Ω][₀-₉'!]*")


def _commutative(types: list[list[str]], formulas: list[list[str]], local: set[str]) -> bool:
    """Every type the statement writes (binder types, ascriptions, typed quantifiers) is a
    commutative number type, so `+` and `*` commute wherever they occur."""

    def number_type(toks: list[str]) -> bool:
        return all(t in _NUMBER_TYPES or t in local or t.isdigit() for t in toks)

    if any(not toks for toks in types):  # `{n m}` without a type: it could be anything
        return False

    written = list(types)
    for toks in formulas:
        for i, t in enumerate(toks):
            if t == ":":
                end, depth = i + 1, 0
                stops = (",", ")", "]", "}", "↦", "|")  # `fun x : ℂ ↦`, `{x : ℝ | …}`
                while end < len(toks) and not (depth == 0 and toks[end] in stops):
                    depth += (toks[end] in _OPEN) - (toks[end] in _OPEN.values())
                    end += 1
                written.append(toks[i + 1 : end])
    every = " ".join(t for toks in [*types, *formulas] for t in toks)
    # A variable the statement does not bind (one from an enclosing `variable`) has a type
    # nobody wrote here: it may live in a non-commutative ring.
    unbound = (
        {_head(t) for toks in formulas for t in toks if _VARIABLE_LIKE.fullmatch(_head(t))}
        - local
        - {"π"}
    )
    return not unbound and all(map(number_type, written)) and not _NON_COMMUTATIVE.search(every)


def _canonical(
    variables: list[tuple[str, str]],
    hyps: list[str],
    concl: list[str],
    local: list[str],
) -> NormalForm:
    """Canonical names by first appearance in the normalised conclusion, then hypotheses
    (ordered by their name-independent shape), then variable types. Hypotheses of one shape
    (`[Group G] [Group H]`) are tried in every order, up to `_TIE_ORDERS` orders, and the
    least normal form is kept, so that the names written cannot decide; beyond that, ties are
    broken by the text."""
    _state.carriers = _carriers(variables, lambda toks: toks)
    shape = {h: norm(_mask(tokens(h), local)) for h in hyps}
    by_text = sorted(hyps, key=lambda h: (shape[h], norm(tokens(h))))
    tied = [list(g) for _, g in itertools.groupby(by_text, key=shape.__getitem__)]
    orders = math.prod(math.factorial(len(g)) for g in tied)
    if orders == 1 or orders > _TIE_ORDERS:
        return _named(variables, by_text, hyps, concl, local)
    forms = (
        _named(variables, [h for g in choice for h in g], hyps, concl, local)
        for choice in itertools.product(*(itertools.permutations(g) for g in tied))
    )
    return min(forms, key=NormalForm.text)


_TIE_ORDERS = 24


def _named(
    variables: list[tuple[str, str]],
    ordered_hyps: list[str],
    hyps: list[str],
    concl: list[str],
    local: list[str],
) -> NormalForm:
    """The normal form with names given in order of first appearance: conclusion, then
    `ordered_hyps`, then variable types."""
    _state.carriers = _carriers(variables, lambda toks: toks)
    order: list[str] = []
    normalized = [tokens(norm(concl))] + [tokens(norm(tokens(h))) for h in ordered_hyps]
    for text_toks in normalized + [tokens(t) for _, t in variables]:
        for t in text_toks:
            head = _head(t)
            if head in local and head not in order:
                order.append(head)
    for n, _ in variables:
        if n not in order:
            order.append(n)
    canon = {n: f"v{i}" for i, n in enumerate(order)}

    def rn(toks: list[str]) -> list[str]:
        out = []
        for t in toks:
            head = _head(t)
            out.append(canon[head] + t[len(head) :] if head in canon else t)
        return out

    # A named binder the statement uses (`(h : R = S)` in `eqToHom h`) is a term whose type
    # is fixed as written: `S = R` would change the conclusion's type. Only `≥`/`>`, which
    # unfold to `≤`/`<`, are rewritten there.
    _state.carriers = _carriers(variables, rn)
    _state.ordered = True
    try:
        var_forms = sorted(f"({canon[n]} : {norm(rn(tokens(t)))})" for n, t in variables)
    finally:
        _state.ordered = False
    hyp_forms = sorted(norm(rn(tokens(h))) for h in hyps)
    return NormalForm(var_forms, hyp_forms, norm(rn(concl)))


def _carriers(
    variables: list[tuple[str, str]], rename: Callable[[list[str]], list[str]]
) -> dict[str, tuple[str, str]]:
    """`Set`/`Finset` and the element type of each such variable, under the names `rename`
    gives: for `∃ x : T, x ∈ s` (`_exists_member`) and `Infinite ↥s` (`_set_size`)."""
    out = {}
    for n, t in variables:
        if (typ := tokens(t))[:1] in (["Set"], ["Finset"]):
            out[rename([n])[0]] = (typ[0], norm(rename(_strip_parens(typ[1:]))))
    return out


# `Type u`, or a family's codomain `ι → Type u`
_UNIVERSE = re.compile(r"^(.*?\bType|.*?\bSort)\s*(\*|_|[^\W\d][\w]*)$")


def _universes(binders: list[tuple[str, str, str]], conclusion: str) -> list[tuple[str, str, str]]:
    """`Type u`, `Type u_1`, `Type _` -> `Type*` where the universe is the binder's own: a
    universe name written once. `{A B : Type u}` (one universe shared) stays as written."""
    text = " ".join([t for _, _, t in binders] + [conclusion])
    out = []
    for bracket, name, typ in binders:
        m = _UNIVERSE.match(typ.strip())
        level = m.group(2) if m else None
        if level and level not in ("*", "_") and _universe_uses(level, text) != 1:
            level = None
        out.append((bracket, name, f"{m.group(1)}*" if m and level else typ))
    return out


def _universe_uses(level: str, text: str) -> int:
    """How often universe `level` is written: after `Type`/`Sort`, or in `.{u, v}`."""
    name = re.escape(level)
    return len(re.findall(rf"\b(?:Type|Sort)\s+{name}\b", text)) + len(
        re.findall(rf"\.\{{[^}}]*\b{name}\b", text)
    )


def _finite(typ: str, binders: list[tuple[str, str, str]]) -> str:
    """`[Fintype G]` as a hypothesis -> `[Finite G]`. Both elaborate only if nothing else needs
    the `Fintype` data (`Fintype.card G` would not elaborate with `Finite G`); then the one says
    what the other does (`Finite.of_fintype`, `Fintype.ofFinite`)."""
    words = typ.split()
    if len(words) == 2 and words[0] == "Fintype" and words[1] in {n for _, n, _ in binders}:
        return f"Finite {words[1]}"
    return typ


def _nat_card(toks: list[str]) -> list[str]:
    """`Fintype.card α` -> `Nat.card α` (`Nat.card_eq_fintype_card`, for every `Fintype`
    instance); with the data unused, `[Fintype α]` then says what `[Finite α]` does."""
    return ["Nat.card" if t == "Fintype.card" else t for t in toks]


def _bound_types(formulas: list[list[str]]) -> dict[str, str]:
    """Bound names (renamed apart) and the types their binders write: `∀ p q : ℕ,`,
    `∀ (p : ℕ) (x : ℝ),`, `{p : ℕ | …}`, `∃ (p : ℕ),`, `fun x : ℝ ↦`."""
    out: dict[str, str] = {}
    for toks in formulas:
        for i, t in enumerate(toks):
            if t == "{":
                head, bar = _builder_head(toks, i)
                if bar and bar > 2 and head[1] == ":" and _simple_name(head[0]):
                    out[head[0]] = " ".join(head[2:bar])
                continue
            if t not in _BINDING:
                continue
            end = _top_level(toks[i:], "↦" if t == "fun" else ",")
            if end is None:
                continue
            for name, typ in _binder_list(toks[i + 1 : i + end]):
                if typ and _simple_name(name):
                    out[name] = " ".join(typ)
    return out


def _typed_rewrites(toks: list[str], known: dict[str, str]) -> list[str]:
    """The rewrites that read the types of names (`known`): field notation on arithmetic,
    congruences, `abs` on ℂ, then numeral ascriptions and casts."""
    toks = _complex_abs(_modeq(_field_calls(toks, known), known), known)
    return settle_numerals(toks, known)


def _field_calls(toks: list[str], known: dict[str, str]) -> list[str]:
    """`(n ^ 4 + 4).Prime` -> `(Nat.Prime (n ^ 4 + 4))` where the bracket is arithmetic of
    type `ℕ`: field notation names the function in the namespace of the value's type."""
    out = list(toks)
    for k in range(len(out) - 1, 0, -1):
        field = out[k]
        if not (field.startswith(".") and _NAME_TOKEN.match(field[1:])) or out[k - 1] != ")":
            continue
        start = _enclosing_bracket(out, k - 1)
        typ = _value_type(out[start:k], known) if start is not None else None
        namespace = NOTATION_TYPES.get(typ or "", typ if typ in NOTATION_TYPES.values() else None)
        if start is not None and namespace:
            out[start : k + 1] = ["(", f"{namespace}{field}", *out[start:k], ")"]
    return out


def _complex_abs(toks: list[str], known: dict[str, str]) -> list[str]:
    """`abs z` -> `norm z` where `z` is complex: ℂ has no lattice, so `abs` on it elaborates
    only as `Complex.abs` (under `open Complex`), which is the norm."""
    out = list(toks)
    for i in range(len(out) - 1, -1, -1):
        if out[i] not in ("abs", "_root_.abs"):
            continue
        arg = (
            out[i + 1 : _closing(out, i + 1) + 1]
            if out[i + 1 : i + 2] == ["("]
            else out[i + 1 : i + 2]
        )
        if arg and _value_type(arg, known) in ("ℂ", "Complex"):
            out[i] = "norm"
    return out


def _value_type(toks: list[str], known: dict[str, str]) -> str | None:
    """The number type an arithmetic term elaborates in, read from its leaves (variables,
    applications of local functions, ascriptions; numerals fit any), or None if any leaf is
    not understood."""
    toks = _strip_parens(toks)
    if len(toks) > 1 and _top_level(toks, ":") is not None:  # `(e : T)`
        typ = " ".join(toks[_top_level(toks, ":") + 1 :])
        return typ if typ in NUMBER_RANK else None
    leaves: list[list[str]] = [[]]
    depth, exponent = 0, False
    for t in toks:
        depth += (t in _OPEN) - (t in _CLOSE)
        if depth == 0 and t in ("+", "-", "*", "/"):
            leaves.append([])
            exponent = False
        elif depth == 0 and t == "^":
            exponent = True
        elif not exponent:
            leaves[-1].append(t)
    types = []
    for leaf in leaves:
        if not leaf or (len(leaf) == 1 and leaf[0].isdigit()):
            continue  # a numeral, or a sign
        if leaf[0] == "(" and leaf[-1] == ")" and _closing(leaf, 0) == len(leaf) - 1:
            if leaf == toks:
                return None  # brackets that do not strip: nothing left to split
            typ = _value_type(leaf, known)
        elif leaf[0] in ("norm", "abs") or leaf[0] in known:
            typ = "ℝ" if leaf[0] == "norm" else _result_type(leaf, known)
        else:
            return None
        if typ not in NUMBER_RANK:
            return None
        types.append(typ)
    return max(types, key=NUMBER_RANK.__getitem__) if types else None


def _result_type(leaf: list[str], known: dict[str, str]) -> str | None:
    """`x` -> `x`'s type; `f a b` -> the codomain of `f : A → B → C` applied to two
    arguments; `abs t` -> `t`'s type."""
    if leaf[0] == "abs":  # `abs t` has `t`'s type
        return _value_type(leaf[1:], known) if len(leaf) > 1 else None
    typ = tokens(known[leaf[0]])
    args = len(_arguments(leaf[1:])) if len(leaf) > 1 else 0
    for _ in range(args):
        arrow = _top_level(typ, "→")
        if arrow is None:
            return None
        typ = typ[arrow + 1 :]
    return " ".join(_strip_parens(typ))


def _nat_prime(toks: list[str], nat: set[str]) -> list[str]:
    """`Prime p` and `p.Prime` -> `Nat.Prime p` for `p : ℕ` (`Nat.prime_iff`: on ℕ the
    general `Prime` and `Nat.Prime` agree)."""
    out: list[str] = []
    for i, t in enumerate(toks):
        if t in ("Prime", "_root_.Prime") and i + 1 < len(toks) and toks[i + 1] in nat:
            out.append("Nat.Prime")
        elif t.endswith(".Prime") and t[: -len(".Prime")] in nat:
            out.extend(["(", "Nat.Prime", t[: -len(".Prime")], ")"])  # `Fact p.Prime`
        else:
            out.append(t)
    return out


# Definitions whose body a statement may write out instead, as Mathlib states them (`a`, `b`
# bound; `F` the function): `Function.Injective`, `Function.Surjective`, `Monotone`, ….
_DEFINITIONS = {
    "Injective": "∀ a , ∀ b , F a = F b → a = b",
    "Surjective": "∀ b , ∃ a , F a = b",
    "Monotone": "∀ a , ∀ b , a ≤ b → F a ≤ F b",
    "Antitone": "∀ a , ∀ b , a ≤ b → F b ≤ F a",
    "StrictMono": "∀ a , ∀ b , a < b → F a < F b",
    "StrictAnti": "∀ a , ∀ b , a < b → F b < F a",
}
_FUNCTION_NAMESPACE = {"Injective", "Surjective", "Bijective"}
# Where an atomic proposition may start and end: `(h : P)`, `P ∧ Q`, `¬ P`, `{x | P}`
_BEFORE_ATOM = {"(", ",", "∧", "∨", "→", "↔", "¬", "|"}
_AFTER_ATOM = {")", "}", ",", "∧", "∨", "→", "↔"}


def _atomic(toks: list[str], start: int, end: int) -> bool:
    """Whether `toks[start:end]` is a whole proposition, not part of a larger term."""
    return (start == 0 or toks[start - 1] in _BEFORE_ATOM) and (
        end == len(toks) or toks[end] in _AFTER_ATOM
    )


def _unfold(toks: list[str], types: dict[str, str]) -> list[str]:
    """`Function.Injective f` -> `(∀ a : D, ∀ b : D, f a = f b → a = b)` for `f : D → C`, and so
    on for `_DEFINITIONS` and `Bijective` (their definitions, so the same proposition). The
    bare `Injective` (`open Function`) only on a local function: `CategoryTheory.Injective` is
    about objects."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        name = t.removeprefix("Function.")
        if (name != t and name not in _FUNCTION_NAMESPACE) or i + 1 >= len(toks):
            name = ""
        if name not in _DEFINITIONS and name != "Bijective":
            out.append(t)
            i += 1
            continue
        end = _closing(toks, i + 1) + 1 if toks[i + 1] == "(" else i + 2
        function = toks[i + 1 : end]
        local = len(function) == 1 and function[0] in types
        signature = _signature(types[function[0]]) if local else None
        qualified = t.startswith("Function.") or name not in _FUNCTION_NAMESPACE
        simple = function[:1] == ["("] or local or bool(_NAME_TOKEN.match(function[0]))
        if not (_atomic(toks, i, end) and simple and (qualified or signature is not None)):
            out.append(t)
            i += 1
            continue
        parts = ["Injective", "Surjective"] if name == "Bijective" else [name]
        body: list[str] = []
        for part in parts:
            body += ["∧"] if body else []
            body += ["(", *_definition(part, function, signature), ")"]
        out += ["(", *body, ")"]
        i = end
    return out


def _definition(
    name: str, function: list[str], signature: tuple[list[str], list[str]] | None
) -> list[str]:
    out: list[str] = []
    for t in _DEFINITIONS[name].split(" "):
        if t == "F":
            out += function
        elif t in ("a", "b"):
            out.append(f"_def_{t}")
        else:
            out.append(t)
    if signature:  # `∀ a ,` -> `∀ a : D ,` (only where the function's type is written)
        for k in [k for k, t in enumerate(out) if t in ("∀", "∃")][::-1]:
            out[k + 2 : k + 2] = [":", *signature[out[k + 1] == "_def_b" and name == "Surjective"]]
    return out


def _subsets(toks: list[str], types: dict[str, str]) -> list[str]:
    """`∀ x, x ∈ s → x ∈ t` (and `∀ x ∈ s, x ∈ t`) -> `s ⊆ t`: `Set.Subset`'s definition, and
    `Finset`'s, `Multiset`'s and `List`'s. A written type on `x` must be the element type of
    variables `s` and `t` (else `x ∈ s` is a coercion's membership). Memberships that unfold
    (`x ∈ Set.Icc a b`) stay, to meet their unfolded spellings."""
    out = list(toks)
    i = 0
    while i < len(out):
        if out[i] != "∀" or (i and out[i - 1] not in _BEFORE_ATOM):
            i += 1
            continue
        end = _scope_end(out, i)
        comma = _top_level(out[i:end], ",")
        sides = None
        if comma is not None:  # `∀ x` without a body is not a statement: left for the parser
            sides = _subset_sides(out[i + 1 : i + comma], out[i + comma + 1 : end], types)
        if sides is not None:
            out[i:end] = ["(", "(", *sides[0], ")", "⊆", "(", *sides[1], ")", ")"]
        i += 1
    return out


def _subset_sides(
    head: list[str], body: list[str], types: dict[str, str]
) -> tuple[list[str], list[str]] | None:
    head = _strip_parens(head)
    if not head or not _simple_name(head[0]) or (len(head) > 1 and head[1] != ":"):
        return None
    x, typ = head[0], head[2:]
    parts = _depth_split(body, "→")
    if len(parts) != 2:
        return None
    sides = []
    for part in map(_strip_parens, parts):
        mem = _lone_membership(part, x)
        if mem is None or _interval(mem[0], mem[1]) or _membership(*mem):
            return None
        if typ:
            carrier = tokens(types.get(mem[1][0], "")) if len(mem[1]) == 1 else []
            if carrier[:1] not in (["Set"], ["Finset"]) or _strip_parens(carrier[1:]) != typ:
                return None
        sides.append(mem[1])
    return sides[0], sides[1]


def _coprime(toks: list[str]) -> list[str]:
    """`Nat.Coprime a b` -> `Nat.gcd a b = 1`: `Nat.Coprime`'s (reducible) definition."""
    out = list(toks)
    for i in range(len(out) - 2, -1, -1):
        if out[i] != "Nat.Coprime":
            continue
        if i and out[i - 1] == "(":  # `(Nat.Coprime a) b` is `Nat.Coprime a b`
            close = _closing(out, i - 1)
            if close + 1 < len(out) and out[close + 1] not in _ALL_OPS | _AFTER_ATOM:
                out = [*out[: i - 1], *out[i:close], *out[close + 1 :]]
                i -= 1
        args, end = [], i + 1
        while len(args) < 2 and end < len(out):
            stop = _closing(out, end) + 1 if out[end] == "(" else end + 1
            if stop == end + 1 and not (_NAME_TOKEN.match(out[end]) or out[end].isdigit()):
                break
            args.append(out[end:stop])
            end = stop
        if len(args) == 2 and _atomic(out, i, end):
            out[i:end] = ["Nat.gcd", *args[0], *args[1], "=", "1"]
    return out


def _pi(toks: list[str], types: dict[str, str]) -> list[str]:
    """`π` -> `Real.pi` (`open Real`'s notation), unless the statement names something `π`."""
    if "π" in types or any(
        t == "π" and (toks[i + 1 : i + 2] == [":"] or (i and toks[i - 1] in _BINDERS))
        for i, t in enumerate(toks)
    ):
        return toks
    return ["Real.pi" if t == "π" else t for t in toks]


def _signature(typ: str) -> tuple[list[str], list[str]] | None:
    """`D` and `C` of a written function type `D → C` (or of a bundled hom `D →* C`, applied
    through its coercion to a function)."""
    toks = tokens(typ)
    for k, t in enumerate(toks):
        if (t == "→" or t in _HOMS) and k and _depth(toks[:k]) == 0:
            if "∀" in toks[:k]:
                return None
            return _strip_parens(toks[:k]), _strip_parens(toks[k + 1 :])
    return None


def _number_facts(toks: list[str], nat: set[str], integers: set[str]) -> list[str]:
    """Order and parity facts about a variable `n` of `ℕ` or `ℤ`, written one way:
    `c ≤ n` -> `c - 1 < n` and `n ≤ c` -> `n < c + 1` for a numeral `c` (`Nat.lt_iff_add_one_le`,
    `Int.lt_iff_add_one_le`); on `ℕ` also `n ≠ 0` and `¬ n = 0` -> `0 < n`
    (`Nat.pos_iff_ne_zero`); `Even n` and `2 ∣ n` -> `n % 2 = 0`, `Odd n` -> `n % 2 = 1`
    (`Nat.even_iff`, `Int.even_iff`, `Nat.odd_iff`, `Int.odd_iff`, `Nat.dvd_iff_mod_eq_zero`).
    Only whole propositions change: `c ≤ n + 1` and `f (Even n)` stay."""
    ints = nat | integers
    out = list(toks)
    i = 0
    while i < len(out):
        window = out[i : i + 5]
        new: list[str] | None = None
        size = 0
        if window[:2] == ["¬", "("] and len(out) > i + 5:
            n = _zero_test(out[i + 2 : i + 5], nat) if out[i + 5] == ")" else None
            new, size = (["0", "<", n], 6) if n else (None, 0)
        elif window[:1] == ["¬"] and (n := _zero_test(out[i + 1 : i + 4], nat)):
            new, size = ["0", "<", n], 4
        elif window[1:2] == ["≠"] and (n := _zero_test([window[0], "=", *window[2:3]], nat)):
            new, size = ["0", "<", n], 3
        elif len(window) >= 3 and window[1] in ("≤", "≥", "<", ">"):
            new, size = _bound(window[:3], ints), 3
        elif len(window) >= 2 and window[0] in ("Even", "Odd") and window[1] in ints:
            new, size = [window[1], "%", "2", "=", "0" if window[0] == "Even" else "1"], 2
        elif (parity := _negated_parity(window, ints)) is not None:
            new, size = parity
        elif window[:2] == ["2", "∣"] and len(window) >= 3 and window[2] in ints:
            new, size = [window[2], "%", "2", "=", "0"], 3
        if new is not None and _atomic(out, i, i + size):
            out[i : i + size] = new
            i += len(new)
        else:
            i += 1
    return out


# `a ≡ b [MOD n]` is `Nat.ModEq n a b`, `[ZMOD n]` `Int.ModEq n a b`: the type of `a` and `b`.
_MODULI = {"MOD": ("ℕ", "Nat"), "ZMOD": ("ℤ", "Int")}
# Tokens a proposition can follow: where the left side of `≡` starts.
_BEFORE_PROPOSITION = {",", "∧", "∨", "→", "↔", "¬", ":", "|", "$", "↦"}


def _modeq(toks: list[str], known: dict[str, str]) -> list[str]:
    """`a ≡ b [MOD n]` -> `a % n = b % n`, the definition of `Nat.ModEq` (and of `Int.ModEq`
    for `[ZMOD n]`), with `b % n` worked out for numerals: `p ≡ 3 [MOD 4]` is `p % 4 = 3`.
    Only where the named variables in `a` and `b` have the relation's type (for `ZMOD`, at
    least one): then `a % n = b % n` elaborates in that type, as `a` and `b` did."""
    out = list(toks)
    i = len(out) - 1
    while i > 0:
        if out[i] != "≡":
            i -= 1
            continue
        start, bracket = _left_operand(out, i), _top_level(out[i:], "[")
        bracket = i + bracket if bracket is not None else len(out)
        kind = out[bracket + 1] if bracket + 1 < len(out) else ""
        close = _closing(out, bracket) if kind in _MODULI else bracket
        a, b, n = out[start:i], out[i + 1 : bracket], out[bracket + 2 : close]
        if kind not in _MODULI or not (a and b and n) or out[close] != "]":
            i -= 1
            continue
        leaves = [t for side in (a, b) for j, t in enumerate(side) if side[j - 1 : j] != ["^"]]
        types = {known[t].strip() for t in leaves if t in known}  # exponents are apart
        if not types <= set(_MODULI[kind]) or (kind == "ZMOD" and not types):
            i -= 1
            continue
        out[start : close + 1] = [*_mod(a, n), "=", *_mod(b, n)]
        i = start - 1
    return out


def _left_operand(toks: list[str], i: int) -> int:
    """Where the operand ending before `toks[i]` starts: after an unclosed bracket or a
    token that comes before propositions."""
    depth = 0
    for k in range(i - 1, -1, -1):
        t = toks[k]
        if t in _CLOSE:
            depth += 1
        elif t in _OPEN:
            if depth == 0:
                return k + 1
            depth -= 1
        elif depth == 0 and t in _BEFORE_PROPOSITION:
            return k + 1
    return 0


def _mod(x: list[str], n: list[str]) -> list[str]:
    """`x % n`, worked out when both are numerals (`-1 % 6` is `5`: `Int.emod`, like
    Python's `%` for a positive modulus)."""
    value = "".join(x)
    if re.fullmatch(r"-?\d+", value) and len(n) == 1 and n[0].isdigit() and int(n[0]) > 0:
        return [str(int(value) % int(n[0]))]
    wrap = [x] if len(x) == 1 else [["(", *x, ")"]]
    return [*wrap[0], "%", *(n if len(n) == 1 else ["(", *n, ")"])]


# Functions whose values are natural numbers, counts mostly.
_NAT_VALUED = frozenset(
    "Nat.card Fintype.card Finset.card orderOf addOrderOf Nat.factorial Nat.totient "
    "Subgroup.index Module.finrank Polynomial.natDegree".split()
)


def _count_parity(toks: list[str]) -> list[str]:
    """`Even (Nat.card G)` -> `Nat.card G % 2 = 0` (`Odd`: `= 1`) for a count: `Nat.even_iff`
    for any natural number, not only a variable (`_number_facts`)."""
    out = list(toks)
    for k in range(len(out) - 2, -1, -1):
        if out[k] not in ("Even", "Odd") or out[k + 1] != "(" or out[k + 2] not in _NAT_VALUED:
            continue
        close = _closing(out, k + 1)
        if _atomic(out, k, close + 1):
            parity = "0" if out[k] == "Even" else "1"
            out[k : close + 1] = [*out[k + 1 : close + 1], "%", "2", "=", parity]
    return out


def _negated_parity(window: list[str], ints: set[str]) -> tuple[list[str], int] | None:
    """`¬ Even n`, `¬ (Even n)`, `n % 2 ≠ 0`, `0 ≠ n % 2` -> `n % 2 = 1` (`Nat.not_even_iff_odd`,
    `Nat.mod_two_ne_zero`, and their `Int` forms); `¬ Odd n`, `n % 2 ≠ 1` -> `n % 2 = 0`.
    With the replacement, how many tokens it replaces."""
    if window[:1] == ["¬"]:
        bracketed = window[1:2] == ["("] and window[4:5] == [")"]
        denied, n = window[2:4] if bracketed else [*window[1:3], "", ""][:2]
        size = 5 if bracketed else 3
    elif window[1:4] == ["%", "2", "≠"] and window[4:5] in (["0"], ["1"]):
        denied, n, size = ("Even" if window[4] == "0" else "Odd"), window[0], 5
    elif window[0:1] in (["0"], ["1"]) and window[1:2] == ["≠"] and window[3:5] == ["%", "2"]:
        denied, n, size = ("Even" if window[0] == "0" else "Odd"), window[2], 5
    else:
        return None
    if denied not in ("Even", "Odd") or n not in ints:
        return None
    return [n, "%", "2", "=", "1" if denied == "Even" else "0"], size


def _zero_test(three: list[str], nat: set[str]) -> str | None:
    """`n = 0` or `0 = n` for `n : ℕ`: the `n`."""
    if len(three) == 3 and three[1] == "=" and "0" in (three[0], three[2]):
        other = three[2] if three[0] == "0" else three[0]
        return other if other in nat else None
    return None


def _bound(three: list[str], ints: set[str]) -> list[str] | None:
    """`c ≤ n`, `n ≥ c`, `n ≤ c`, … for a numeral `c` and an integer variable `n`, as `<`."""
    left, op, right = three
    if op in _FLIP:
        left, op, right = right, _FLIP[op], left
    if left.isdigit() and right in ints:
        c = int(left)
        return [str(c - 1), "<", right] if op == "≤" and c >= 1 else [left, op, right]
    if right.isdigit() and left in ints:
        return [left, "<", str(int(right) + 1)] if op == "≤" else [left, op, right]
    return None


_PREDICATES = ("∈", "∉", "⊆", "⊂", "<", "≤", ">", "≥", "≠")


def _binder_predicates(toks: list[str]) -> list[str]:
    """`∀ x ∈ s, P` -> `∀ x, x ∈ s → (P)` and `∃ x > 0, P` -> `∃ x, x > 0 ∧ (P)` (`∃!` alike):
    Lean's `binderPred` macros, written out (`∀ x y ∈ s` binds each name in turn)."""
    i = 0
    while i < len(toks):
        if toks[i] in ("∀", "∃", "∃!") and (comma := _top_level(toks[i:], ",")) is not None:
            head, end = toks[i + 1 : i + comma], i + comma
            k = next((j for j, t in enumerate(head) if t in _PREDICATES), None)
            if toks[i] == "∃!" and (k != 1 or not _simple_name(head[0])):
                i += 1  # `∃! x ∈ s, P` is `∃! x, x ∈ s ∧ P`; only one name may take a predicate
                continue
            if k is None and len(head) > 1 and all(_simple_name(n) for n in head):
                # `∃ x y, P` is `∃ x, ∃ y, P`: each name can then take its type from its use
                split = [t for n in head[:-1] for t in (toks[i], n, ",")]
                return _binder_predicates([*toks[:i], *split, toks[i], *toks[end - 1 :]])
            names = head[:k] if k else []
            if names and all(_simple_name(n) for n in names):
                bound = _scope_end(toks, i)
                body = _binder_predicates(toks[end + 1 : bound])
                link = "→" if toks[i] == "∀" else "∧"
                for n in reversed(names):
                    body = [toks[i], n, ",", n, *head[k:], link, "(", *body, ")"]
                return [*toks[:i], *body, *_binder_predicates(toks[bound:])]
        i += 1
    return toks


_KEYWORDS = {"_", "in", "fun", "at", "with", "from", "if", "then", "else", "by", "let", "have"}


def _simple_name(token: str) -> bool:
    """A name a binder can bind: no dot, no keyword, no postfix letter (`ᶠ`)."""
    return (
        bool(_NAME_TOKEN.match(token))
        and "." not in token
        and token not in _KEYWORDS
        and not _POSTFIX.search(token)
    )


_POSTFIX = re.compile(f"[{POSTFIX_CHARS}]")


def _scope_end(toks: list[str], i: int) -> int:
    """The end of the scope of the binder at `toks[i]`: the bracket around it closes there."""
    end, depth = i, 0
    while end < len(toks):
        depth += (toks[end] in _OPEN) - (toks[end] in _OPEN.values())
        if depth < 0:
            return end
        end += 1
    return end


def _typed_binders(toks: list[str], types: dict[str, str]) -> list[str]:
    """`∀ n, IsConnected (A n)` with `A : ℕ → Set X` -> `∀ n : ℕ, …` (also `∃`, `fun`, `⋃`,
    `⋂` and `{x | …}`; `∀ x y, …` when each name's type is found): the type elaboration gives
    a binder from its first use that fixes it (`_use_type`)."""
    out = list(toks)
    all_untyped, bound = _untyped_bound(toks), _bound_types([toks])
    untyped = all_untyped - set(types) - set(bound)
    types = {**_once_bound(toks, all_untyped, bound), **types}
    i = 0
    while i + 2 < len(out):
        if out[i] == "{" and out[i + 2] == "|" and _NAME_TOKEN.match(out[i + 1]):
            v = out[i + 1]
            domain = _use_type(out[i + 3 : _scope_end(out, i + 1)], v, types, untyped)
            if domain and "." not in v:
                out[i + 2 : i + 2] = [":", *domain]
        elif names := _untyped_names(out, i):
            j = i + 1 + len(names)  # the `,` or `↦`
            body = out[j + 1 : _scope_end(out, i)]
            found = [_use_type(body, v, types, untyped) for v in names]
            if all(found) and all(d == found[0] for d in found):
                out[j:j] = [":", *found[0]]
            elif all(found):
                out[i + 1 : j] = [
                    x for v, d in zip(names, found, strict=True) for x in ("(", v, ":", *d, ")")
                ]
        i += 1
    return out


def _once_bound(toks: list[str], untyped: set[str], bound: dict[str, str]) -> dict[str, str]:
    """Of `bound` (`_bound_types` of `toks`), the names bound once in `toks`
    (`∃ H : Subgroup G, …`): before bound names are renamed apart, a name bound twice may mean
    two things. `untyped` is `_untyped_bound(toks)`."""
    sites = Counter(t for i, t in enumerate(toks) if i and toks[i - 1] in _BINDING)
    sites.update(untyped)
    return {n: t for n, t in bound.items() if sites[n] <= 1}


def _untyped_names(toks: list[str], i: int) -> list[str]:
    """The names of `∀ x y,` (`∃`, `fun … ↦`, `⋃`, `⋂`) at `toks[i]`, bound with no type; []
    for any other token or shape."""
    if toks[i] not in ("∀", "∃", "fun", "⋃", "⋂"):
        return []
    j = i + 1
    while j < len(toks) and _NAME_TOKEN.match(toks[j]) and "." not in toks[j]:
        j += 1
    return toks[i + 1 : j] if j < len(toks) and toks[j] in (",", "↦") else []


def _untyped_bound(toks: list[str]) -> set[str]:
    """Names bound with no type: `∀ x y,`, `∃ x,`, `fun x ↦`, `{x | …}`."""
    out: set[str] = set()
    for i, t in enumerate(toks):
        if t == "{" and toks[i + 2 : i + 3] == ["|"]:
            out.add(toks[i + 1])
        else:
            out.update(_untyped_names(toks, i))
    return out


# Tokens that end an atomic proposition, and those a proposition of bare names may hold.
_PROPOSITION_ENDS = {",", "→", "∧", "∨", "↔", "¬", "↦"}
_UNTYPED_OPS = {"<", "≤", ">", "≥", "=", "≠", "+", "-", "*", "/"}


def _use_type(
    body: list[str], v: str, types: dict[str, str], untyped: set[str]
) -> list[str] | None:
    """The type `v` gets from its first use in `body` that fixes one: the domain `D` of a
    local `F : D → …` in `F v`, or in `F (v + w)` where every leaf is a name bound with no
    type (arithmetic on them is elaborated in the type expected); the element type of
    `s : Set T` in `v ∈ s`; the codomain `C` of `f : D → C` in `Tendsto f l (𝓝 v)`; the
    largest number type of the variables beside it in a relation (`a ≤ b + ε`). A relation
    of such names and numerals alone (`ε > 0`, `a < b`) fixes nothing and is passed over,
    as elaboration postpones it; any other use gives up."""
    for k, t in enumerate(body):
        if t != v:
            continue
        if k and body[k - 1] in types:
            return _domain(types[body[k - 1]], v)
        element = k == 0 or body[k - 1] in _PROPOSITION_ENDS | set(_OPEN)  # `v ∈ …`, whole
        interval = body[k + 2].rpartition(".")[2] if k + 3 < len(body) else ""
        if element and body[k + 1 : k + 2] == ["∈"] and interval in _INTERVAL_NAMES:
            # `x ∈ Set.Ioo a b`: `x` has the endpoints' type
            end = body[k + 3]
            return tokens(types[end]) if end in types and "→" not in types[end] else None
        if element and k + 2 < len(body) and body[k + 1] == "∈" and body[k + 2] in types:
            # `x ∈ s` with `s : Set T` (or `Finset T`): `x : T`
            after = body[k + 3] if k + 3 < len(body) else ")"
            carrier = tokens(types[body[k + 2]])
            # `x ∈ s ∩ t`: the same element type
            ends = (")", ",", "→", "∧", "∨", "↔", "∩", "∪", "\\")
            if after in ends and carrier[:1] and carrier[0] in COLLECTIONS and carrier[1:]:
                return _strip_parens(_arguments(carrier[1:])[-1])  # `Submodule R M`: `M`
            return None
        if (limit := _limit_type(body, k, types)) is not None:
            return limit
        if (other := _other_operand_type(body, k, types)) is not None:
            return other
        opened = _enclosing_bracket(body, k)
        if opened is not None and opened and body[opened - 1] in types:
            inner = body[opened + 1 : _closing(body, opened)]
            if all(x in untyped or x in _ARITHMETIC or x.isdigit() for x in inner):
                return _domain(types[body[opened - 1]], v)
            return None
        part = _flat_part(body, k)
        if not any(x in _UNTYPED_OPS for x in part) or body[k - 1 : k] == ["^"]:
            return None  # an exponent is elaborated on its own
        ops = _UNTYPED_OPS | {"^"}
        if not all(x in untyped or x in types or x in ops or x.isdigit() for x in part):
            return None
        leaves = [x for j, x in enumerate(part) if part[j - 1 : j] != ["^"]]
        leaf_types = {types[x].strip() for x in leaves if x in types}
        if any("→" in t for t in leaf_types):
            return None
        if len(leaf_types) == 1:  # `a * x + b = 0` with `a b : F`: `x : F`
            return tokens(leaf_types.pop())
        if leaf_types and leaf_types <= NUMBER_RANK.keys():
            return [max(leaf_types, key=NUMBER_RANK.__getitem__)]
        if leaf_types:
            return None
    return None


def _domain(typ: str, v: str) -> list[str] | None:
    """`D` of a written function type `D → …`, unless it mentions `v`."""
    parts = _depth_split(tokens(typ), "→")
    if len(parts) < 2 or v in parts[0]:
        return None
    return parts[0]


def _limit_type(body: list[str], k: int, types: dict[str, str]) -> list[str] | None:
    """`C` when `body[k]` is the `v` of `Tendsto f l (𝓝 v)` for a local `f : D → C`."""
    if k < 3 or body[k - 2 : k] != ["(", "𝓝"] or body[k + 1 : k + 2] != [")"]:
        return None
    m = k - 3  # the end of the filter `l`: a name or a bracket
    if body[m] in _CLOSE:
        depth = 0
        while m >= 0:
            depth += (body[m] in _CLOSE) - (body[m] in _OPEN)
            if depth == 0:
                break
            m -= 1
    if m < 2 or body[m - 2] not in ("Tendsto", "Filter.Tendsto") or body[m - 1] not in types:
        return None
    parts = _depth_split(tokens(types[body[m - 1]]), "→")
    return _strip_parens(parts[-1]) if len(parts) == 2 else None


_OPERAND_RELATIONS = {"=", "≠", "<", "≤", ">", "≥"}
_INTERVAL_NAMES = {"Icc", "Ico", "Ioc", "Ioo", "Ici", "Iic", "Ioi", "Iio"}


def _other_operand_type(body: list[str], k: int, types: dict[str, str]) -> list[str] | None:
    """`C` when `body[k]` is a whole operand of `=` (`≠`, `<`, …) whose other operand is
    `f a` for a local `f : D → C`, or a variable of a written type that is not a function:
    `binrel%` unifies the two types."""
    before = body[k - 1] if k else ""
    after = body[k + 1] if k + 1 < len(body) else ""
    if before in _OPERAND_RELATIONS and (k < 2 or body[k - 2] not in _ALL_OPS):
        other = body[: k - 1]
        lo = len(other)
        while lo > 0 and other[lo - 1] not in _PROPOSITION_ENDS and other[lo - 1] not in _OPEN:
            lo -= 1
        other = other[lo:]
        if k + 1 < len(body) and body[k + 1] not in _PROPOSITION_ENDS | _CLOSE:
            return None
    elif after in _OPERAND_RELATIONS and (k == 0 or body[k - 1] in _PROPOSITION_ENDS | set(_OPEN)):
        hi = k + 2
        while hi < len(body) and body[hi] not in _PROPOSITION_ENDS and body[hi] not in _CLOSE:
            hi += 1
        other = body[k + 2 : hi]
    else:
        return None
    if len(other) == 1 and other[0] in types and "→" not in types[other[0]]:
        return tokens(types[other[0]])
    if len(other) == 2 and other[0] in types and _NAME_TOKEN.match(other[1]):
        parts = _depth_split(tokens(types[other[0]]), "→")
        return _strip_parens(parts[1]) if len(parts) == 2 else None
    typ = _value_type(other, types) if other else None  # `|f x - f y| < ε`
    return [typ] if typ else None


def _enclosing_bracket(toks: list[str], k: int) -> int | None:
    """Index of the innermost `(` around `toks[k]`, or None."""
    depth = 0
    for j in range(k - 1, -1, -1):
        depth += (toks[j] in _CLOSE) - (toks[j] in _OPEN)
        if depth < 0:
            return j if toks[j] == "(" else None
    return None


def _flat_part(toks: list[str], k: int) -> list[str]:
    """The tokens around `toks[k]` up to the nearest bracket or logical connective."""
    lo = k
    while lo > 0 and toks[lo - 1] not in _PROPOSITION_ENDS | set(_OPEN) | _CLOSE:
        lo -= 1
    hi = k
    while hi + 1 < len(toks) and toks[hi + 1] not in _PROPOSITION_ENDS | set(_OPEN) | _CLOSE:
        hi += 1
    return toks[lo : hi + 1]


def _negation(concl: list[str]) -> list[str] | None:
    """`¬ P` / `a ≠ b` as the whole conclusion -> `P` / `a = b` (then `→ False`): `¬ P` is
    `P → False`. None when the conclusion is not a negation at its top level."""
    concl = _strip_parens(concl)
    if any(len(_depth_split(concl, op)) > 1 for op in ("↔", "→", "∨", "∧")):
        return None
    if concl[:2] in (["¬", "∀"], ["¬", "¬"]) or (
        concl[:1] == ["¬"] and len(_depth_split(_strip_parens(concl[1:]), "→")) > 1
    ):
        return None  # `¬ ∀ x, P` is `∃ x, ¬ P` (see `norm`), not `(∀ x, P) → False`
    if concl and concl[0] == "¬":
        eq = _depth_split(_strip_parens(concl[1:]), "=")
        if len(eq) == 2 and ["∅"] in (_strip_parens(eq[0]), _strip_parens(eq[1])):
            return None  # `¬ (s = ∅)` is `s.Nonempty`, not `s = ∅ → False`
        inner = _strip_parens(concl[1:])
        if _finite_set(inner):
            return None  # `¬ s.Finite` is `s.Infinite`, not `s.Finite → False`
        return concl[1:]
    parts = _depth_split(concl, "≠")
    if len(parts) == 2 and all(parts) and ["∅"] not in [_strip_parens(p) for p in parts]:
        return [*parts[0], "=", *parts[1]]
    parts = _depth_split(concl, "∉")  # `a ∉ s` is `¬ (a ∈ s)`
    if len(parts) == 2 and all(parts):
        return [*parts[0], "∈", *parts[1]]
    return None


def _not_exists(concl: list[str]) -> list[str] | None:
    """`¬ ∃ x, P` -> `∀ x, ¬ (P)`, valid in Lean's logic (no classical step): the
    conclusion then opens like any `∀`. None when the whole conclusion is not that shape."""
    if len(concl) < 2 or concl[0] != "¬":
        return None
    inner = _strip_parens(concl[1:])  # `¬ (∃ x, P) ∧ Q` keeps its parens: not this shape
    comma = _top_level(inner, ",")
    if not inner or inner[0] != "∃" or comma is None:
        return None
    return ["∀", *inner[1:comma], ",", "¬", "(", *inner[comma + 1 :], ")"]


def _forall_parts(toks: list[str]) -> list[list[str]]:
    """`∀ x, A ∧ B` -> `∀ x, A` and `∀ x, B` (∀ distributes over ∧); other terms as they are.
    The term is already normalized, so a top-level `∧` in the body is the body's own."""
    comma = _top_level(toks, ",") if toks and toks[0] == "∀" else None
    if comma is None:
        return [toks]
    head, body = toks[: comma + 1], _strip_parens(toks[comma + 1 :])
    conjuncts = _depth_split(body, "∧")
    if len(conjuncts) < 2 or not all(conjuncts):
        return [toks]
    return [[*head, *part] for c in conjuncts for part in _forall_parts(_strip_parens(c))]


def _intro(concl: list[str], binders: list[tuple[str, str, str]]) -> list[str]:
    """Move leading `∀ x : T,` binders and `P →` premises of the conclusion into binders."""
    fresh = 0
    while True:
        concl = _strip_parens(concl)
        if concl and concl[0] == "∀":
            comma = _top_level(concl, ",")
            if comma is None:
                return concl
            head = concl[1:comma]
            groups = _binder_list(head)
            if groups and all(t for _, t in groups):
                binders.extend(("(", n, " ".join(t)) for n, t in groups)
                concl = concl[comma + 1 :]
                continue
            rest = concl[comma + 1 : comma + 3]
            if len(head) == 1 and len(rest) == 2 and rest[0] == head[0] and rest[1] in _PREDICATES:
                # `∀ x ∈ s, P` (now `∀ x, x ∈ s → (P)`): a variable and a hypothesis
                binders.append(("(", head[0], "_"))
                concl = concl[comma + 1 :]
                continue
            return concl
        if "↔" in concl and len(_depth_split(concl, "↔")) > 1:
            return concl
        pushed = _not_exists(concl)
        if pushed is not None:
            concl = pushed
            continue
        negated = _negation(concl)
        if negated is not None:
            binders.append(("(", f"_h{fresh}", " ".join(negated)))
            fresh += 1
            concl = ["False"]
            continue
        parts = _depth_split(concl, "→")
        if len(parts) > 1:
            binders.append(("(", f"_h{fresh}", " ".join(parts[0])))
            fresh += 1
            concl = [t for p in parts[1:-1] for t in [*p, "→"]] + parts[-1]
            continue
        return concl


def _bound_names(toks: list[str]) -> list[str]:
    return [n for i, t in enumerate(toks) if t in _BINDING for n in _binder_names(toks, i)]


_BINDING = (*_BINDERS, *_BIG, "∑", "∏", "{")


def _builder_head(toks: list[str], i: int) -> tuple[list[str], int | None]:
    """The inside of the brace at `toks[i]` and the index there of its `|` (or a subtype's
    `//`), None for a set literal."""
    head = toks[i + 1 : _closing(toks, i)]
    bar = _top_level(head, "|")
    return head, _top_level(head, "//") if bar is None else bar


def _binder_names(toks: list[str], i: int) -> list[str]:
    """The names the binder at `toks[i]` binds: `∀ x y : T`, `fun (x : T)`, `∑ i ∈ s`,
    `{x : T | P}` (a set literal `{a, b}` binds nothing)."""
    if toks[i] == "{":
        head, bar = _builder_head(toks, i)
        simple = bar is not None and bar > 0 and _simple_name(head[0])
        return [head[0]] if simple and (bar == 1 or head[1] == ":") else []
    comma = _top_level(toks[i:], ",")
    if toks[i] in ("∀", "∃") and comma is not None and toks[i + 1 : i + 2] == ["("]:
        return [n for n, _ in _binder_list(toks[i + 1 : i + comma])]  # `∀ (a : M) (b : M),`
    out = []
    j = i + 1
    while j < len(toks) and toks[j] not in (",", "↦", ":", "∈", "in"):
        if _simple_name(toks[j]):
            out.append(toks[j])
        j += 1
    return out


def _exists_unique(toks: list[str], fresh: itertools.count) -> list[str]:
    """`∃! x, P x` -> `∃ x, P x ∧ ∀ y, P y → y = x`: `ExistsUnique`'s definition. In the copy
    `P y` every binder gets a fresh name first, so no inner `x` is captured by the renaming."""
    out = list(toks)
    i = 0
    while i < len(out):
        comma = _top_level(out[i:], ",") if out[i] == "∃!" else None
        head = _strip_parens(out[i + 1 : i + comma]) if comma is not None else []
        if not head or not _simple_name(head[0]) or (len(head) > 1 and head[1] != ":"):
            i += 1
            continue
        x, typed = head[0], head[1:]
        end = _scope_end(out, i)
        body = out[i + comma + 1 : end]
        y = f"_unique{next(fresh)}"
        copy = _fresh_bound(body, fresh, "_unique")
        renamed = [y + t[len(x) :] if _head(t) == x else t for t in copy]
        other = ["∀", y, *typed, ",", "(", *renamed, ")", "→", y, "=", x]
        unfolded = ["∃", x, *typed, ",", "(", *body, ")", "∧", "(", *other, ")"]
        out[i:end] = unfolded
        i += 1
    return out


def _fresh_bound(toks: list[str], fresh: itertools.count, prefix: str = "_bound") -> list[str]:
    """Every bound variable renamed to a name of its own (`_bound3`) through its scope (to the
    end of the bracket around its binder), so that a bound `x` never meets a variable `x`
    when names are made canonical. Inner binders rename again: shadowing is kept."""
    out = list(toks)
    for i, t in enumerate(out):
        if t not in _BINDING:
            continue
        names = _binder_names(out, i)
        end = _closing(out, i) if t == "{" else _scope_end(out, i)
        for name in dict.fromkeys(names):
            new = f"{prefix}{next(fresh)}"
            for k in range(i + 1, end):
                if _head(out[k]) == name:
                    out[k] = new + out[k][len(name) :]
    return out


_HEAD = re.compile(r"^[^\W\d][\w'₀-₉]*")


def _head(token: str) -> str:
    """`p.Prime` -> `p`, `f⁻¹` -> `f`: the local name a token starts with."""
    m = _HEAD.match(token)
    return m.group() if m else token


def _mask(toks: list[str], local: list[str]) -> list[str]:
    return ["□" + t[len(_head(t)) :] if _head(t) in local else t for t in toks]


def structurally_equal(a: str, b: str) -> bool:
    try:
        return normal_form(a).text() == normal_form(b).text()
    except StatementError:
        return False


def shared_normal_forms(items: list[tuple[str, str]]) -> tuple[list[list[tuple[str, str]]], int]:
    """Groups of `(id, statement)` whose statements share a normal form although their ids
    differ, and how many statements could not be read. Over statements of distinct problems,
    every group is either a genuine restatement or a soundness bug: a probe to read by hand."""
    groups: dict[str, list[tuple[str, str]]] = {}
    unread = 0
    for ident, statement in items:
        try:
            key = normal_form(statement).text()
        except StatementError:
            unread += 1
            continue
        groups.setdefault(key, []).append((ident, statement))
    shared = [g for g in groups.values() if len({i for i, _ in g}) > 1]
    return shared, unread
