"""Edits of a signature's source text, for the `to_additive` translator (`indexer.additive`).

The translator never prints a tree: it records replacements of spans of the text it read, so
everything it does not translate stays as Mathlib wrote it. This mixin holds those edits and
the parentheses a replaced operator may need.
"""

from __future__ import annotations

from indexer.additive_types import atomic
from indexer.lean_terms import App, Node, Op, Proj, Signature
from indexer.lean_terms.syntax import infix_binding

# Operators as they become when their operands' type is translated.
NEW_OPERATOR = {"*": "+", "/": "-", "•": "+ᵥ", "^": "•"}


class SourceEdits:
    """Span replacements on `self.text` (the signature as written), collected in `self.edits`;
    the translator that mixes this in supplies `sig`, `text`, `edits`, `visit` and
    `type_of`."""

    def edit(self, node: Node, text: str) -> None:
        self.edits.append((node.span[0], node.span[1], text))

    def edit_operator(self, node: Op, new: str) -> None:
        """Replace an infix operator; where the new one binds looser than the old
        (`*` 70 -> `+` 65, `•` 73 -> `+ᵥ` 65), parenthesize the node if its parent would
        otherwise take an operand from it (`g * h • x` -> `g + (h +ᵥ x)`)."""
        left, right = node.args
        gap = self.text[left.span[1] : right.span[0]]
        at = left.span[1] + gap.index(node.op)
        self.edits.append((at, at + len(node.op), new))
        if self.loosened(node, new):
            self.edits.append((node.span[0], node.span[0], "("))
            self.edits.append((node.span[1], node.span[1], ")"))

    def loosened(self, node: Op, new: str) -> bool:
        parent = self.parents.get(id(node))
        if not isinstance(parent, Op) or parent.fixity != "infix":
            return isinstance(parent, (App, Proj)) or (
                isinstance(parent, Op) and parent.fixity != "infix"
            )
        new_prec, new_assoc = infix_binding(new)
        parent_prec, parent_assoc = infix_binding(NEW_OPERATOR.get(parent.op, parent.op))
        if parent_prec != new_prec:
            return parent_prec > new_prec
        side = "l" if parent.args[0] is node else "r"
        return not (side == parent_assoc == new_assoc)

    def negate(self, node: Op) -> None:
        """`a⁻¹` -> `-a` (parenthesized where `-a` would read differently)."""
        start, end = node.span
        self.edits.append((start, start, "(-" if self.needs_parens(node) else "-"))
        self.edits.append((end - len("⁻¹"), end, ")" if self.needs_parens(node) else ""))

    def swap_power(self, node: Op) -> None:
        """`a ^ n` -> `n • a`: the exponent and the base trade places."""
        base, exponent = node.args
        exp_text = self.rendered(exponent)
        if not atomic(exponent):
            exp_text = f"({exp_text})"
        base_text = self.rendered(base)
        text = f"{exp_text} • {base_text}"
        if self.needs_parens(node):
            text = f"({text})"
        self.edits.append((node.span[0], node.span[1], text))

    def rendered(self, node: Node) -> str:
        """The text of `node` with the edits of its inside applied (done on demand: the
        caller replaces the node's whole span)."""
        sub = type(self)(self.sig, self.text, self.names, self.globals, self.dont_translate)
        sub.scope = self.scope
        sub.in_type = self.in_type
        sub.prefixes = self.prefixes
        sub.visit(node, self.type_of(node))
        return apply_edits(self.text, sub.edits, node.span)

    def needs_parens(self, node: Node) -> bool:
        parent = self.parents.get(id(node))
        return isinstance(parent, (App, Proj)) or (
            isinstance(parent, Op) and (parent.fixity != "infix" or parent.op in ("^", "•"))
        )

    @property
    def parents(self) -> dict[int, Node]:
        if not hasattr(self, "_parents"):
            self._parents: dict[int, Node] = {}
            stack: list[Node] = [self.sig]
            while stack:
                n = stack.pop()
                for c in n.children():
                    self._parents[id(c)] = n
                    stack.append(c)
                if isinstance(n, Signature):
                    for b in n.binders:
                        stack.append(b)
        return self._parents

    def render(self) -> str:
        return apply_edits(self.text, self.edits, (0, len(self.text)))


def apply_edits(text: str, edits: list[tuple[int, int, str]], span: tuple[int, int]) -> str:
    """`text[span]` with the edits inside it applied. Edits never overlap (a swapped power
    renders its operands itself); at one offset, insertions (made by enclosing nodes, in the
    order they were recorded) go before a replacement."""
    start, end = span
    inside = sorted(
        (e for e in edits if start <= e[0] and e[1] <= end), key=lambda e: (e[0], e[1] > e[0])
    )
    out, pos = [], start
    for s, e, new in inside:
        if s < pos:
            continue
        out.append(text[pos:s])
        out.append(new)
        pos = e
    out.append(text[pos:end])
    return "".join(out)
