"""The parser's cursor over the tokens, shared by the parts of the grammar (`parser.py`:
terms; `brackets.py`: brackets, set-builders and bars; `binders.py`: binders and quantifiers),
which call one another through `self`."""

from __future__ import annotations

from indexer.lean_terms.lexer import Token
from indexer.lean_terms.syntax import NO_OPERATORS, Operators
from indexer.lean_terms.tree import Anon, Bracket, Ident, Node, Paren, Typed


class _Fail(Exception):
    """Unreadable input at a token; turned into a `Raw` node by the caller."""


class Cursor:
    def __init__(self, text: str, tokens: list[Token], operators: Operators = NO_OPERATORS) -> None:
        self.text = text
        self.toks = tokens
        self.operators = operators  # declared by the sources, beyond the tables
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

    def _has_top_level(self, text: str, skip: int = 0, stops: tuple[str, ...] = ()) -> bool:
        """Whether `text` comes before the enclosing group closes (after `skip` tokens), and
        before any of `stops` at this depth."""
        depth = 0
        for tok in self.toks[self.i + skip :]:
            if tok.kind == "open" or _opens_group(tok):
                depth += 1
            elif tok.kind == "close":
                if depth == 0:
                    return False
                depth -= 1
            elif depth == 0 and tok.text in stops:
                return False
            elif depth == 0 and tok.text == text:
                return True
        return False


def _opens_group(tok: Token) -> bool:
    """An operator that opens a bracket its `]` closes (`f^[n]`, `→ₗ[R]`), for depth counting."""
    return tok.kind == "sym" and len(tok.text) > 1 and tok.text[-1] == "["


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
