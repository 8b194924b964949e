"""An English rendering of a Lean statement, made without a language model.

Most Mathlib theorems have no docstring, so a user's sentence ("the gcd of two numbers does not
depend on their order") shares few words with anything searchable. The rendering reads the
statement's tree (`indexer.lean_terms`) as a mathematician would say it: binders as "for all
natural numbers a, b", instance binders as "where G is a group", hypotheses as "if ...",
operators as words ("divides", "is at most"), constants by the name of the concept the knowledge
base files them under, else by their name in words.

    render(parse_signature("{a b : ℕ} (h : 0 < a) : Nat.gcd a b = Nat.gcd b a"), gloss)
    -> "for all natural numbers a, b, if 0 is less than a,
        then gcd of a and b equals gcd of b and a"
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from indexer.lean_terms.tree import (
    Anon,
    App,
    Binder,
    Bracket,
    Ident,
    If,
    Node,
    Num,
    Op,
    Paren,
    Proj,
    Quant,
    Raw,
    SetBuilder,
    Signature,
    Str,
    Typed,
)
from knowledge_base.concepts import words

Gloss = Callable[[str], str | None]

TYPE_NOUNS = {
    "ℕ": ("natural number", "natural numbers"),
    "Nat": ("natural number", "natural numbers"),
    "ℤ": ("integer", "integers"),
    "Int": ("integer", "integers"),
    "ℚ": ("rational number", "rational numbers"),
    "Rat": ("rational number", "rational numbers"),
    "ℝ": ("real number", "real numbers"),
    "Real": ("real number", "real numbers"),
    "ℂ": ("complex number", "complex numbers"),
    "Complex": ("complex number", "complex numbers"),
    "ℝ≥0": ("nonnegative real number", "nonnegative real numbers"),
    "ℝ≥0∞": ("extended nonnegative real number", "extended nonnegative real numbers"),
    "Prop": ("proposition", "propositions"),
    "Bool": ("boolean", "booleans"),
}
INFIX = {
    "=": "equals",
    "≠": "is not equal to",
    "<": "is less than",
    "≤": "is at most",
    ">": "is greater than",
    "≥": "is at least",
    "∣": "divides",
    "∈": "is in",
    "∉": "is not in",
    "⊆": "is a subset of",
    "⊂": "is a proper subset of",
    "↔": "if and only if",
    "→": "implies",
    "∧": "and",
    "∨": "or",
    "≡": "is congruent to",
    "≃": "is equivalent to",
    "≅": "is isomorphic to",
    "+": "plus",
    "-": "minus",
    "*": "times",
    "•": "scalar times",
    "/": "divided by",
    "^": "to the power",
    "∘": "composed with",
    "∩": "intersect",
    "∪": "union",
    "\\": "minus",
    "×ˢ": "product",
    "%": "mod",
    "⊔": "sup",
    "⊓": "inf",
    "∆": "symmetric difference",
    "=ᶠ[": "eventually equals",
    "•ℕ": "times",
}
PREFIX = {"¬": "not", "-": "negative", "↑": "", "√": "square root of", "∑": "sum", "∏": "product"}
POSTFIX = {"⁻¹": "inverse", "!": "factorial", "ᶜ": "complement", "ᵀ": "transpose", "†": "adjoint"}
QUANTIFIERS = {
    "∀": "for all",
    "∃": "there exists",
    "∃!": "there exists a unique",
    "fun": "the function sending",
    "λ": "the function sending",
    "∑": "the sum over",
    "∏": "the product over",
    "⋃": "the union over",
    "⋂": "the intersection over",
    "⨆": "the supremum over",
    "⨅": "the infimum over",
    "∫": "the integral over",
}
BRACKETS = {
    "|": "the absolute value of",
    "‖": "the norm of",
    "⌊": "the floor of",
    "⌈": "the ceiling of",
    "{": "the set of",
    "[": "the list of",
    "(": "the pair",
}


def render(sig: Signature | Node, gloss: Gloss = lambda _: None) -> str:
    """`sig` in words. `gloss(name)` names a constant ("greatest common divisor"), or None."""
    return _Renderer(gloss).statement(sig)


class _Renderer:
    def __init__(self, gloss: Gloss) -> None:
        self.gloss = gloss
        self.locals: set[str] = set()

    # ------------------------------------------------------------ signatures
    def statement(self, node: Node) -> str:
        if not isinstance(node, Signature):
            return self.term(node)
        variables: list[str] = []
        conditions: list[str] = []
        hypotheses: list[str] = []
        for b in node.binders:
            self.locals.update(b.names)
            if b.type is None:
                variables.append(", ".join(b.names))
            elif _is_type_universe(b.type):
                continue
            elif b.bracket == "[":
                conditions.append(self.instance(b))
            elif _is_proposition(b):
                hypotheses.append(self.term(b.type))
            else:
                variables.append(self.variables(b.names, b.type))
        parts = []
        if variables:
            parts.append("for all " + "; ".join(variables))
        if conditions:
            parts.append("where " + " and ".join(conditions))
        if hypotheses:
            parts.append("if " + " and ".join(hypotheses))
        conclusion = self.term(node.type) if node.type is not None else ""
        if hypotheses and conclusion:
            conclusion = "then " + conclusion
        return ", ".join(p for p in [*parts, conclusion] if p)

    def variables(self, names: tuple[str, ...], type_: Node) -> str:
        head = _head_name(type_)
        nouns = TYPE_NOUNS.get(head or "")
        listed = ", ".join(names)
        body = _strip(type_)
        if isinstance(body, Op) and body.op == "→" and len(body.args) == 2:
            kind = "functions" if len(names) > 1 else "function"
            source, target = (self.term(a) for a in body.args)
            return f"{kind} {listed} from {source} to {target}"
        if nouns and isinstance(_strip(type_), Ident):
            return f"{nouns[1] if len(names) > 1 else nouns[0]} {listed}"
        return f"{listed} in {self.term(type_)}"

    def instance(self, b: Binder) -> str:
        body = _strip(b.type) if b.type is not None else None
        if isinstance(body, App) and isinstance(body.fn, Ident):
            subject = self.term(body.args[-1]) if body.args else ""
            return f"{subject} is a {self.constant(body.fn.name)}".strip()
        return self.term(body) if body is not None else ""

    # ------------------------------------------------------------------ terms
    def term(self, node: Node | None) -> str:
        if node is None:
            return ""
        if isinstance(node, Ident):
            return self.name(node.name)
        if isinstance(node, (Num, Str)):
            return node.text
        if isinstance(node, Paren):
            return self.term(node.inner)
        if isinstance(node, Typed):
            return self.term(node.expr)
        if isinstance(node, Op):
            return self.operator(node)
        if isinstance(node, App):
            return self.application(node)
        if isinstance(node, Quant):
            return self.quantifier(node)
        if isinstance(node, Bracket):
            items = " and ".join(self.term(i) for i in node.items)
            lead = BRACKETS.get(node.open, "")
            return f"{lead} {items}".strip()
        if isinstance(node, Anon):
            return " and ".join(self.term(i) for i in node.items)
        if isinstance(node, Proj):
            return f"{words(node.field)} of {self.term(node.expr)}"
        if isinstance(node, SetBuilder):
            self.locals.update(node.binder.names)
            for b in node.more:
                self.locals.update(b.names)
            return f"the set of {', '.join(node.binder.names)} such that {self.term(node.body)}"
        if isinstance(node, If):
            return (
                f"if {self.term(node.cond)} then {self.term(node.then)} "
                f"else {self.term(node.orelse)}"
            )
        if isinstance(node, Raw):
            return " ".join(node.text.split())
        return ""

    def operator(self, node: Op) -> str:
        args = [self.term(a) for a in node.args]
        if node.fixity == "prefix":
            word = PREFIX.get(node.op, words(node.op) or node.op)
            return f"{word} {args[0]}".strip() if args else word
        if node.fixity == "postfix":
            word = POSTFIX.get(node.op, node.op)
            return f"{args[0]} {word}".strip() if args else word
        word = INFIX.get(node.op, node.op)
        return f" {word} ".join(args)

    def application(self, node: App) -> str:
        args = [self.term(a) for a in node.args if not _is_type_universe(a)]
        fn = node.fn
        if isinstance(fn, Ident):
            base, field = _local_projection(fn.name, self.locals)
            if base is not None:  # `s.card x`: the field of a local, applied
                args = [self.name(base), *args]
                head = words(field)
            else:
                head = self.constant(fn.name)
        else:
            head = self.term(fn)
        return f"{head} of {' and '.join(a for a in args if a)}" if args else head

    def quantifier(self, node: Quant) -> str:
        bound: list[str] = []
        for b in node.binders:
            self.locals.update(b.names)
            names = ", ".join(b.names)
            if b.predicate is not None:
                rel, rhs = b.predicate
                names = f"{names} {INFIX.get(rel, rel)} {self.term(rhs)}"
            elif b.type is not None and not _is_type_universe(b.type):
                names = self.variables(b.names, b.type)
            bound.append(names)
        head = QUANTIFIERS.get(node.head, words(node.head) or node.head)
        joiner = " such that " if node.head.startswith("∃") else ", "
        if node.head in ("fun", "λ"):
            joiner = " to "
        return f"{head} {' and '.join(bound)}{joiner}{self.term(node.body)}"

    # ------------------------------------------------------------------ names
    def name(self, name: str) -> str:
        if name in self.locals:
            return name
        base, field = _local_projection(name, self.locals)
        if base is not None:  # `n.succ`, `s.card`
            return f"{words(field)} of {base}"
        nouns = TYPE_NOUNS.get(name)
        if nouns:
            return nouns[1]
        return self.constant(name)

    def constant(self, name: str) -> str:
        return self.gloss(name) or words(name.rsplit(".", 1)[-1]) or name


def _strip(node: Node | None) -> Node | None:
    while isinstance(node, Paren):
        node = node.inner
    return node


def _head_name(node: Node | None) -> str | None:
    node = _strip(node)
    if isinstance(node, App):
        node = _strip(node.fn)
    return node.name if isinstance(node, Ident) else None


def _is_type_universe(node: Node | None) -> bool:
    head = _head_name(node)
    return head is not None and head.startswith(("Type", "Sort"))


_NOT_PROPOSITIONS = frozenset({"+", "-", "*", "/", "^", "×ˢ", "∘", "•", "→", "≃", "≅"})


def _is_proposition(b: Binder) -> bool:
    """A hypothesis binder: named like one (`h`, `hx`, `_`) or typed by a relation or a
    quantifier."""
    if any(n.startswith(("h", "_")) for n in b.names) or not b.names:
        return True
    body = _strip(b.type)
    if isinstance(body, Op):  # `f : α → β` is a function, `h : p → q` was caught by its name
        return body.op in INFIX and body.op not in _NOT_PROPOSITIONS
    return isinstance(body, Quant) and body.head in ("∀", "∃", "∃!")


def _local_projection(name: str, locals_: set[str]) -> tuple[str | None, str]:
    """`n.succ` with `n` a local -> ("n", "succ"); otherwise (None, "")."""
    base, dot, field = name.partition(".")
    if dot and base in locals_:
        return base, field
    return None, ""


# ------------------------------------------------------------------ the knowledge base's side
def concept_glosses(con: sqlite3.Connection) -> dict[str, str]:
    """Constant name -> the title of the curated concept it is filed under ("exponential" for
    `Real.exp`); definitions filed only under their own name are left to their name words."""
    out: dict[str, str] = {}
    rows = con.execute(
        "SELECT d.name, c.title, c.source FROM concept_members m "
        "JOIN concepts c ON c.id = m.concept_id JOIN declarations d ON d.id = m.decl_id "
        "WHERE c.source IN ('undergrad', 'overview', '100', '1000') ORDER BY c.id"
    )
    for name, title, _source in rows:
        out.setdefault(name, title)
    return out
