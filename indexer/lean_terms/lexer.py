"""Lean tokens of a term: identifiers, numerals, strings, brackets and symbols, with offsets.

Comments are blanked first (`indexer.lexer.lex`), so offsets are those of the text given.
Identifiers follow Lean's character classes (`indexer.lean_syntax`); a symbol is the longest
operator of the syntax tables that starts at a position, else one character.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal, NamedTuple

from indexer.lean_syntax import IDENT, KEYWORDS
from indexer.lean_terms.syntax import (
    ARROW_HEADS,
    ARROW_MODIFIERS,
    BINDER_HEADS,
    BRACKETS,
    CLOSERS,
    INFIX,
    MODIFIER_LETTERS,
    NOTATION_ATOMS,
    POSTFIX,
    PREFIX,
    SUBSCRIPTED,
)
from indexer.lexer import lex

Kind = Literal["ident", "num", "str", "open", "close", "sym", "keyword"]


class Token(NamedTuple):
    """One token; a named tuple, as every file's commands are read through millions of them
    (a frozen dataclass costs twice as much to make)."""

    kind: Kind
    text: str
    start: int
    end: int
    space_before: bool  # whitespace (or the start of the text) right before it
    column: int = 0  # of its first character in its line
    line_start: bool = False  # the first token of its line


_EXTRA_SYMBOLS = (
    "|>.",
    ":=",
    "=>",
    "↦",
    "..",
    "::",
    "<;>",
    "<|>",
    "∃!",
    "Σ'",
    "∑'",
    "∏'",
    "∑ᶠ",
    "∏ᶠ",
    "∫⁻",
    "∀ᶠ",
    "∃ᶠ",
    "∀ᵐ",
    "∃ᵐ",
    "%[",
    "#[",
    "Π₀",
    "^[",
    "//",
    "‖₊",
    "‖ₑ",
)


@lru_cache(maxsize=1)
def _symbol_re() -> re.Pattern[str]:
    symbols = set(INFIX) | set(SUBSCRIPTED) | set(PREFIX) | set(POSTFIX) | set(_EXTRA_SYMBOLS)
    symbols |= {s for s in BINDER_HEADS if not s.isalpha()}
    symbols = {s for s in symbols if len(s) > 1}
    alternatives = "|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))
    return re.compile(alternatives)


_IDENT = re.compile(IDENT)
_UNIVERSES = re.compile(r"\.\{[^{}]*\}")  # `List.{u}`: explicit universes of a constant
_NOTATION_ATOM = re.compile("|".join(re.escape(a) for a in NOTATION_ATOMS))
# Vector and array literals open with one token: `![`, `!![`, `!₂[`, `#[`.
_LITERAL_OPEN = re.compile(r"!+[₀-₉]*\[|#v?\[")
_ARROW = re.compile(f"[{ARROW_HEADS}][{re.escape(ARROW_MODIFIERS)}]+")
_SUBSCRIPT = re.compile(r"[ₐ-ₜ₀-₉ᵢ-ᵪ₊ₑ]+")
_NUMBER = re.compile(r"0[xX][0-9a-fA-F_]+|0[bB][01_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_CHAR = re.compile(r"'(?:[^'\\]|\\.)'")
_SPACE = re.compile(r"\s+")


def tokenize(text: str, blank_comments: bool = True, notation: tuple[str, ...] = ()) -> list[Token]:
    """The tokens of `text`. `blank_comments=False` when comments are already blanked;
    `notation`: tokens that notation commands declare (`⟫_`, `line[`), read before anything
    else matches a shorter token there, as Lean's token table does."""
    return list(iter_tokens(text, blank_comments, notation))


def iter_tokens(
    text: str, blank_comments: bool = True, notation: tuple[str, ...] = ()
) -> Iterator[Token]:
    """`tokenize`, one token at a time: a reader that stops early (the end of a command's
    signature) does not read the proof after it."""
    code = lex(text).code_with_strings if blank_comments else text
    last: Token | None = None
    pos, n = 0, len(code)
    spaced, line_start, column_base = True, True, 0
    symbol = _symbol_re()
    declared = _notation_re(notation) if notation else None
    while pos < n:
        m = _SPACE.match(code, pos)
        if m:
            if "\n" in m.group():
                line_start, column_base = True, code.rindex("\n", pos, m.end()) + 1
            pos, spaced = m.end(), True
            continue
        ch = code[pos]
        kind: Kind
        dm = declared.match(code, pos) if declared is not None else None
        if (
            dm is not None
            and dm.end() - pos > _ident_length(code, pos)
            and dm.end() >= _builtin_symbol_end(code, pos, symbol)  # the longest token wins
            and not ch.isdigit()
            and _splits_run(code, pos, declared, against_term=last is not None and not spaced)
        ):
            declared_kind: Kind = "sym"
            if dm.group()[-1] in BRACKETS or ch in BRACKETS:
                declared_kind = "open"  # `line[ℝ, P, Q]`, `C(X, Y)`, `[MOD n]`
            elif ch in CLOSERS:
                declared_kind = "close"  # `⟫_` of `⟪x, y⟫_ℝ`
            kind, end = declared_kind, dm.end()
        elif ch in BRACKETS:
            kind, end = "open", pos + 1
        elif ch in CLOSERS:
            kind, end = "close", pos + 1
        elif ch == '"':
            sm = _STRING.match(code, pos)
            kind, end = "str", sm.end() if sm else n
        elif ch == "'" and (cm := _CHAR.match(code, pos)) and not _after_term(last, spaced):
            kind, end = "str", cm.end()
        elif ch.isdigit():
            nm = _NUMBER.match(code, pos)
            kind, end = "num", nm.end() if nm else pos + 1
        elif (
            ch == "."
            and last is not None
            and not spaced
            and _projectable(last)
            and code[pos + 1 : pos + 2] != "."
        ):
            kind, end = "sym", pos + 1  # field access on what precedes: `h.1`, `(f x).symm`
        elif (am := _NOTATION_ATOM.match(code, pos)) is not None:
            kind, end = "ident", am.end()
        elif (im := _IDENT.match(code, pos)) is not None:
            word = im.group()
            kind = "keyword" if word in KEYWORDS else "ident"
            end = im.end()
            if (um := _UNIVERSES.match(code, end)) is not None:
                end = um.end()
        elif (lm := _LITERAL_OPEN.match(code, pos)) is not None:
            kind, end = "open", lm.end()
        elif (arm := _ARROW.match(code, pos)) is not None:
            kind, end = "sym", arm.end()
        elif (sub := _SUBSCRIPT.match(code, pos)) is not None and last and not spaced:
            kind, end = "sym", sub.end()  # `|x|ₘ`, `⌊x⌋₊`: a subscript on what precedes
        else:
            sm = symbol.match(code, pos)
            kind, end = "sym", sm.end() if sm else pos + 1
            if last and not spaced and (mm := MODIFIER_LETTERS.match(code, pos)) is not None:
                end = max(end, mm.end())  # `αˢʸᵐ`: one postfix token, not three
            elif (mm := MODIFIER_LETTERS.match(code, end)) is not None:
                end = mm.end()  # `/ᵐᵒⁿᵒᵐⁱᵃˡ`, `⊗ᵀ`: an operator with its modifier letters
        last = Token(kind, code[pos:end], pos, end, spaced, pos - column_base, line_start)
        yield last
        pos, spaced, line_start = end, False, False


def _splits_run(code: str, pos: int, declared: re.Pattern[str], against_term: bool) -> bool:
    """Whether declared tokens may be read at `pos`: unless a run of superscript letters
    written against a term starts there, which they must cover exactly (`aᶜᶜ` is `ᶜ` twice
    and `Aᵐᵒᵖᵐᵒᵖ` `ᵐᵒᵖ` twice; `sᶜˢ` stays one token: `ˢ` is no declared token, so the run
    is a notation of a scope the index did not open, and read whole)."""
    run = MODIFIER_LETTERS.match(code, pos) if against_term else None
    if run is None:
        return True
    at = pos
    while at < run.end():
        m = declared.match(code, at)
        if m is None or m.end() > run.end():
            return False
        at = m.end()
    return True


def _builtin_symbol_end(code: str, pos: int, symbol: re.Pattern[str]) -> int:
    """Where the longest operator of the built-in tables (or an arrow with modifiers) that
    starts at `pos` ends: a declared token shorter than it (`⁻` against core's `⁻¹`, `→+`
    against `→+c`) is not the token there, as Lean's tokenizer takes the longest match."""
    am = _ARROW.match(code, pos)
    sm = symbol.match(code, pos)
    return max(am.end() if am else pos, sm.end() if sm else pos)


def _ident_length(code: str, pos: int) -> int:
    m = _IDENT.match(code, pos)
    return m.end() - pos if m else 0


@lru_cache(maxsize=256)  # one token set per combination of opened namespaces
def _notation_re(tokens: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted({t for t in tokens if t}, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in ordered))


def _after_term(last: Token | None, spaced: bool) -> bool:
    """Whether a `'` here continues the previous token (`f'`, `x''`) rather than a char."""
    return last is not None and not spaced and last.kind in ("ident", "close")


def _projectable(tok: Token) -> bool:
    return tok.kind in ("ident", "close", "num") or tok.text in POSTFIX
