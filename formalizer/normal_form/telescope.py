"""A statement as a telescope: its variables and hypotheses in one list, then the conclusion.

`(x : ℝ) (h : 0 < x) : P x`, `: ∀ x : ℝ, 0 < x → P x` and `{x : ℝ} (h : x > 0) : P x` all
become the entries `x : ℝ`, `_ : 0 < x` and the conclusion `P x`: binder brackets, the split
between binders and the type, and the names of hypotheses nothing refers to do not matter.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from formalizer.normal_form.context import (
    Context,
    mentions_non_commutative,
    number_type,
    visible_proposition,
)
from formalizer.normal_form.names import apart, mentioned, rename, substitute
from formalizer.normal_form.numbers import at_type, same_type
from formalizer.normal_form.rule import rule, rules_of
from formalizer.normal_form.spelling import sections
from indexer.lean_terms import App, Binder, Ident, Node, Op, Quant, SetBuilder, Signature, walk
from indexer.lean_terms.names import global_names
from indexer.lean_terms.printer import to_lean

_SORTS = frozenset({"Type", "Type*", "Sort", "Sort*", "Prop"})


@dataclass(frozen=True)
class Entry:
    name: str | None  # None: an instance or a hypothesis nothing refers to
    type: Node | None  # None: a binder written without a type
    instance: bool = False  # written `[…]`


@dataclass(frozen=True)
class Telescope:
    entries: tuple[Entry, ...]
    conclusion: Node

    def names(self) -> frozenset[str]:
        return frozenset(e.name for e in self.entries if e.name)

    def terms(self) -> list[Node]:
        return [e.type for e in self.entries if e.type is not None] + [self.conclusion]

    def print(self) -> str:
        """The telescope as a Lean signature: `(x : ℝ) (_ : 0 < x) : P x`."""
        parts = []  # `[C x]` and `(h : C x)`: one binder type, so one form
        for e in self.entries:
            typ = "_" if e.type is None else to_lean(e.type)
            parts.append(f"({e.name or '_'} : {typ})")
        return " ".join([*parts, ":", to_lean(self.conclusion)])

    def map(
        self, f: Callable[[Node], Node], named: Callable[[Node], Node] | None = None
    ) -> Telescope:
        """`f` on every type and the conclusion; `named` (when given) instead on the types of
        named entries, which later terms depend on."""
        g = named or f
        entries = tuple(
            Entry(e.name, None if e.type is None else (g if e.name else f)(e.type), e.instance)
            for e in self.entries
        )
        return Telescope(entries, f(self.conclusion))


def from_signature(sig: Signature) -> Telescope:
    """The binders as entries; a name bound twice (`{m : σ} (m : ℕ)`, from a `variable` line)
    is the later binder's from there on, so the earlier one is renamed apart."""
    entries: list[Entry] = []
    current: dict[str, str] = {}  # written name -> the entry name it refers to now
    for b in sig.binders:
        typ = _renamed(b.type, current)
        for name in b.names or (None,):
            if name in (None, "_"):  # `(_ : P)` names nothing
                entries.append(Entry(None, typ, b.bracket == "["))
                continue
            taken = {e.name for e in entries}
            unique = next(f"{name}_{i}" for i in range(1000) if f"{name}_{i}" not in taken)
            current[name] = name if name not in taken else unique
            entries.append(Entry(current[name], typ, b.bracket == "["))
        if b.predicate is not None:  # `(x ∈ s)` in a header: a hypothesis on each name
            rel, right = b.predicate
            right = _renamed(right, current)
            entries.extend(Entry(None, Op(rel, (Ident(current[n]), right))) for n in b.names)
    concl = _renamed(sig.type, current) if sig.type is not None else Ident("_")
    return Telescope(tuple(entries), concl)


def _renamed(node: Node | None, current: dict[str, str]) -> Node | None:
    env = {k: v for k, v in current.items() if k != v}
    if node is None or not env:
        return node
    return rename(node, env, depth=None)


def peel(t: Telescope, ctx: Context) -> Telescope:
    """Leading `∀ x,` and `P →` of the conclusion become entries (after the `conclusion`
    rules at its root: `¬ P` is `P → False`); `A ∧ B` hypotheses become two."""
    entries, concl = list(t.entries), t.conclusion
    taken = set(t.names())
    while True:
        concl = _at_root(concl, ctx)
        if isinstance(concl, Quant) and concl.head == "∀" and len(concl.binders) == 1:
            b = concl.binders[0]
            if len(b.names) != 1 or b.predicate is not None or b.default is not None:
                break
            name, body = b.names[0], concl.body
            if name == "_":  # `∀ _ : P, Q` is `P → Q`
                entries.append(Entry(None, b.type, b.bracket == "["))
                concl = body
                continue
            if name in taken:  # `(x : ℕ) : ∀ x : ℤ, …`: the inner one shadows
                fresh = next(f"{name}_{i}" for i in itertools.count() if f"{name}_{i}" not in taken)
                body, name = rename(body, {name: fresh}, depth=None), fresh
            taken.add(name)
            entries.append(Entry(name, b.type, b.bracket == "["))
            concl = body
        elif isinstance(concl, Op) and concl.op == "→" and concl.fixity == "infix":
            entries.append(Entry(None, concl.args[0]))
            concl = concl.args[1]
        else:
            break
    out: list[Entry] = []
    for e in entries:  # a hypothesis `A ∧ B` nothing names is the hypotheses `A` and `B`
        if e.name is None and not e.instance and e.type is not None:
            out.extend(Entry(None, part) for part in _conjuncts(e.type))
        else:
            out.append(e)
    return Telescope(tuple(out), concl)


def _at_root(node: Node, ctx: Context) -> Node:
    for _ in range(10):
        for r in rules_of("conclusion"):
            out = r.rewrite(node, ctx)
            if out is not None:
                node = out
                break
        else:
            return node
    return node


def _conjuncts(node: Node) -> list[Node]:
    """`A ∧ B` is `A`, `B` (`and_imp`); `∀ x, A ∧ B` is `∀ x, A` and `∀ x, B` (`forall_and`)."""
    if isinstance(node, Op) and node.op == "∧" and node.fixity == "infix":
        return _conjuncts(node.args[0]) + _conjuncts(node.args[1])
    if isinstance(node, Quant) and node.head == "∀":
        parts = _conjuncts(node.body)
        if len(parts) > 1:
            return [Quant("∀", node.binders, part) for part in parts]
    return [node]


def drop_unused_names(t: Telescope) -> Telescope:
    """A name nothing after its entry mentions is not part of the statement."""
    entries = list(t.entries)
    for i, e in enumerate(entries):
        if e.name is None:
            continue
        later = [x.type for x in entries[i + 1 :]] + [t.conclusion]
        if not any(e.name in mentioned(x, frozenset({e.name})) for x in later):
            entries[i] = Entry(None, e.type, e.instance)
    return Telescope(tuple(entries), t.conclusion)


def context(t: Telescope) -> Context:
    """`+` and `*` commute when every variable is a number and no structure is abstract."""
    types = {e.name: e.type for e in t.entries if e.name and e.type is not None}
    universes: dict[str, int] = {}
    for e in t.entries:
        for n in walk(e.type) if e.type is not None else ():
            if isinstance(n, App) and isinstance(n.fn, Ident) and n.fn.name in ("Type", "Sort"):
                for level in n.args:
                    if isinstance(level, Ident):
                        universes[level.name] = universes.get(level.name, 0) + 1
    return Context(commutative=_commutative(t), types=types, universes=universes)


def _commutative(t: Telescope) -> bool:
    for e in t.entries:
        if e.instance or (e.type is not None and _sort(e.type)):
            return False
        if e.name is not None and not (number_type(e.type) or _proposition(e.type)):
            return False
    names = t.names()
    for term in t.terms():
        if mentions_non_commutative(term) or _unknown_operand(term, names):
            return False
        for n in walk(term):
            if isinstance(n, Quant) and not _typed_numbers(n.binders):
                return False
            if isinstance(n, SetBuilder) and not _typed_numbers((n.binder,)):
                return False
    return True


def _typed_numbers(binders: tuple[Binder, ...]) -> bool:
    return all(number_type(b.type) or (b.type is None and b.predicate) for b in binders)


def _sort(node: Node) -> bool:
    return any(isinstance(n, Ident) and n.name in _SORTS for n in walk(node))


def _proposition(node: Node | None) -> bool:
    """A proposition by its look, arrows included: a hypothesis, not a number."""
    return visible_proposition(node) or (isinstance(node, Op) and node.op == "→")


_USES_FINTYPE = ("Fintype.", "Finset.univ", "univ", "Finset.card")


@rule(
    "telescope",
    lemma="`Fintype.ofFinite` / `Finite.of_fintype`: a `Fintype` instance the statement never "
    "uses asks only that the type be finite",
    meets=[
        (
            "(G : Type*) [Group G] [Fintype G] : ∃ n : ℕ, 0 < n ∧ ∀ g : G, g ^ n = 1",
            "(G : Type*) [Group G] [Finite G] : ∃ n : ℕ, 0 < n ∧ ∀ g : G, g ^ n = 1",
        )
    ],
    apart=[
        (
            "(G : Type*) [Group G] [Fintype G] : ∑ g : G, (1 : ℕ) = 4",
            "(G : Type*) [Group G] [Finite G] : ∑ g : G, (1 : ℕ) = 4",
        )
    ],
)
def finite_instance(t: Telescope, ctx: Context) -> Telescope | None:
    """`[Fintype G]` is `[Finite G]` where nothing else uses the instance."""
    if _uses_fintype(t):
        return None
    entries = list(t.entries)
    changed = False
    for i, e in enumerate(entries):
        typ = e.type
        if e.name is None and isinstance(typ, App) and typ.fn == Ident("Fintype"):
            entries[i] = Entry(None, App(Ident("Finite"), typ.args), e.instance)
            changed = True
    return Telescope(tuple(entries), t.conclusion) if changed else None


def _uses_fintype(t: Telescope) -> bool:
    for term in t.terms():
        for n in walk(term):
            if isinstance(n, Ident) and n.name.startswith(_USES_FINTYPE):
                return True
            if (
                isinstance(n, Quant)
                and n.head in ("∑", "∏")
                and not any(b.predicate for b in n.binders)
            ):
                return True  # a sum over a whole type needs its `Fintype`
    return False


def apply_telescope_rules(t: Telescope, ctx: Context) -> Telescope:
    for r in rules_of("telescope"):
        out = r.rewrite(t, ctx)
        if out is not None:
            t = out
    return t


@rule(
    "telescope",
    lemma="`forall_eq'`: a variable a hypothesis defines (`h : m = e`) is `e`",
    meets=[
        (
            "(p n m : ℕ) (hm : m = p ^ n) (hp : Nat.Prime p) : m ∣ m * 2",
            "(p n : ℕ) (hp : Nat.Prime p) : p ^ n ∣ p ^ n * 2",
        ),
    ],
    apart=[
        (
            "(p n m : ℕ) (hm : m = p ^ n) (hp : Nat.Prime p) : m ∣ m * 2",
            "(p n m : ℕ) (hm : m = p ^ n + 1) (hp : Nat.Prime p) : m ∣ m * 2",
        ),
        (
            "(p n m : ℕ) (hm : m ≤ p ^ n) : m ∣ p",
            "(p n : ℕ) : p ^ n ∣ p",
        ),
        ("(x y : ℝ) (h : y = 2) : x ^ y = 4", "(x : ℝ) : x ^ 2 = 4"),  # `x ^ (2 : ℝ)` is rpow
        # `⊤ = ↑x` is an equation in `EReal`: `x` is cast, not defined (found by the probe)
        ("(x : ℝ) (h : (⊤ : EReal) = x) : False", "(x : ℝ) (h : x = 0) : False"),
    ],
)
def defined_variable(t: Telescope, ctx: Context) -> Telescope | None:
    """A hypothesis `v = e` (or `e = v`) with `e` compound and free of `v` defines `v`."""
    names = t.names()
    candidates = []
    for i, e in enumerate(t.entries):
        if e.name is not None or not isinstance(e.type, Op) or e.type.op != "=":
            continue
        for var, value in (e.type.args, e.type.args[::-1]):
            if (
                isinstance(var, Ident)
                and var.name in names
                and not isinstance(value, Ident)
                and var.name not in mentioned(value, names)
                and same_type(value, ctx.types.get(var.name), ctx)
            ):
                masked = to_lean(rename(value, dict.fromkeys(names, "□"), None))
                candidates.append((masked, to_lean(value), i, var.name, value))
    if candidates:  # the smallest value first, so that the hypotheses' order cannot decide
        _, _, i, name, value = min(candidates, key=lambda c: c[:3])
        rest = [x for j, x in enumerate(t.entries) if j != i and x.name != name]
        sub = Telescope(tuple(rest), t.conclusion)
        typed = at_type(value, ctx.types.get(name), ctx)  # `y = 2` with `y : ℝ`
        return sub.map(lambda n: substitute(n, name, typed))
    return None


def prepared(t: Telescope) -> Telescope:
    """The telescope as the rules expect it: `·` sections written as `fun`, and bound
    variables renamed apart from the statement's own (`(p : ℕ) (h : ∀ p : ℤ, …)`), so that a
    rule asking a name's type never gets the outer one's."""
    taken = set(t.names())
    return t.map(lambda n: apart(sections(n), taken))


def _unknown_operand(term: Node, names: frozenset[str]) -> bool:
    """An operand of `+`/`*` that nothing in the statement binds and no namespace names (`c`
    from a `variable` line): its type is unknown, so the operation may not commute."""
    free = {n for n, _ in global_names(term)}
    for n in walk(term):
        if isinstance(n, Op) and n.fixity == "infix" and n.op in ("+", "*"):
            for operand in n.args:
                head = operand.fn if isinstance(operand, App) else operand
                if isinstance(head, Ident) and head.name in free - names and "." not in head.name:
                    return True
    return False
