"""A Pratt parser from Lean tokens to the tree of `indexer.lean_terms.tree`.

Application binds tightest (after postfix operators and field access: `f x⁻¹` is
`f (x⁻¹)`), then prefix and infix operators by the precedences of `syntax.py`; binding heads
(`∀`, `∃`, `fun`, `∑`, ...) take everything to their right. Anything else becomes a `Raw` node:
the parser never raises on malformed input.
"""

from __future__ import annotations

from indexer.lean_terms.lexer import Token, tokenize
from indexer.lean_terms.syntax import (
    ARGUMENT_START_SYMBOLS,
    ARROW_HEADS,
    BINDER_HEADS,
    BINDER_PREDICATES,
    BODY_PRECEDENCE,
    BRACKETS,
    INFIX,
    KEYWORD_ATOMS,
    MODIFIER_LETTERS,
    POSTFIX,
    PREFIX,
    RELATION_HEADS,
    STOP_WORDS,
    SUBSCRIPTED,
)
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
_BARS = {"|": "|", "‖": "‖"}
_BAR_CLOSERS = {"‖": ("‖", "‖₊", "‖ₑ"), "|": ("|",)}


class _Fail(Exception):
    """Unreadable input at a token; turned into a `Raw` node by the caller."""


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.toks = tokens
        self.i = 0
        self.bars: list[str] = []  # open `|`/`‖` brackets, innermost last
        self.stop_column = -1  # while reading a `let` value: that `let`'s column
        self.closed_with = ""  # the closing token `items` last read

    # ------------------------------------------------------------------ tokens
    def peek(self, k: int = 0) -> Token | None:
        try:
            return self.toks[self.i + k]
        except IndexError:
            return None

    def at(self, *texts: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.text in texts

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise _Fail("unexpected end")
        self.i += 1
        return tok

    def expect(self, text: str) -> Token:
        tok = self.peek()
        if tok is None or tok.text != text:
            raise _Fail(f"expected {text}")
        self.i += 1
        return tok

    def span_from(self, start: int) -> tuple[int, int]:
        end = self.toks[self.i - 1].end if self.i else start
        return (start, end)

    def here(self) -> int:
        tok = self.peek()
        return tok.start if tok else len(self.text)

    # ------------------------------------------------------------- expressions
    def expr(self, min_prec: int = 0) -> Node:
        start = self.here()
        left = self.application()
        while True:
            tok = self.peek()
            if tok is None or self._stops(tok):
                break
            op, prec, assoc = self._infix(tok)
            if op is None or prec < min_prec:
                break
            self._take_operator(op)
            right = self.expr(prec if assoc == "r" else prec + 1)
            left = Op(op, (left, right), span=self.span_from(start))
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
            prec = SUBSCRIPTED.get(tok.text) or INFIX.get(tok.text, (0,))[0]
            prec = prec or (25 if head in ARROW_HEADS else 50)
            return self._subscripted_text(), prec, "r" if prec == 25 else "n"
        if tok.text in INFIX:
            prec, assoc = INFIX[tok.text]
            return tok.text, prec, assoc
        if head in ARROW_HEADS and len(tok.text) > 1:  # `→ₙ+*`, `→ₗc`
            return tok.text, 25, "r"
        if self._unknown_operator(tok):  # a notation no table knows: a relation at 50
            return tok.text, 50, "n"
        return None, 0, "n"

    def _unknown_operator(self, tok: Token) -> bool:
        """A symbol between two terms that no table declares (`s ⊼ t`, `a ⤳ b`)."""
        if tok.text in PREFIX or tok.text in POSTFIX or tok.text in ARGUMENT_START_SYMBOLS:
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

    def _take_operator(self, op: str) -> None:
        first = self.take()
        while self.toks[self.i - 1].end - first.start < len(op):  # `→ₗ[R]` is several tokens
            self.take()

    def _new_line(self, tok: Token) -> bool:
        """A token that starts a line at or left of the `let` whose value is being read."""
        return self.stop_column >= 0 and tok.line_start and tok.column <= self.stop_column

    def application(self) -> Node:
        start = self.here()
        fn = self.primary()
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
        depth = 0
        for tok in self.toks[self.i + 1 :]:
            if tok.kind == "open" or _opens_group(tok):
                depth += 1
            elif tok.kind == "close":
                if depth == 0:
                    return False
                depth -= 1
            elif depth == 0 and tok.text in (",", ":=", "=>", "↦"):
                return False
            elif depth == 0 and tok.text == "|":
                return True
        return False

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
                and (tok.text in POSTFIX or _modifier_letters(tok))
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
        if tok.text in PREFIX:
            self.take()
            arg = self.expr(PREFIX[tok.text]) if PREFIX[tok.text] < MAX else self.primary()
            return Op(tok.text, (arg,), "prefix", span=self.span_from(start))
        if tok.text == "." and tok.space_before:  # `.inl`: a name in the expected type
            self.take()
            name = self.take()
            return Ident("." + name.text, span=self.span_from(start))
        if tok.text == "$":  # an antiquotation `$x` in `Q(...)`
            self.take()
            arg = self.primary()
            return Op("$", (arg,), "prefix", span=self.span_from(start))
        if tok.kind == "sym" and tok.text not in STOP_WORDS and tok.text not in INFIX:
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

    def _has_top_level(self, text: str) -> bool:
        depth = 0
        for tok in self.toks[self.i :]:
            if tok.kind == "open" or _opens_group(tok):
                depth += 1
            elif tok.kind == "close":
                if depth == 0:
                    return False
                depth -= 1
            elif depth == 0 and tok.text == text:
                return True
        return False

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


def _pattern_names(node: Node) -> tuple[str, ...]:
    """The names a pattern binds: `⟨a, _⟩`, `(x, y)`, `((n : ℕ), (k : ℕ → ℤ))`."""
    if isinstance(node, Ident):
        return () if node.name in ("_", "·") else (node.name,)
    if isinstance(node, Typed):
        return _pattern_names(node.expr)
    if isinstance(node, (Bracket, Anon, Paren)):
        return tuple(n for item in _items(node) for n in _pattern_names(item))
    return ()


def _items(node: Node) -> tuple[Node, ...]:
    if isinstance(node, (Bracket, Anon)):
        return node.items
    if isinstance(node, Paren):
        return (node.inner,)
    return (node,)


def parse_term(text: str, notation: tuple[str, ...] = ()) -> Node:
    """The tree of a Lean term; `Raw(text)` when it cannot be read as one term. `notation`:
    tokens of notation in scope (from the knowledge base), read as Lean's token table does."""
    p = _Parser(text, tokenize(text, notation=notation))
    try:
        node = p.expr()
        if p.peek() is not None:
            raise _Fail("text after the term")
        return node
    except (_Fail, RecursionError):
        return Raw(text, span=(0, len(text)))


def parse_signature(text: str, notation: tuple[str, ...] = ()) -> Signature | Raw:
    """A declaration header after its name (`{α} [Group α] (a : α) : a * 1 = a`)."""
    p = _Parser(text, tokenize(text, notation=notation))
    try:
        return p.signature()
    except (_Fail, RecursionError):
        return Raw(text, span=(0, len(text)))


def _modifier_letters(tok: Token) -> bool:
    """`αˢʸᵐ`, `Kᗮ`, `a⁻¹ʳ`: superscript letters written against a term are a postfix
    notation (Mathlib declares them with `postfix`), never the start of another term."""
    return not tok.space_before and MODIFIER_LETTERS.fullmatch(tok.text) is not None


def _opens_group(tok: Token) -> bool:
    """An operator that opens a bracket its `]` closes (`f^[n]`, `→ₗ[R]`), for depth counting."""
    return tok.kind == "sym" and len(tok.text) > 1 and tok.text[-1] == "["
