"""Lean text from a tree: the printer of `indexer.lean_terms`.

Parentheses are written where the precedences of `syntax.py` need them (and where the tree
keeps a `Paren`), so `parse_term(to_lean(t))` has the shape of `t`. Spacing is one canonical
layout: printing is how two trees are compared as text.
"""

from __future__ import annotations

import re

from indexer.lean_syntax import ID_REST
from indexer.lean_terms.syntax import BODY_PRECEDENCE, INFIX, PREFIX, infix_binding
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

MAX = 1024
ATOM = MAX + 1  # what an argument of an application must be


def to_lean(node: Node) -> str:
    """The Lean text of `node`."""
    return _print(node)


def precedence(node: Node) -> int:
    """How tightly `node` holds together as an operand."""
    if isinstance(node, Op):
        if node.fixity == "infix":
            return infix_binding(node.op)[0]
        if node.fixity == "prefix":
            return min(PREFIX.get(node.op, MAX), MAX)
        return MAX
    if isinstance(node, App):
        return MAX
    if isinstance(node, (Quant, If, Raw)):
        return 0
    return ATOM


def _operand(node: Node, required: int) -> str:
    text = _print(node)
    if required >= MAX and isinstance(node, Ident) and _operator(node.name):
        return f"({text})"  # `f (⇑)`: an operator alone, as an argument
    return f"({text})" if precedence(node) < required else text


def _operator(name: str) -> bool:
    return name in PREFIX or name in INFIX


def _print(node: Node) -> str:
    if isinstance(node, Ident):
        return node.name
    if isinstance(node, (Num, Str)):
        return node.text
    if isinstance(node, Raw):
        return node.text
    if isinstance(node, Paren):
        return f"({_print(node.inner)})"
    if isinstance(node, App):
        text, end = _operand(node.fn, MAX), node.fn.span[1]
        for a in node.args:
            tight = isinstance(a, Bracket) and a.open == "[" and a.span[0] == end > 0
            text += ("" if tight else " ") + _operand(a, ATOM)  # `xs[i]` is not `xs [i]`
            end = a.span[1]
        return text
    if isinstance(node, Op):
        return _print_op(node)
    if isinstance(node, Typed):
        typ = "" if node.type is None else " " + _print(node.type)
        return f"({_print(node.expr)} :{typ})"
    if isinstance(node, Bracket):
        return node.open + ", ".join(_print(i) for i in node.items) + node.close
    if isinstance(node, Anon):
        return "⟨" + ", ".join(_print(i) for i in node.items) + "⟩"
    if isinstance(node, Proj):
        return f"{_operand(node.expr, ATOM)}.{node.field}"
    if isinstance(node, Quant):
        return _print_quant(node)
    if isinstance(node, SetBuilder):
        if node.more:
            more = " ".join(print_binder(b, bracketed=True) for b in node.more)
            return "{" + f"{_print(node.body)} | {more}" + "}"
        bar = "//" if node.subtype else "|"
        return "{" + f"{_binder_inner(node.binder)} {bar} {_print(node.body)}" + "}"
    if isinstance(node, If):
        hyp = f"{node.hypothesis} : " if node.hypothesis else ""
        return f"if {hyp}{_print(node.cond)} then {_print(node.then)} else {_print(node.orelse)}"
    if isinstance(node, Signature):
        binders = " ".join(print_binder(b, bracketed=True) for b in node.binders)
        typ = "" if node.type is None else f": {_print(node.type)}"
        return " ".join(p for p in (binders, typ) if p)
    if isinstance(node, Binder):
        return print_binder(node, bracketed=True)
    raise TypeError(f"cannot print {type(node).__name__}")


def _print_op(node: Op) -> str:
    if node.fixity == "prefix":
        (arg,) = node.args
        need = PREFIX.get(node.op, MAX)
        text = _operand(arg, ATOM if need >= MAX else need)
        if node.op == "-" and text.startswith("-"):
            text = f"({text})"  # `--` would start a comment
        space = " " if node.op == "¬" else ""
        return f"{node.op}{space}{text}"
    if node.fixity == "postfix":
        if node.op == "^[":
            return f"{_operand(node.args[0], ATOM)}^[{_print(node.args[1])}]"
        text = _operand(node.args[0], ATOM)
        glued = _IDENT_END.search(text) and _IDENT_REST.match(node.op)
        return f"{text} {node.op}" if glued else text + node.op  # `n !`, not the name `n!`
    prec, assoc = infix_binding(node.op)
    left, right = node.args
    left_text = _operand(left, prec if assoc == "l" else prec + 1)
    right_text = _operand(right, prec if assoc == "r" else prec + 1)
    if node.op == "'":  # `xs[i]'h`
        return f"{left_text}'{right_text}"
    return f"{left_text} {node.op} {right_text}"


# A postfix operator that starts with a character an identifier may continue with (`!`, `?`)
# would be read as part of a name it touches.
_IDENT_END = re.compile(f"[{ID_REST}]$")
_IDENT_REST = re.compile(f"[{ID_REST}]")


def _print_quant(node: Quant) -> str:
    if node.head in ("let", "have", "haveI", "letI"):
        (b,) = node.binders
        names = " ".join(b.names)
        typ = f" : {_print(b.type)}" if b.type is not None else ""
        value = _print(b.default) if b.default is not None else ""
        lead = f"{node.head} {names}{typ}".replace("  ", " ").rstrip()
        return f"{lead} := {value}; {_print(node.body)}"
    word = "in" if node.head in _IN_HEADS else "∈"
    binders = " ".join(print_binder(b).replace(" ∈ ", f" {word} ", 1) for b in node.binders)
    sep = " ↦" if node.head in ("fun", "λ") else ","
    prec = BODY_PRECEDENCE.get(node.head, 0)  # `∑ i, (f i = 1)`
    inner = node.body
    if isinstance(inner, Op) and inner.op == "∂" and node.head.startswith(("∫", "⨍")):
        integrand, measure = inner.args  # `∫ x, f x ∂μ`: the measure belongs to the integral
        body = f"{_operand(integrand, prec)} ∂{_operand(measure, ATOM)}"
    else:
        body = _operand(inner, prec)
    return f"{node.head} {binders}{sep} {body}"


# Binding heads whose binder relation is written `in` (a filter, a measure's set).
_IN_HEADS = frozenset("∀ᶠ ∃ᶠ ∀ᵐ ∃ᵐ ∫ ∫⁻ ∮ ⨍ ⨍⁻".split())


def print_binder(b: Binder, bracketed: bool = False) -> str:
    """One binder group as written in a binder list: `x`, `(x : T)`, `x ∈ s`, `[Group G]`."""
    if b.bracket == "[":
        names = " ".join(b.names)
        inner = f"{names} : {_print(b.type)}" if names else _print(b.type)  # type: ignore[arg-type]
        return f"[{inner}]"
    if b.type is not None and b.predicate is not None and b.default is None:
        rel, right = b.predicate  # `(x : ℝ) ∈ s`: the type inside, the relation after
        typed = Binder(b.names, b.type, b.bracket or "(")
        return f"{print_binder(typed)} {rel} {_operand(right, 51)}"
    inner = _binder_inner(b)
    close = {"(": ")", "{": "}", "⦃": "⦄", "⟨": "⟩"}
    if b.bracket in close:
        return f"{b.bracket}{inner}{close[b.bracket]}"
    if bracketed or (b.type is not None and b.predicate is None):
        return f"({inner})"
    return inner


def _binder_inner(b: Binder) -> str:
    """`x y : T`, `x ∈ s`, `f := v`: a binder group without its brackets."""
    names = " ".join(b.names)
    inner = names
    if b.type is not None:
        inner = f"{names} : {_print(b.type)}"
    if b.predicate is not None:
        rel, right = b.predicate
        if rel == "∂":  # `∀ᵐ x ∂μ.restrict s, …`: the measure is one argument
            inner = f"{inner} ∂{_operand(right, ATOM)}"
        else:
            inner = f"{inner} {rel} {_operand(right, 51)}"
    if b.default is not None:
        inner = f"{inner} := {_print(b.default)}"
    return inner


def same_shape(a: Node, b: Node) -> bool:
    """Equal trees up to spans, kept parentheses and how a typed binder was bracketed
    (`∀ x : ℕ,` is printed `∀ (x : ℕ),`): what printing must preserve."""
    return _shape(a) == _shape(b)


def _shape(n: object) -> object:
    if isinstance(n, Paren):
        return _shape(n.inner)
    if isinstance(n, tuple):
        return tuple(_shape(x) for x in n)
    if isinstance(n, Binder):
        bracket = "(" if n.bracket == "" and n.type is not None else n.bracket
        return ("Binder", n.names, _shape(n.type), bracket, _shape(n.predicate), _shape(n.default))
    if isinstance(n, Node):
        values = (getattr(n, f) for f in n.__slots__ if f not in ("span", "at"))  # type: ignore[attr-defined]
        return (type(n).__name__, *(_shape(v) for v in values))
    return n
