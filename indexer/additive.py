"""The signature of an `@[to_additive]` declaration, translated as Mathlib's `to_additive` does.

`to_additive` rewrites the multiplicative operations and constants of a structure — `*`, `/`,
`⁻¹`, `^`, `1`, `∏`, `•` — into `+`, `-`, `-`, `•` (operands swapped), `0`, `∑`, `+ᵥ`, but only
where their type passes its `additiveTest`: the type holds no constant that has no additive
version (`ℕ`, `ℝ`). So `a ^ (n + 1)` with `a : G`, `n : ℤ` becomes `(n + 1) • a`, while the
`+ 1` on `ℤ`, the `1` of `Fin 1` and the `*` of `2 * n` for `n : ℕ` stay as they are. Names go
through the translation dictionary (`Monoid` -> `AddMonoid`).

Here the type of each operation is read from the signature: its binders, the bound variables
of its quantifiers and big operators, and the signatures of the global functions it applies
(`Finset.card s : ℕ`). Where an operation's type cannot be read, the translation would be a
guess: `translate` then keeps the source signature and says so in a note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from indexer.additive_edits import SourceEdits
from indexer.additive_types import (
    HOMOGENEOUS,
    PROP,
    RELATIONS,
    GlobalType,
    TypeInference,
    codomain,
    domain,
    head_name,
    is_prop_like,
    is_sort,
    mentions,
    only_mentions,
    result,
    substitute,
    walk_all,
)
from indexer.lean_terms import (
    App,
    Binder,
    Bracket,
    Ident,
    Node,
    Num,
    Op,
    Paren,
    Proj,
    Quant,
    Raw,
    SetBuilder,
    Signature,
    Typed,
    parse_signature,
)
from indexer.lean_terms.tree import If

_BIG = {"∏": "∑", "∏ᶠ": "∑ᶠ", "∏'": "∑'"}
# Operators as they become when their operands' type is translated.
CORE_ADDITIVE = {
    "Mul": "Add",
    "One": "Zero",
    "Inv": "Neg",
    "Div": "Sub",
    "HMul": "HAdd",
    "HDiv": "HSub",
    "SMul": "VAdd",
    "HSMul": "HVAdd",
    "Mul.mul": "Add.add",
    "One.one": "Zero.zero",
    "Inv.inv": "Neg.neg",
    "HMul.hMul": "HAdd.hAdd",
}

# Postfix notations: `xᵐᵒᵖ` (MulOpposite), `a⁺ᵐ` (oneLePart), `a⁻ᵐ` (leOnePart).
_POSTFIX = {"ᵐᵒᵖ": "ᵃᵒᵖ", "⁺ᵐ": "⁺", "⁻ᵐ": "⁻"}
# Notations of multiplicative structures' morphisms, as `MonoidHom` -> `AddMonoidHom` prints.
_ARROWS = {"→*": "→+", "≃*": "≃+", "→ₙ*": "→ₙ+", "→*o": "→+o", "≃*o": "≃+o", "≃ₜ*": "≃ₜ+"}
_NUMBER_TYPES = frozenset("ℕ ℤ ℚ ℝ ℂ ℝ≥0 ℝ≥0∞ ℕ∞ ℕ+ ℚ≥0 EReal Bool Prop".split())


Globals = Callable[[str], GlobalType | None]


@dataclass
class Translation:
    signature: str
    note: str | None = None  # set when the source signature is shown instead


def translate(
    signature: str,
    names: dict[str, str],
    globals_: Globals,
    source: str = "",
    dont_translate: frozenset[str] = frozenset(),
    prefixes: tuple[str, ...] = (),
) -> Translation:
    """The additive signature of a `to_additive` declaration whose source has `signature`;
    `dont_translate` names type variables to treat as fixed (`(dont_translate := R)`);
    `prefixes` the namespaces (current ones, then `open`s) a name written there is found in."""
    sig = parse_signature(signature)
    if isinstance(sig, Raw):
        return _unsafe(signature, names, source, "the signature could not be read")
    t = _Translator(sig, signature, names, globals_, dont_translate)
    t.prefixes = prefixes
    try:
        t.run()
    except _Unknown as exc:
        return _unsafe(signature, names, source, str(exc))
    return Translation(t.render())


def _unsafe(signature: str, names: dict[str, str], source: str, why: str) -> Translation:
    what = f"of {source} " if source else ""
    return Translation(
        signature,
        f"to_additive {what}not translated ({why}); shown as the multiplicative source",
    )


class _Unknown(Exception):
    """An operation to translate whose type could not be read."""


@dataclass
class _Scope:
    locals: dict[str, Node | None] = field(default_factory=dict)
    type_vars: set[str] = field(default_factory=set)


class _Translator(TypeInference, SourceEdits):
    def __init__(
        self,
        sig: Signature,
        text: str,
        names: dict[str, str],
        globals_: Globals,
        dont_translate: frozenset[str] = frozenset(),
    ):
        self.sig = sig
        self.text = text
        self.names = names
        self.globals = globals_
        self.dont_translate = dont_translate
        self.edits: list[tuple[int, int, str]] = []
        self.scope = _Scope()

    # ------------------------------------------------------------------ setup
    def run(self) -> None:
        for b in self.sig.binders:
            self.bind(b)
            if b.type is not None:
                self.visit_type(b.type)
            if b.default is not None:
                self.visit(b.default, None)
        if self.sig.type is not None:
            self.visit(self.sig.type, None)

    def bind(self, b: Binder) -> None:
        typ = b.type
        if b.predicate is not None and typ is None:
            typ = self.element_type(b.predicate[1]) if b.predicate[0] == "∈" else None
            if typ is None and b.predicate[0] in RELATIONS | {">", "≥", "<", "≤"}:
                typ = self.type_of(b.predicate[1])
        for name in b.names:
            if name in self.dont_translate:
                pass  # `(dont_translate := R)`: R counts as a fixed type
            elif typ is None and b.bracket in ("{", "⦃") and b.predicate is None:
                self.scope.type_vars.add(name)  # `{α}`: a type (or universe-polymorphic) var
            elif typ is not None and is_sort(typ):
                self.scope.type_vars.add(name)
            self.scope.locals[name] = typ

    def binding(self, binders: tuple[Binder, ...]) -> _Bound:
        return _Bound(self, binders)

    # ------------------------------------------------------------ translation
    def translatable(self, typ: Node | None, what: str, operand: Node | None = None) -> bool:
        """`additiveTest`: the type holds no constant lacking an additive version. A type
        the signature does not say is taken to be translatable when every type it names
        is (a lemma about a monoid `M` alone has no other place for a `*` to live) — unless
        the operand calls a function or field whose type is not known, which may return
        a fixed type (`A.dens⁻¹` is a `ℚ≥0`)."""
        if typ is None:
            if self.all_types_translatable and not (operand is not None and self.opaque(operand)):
                return True
            raise _Unknown(f"the type of {what} is not known")
        if is_sort(typ):
            raise _Unknown(f"{what} is applied to a type")
        return not self.fixed(typ)

    def opaque(self, node: Node) -> bool:
        """Whether `node`'s value comes from a function whose result type is not known here
        and may be a fixed one: an unknown global, or a global returning a type that is
        neither written out nor made of its own type variables."""
        if isinstance(node, (Paren, Typed)):
            return self.opaque(node.inner if isinstance(node, Paren) else node.expr)
        if isinstance(node, Op):
            return any(self.opaque(a) for a in node.args)
        if (
            isinstance(node, App)
            and isinstance(node.fn, Ident)
            and node.fn.name in self.scope.locals
        ):
            return False
        if isinstance(node, Ident) and node.name in self.scope.locals:
            return False
        if isinstance(node, (App, Ident, Proj)):
            if self.type_of(node) is not None:
                return False
            fn, args = (node.fn, node.args) if isinstance(node, App) else (node, ())
            found = self.call(fn, args)
            if found is None:  # not indexed: Lean core's `min`, `ite` are polymorphic, but a
                # qualified name (`Nat.gcd`) or a field may return anything
                return isinstance(fn, Proj) or (isinstance(fn, Ident) and "." in fn.name)
            g, _ = found
            # a definition without a written type (`def Iic (b : α) := {x | x ≤ b}`) is taken
            # to be as polymorphic as its arguments
            return g.result is not None and not only_mentions(g.result, g.variables)
        return False

    @property
    def all_types_translatable(self) -> bool:
        if not hasattr(self, "_all_translatable"):
            self._all_translatable = all(
                not is_sort(t) and not self.fixed(t) for t in self.named_types()
            )
        return self._all_translatable

    def named_types(self) -> list[Node]:
        """Every type the signature writes: of its binders, ascriptions and quantifiers, and
        the fixed types its global functions return."""
        out: list[Node] = []
        for b in self.sig.binders:
            if b.type is not None and b.bracket != "[":
                out.append(result(b.type))
        for node in walk_all(self.sig):
            if (isinstance(node, Typed) and node.type is not None) or (
                isinstance(node, Binder) and node.type is not None and node.bracket != "["
            ):
                out.append(result(node.type))
            elif isinstance(node, App) and isinstance(node.fn, Ident):
                g = self.globals(node.fn.name.lstrip("@"))
                if g is not None and g.result is not None and not mentions(g.result, g.variables):
                    out.append(g.result)
            elif isinstance(node, Op) and node.op in ("!", "#"):
                out.append(Ident("ℕ"))
        return [t for t in out if not is_sort(t) and not is_prop_like(t)]

    def fixed(self, typ: Node) -> bool:
        if isinstance(typ, Ident):
            name = typ.name
            # a type variable, a translated constant, or a term used as a type (`(x : s)`);
            # a name that is none of these nor a known constant was bound automatically
            # (auto-bound implicit `G`); what is left is a constant such as ℕ, ℝ, Prop
            local = name.split(".", 1)[0]  # `p.Prime`: field notation on a local
            if name in self.dont_translate:
                return True
            if name in self.scope.type_vars or name in self.names or local in self.scope.locals:
                return False
            return name in _NUMBER_TYPES or "." in name or self.globals(name) is not None
        if isinstance(typ, App):
            if isinstance(typ.fn, Ident) and typ.fn.name in self.dont_translate:
                return True  # `R[M]` with `(dont_translate := R)`
            return any(self.fixed(a) for a in typ.args if not isinstance(a, Num))
        if isinstance(typ, Paren):
            return self.fixed(typ.inner)
        if isinstance(typ, Op):
            return any(self.fixed(a) for a in typ.args)
        return False

    prefixes: tuple[str, ...] = ()
    in_type = 0  # > 0 while visiting a type (`Fin 1 → M`), not a proposition or a value

    def is_prop(self, typ: Node) -> bool:
        """A proposition: a relation, a quantifier, or a constant that returns `Prop`
        (`Tendsto f l (𝓝 1)`, `IsOpen s`)."""
        if is_prop_like(typ):
            return True
        head = typ
        while isinstance(head, (App, Paren)):
            head = head.fn if isinstance(head, App) else head.inner
        if isinstance(head, Ident):
            found = self.call(head, ())
            # `Prop`, or a definition without a written type (`def Tendsto f l₁ l₂ := ...`):
            # type constructors say what they return (`ZMod : ℕ → Type`)
            return found is not None and (
                found[0].result is None or is_sort(found[0].result, prop=True)
            )
        return False

    def visit_type(self, typ: Node) -> None:
        """A binder's or an ascription's type: a numeral there whose type is not known is
        an index such as the `1` of `Fin 1`, never a monoid's one."""
        if self.is_prop(typ):
            self.visit(typ, PROP)
            return
        self.in_type += 1
        try:
            self.visit(typ, None)
        finally:
            self.in_type -= 1

    def visit(self, node: Node, expected: Node | None) -> None:
        """Record the edits of `node`, which the context expects to have type `expected`."""
        if isinstance(node, Ident):
            self.rename(node)
        elif isinstance(node, Num):
            if (
                node.text == "1"
                and not (self.in_type and expected is None)
                and self.translatable(expected, "the numeral 1", node)
            ):
                self.edit(node, "0")
        elif isinstance(node, Op):
            self.operation(node, expected)
        elif isinstance(node, App):
            self.application(node, expected)
        elif isinstance(node, Paren):
            self.visit(node.inner, expected)
        elif isinstance(node, Typed):
            self.visit(node.expr, node.type)
            if node.type is not None:
                self.visit_type(node.type)
        elif isinstance(node, Quant):
            self.quantifier(node, expected)
        elif isinstance(node, SetBuilder):
            self.visit_binders((node.binder,))
            with self.binding((node.binder,)):
                self.visit(node.body, PROP)
        elif isinstance(node, Bracket):
            if node.close == "|ₘ":  # `mabs`: the additive absolute value is `|a|`
                self.edits.append((node.span[1] - len(node.close), node.span[1], "|"))
            parts: list[Node | None] = [expected if node.open == "|" else None] * len(node.items)
            if node.open == "(" and len(node.items) == 2:  # a pair `(a, b)` of type `A × B`
                pair = expected
                while isinstance(pair, Paren):
                    pair = pair.inner
                if isinstance(pair, Op) and pair.op == "×":
                    parts = list(pair.args)
            for item, part in zip(node.items, parts):
                self.visit(item, part)
        elif isinstance(node, If):
            self.visit(node.cond, PROP)
            self.visit(node.then, expected)
            self.visit(node.orelse, expected)
        elif isinstance(node, Proj):
            self.visit(node.expr, None)
            new = self.field_name(self.type_of(node.expr), node.field)
            if new != node.field:
                self.edits.append((node.span[1] - len(node.field), node.span[1], new))
        else:
            for child in node.children():
                self.visit(child, None)

    def rename(self, node: Ident) -> None:
        """A constant through the dictionary, found as Lean finds it (namespaces, `open`s);
        field notation on a local (`s.prod`) through its type's namespace."""
        bare = node.name.lstrip("@")
        at = node.name[: len(node.name) - len(bare)]
        head, dot, field = bare.partition(".")
        if bare in self.scope.locals:
            return
        if dot and head in self.scope.locals:
            new_field = self.field_name(self.scope.locals[head], field)
            if new_field != field:
                self.edit(node, f"{at}{head}.{new_field}")
            return
        for prefix in (*self.prefixes, ""):
            full = f"{prefix}.{bare}" if prefix else bare
            if full in self.names:
                new = self.names[full]
                short = _translated_name(prefix, self.names) + "." if prefix else ""
                if short and new.startswith(short):
                    new = new[len(short) :]
                if new != bare:
                    self.edit(node, at + new)
                return
        new = _translated_name(bare, self.names)
        if new != bare:
            self.edit(node, at + new)

    def field_name(self, typ: Node | None, field: str) -> str:
        """`field` of a value of type `typ`, translated: `prod` of a `List M` is `sum`."""
        last = field.rpartition(".")[2]
        head = head_name(typ)
        if head is not None and f"{head}.{last}" in self.names:
            new = self.names[f"{head}.{last}"].rpartition(".")[2]
            return field[: len(field) - len(last)] + new
        return field

    def operation(self, node: Op, expected: Node | None) -> None:
        op, args = node.op, node.args
        if node.fixity == "infix" and op in RELATIONS:
            carrier = self.type_of(args[0]) or self.type_of(args[1])
            for a in args:
                self.visit(a, carrier)
            return
        if node.fixity == "infix" and op in HOMOGENEOUS:
            carrier = self.type_of(node) or expected
            if op in ("*", "/") and self.translatable(carrier, f"`{op}`", node):
                self.edit_operator(node, "+" if op == "*" else "-")
            for a in args:
                self.visit(a, carrier)
            return
        if node.fixity == "infix" and op == "^":
            carrier = self.type_of(args[0]) or expected
            if self.translatable(carrier, "`^`", args[0]):
                self.swap_power(node)  # renders both operands itself
                return
            self.visit(args[0], carrier)
            self.visit(args[1], None)
            return
        if node.fixity == "infix" and op == "•":
            acting = self.type_of(args[0])
            if self.translatable(acting, "`•`", args[0]):
                self.edit_operator(node, "+ᵥ")
            self.visit(args[0], acting)
            self.visit(args[1], self.type_of(args[1]) or expected)
            return
        if node.fixity == "postfix" and op == "⁻¹":
            carrier = self.type_of(args[0]) or expected
            if self.translatable(carrier, "`⁻¹`", args[0]):
                self.negate(node)
            self.visit(args[0], carrier)
            return
        if node.fixity == "postfix" and op in _POSTFIX:
            self.edits.append((node.span[1] - len(op), node.span[1], _POSTFIX[op]))
        elif node.fixity == "postfix" and op == "ˣ":
            units = f"AddUnits {self.rendered(args[0])}"
            self.edits.append(
                (node.span[0], node.span[1], f"({units})" if self.needs_parens(node) else units)
            )
            return
        if node.fixity == "prefix" and op == "-":
            self.visit(args[0], self.type_of(args[0]) or expected)
            return
        if node.fixity == "infix" and op in _ARROWS:
            self.edit_operator(node, _ARROWS[op])
        sub = PROP if op in ("∧", "∨", "↔", "¬", "→") else None
        for a in args:
            self.visit(a, sub)

    def application(self, node: App, expected_result: Node | None = None) -> None:
        fn = node.fn
        expected: list[Node | None] = [None] * len(node.args)
        if isinstance(fn, Ident) and fn.name in self.scope.locals:
            typ = self.scope.locals[fn.name]
            for i in range(len(node.args)):
                expected[i] = domain(typ)
                typ = codomain(typ)
        else:
            found = self.call(fn, node.args)
            if found is not None and len(found[0].explicit) >= len(found[1]):
                g, args = found
                remaining = g.explicit[len(args) :]
                want = expected_result
                for t in reversed(remaining):  # a partial application is a function
                    want = None if want is None else Op("→", (t or Ident("_"), want))
                subst = self.solve(g, args, want)
                # where each written argument sits (field notation inserts the receiver)
                slots = [i for i, a in enumerate(args) if any(a is b for b in node.args)]
                for k, i in enumerate(slots[: len(node.args)]):
                    t = g.explicit[i]
                    if t is not None:
                        t = substitute(t, subst)
                        expected[k] = None if mentions(t, g.variables) else t
        self.visit(fn, None)
        for arg, exp in zip(node.args, expected):
            self.visit(arg, exp)

    def quantifier(self, node: Quant, expected: Node | None) -> None:
        if node.head in _BIG:
            with self.binding(node.binders):
                carrier = self.type_of(node.body) or expected
                if self.translatable(carrier, f"`{node.head}`"):
                    start = node.span[0]
                    self.edits.append((start, start + len(node.head), _BIG[node.head]))
                self.visit_binders(node.binders)
                self.visit(node.body, carrier)
            return
        with self.binding(node.binders):
            self.visit_binders(node.binders)
            body = PROP if node.head in ("∀", "∃", "∃!") else expected
            if node.head in ("∑", "∑ᶠ", "∑'"):
                body = self.type_of(node.body) or expected
            self.visit(node.body, body)

    def visit_binders(self, binders: tuple[Binder, ...]) -> None:
        for b in binders:
            if b.type is not None:
                self.visit_type(b.type)
            if b.predicate is not None:
                rel, right = b.predicate
                self.visit(right, None if rel == "∈" else self.type_of(right))


class _Bound:
    """Binders in scope for the duration of a `with` block."""

    def __init__(self, t: _Translator, binders: tuple[Binder, ...]):
        self.t = t
        self.binders = binders

    def __enter__(self) -> None:
        self.saved = (dict(self.t.scope.locals), set(self.t.scope.type_vars))
        for b in self.binders:
            self.t.bind(b)

    def __exit__(self, *exc: object) -> None:
        self.t.scope.locals, self.t.scope.type_vars = self.saved


def _translated_name(name: str, names: dict[str, str]) -> str:
    if name in names:
        return names[name]
    head, dot, tail = name.rpartition(".")
    if dot and head in names:  # `Monoid.npow` under a translated namespace
        return f"{names[head]}.{tail}"
    return name
