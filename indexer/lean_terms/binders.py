"""Binders: quantifiers and `fun` with their binder groups, bracketed binders of a
signature, and the names a pattern binds."""

from __future__ import annotations

from indexer.lean_terms.cursor import Cursor, _Fail, _pattern_names
from indexer.lean_terms.lexer import Token
from indexer.lean_terms.syntax import (
    BINDER_PREDICATES,
    BODY_PRECEDENCE,
    BRACKETS,
)
from indexer.lean_terms.tree import (
    Binder,
    Node,
    Op,
    Quant,
)


class Binders(Cursor):
    # ----------------------------------------------------------------- binders
    def quantifier(self) -> Node:
        head = self.take()
        start = head.start
        is_fun = head.text in ("fun", "λ")
        if is_fun and self.at("|"):
            return self.raw_to_group_end(start)
        binders = self.binders(("=>", "↦") if is_fun else (",",))
        self.take()  # the separator
        body = self.expr(BODY_PRECEDENCE.get(head.text, 0))
        if self.at("∂") and head.text.startswith(("∫", "⨍")):  # `∫ x, f x ∂μ`: the measure
            self.take()
            measure = self.primary()
            body = Op("∂", (body, measure), span=(body.span[0], measure.span[1]))
        return Quant(head.text, tuple(binders), body, span=self.span_from(start))

    def binders(self, stops: tuple[str, ...]) -> list[Binder]:
        """Binder groups up to (not including) one of `stops`."""
        out: list[Binder] = []
        bare: list[Token] = []
        while not self.at(*stops):
            tok = self.peek()
            if tok is None:
                raise _Fail("unterminated binders")
            if tok.kind == "ident" or tok.text in ("_", "·"):
                bare.append(self.take())
            elif tok.text in ("(", "{", "⦃", "["):
                if bare:  # `fun d (a, b) => …`: the bare names so far are one group
                    out.append(self._bare(bare))
                    bare = []
                mark = self.i
                try:
                    out.append(self.bracketed_binder())
                except _Fail:  # a pattern: `fun d (a, b) => ...`
                    self.i = mark
                    pattern = self.bracket()
                    names = _pattern_names(pattern)
                    out.append(Binder(names, bracket=tok.text, span=pattern.span))
            elif tok.text == "⟨":
                pattern = self.bracket()
                names = _pattern_names(pattern)
                out.append(Binder(names, bracket="⟨", span=pattern.span))
            elif tok.text == ":" and bare:
                self.take()
                typ = self.expr()
                out.append(self._bare(bare, typ=typ))
                bare = []
            elif tok.text == ":" and out and out[-1].bracket == "⟨" and out[-1].type is None:
                self.take()  # `∑ ⟨i, j⟩ : Fin 5 × Fin 5, ...`: a typed pattern
                typ = self.expr()
                last = out[-1]
                out[-1] = Binder(last.names, typ, "⟨", span=(last.span[0], typ.span[1]))
            elif tok.text == "with" and out and out[-1].predicate is not None:
                self.take()  # `∑ p ∈ range n with p.Prime, …`: the finset filtered
                cond = self.expr()
                last = out[-1]
                rel, right = last.predicate  # type: ignore[misc]
                filtered = Op("with", (right, cond), span=(right.span[0], cond.span[1]))
                out[-1] = Binder(
                    last.names,
                    last.type,
                    last.bracket,
                    (rel, filtered),
                    last.default,
                    span=(last.span[0], cond.span[1]),
                )
            elif (tok.text in BINDER_PREDICATES or tok.text in ("in", "∂")) and (bare or out):
                self.take()
                rel = "∈" if tok.text == "in" else tok.text
                right = self.primary() if rel == "∂" else self.expr(51)
                if bare:
                    out.append(self._bare(bare, predicate=(rel, right)))
                    bare = []
                else:  # `∫ (x : ℝ) in s, f x`: the predicate of the bracketed binder
                    last = out[-1]
                    out[-1] = Binder(
                        last.names,
                        last.type,
                        last.bracket,
                        (rel, right),
                        last.default,
                        span=(last.span[0], right.span[1]),
                    )
            else:
                raise _Fail(f"unexpected {tok.text} in binders")
        if bare:
            out.append(self._bare(bare))
        return out

    def _bare(
        self, names: list[Token], typ: Node | None = None, predicate: tuple[str, Node] | None = None
    ) -> Binder:
        start = names[0].start
        return Binder(
            tuple(t.text for t in names),
            typ,
            "",
            predicate,
            span=(start, self.toks[self.i - 1].end),
        )

    def bracketed_binder(self) -> Binder:
        open_tok = self.take()
        close = BRACKETS[open_tok.text]
        start = open_tok.start
        saved_bars, self.bars = self.bars, []
        try:
            if open_tok.text == "[":
                if self._names_then_colon(close):
                    names = self._names(":")
                    self.expect(":")
                else:
                    names = ()
                typ = self.expr()
                self.expect("]")
                return Binder(names, typ, "[", span=self.span_from(start))
            inner = self.binder_names_and_type(allow_default=True, until=(close,))
            self.expect(close)
        finally:
            self.bars = saved_bars
        return Binder(
            inner.names,
            inner.type,
            open_tok.text,
            inner.predicate,
            inner.default,
            span=self.span_from(start),
        )

    def _names_then_colon(self, close: str) -> bool:
        j = self.i
        while j < len(self.toks) and self.toks[j].kind == "ident":
            j += 1
        return j > self.i and j < len(self.toks) and self.toks[j].text == ":"

    def _names(self, stop: str) -> tuple[str, ...]:
        names = []
        while not self.at(stop):
            tok = self.take()
            if tok.kind != "ident" and tok.text not in ("_", "·"):
                raise _Fail("a binder name")
            names.append(tok.text)
        return tuple(names)

    def binder_names_and_type(
        self, allow_default: bool = False, until: tuple[str, ...] = ()
    ) -> Binder:
        """`x y : T`, `x ∈ s`, `x`, `f := v` (names, then a type, predicate or default)."""
        start = self.here()
        names = []
        while (tok := self.peek()) is not None and (tok.kind == "ident" or tok.text in ("_", "·")):
            names.append(self.take().text)
        if not names:
            raise _Fail("binder without a name")
        typ = predicate = default = None
        if self.at(":"):
            self.take()
            typ = self.expr()
        elif (tok := self.peek()) is not None and tok.text in BINDER_PREDICATES:
            self.take()
            predicate = (tok.text, self.expr(51))
        if allow_default and self.at(":="):
            self.take()
            default = self.expr()
        if until and not self.at(*until):
            raise _Fail("unexpected token in a binder")
        return Binder(tuple(names), typ, "", predicate, default, span=self.span_from(start))
