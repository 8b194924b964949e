"""Type ascriptions on numerals that elaboration makes redundant, written one way.

Lean elaborates `+ - * / %`, the base of `^` and the two sides of `= ≠ < ≤ > ≥` as one tree
(`binop%`, `binrel%`; parentheses are seen through): each leaf is elaborated on its own, the
tree takes the largest leaf type (or the type it is ascribed), and every leaf is coerced to
it; a numeral with no type of its own simply gets it. So with `x : ℝ`, `(2 : ℝ) * x = 1` and
`2 * x = 1` elaborate to one term, and `(12 : ℚ[X]) + X` is `(12 + X : ℚ[X])`. Here a tree
whose leaves fix one type `U` (ascribed numerals, other ascriptions, variables whose type the
statement writes, an ascription around the tree) is written with its numerals bare and, where
no leaf of known type `U` remains to fix it, with each side ascribed `U` once. In a tree of
number types the others are coerced to the largest (`(2 : ℝ) * n` for `n : ℕ` is
`2 * (n : ℝ)`), and `↑x` to the type the other leaves fix (`x = ↑n` is `x = (n : ℝ)`). Trees
with other mixed types are left as written.

`Polynomial.C (c : R)` for a numeral or name `c` is the cast `(c : R[X])` (`Polynomial.C_ofNat`,
`Polynomial.C_intCast` and alike: `C` is a ring hom, so it commutes with the casts that can
elaborate there).

Tokens come from `eval.structural.tokens`; bound names must already be renamed apart, so that
a name's type in `known` is the type of every use of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_OPEN = {"(": ")", "[": "]", "{": "}", "⟨": "⟩"}
_TREE_OPS = {"+", "-", "*", "/", "%"}
_TREE_RELS = {"=", "≠", "<", ">", "≤", "≥"}
# Tokens that end one tree and start the next: logic, binders, binder types, other relations.
_SEPARATORS = frozenset(
    ", : ∧ ∨ → ↔ ¬ ↦ | $ ∀ ∃ ∃! fun ∈ ∉ ⊆ ⊂ ∣ ≡ := if then else // ∘ • ×ˢ ∩ ∪ \\".split()
)
_BINDERS = {"∀", "∃", "∃!", "fun"}
# Binder notations whose body binds tighter than `+` (`∑ i, f i + 1` is `(∑ i, f i) + 1`):
# the tree around them is not visible at one level of brackets, so none is changed there.
_TIGHT_BINDERS = {"∑", "∏", "∑'", "∏'", "⨆", "⨅", "⋃", "⋂", "∫", "∫⁻", "∮", "⨍", "∑ᶠ", "∏ᶠ"}
# Functions whose first explicit argument has one type: a numeral there is elaborated in it.
_REAL = (["ℝ"], ["Real"])
_DOMAINS = {
    **dict.fromkeys(
        "Real.sqrt Real.exp Real.log Real.sin Real.cos Real.tan Real.arctan Real.arcsin "
        "Real.arccos Real.sinh Real.cosh Real.tanh Irrational".split(),
        _REAL,
    ),
    **dict.fromkeys("Complex.exp Complex.log Complex.abs".split(), (["ℂ"], ["Complex"])),
    **dict.fromkeys("Nat.factorial Nat.Prime Nat.succ Nat.choose".split(), (["ℕ"], ["Nat"])),
}
_NUMERAL = re.compile(r"^\d+(\.\d+)?$")
# Types whose numerals wrap around: cast out of them (`Fin.val`, `ZMod.cast`), `5` is not `5`.
_WRAPPING = frozenset("Fin ZMod UInt8 UInt16 UInt32 UInt64 USize BitVec Char".split())


@dataclass
class _Group:
    """A bracketed part: `items` between `open` and its closing bracket."""

    open: str
    items: list[_Item]

    def flat(self) -> list[str]:
        return [self.open, *_flatten(self.items), _OPEN[self.open]]


@dataclass
class _Cast:
    """A name `x` that a tree may coerce: `↑x` (`arrow`), which takes the tree's type, or a
    variable of a number type, which `binop%` coerces to the largest leaf type. Written
    `(x : T)` once the tree's type `T` is known to differ from `x`'s."""

    name: str
    arrow: bool = True
    to: str | None = None
    same: bool = False  # `x` already has the tree's type: `↑x` is `x`
    inverse: bool = False  # `x⁻¹`, one token

    def flat(self) -> list[str]:
        if self.to and not self.same:
            cast = ["(", self.name, ":", *self.to.split(), ")"]
            return [*cast, "⁻¹"] if self.inverse else cast
        if self.inverse:
            return [f"{self.name}⁻¹"]
        return ["↑", self.name] if self.arrow and not self.same else [self.name]


_Item = _Group | _Cast | str


@dataclass
class _Tree:
    """What the leaves of one elaboration tree say about its type."""

    numerals: list[tuple[_Group, list[_Item], str]] = field(default_factory=list)
    known: set[str] = field(default_factory=set)
    casts: list[_Cast] = field(default_factory=list)  # `↑x`
    names: list[_Cast] = field(default_factory=list)  # variables of number types


def settle_numerals(toks: list[str], known: dict[str, str]) -> list[str]:
    """`toks` with redundant numeral ascriptions dropped and the rest written one way.
    `known` maps names to the type text the statement gives them."""
    items = _parse(toks, known)
    if items is None:
        return toks
    _polynomial_constants(items)
    _region(items, known, None)
    return _flatten(items)


def _polynomial_constants(items: list[_Item]) -> None:
    """`Polynomial.C (c : R)` -> `(c : Polynomial R)` for a numeral or a name `c` (in place)."""
    calls = []
    for k, x in enumerate(items):
        if not isinstance(x, _Group):
            continue
        _polynomial_constants(x.items)
        split = _ascription(x)
        if not (k and items[k - 1] == "Polynomial.C" and split and len(split[0]) == 1):
            continue
        (c,), ring = split
        c = c.name if isinstance(c, _Cast) else c
        simple = isinstance(c, str) and (_NUMERAL.match(c) or re.match(r"^[^\W\d][\w'₀-₉]*$", c))
        if simple and ":" not in _flatten(ring):
            ring = ring if len(_flatten(ring)) == 1 else [_Group("(", ring)]
            x.items = [c, ":", "Polynomial", *ring]
            calls.append(k - 1)
    for k in reversed(calls):
        del items[k]


def _parse(toks: list[str], known: dict[str, str]) -> list[_Item] | None:
    """Brackets as nested groups, and names a tree may coerce as `_Cast`s; None when the
    brackets do not balance."""
    stack: list[list[_Item]] = [[]]
    opens: list[str] = []
    for t in toks:
        if stack[-1] and stack[-1][-1] == "↑" and re.match(r"^[^\W\d][\w'₀-₉]*$", t):
            stack[-1][-1] = _Cast(t)
        elif known.get(t) in NUMBER_RANK:
            stack[-1].append(_Cast(t, arrow=False))
        elif t.endswith("⁻¹") and known.get(t[:-2]) in NUMBER_RANK:  # `1 / x` is written `x⁻¹`
            stack[-1].append(_Cast(t[:-2], arrow=False, inverse=True))
        elif t in _OPEN:
            opens.append(t)
            stack.append([])
        elif t in _OPEN.values():
            if not opens or _OPEN[opens[-1]] != t:
                return None
            inner = stack.pop()
            stack[-1].append(_Group(opens.pop(), inner))
        else:
            stack[-1].append(t)
    return stack[0] if not opens else None


def _flatten(items: list[_Item]) -> list[str]:
    return [t for x in items for t in ([x] if isinstance(x, str) else x.flat())]


def _region(items: list[_Item], known: dict[str, str], expected: str | None) -> bool:
    """Settle every tree in `items` (in place). With `expected` (the ascription around
    `items`), returns whether the ascription is implied by a leaf of known type."""
    if any(isinstance(x, str) and x in _TIGHT_BINDERS for x in items):
        for x in items:
            if isinstance(x, _Group) and _ascription(x) is None:  # `⋃ (n : ℕ),` binds `n`
                _inner(x, known)
                _uncoerce(x.items)  # the tree around `x` may have another type
        return False
    segments: list[list[_Item]] = [[]]
    separators: list[str] = []
    for x in items:
        if isinstance(x, str) and x in _SEPARATORS:
            segments.append([])
            separators.append(x)
        else:
            segments[-1].append(x)
    for k, sep in enumerate(separators):
        if sep in ("∈", "∉"):
            _member_numeral(segments[k], segments[k + 1], known)
        elif sep == "∣":
            _divisor_numeral(segments[k], segments[k + 1], known)
            _divisor_numeral(segments[k + 1], segments[k], known)
    implied = False
    for k, seg in enumerate(segments):
        if k and separators[k - 1] in _BINDERS:
            continue  # `∀ (x : ℝ) (y : ℝ),`: binders, not ascriptions
        implied = _settle_tree(seg, known, expected if len(segments) == 1 else None)
    items[:] = segments[0]
    for sep, seg in zip(separators, segments[1:], strict=True):
        items.extend([sep, *seg])
    return implied and len(segments) == 1


# Types whose terms are collections of elements of their last argument (`Set.Mem`, `SetLike`).
COLLECTIONS = frozenset(
    "Set Finset Subgroup AddSubgroup Submonoid AddSubmonoid Subring Subsemiring Subfield Ideal "
    "Submodule Subalgebra IntermediateField".split()
)


def _member_numeral(element: list[_Item], collection: list[_Item], known: dict[str, str]) -> None:
    """`(1 : F) ∈ K` with `K : Subring F` -> `1 ∈ K`: membership's element type is an
    `outParam` of the collection's, so a bare numeral gets the type the ascription names."""
    if len(element) != 1 or not isinstance(element[0], _Group) or not collection:
        return
    split = _ascription(element[0])
    typ = known.get(collection[0]) if isinstance(collection[0], str) else None
    carrier = " ".join(_flatten(split[1])) if split else ""
    if split is None or typ is None or not _is_numeral(split[0], carrier):
        return
    words = typ.split() or [""]
    if words[0] in COLLECTIONS and (words[-1] == carrier or typ.endswith(f"( {carrier} )")):
        element[0].items = split[0]


def _uncoerce(items: list[_Item]) -> None:
    """Undo the coercions settled in `items`, written as they were."""
    for x in items:
        if isinstance(x, _Cast):
            x.to, x.same = None, False
        elif isinstance(x, _Group):
            _uncoerce(x.items)


def _divisor_numeral(numeral: list[_Item], other: list[_Item], known: dict[str, str]) -> None:
    """`(3 : ℤ) ∣ a` with `a : ℤ` -> `3 ∣ a`: `∣` is plain notation for `Dvd.dvd`, whose two
    arguments have one type, so a bare numeral takes the other side's."""
    if len(numeral) != 1 or not isinstance(numeral[0], _Group):
        return
    split = _ascription(numeral[0])
    typ = " ".join(_flatten(split[1])) if split else ""
    if split is None or not _is_numeral(split[0], typ):
        return
    names = [t for t in _flatten(other) if t in known]
    if names and all(known[n] == typ for n in names) and _only_arithmetic(other):
        numeral[0].items = split[0]


def _only_arithmetic(items: list[_Item]) -> bool:
    """Names, numerals and casts joined by `+ - * ^`, with brackets: a term whose type its
    names fix (no application: in `f a` the type is `f`'s codomain)."""
    operand = False
    for x in items:
        if isinstance(x, str) and (x in _TREE_OPS or x == "^"):
            operand = False
            continue
        if operand:
            return False  # an application
        if isinstance(x, _Group) and not (_plain(x) and _only_arithmetic(x.items)):
            return False
        if isinstance(x, str) and not (_NUMERAL.match(x) or re.match(r"^[^\W\d][\w'₀-₉]*$", x)):
            return False
        operand = True
    return True


def _inner(group: _Group, known: dict[str, str], leaf: bool = False) -> None:
    """Settle what a group holds that is not part of the tree around it: an ascription's
    term (with its type expected) or any other bracket's contents. An ascription that says
    nothing is dropped, but not from a compound `leaf` of a tree: `(k % p : ℕ)` keeps `%` in
    ℕ, while `(k % p)` would join the tree around it and be taken in its type."""
    split = _ascription(group)
    if split is None:
        _region(group.items, known, None)
        only = group.items[0] if len(group.items) == 1 else None
        if group.open == "(" and isinstance(only, _Group) and only.open == "(":
            group.items = only.items  # `f ((e : T))` is `f (e : T)`
        return
    term, typ = split
    if len(term) == 1 and isinstance(term[0], _Cast) and term[0].arrow:
        group.items = [term[0].name, ":", *typ]  # `(↑x : T)` is the cast `(x : T)`
        return
    implied = _region(term, known, " ".join(_flatten(typ)))
    if implied and (not leaf or _atom(term)):
        group.items = term  # `(x : ℝ)` with `x : ℝ`: the ascription says nothing


def _atom(term: list[_Item]) -> bool:
    """A name, or an ascription: a leaf however the parentheses around it are read."""
    only = term[0] if len(term) == 1 else None
    if isinstance(only, _Group):
        return _ascription(only) is not None
    return only is not None


def _ascription(group: _Group) -> tuple[list[_Item], list[_Item]] | None:
    """`(e : T)` -> (e, T)."""
    if group.open != "(":
        return None
    colons = [i for i, x in enumerate(group.items) if x == ":"]
    if len(colons) != 1 or colons[0] == 0 or colons[0] == len(group.items) - 1:
        return None
    k = colons[0]
    return group.items[:k], group.items[k + 1 :]


def _settle_tree(seg: list[_Item], known: dict[str, str], expected: str | None) -> bool:
    """One tree: a segment whose relations and arithmetic operators join leaves."""
    tree = _Tree()
    sides: list[list[_Item]] = [[]]
    for x in seg:
        if isinstance(x, str) and x in _TREE_RELS:
            sides.append([])
        else:
            sides[-1].append(x)
    for side in sides:
        _leaves(side, known, tree)
    numerals = {t for _, _, t in tree.numerals}
    types = numerals | tree.known | ({expected} if expected else set())
    if not types or not seg:
        return False
    if len(types) == 1:
        (typ,) = types
    elif all(
        t in NUMBER_RANK for t in types
    ):  # number types: the others are coerced to the largest
        typ = max(types, key=NUMBER_RANK.__getitem__)
        if numerals - {typ} or (len(seg) == 1 and isinstance(seg[0], _Cast)):
            return False  # `(x : ℝ)` for `x : ℕ` is the cast itself
        for name in tree.names:
            name.to = typ if NUMBER_RANK[known[name.name]] != NUMBER_RANK[typ] else None
    else:
        return False
    if typ.split()[:1] and typ.split()[0] in _WRAPPING:
        return False
    if tree.known or expected is not None:
        for cast in tree.casts:
            cast.to, cast.same = typ, known.get(cast.name) == typ
    if tree.known or expected is not None:
        for group, term, _ in tree.numerals:
            group.items = term
        return bool(tree.known)
    # the numerals fixed the type: one ascription per side keeps it (`(3 : ℝ)` already does)
    lone = {id(group) for group, _, _ in tree.numerals} & {id(s[0]) for s in sides if len(s) == 1}
    for group, term, _ in tree.numerals:
        if id(group) not in lone:
            group.items = term
    at = 0
    for side in sides:
        if not (len(side) == 1 and id(side[0]) in lone):
            seg[at : at + len(side)] = [_Group("(", [*side, ":", *typ.split()])]
        at += 2  # past the side and its relation
    return False


def _leaves(side: list[_Item], known: dict[str, str], tree: _Tree) -> None:
    """Record the leaves of one side of a tree, settling what lies outside it."""
    runs: list[list[_Item]] = [[]]
    exponent = False  # inside the exponent of `^`: elaborated on its own
    for i, x in enumerate(side):
        unary = i > 0 and side[i - 1] == "^"  # `x ^ -n`
        if isinstance(x, str) and x in _TREE_OPS and not unary:
            runs.append([])
            exponent = False
        elif x == "^":
            exponent = True
        elif exponent:
            if isinstance(x, _Group):
                _inner(x, known)
        else:
            runs[-1].append(x)
    for run in runs:
        _leaf(run, known, tree)


def _leaf(run: list[_Item], known: dict[str, str], tree: _Tree) -> None:
    if len(run) == 1 and isinstance(run[0], _Cast):
        if run[0].arrow:
            tree.casts.append(run[0])
        else:
            tree.known.add(known[run[0].name])
            tree.names.append(run[0])
        return
    if len(run) == 1 and isinstance(run[0], str):
        if run[0] in known:
            tree.known.add(known[run[0]])
        return
    if len(run) == 2 and isinstance(run[0], _Group) and run[1] == "⁻¹":
        # `(n + 1)⁻¹` is how `1 / (n + 1)` is written by now: its leaves are the tree's
        # (and a cast commutes with `⁻¹` into a field, the only place it elaborates)
        if _plain(run[0]):
            _leaves(run[0].items, known, tree)
            return
        if (split := _ascription(run[0])) is not None:  # `(n : ℝ)⁻¹`: a leaf of type `ℝ`
            _inner(run[0], known, leaf=True)
            tree.known.add(" ".join(_flatten(split[1])))
            return
    if len(run) == 2 and isinstance(run[0], str) and run[0] in known:
        # `f x` for a local `f : D → C` of number types is a leaf of type `C`
        parts = [p.strip() for p in known[run[0]].split("→")]
        if len(parts) == 2 and parts[1] in NUMBER_RANK and "(" not in known[run[0]]:
            tree.known.add(parts[1])
    if len(run) == 1 and isinstance(run[0], _Group) and run[0].open == "(":
        group = run[0]
        split = _ascription(group)
        if split is None and _plain(group):
            _leaves(group.items, known, tree)  # parentheses are seen through
            return
        if split is not None:
            term, typ = split
            typ_text = " ".join(_flatten(typ))
            if _is_numeral(term, typ_text):
                tree.numerals.append((group, term, typ_text))
                return
            _inner(group, known, leaf=True)
            tree.known.add(typ_text)
            return
    for k, x in enumerate(run):
        if isinstance(x, _Group):
            _inner(x, known)
            domain = _DOMAINS.get(run[k - 1]) if k and isinstance(run[k - 1], str) else None
            split = _ascription(x)
            numeral = split and _is_numeral(split[0], " ".join(_flatten(split[1])))
            if domain and numeral and _flatten(split[1]) in domain:
                x.items = split[0]  # `Real.sqrt (2 : ℝ)`: the argument is expected in ℝ


def _plain(group: _Group) -> bool:
    """A bracket a tree sees through: `(…)` holding arithmetic, not `(· + 1)` or a binder."""
    if group.open != "(" or _ascription(group) is not None or "·" in group.items:
        return False
    return not any(isinstance(x, str) and x in _SEPARATORS for x in group.items)


def _is_numeral(term: list[_Item], typ: str) -> bool:
    """`2`, `1.5`, `-1`, or arithmetic on numerals that casts out of `typ` keep: a numeral has
    the same value in every type it elaborates in (`Nat.cast_ofNat`), and casts are ring homs,
    so `(1 / 2 : ℝ)` is `1 / 2` in ℝ or ℂ. Not `(1 / 2 : ℕ)`, which is `0`: ℕ's `-` and `/`
    (ℤ's `/`) do not commute with casts."""
    flat = [t for t in _flatten(term) if t not in ("(", ")")]
    if flat and _NUMERAL.match(flat[-1]) and flat[:-1] in ([], ["-"]):
        return True
    ops = _NUMERAL_OPS.get(typ, frozenset())
    return any(_NUMERAL.match(t) for t in flat) and all(_NUMERAL.match(t) or t in ops for t in flat)


# Number types by coercion: `binop%` coerces every leaf to the largest leaf type.
NUMBER_RANK = {"ℕ": 0, "Nat": 0, "ℤ": 1, "Int": 1, "ℚ": 2, "Rat": 2, "ℝ": 3, "Real": 3}
NUMBER_RANK |= {"ℂ": 4, "Complex": 4}


# The operations on numerals that casts out of each type commute with.
_NUMERAL_OPS = {
    **dict.fromkeys(("ℚ", "ℝ", "ℂ", "Rat", "Real", "Complex"), frozenset("+ - * / ^".split())),
    **dict.fromkeys(("ℤ", "Int"), frozenset("+ - * ^".split())),
    **dict.fromkeys(("ℕ", "Nat"), frozenset("+ * ^".split())),
}
