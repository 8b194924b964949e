"""A Pratt parser from Lean tokens to the tree of `indexer.lean_terms.tree`.

Application binds tightest (after postfix operators and field access: `f x⁻¹` is
`f (x⁻¹)`), then prefix and infix operators by the precedences of `syntax.py`; binding heads
(`∀`, `∃`, `fun`, `∑`, ...) take everything to their right. Anything else becomes a `Raw` node:
the parser never raises on malformed input.
"""

from __future__ import annotations

from indexer.lean_terms.binders import Binders
from indexer.lean_terms.brackets import _BARS, Brackets
from indexer.lean_terms.cursor import _Fail, _opens_group
from indexer.lean_terms.lexer import Token, tokenize
from indexer.lean_terms.syntax import (
    ARGUMENT_START_SYMBOLS,
    ARROW_HEADS,
    BINDER_HEADS,
    INFIX,
    KEYWORD_ATOMS,
    MODIFIER_LETTERS,
    NO_OPERATORS,
    POSTFIX,
    PREFIX,
    RELATION_HEADS,
    STOP_WORDS,
    SUBSCRIPTED,
    Operators,
    infix_binding,
)
from indexer.lean_terms.tree import (
    App,
    Binder,
    Bracket,
    Ident,
    If,
    Node,
    Num,
    Op,
    Proj,
    Quant,
    Raw,
    Signature,
    Str,
)

MAX = 1024


class _Parser(Brackets, Binders):
    """The term grammar: expressions by precedence, applications, atoms and keywords, and
    signatures; brackets and binders come from `Brackets` and `Binders`."""

    # ------------------------------------------------------------- expressions
    def expr(self, min_prec: int = 0) -> Node:
        start = self.here()
        left = self.application()
        while True:
            tok = self.peek()
            if tok is None or self._stops(tok):
                break
            if tok.text == "|>." and min_prec <= 10:  # `e |>.f x`: `(e).f x`, as `|>` binds
                self.take()
                field = self.take()
                if field.kind != "ident":
                    raise _Fail("expected a field name after |>.")
                left = self.application(Proj(left, field.text, span=self.span_from(start)), start)
                continue
            op, prec, assoc = self._infix(tok)
            if op is None or prec < min_prec:
                break
            self._take_operator(op)
            right = self.expr(prec if assoc == "r" else prec + 1)
            left = Op(op, (left, right), span=self.span_from(start), at=tok.start)
        return left

    def _stops(self, tok: Token) -> bool:
        if tok.kind == "close" or tok.text in STOP_WORDS or self._new_line(tok):
            return True
        if tok.text in _BARS or tok.text in ("‖₊", "‖ₑ"):
            return bool(self.bars)  # the closing bar of `|x|` / `‖x‖`
        return False

    def _infix(self, tok: Token) -> tuple[str | None, int, str]:
        if tok.kind != "sym":
            return None, 0, "n"
        head = tok.text[:1]
        if self._subscript_follows() and (
            tok.text in SUBSCRIPTED
            or head in ARROW_HEADS
            or head in RELATION_HEADS
            or tok.text in ("⊗", "∘", "•")  # `M ⊗[R] N`, `f ∘[R] g`
        ):
            op = self._subscripted_text()
        elif (
            tok.text in INFIX
            or tok.text in self.operators.infix
            or (head in ARROW_HEADS and len(tok.text) > 1)  # `→ₙ+*`, `→ₗc`
            or self._unknown_operator(tok)  # a notation no table knows: a relation at 50
        ):
            op = tok.text
        else:
            return None, 0, "n"
        prec, assoc = infix_binding(op, self.operators.infix)
        return op, prec, assoc

    def _unknown_operator(self, tok: Token) -> bool:
        """A symbol between two terms that no table declares (`s ⊼ t`, `a ⤳ b`)."""
        if tok.text in PREFIX or tok.text in POSTFIX or tok.text in ARGUMENT_START_SYMBOLS:
            return False
        if tok.text in self.operators.prefix or tok.text in self.operators.postfix:
            return False
        if tok.text in _BARS or tok.text in ("‖₊", "‖ₑ", ".", "@", "'", "`", "..", "?", "!"):
            return False
        nxt = self.peek(1)
        return nxt is not None and nxt.kind != "close" and nxt.text not in STOP_WORDS

    def _subscript_follows(self) -> bool:
        nxt = self.peek(1)
        return nxt is not None and nxt.text == "[" and not nxt.space_before

    def _subscripted_text(self) -> str:
        """`→ₗ[R]` as one operator: the arrow and its bracketed subscript."""
        depth, j = 0, self.i + 1
        while j < len(self.toks):
            t = self.toks[j]
            if t.kind == "open":
                depth += 1
            elif t.kind == "close":
                depth -= 1
                if depth == 0:
                    return self.text[self.toks[self.i].start : t.end]
            j += 1
        raise _Fail("unclosed subscript")

    def _after_opener(self) -> bool:
        """Whether the token before this one opens a bracket (`(.inl a)`: a leading dot)."""
        return self.i > 0 and self.toks[self.i - 1].kind == "open"

    def _take_operator(self, op: str) -> None:
        first = self.take()
        while self.toks[self.i - 1].end - first.start < len(op):  # `→ₗ[R]` is several tokens
            self.take()

    def _new_line(self, tok: Token) -> bool:
        """A token that starts a line at or left of the `let` whose value is being read."""
        return self.stop_column >= 0 and tok.line_start and tok.column <= self.stop_column

    def application(self, fn: Node | None = None, start: int | None = None) -> Node:
        """A head and the arguments that follow it; `fn` when the head is read already (the
        `(e).f` of `e |>.f x`)."""
        start = self.here() if start is None else start
        fn = self.primary() if fn is None else fn
        args: list[Node] = []
        while (
            (tok := self.peek()) is not None
            and self._starts_argument(tok)
            and not self._new_line(tok)
        ):
            args.append(self.primary())
        if not args:
            return fn
        return App(fn, tuple(args), span=self.span_from(start))

    def _starts_argument(self, tok: Token) -> bool:
        if tok.kind in ("ident", "num", "str"):
            return True
        if tok.text == "$":  # `$x`, an antiquotation; `f $ x` is the infix application
            nxt = self.peek(1)
            return nxt is not None and not nxt.space_before
        if tok.text == "..":  # `f ..`: the ellipsis of an application
            nxt = self.peek(1)
            return nxt is None or nxt.kind == "close"
        if tok.kind == "keyword":
            return tok.text in KEYWORD_ATOMS or tok.text == "fun"
        if tok.kind == "open":
            return True
        if tok.text == "." and tok.space_before:  # `p .positive`: a name of the expected type
            nxt = self.peek(1)
            return nxt is not None and nxt.kind == "ident" and not nxt.space_before
        if tok.text in _BARS:  # `f |x|`; but `{x : ℝ | |x| < 1}`: a bar then a space
            nxt = self.peek(1)
            tight = nxt is not None and not nxt.space_before
            return not self.bars and (tok.text == "‖" or (tight and self._closing_bar_ahead()))
        return tok.text in ARGUMENT_START_SYMBOLS or (tok.text == "!" and self._bracket_follows())

    def _closing_bar_ahead(self) -> bool:
        """A second `|` in the same group after this one: `|x|` as an argument (`… ≤ ·) |f|`)."""
        return self._has_top_level("|", skip=1, stops=(",", ":=", "=>", "↦"))

    def _bracket_follows(self) -> bool:
        nxt = self.peek(1)
        return nxt is not None and nxt.text == "[" and not nxt.space_before

    def primary(self) -> Node:
        """An atom with the postfix operators and field accesses that follow it."""
        start = self.here()
        node = self.leading()
        while (tok := self.peek()) is not None:
            if (
                tok.kind == "sym"
                and (
                    tok.text in POSTFIX
                    or tok.text in self.operators.postfix
                    or _modifier_letters(tok)
                )
                and not self._starts_bang_vector(tok)
            ):
                self.take()
                node = Op(tok.text, (node,), "postfix", span=self.span_from(start))
            elif tok.text == "^[" and not tok.space_before:  # `f^[n]`: an iterate
                self.take()
                count = self.expr()
                self.expect("]")
                node = Op("^[", (node, count), "postfix", span=self.span_from(start))
            elif tok.text == "'" and not tok.space_before and isinstance(node, Bracket):
                self.take()  # `xs[i]'h`: an index with its bound proof
                proof = self.primary()
                node = Op("'", (node, proof), span=self.span_from(start))
            elif tok.text == "." and not tok.space_before:
                self.take()
                field = self.take()
                if field.kind not in ("ident", "num") or field.space_before:
                    raise _Fail("bad field access")
                node = Proj(node, field.text, span=self.span_from(start))
            else:
                break
        return node

    def _starts_bang_vector(self, tok: Token) -> bool:
        return tok.text == "!" and self._bracket_follows()

    def leading(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise _Fail("missing term")
        start = tok.start
        if tok.kind == "num":
            self.take()
            return Num(tok.text, span=(tok.start, tok.end))
        if tok.kind == "str":
            self.take()
            return Str(tok.text, span=(tok.start, tok.end))
        if tok.kind == "ident":
            if tok.text in BINDER_HEADS and not self._bracket_follows():
                return self.quantifier()  # `𝔼 x, f x`
            self.take()
            return Ident(tok.text, span=(tok.start, tok.end))
        if tok.kind == "keyword":
            return self.keyword(tok)
        if tok.kind == "open":
            if tok.text in ("{", "⦃", "[") and (pi := self._pi_binder()) is not None:
                return pi
            return self.bracket()
        if tok.text in BINDER_HEADS:
            return self.quantifier()
        if tok.text in _BARS and (not self.bars or self.bars[-1] != tok.text):
            return self.bars_term()
        nxt = self.peek(1)
        if tok.kind == "sym" and nxt is not None and nxt.kind == "close" and tok.text != "|":
            self.take()  # `𝓝[≠] x`, `(f ..)`: an operator or ellipsis standing alone
            return Ident(tok.text, span=(tok.start, tok.end))
        if tok.text == "@":
            self.take()
            inner = self.leading()
            if isinstance(inner, Ident):
                return Ident("@" + inner.name, span=self.span_from(start))
            return Op("@", (inner,), "prefix", span=self.span_from(start))
        if tok.text in PREFIX or (tok.kind == "sym" and tok.text in self.operators.prefix):
            self.take()
            need = self.operators.prefix.get(tok.text) or PREFIX[tok.text]
            arg = self.expr(need) if need < MAX else self.primary()
            return Op(tok.text, (arg,), "prefix", span=self.span_from(start))
        if tok.text == "." and (tok.space_before or self._after_opener()):  # `.inl`, `(.inl a)`
            self.take()
            name = self.take()
            return Ident("." + name.text, span=self.span_from(start))
        if tok.text == "$":  # an antiquotation `$x` in `Q(...)`
            self.take()
            arg = self.primary()
            return Op("$", (arg,), "prefix", span=self.span_from(start))
        if (
            tok.kind == "sym"
            and tok.text not in STOP_WORDS
            and tok.text not in INFIX
            and tok.text not in self.operators.infix
        ):
            self.take()  # `∞`, `∅`, `⊤`, `·`, `_`: atoms
            return Ident(tok.text, span=(tok.start, tok.end))
        raise _Fail(f"unexpected {tok.text}")

    def _pi_binder(self) -> Node | None:
        """`{m : ℕ} → T`, `[Group G] → T`: a dependent arrow with an implicit or instance
        binder, read as `∀ {m : ℕ}, T`."""
        mark = self.i
        try:
            binder = self.bracketed_binder()
        except _Fail:
            self.i = mark
            return None
        if not self.at("→", "->"):
            self.i = mark
            return None
        self.take()
        body = self.expr(25)
        return Quant("∀", (binder,), body, span=(binder.span[0], body.span[1]))

    def keyword(self, tok: Token) -> Node:
        start = tok.start
        if tok.text in ("Type", "Sort"):
            self.take()
            nxt = self.peek()
            if nxt is not None and nxt.text == "*" and not nxt.space_before:
                self.take()
                return Ident(tok.text + "*", span=self.span_from(start))
            return Ident(tok.text, span=(tok.start, tok.end))
        if tok.text in KEYWORD_ATOMS:
            self.take()
            return Ident(tok.text, span=(tok.start, tok.end))
        if tok.text in ("fun", "λ"):
            return self.quantifier()
        if tok.text == "if":
            self.take()
            hyp = None
            if self.peek(1) is not None and self.peek(1).text == ":":  # type: ignore[union-attr]
                hyp = self.take().text
                self.take()
            cond = self.expr()
            self.expect("then")
            then = self.expr()
            self.expect("else")
            orelse = self.expr()
            return If(cond, then, orelse, hyp, span=self.span_from(start))
        if tok.text in ("let", "have", "haveI", "letI"):
            self.take()
            saved, self.stop_column = self.stop_column, tok.column
            try:  # the value ends at `;` or at a line that starts no further right than `let`
                if self.at(":="):  # `letI := inst; body`
                    self.take()
                    binder = Binder((), default=self.expr())
                elif self.at(":"):  # `letI : Fact p := ⟨h⟩; body`
                    self.take()
                    typ = self.expr()
                    self.expect(":=")
                    binder = Binder((), typ, default=self.expr())
                else:
                    binder = self.binder_names_and_type(allow_default=True)
            finally:
                self.stop_column = saved
            if self.at(";"):
                self.take()
            body = self.expr()
            return Quant(tok.text, (binder,), body, span=self.span_from(start))
        if tok.text in ("by", "match", "show", "do"):
            return self.raw_to_group_end(start)
        raise _Fail(f"keyword {tok.text}")

    def raw_to_group_end(self, start: int) -> Raw:
        """A tactic block, `match` or `show`: its text up to the end of the enclosing group."""
        depth = 0
        end = start
        while (tok := self.peek()) is not None:
            if tok.kind == "open" or _opens_group(tok):
                depth += 1
            elif tok.kind == "close":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and tok.text in (",", ":="):
                break
            end = tok.end
            self.take()
        return Raw(self.text[start:end], span=(start, end))

    # --------------------------------------------------------------- signature
    def signature(self) -> Signature:
        start = self.here()
        binders: list[Binder] = []
        while (tok := self.peek()) is not None and tok.text in ("(", "{", "⦃", "["):
            binders.append(self.bracketed_binder())
        typ = None
        if self.at(":"):
            self.take()
            typ = self.expr()
        if self.peek() is not None and not self.at(":=", "|", "where", "extends", "deriving"):
            raise _Fail("text after the signature's type")
        return Signature(tuple(binders), typ, span=self.span_from(start))


def parse_term(
    text: str, notation: tuple[str, ...] = (), operators: Operators = NO_OPERATORS
) -> Node:
    """The tree of a Lean term; `Raw(text)` when it cannot be read as one term. `notation`:
    tokens of notation in scope (from the knowledge base), read as Lean's token table does;
    `operators`: the precedences the sources declare for operators the tables lack."""
    p = _Parser(text, tokenize(text, notation=notation + operators.tokens), operators)
    try:
        node = p.expr()
        if p.peek() is not None:
            raise _Fail("text after the term")
        return node
    except (_Fail, RecursionError):
        return Raw(text, span=(0, len(text)))


def parse_signature(
    text: str, notation: tuple[str, ...] = (), operators: Operators = NO_OPERATORS
) -> Signature | Raw:
    """A declaration header after its name (`{α} [Group α] (a : α) : a * 1 = a`)."""
    p = _Parser(text, tokenize(text, notation=notation + operators.tokens), operators)
    try:
        return p.signature()
    except (_Fail, RecursionError):
        return Raw(text, span=(0, len(text)))


def _modifier_letters(tok: Token) -> bool:
    """`αˢʸᵐ`, `Kᗮ`, `a⁻¹ʳ`: superscript letters written against a term are a postfix
    notation (Mathlib declares them with `postfix`), never the start of another term."""
    return not tok.space_before and MODIFIER_LETTERS.fullmatch(tok.text) is not None
