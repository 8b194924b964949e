"""The bracket forms of the term grammar: `(…)`, `[…]`, `⟨…⟩` and the other bracket pairs,
set-builders and image sets `{…}`, and `|x|`/`‖x‖`."""

from __future__ import annotations

from indexer.lean_terms.cursor import Cursor, _Fail, _pattern_names
from indexer.lean_terms.lexer import Token
from indexer.lean_terms.syntax import (
    BRACKETS,
)
from indexer.lean_terms.tree import (
    Anon,
    Binder,
    Bracket,
    Ident,
    Node,
    Op,
    Paren,
    SetBuilder,
    Typed,
)

_BARS = {"|": "|", "‖": "‖"}
_BAR_CLOSERS = {"‖": ("‖", "‖₊", "‖ₑ"), "|": ("|",)}


class Brackets(Cursor):
    # ---------------------------------------------------------------- brackets
    def bracket(self) -> Node:
        open_tok = self.take()
        start = open_tok.start
        # `![`, `!![`, `#[`, `line[` close with `]`, `C(` with `)`; a declared `[MOD` as its
        # first character
        text = open_tok.text
        close = BRACKETS.get(text) or BRACKETS.get(text[-1]) or BRACKETS.get(text[:1], "]")
        saved_bars, self.bars = self.bars, []
        try:
            if open_tok.text == "{" and (self._has_top_level("|") or self._has_top_level("//")):
                node = self.set_builder(start)
            elif open_tok.text == "⟨":
                items = self.items(close)
                node = Anon(tuple(items), span=self.span_from(start))
            elif open_tok.text == "(":
                node = self.paren(start)
            else:
                items = self.items(close)
                node = Bracket(
                    open_tok.text, self.closed_with, tuple(items), span=self.span_from(start)
                )
        finally:
            self.bars = saved_bars
        if (
            isinstance(node, Bracket) and (sub := self._subscript()) is not None
        ):  # `⌊x⌋₊`, `⟪x, y⟫_ℝ`
            node = Bracket(node.open, node.close + sub.text, node.items, span=self.span_from(start))
        return node

    def items(self, close: str) -> list[Node]:
        items: list[Node] = []
        while not self._closing(close):
            item = self.expr()
            if self.at(":=") and isinstance(item, Ident):  # `{ x := 1, y := 2 }`: a field
                self.take()
                value = self.expr()
                item = Op(":=", (item, value), span=(item.span[0], value.span[1]))
            if self.at("|") and not self.bars:  # `μ[f | m]`, `μ⟦s | m⟧`: a conditioning bar
                self.take()
                given = self.expr()
                item = Op("|", (item, given), span=(item.span[0], given.span[1]))
            items.append(item)
            if self.at(",", ";"):  # `;` separates the rows of `!![a, b; c, d]`
                self.take()
            elif not self._closing(close):
                raise _Fail("expected , or a closing bracket")
        self.closed_with = self.take().text
        return items

    def _closing(self, close: str) -> bool:
        """At `close`, or at a declared token that starts with it (`⟫_`)."""
        tok = self.peek()
        return tok is not None and tok.kind == "close" and tok.text.startswith(close)

    def paren(self, start: int) -> Node:
        if self.at(")"):
            self.take()
            return Ident("()", span=self.span_from(start))
        if self.peek() is not None and self.peek(1) is not None and self.peek(1).text == ":=":  # type: ignore[union-attr]
            name = self.take()
            self.take()
            value = self.expr()
            self.expect(")")
            return Op(":=", (Ident(name.text), value), span=self.span_from(start))
        first = self.expr()
        if self.at(":"):
            self.take()
            typ = None if self.at(")") else self.expr()
            self.expect(")")
            return Typed(first, typ, span=self.span_from(start))
        if self.at(","):
            items = [first]
            while self.at(","):
                self.take()
                items.append(self.expr())
            self.expect(")")
            return Bracket("(", ")", tuple(items), span=self.span_from(start))
        self.expect(")")
        return Paren(first, span=self.span_from(start))

    def set_builder(self, start: int) -> Node:
        binder_start = self.here()
        mark = self.i
        image = self._image_set(start)
        if image is not None:
            return image
        self.i = mark
        if self.at("("):  # `{(x, y) | p}`, `{(s, t) : ℝ × ℝ | p}`: a pattern
            pattern = self.bracket()
            names = _pattern_names(pattern)
            typ = None
            if self.at(":"):
                self.take()
                typ = self.expr()
            binder = Binder(names, typ, bracket="(", span=self.span_from(binder_start))
        else:
            binder = self.binder_names_and_type(until=("|", "//"))
        subtype = self.take().text == "//"  # `|`, or `//` of a subtype
        body = self.expr()
        self.expect("}")
        return SetBuilder(binder, body, subtype=subtype, span=self.span_from(start))

    def _image_set(self, start: int) -> Node | None:
        """`{f x | (x) (h : p x)}`, `{f x | x ∈ s}`, `{f k | k : ℕ}`: a term, a bar, then
        Mathlib's extended binders: bracketed groups, or one bare group with a type or a
        binder predicate (a bare name alone is the ordinary set-builder `{x | p x}`)."""
        try:
            term = self.expr()
            if not self.at("|") or isinstance(term, Ident):  # `{x | p x}` is `setOf`
                return None
            self.take()
            groups: list[Binder] = []
            while self.at("(", "{", "⦃", "["):
                groups.append(self.bracketed_binder())
            if not groups:  # one bare binder: `{f x | x ∈ s}`, `{f k | k : ℕ}`
                bare = self.binder_names_and_type(until=("}",))
                if (bare.type is None and bare.predicate is None) or len(bare.names) != 1:
                    return None
                groups.append(bare)
            if not self.at("}"):
                return None
            self.take()
        except _Fail:
            return None
        names = tuple(n for g in groups for n in g.names)
        head = Binder(names, bracket="(", span=(groups[0].span[0], groups[-1].span[1]))
        return SetBuilder(head, term, tuple(groups), span=self.span_from(start))

    def bars_term(self) -> Node:
        open_tok = self.take()
        self.bars.append(open_tok.text)
        try:
            inner = self.expr()
        finally:
            self.bars.pop()
        close = self.take()
        if close.text not in _BAR_CLOSERS[open_tok.text]:
            raise _Fail("unclosed bars")
        closing, end = close.text, close.end
        if (sub := self._subscript()) is not None:  # `|x|ₘ`
            closing, end = closing + sub.text, sub.end
        return Bracket(open_tok.text, closing, (inner,), span=(open_tok.start, end))

    def _subscript(self) -> Token | None:
        """A subscript written against the token before (`⌋₊`, `|ₘ`, `⟫_ℝ`), taken."""
        tok = self.peek()
        if tok is None or tok.space_before:
            return None
        if tok.kind == "sym" and tok.text[0] in "ₐₑₒₓₔₕₖₗₘₙₚₛₜ₀₁₂₃₄₅₆₇₈₉₊ᵢᵣᵤᵥᵦᵧᵨᵩᵪ":
            return self.take()
        if tok.kind == "ident" and tok.text.startswith("_"):
            return self.take()
        return None
