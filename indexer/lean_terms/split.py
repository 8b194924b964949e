"""Cutting a signature's text at its top-level tokens (outside every bracket), with the
lexer's tokens so that `(h : a ∈ s)`, `{x : α // p x}` and strings are stepped over."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from indexer.lean_syntax import BINDING_WORDS
from indexer.lean_terms.cursor import _opens_group
from indexer.lean_terms.lexer import Token, iter_tokens, tokenize
from indexer.lean_terms.syntax import BINDER_PREDICATES


def top_level(text: str, symbol: str) -> list[int]:
    """Offsets of `symbol` tokens in `text` outside every bracket."""
    return [tok.start for tok in top_level_tokens(text) if tok.text == symbol]


def top_level_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each part of `text` between commas outside brackets."""
    cuts = top_level(text, ",")
    return list(zip([0, *(c + 1 for c in cuts)], [*cuts, len(text)], strict=True))


def split_top(text: str) -> list[str]:
    """Split on commas outside brackets."""
    return [text[a:b] for a, b in top_level_spans(text)]


def split_conclusion(signature: str) -> tuple[str, str]:
    """(binders, statement): a signature cut at its first top-level `:`; ("", "") when it
    has none."""
    cuts = top_level(signature, ":")
    if not cuts:
        return "", ""
    return signature[: cuts[0]].strip(), signature[cuts[0] + 1 :].strip()


def iff_direction(signature: str, direction: str) -> str | None:
    """The signature of `h.mp` (`direction` "mp") or `h.mpr` for an `h` whose statement is
    one top-level `↔`: what `alias ⟨a, b⟩ := foo_iff` gives `a` and `b`. None otherwise."""
    binders, statement = split_conclusion(signature)
    sides = top_level(statement, "↔")
    if len(sides) != 1 or direction not in ("mp", "mpr"):
        return None
    lhs, rhs = statement[: sides[0]].strip(), statement[sides[0] + 1 :].strip()
    if direction == "mpr":
        lhs, rhs = rhs, lhs
    return f"{binders} : {lhs} → {rhs}".strip()


# Brackets that hold a binder group: `(x : α)`, `{x}`, `[Group G]`, `⦃x⦄`, `⟨a, b⟩`, `⟦x⟧`.
_GROUP_OPENERS = frozenset("([{⦃⟨⟦")


class BinderGroup(NamedTuple):
    """One binder group of a binder list, as written: `(x y : α)` is ("(", ["x", "y"], "α")."""

    bracket: str  # "(", "{", "[", "⦃", "⟨", "⟦"; "" for a bare name
    names: list[str]
    type: str  # the text after the colon, without a default value; "" for none
    span: tuple[int, int]  # where the group (brackets included) lies in the text


def binder_groups(binders: str) -> list[BinderGroup]:
    """The binder groups at the top level of `binders`, read from the lexer's tokens (so a
    bracket in a string or comment, or the `]` of `f^[n]`, is not one).

    `[Group G]` has no names and `[inst : Group G]` one; `(h : p := by simp)` has the type
    `p`; `(x := v)` the name `x`; a group whose head is not names (`(2 : ℕ)`) has no names
    and its whole inside as type; bare identifiers between groups are explicit binders without
    type; an unclosed bracket is stepped into.
    """
    toks = tokenize(binders)
    groups: list[BinderGroup] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        close = _closing(toks, i) if tok.kind == "open" and tok.text in _GROUP_OPENERS else None
        if close is None:
            if tok.kind == "ident" and (i == 0 or toks[i - 1].text != "."):
                groups.append(BinderGroup("", [tok.text], "", (tok.start, tok.end)))
            i += 1
            continue
        bracket, names, typ = _group(binders, tok.text, toks[i + 1 : close], toks[close].start)
        groups.append(BinderGroup(bracket, names, typ, (tok.start, toks[close].end)))
        i = close + 1
    return groups


def _depth_step(tok: Token) -> int:
    """How a token changes bracket depth: `f^[n]` and `→ₗ[R]` open a bracket `]` closes."""
    opens = tok.kind == "open" or _opens_group(tok)
    return 1 if opens else -1 if tok.kind == "close" else 0


def _closing(toks: list[Token], i: int) -> int | None:
    """The index of the token that closes the bracket opened at `toks[i]`."""
    depth = 0
    for j in range(i, len(toks)):
        depth += _depth_step(toks[j])
        if depth == 0:
            return j
    return None


def _group(text: str, bracket: str, inner: list[Token], end: int) -> tuple[str, list[str], str]:
    """(bracket, names, type) of one bracketed group from its inner tokens; `end` is where
    its closing bracket starts in `text`."""
    depth, colon, assign, bindings = 0, None, None, 0
    for k, tok in enumerate(inner):
        depth += _depth_step(tok)
        if depth or assign is not None:
            continue
        if tok.text == ":" and colon is None:
            colon = k
        elif tok.text in BINDING_WORDS:
            bindings += 1  # `(h : haveI : P := p; Q)`: that `:=` is the `haveI`'s
        elif tok.text == ":=" and bindings:
            bindings -= 1
        elif tok.text == ":=":
            assign = k
    head = inner[: colon if colon is not None else assign if assign is not None else len(inner)]
    named = bool(head) and all(t.kind == "ident" for t in head)
    if bracket == "⟨":
        return bracket, [t.text for t in inner if t.kind == "ident"], ""
    if colon is None and bracket != "[":  # `(x y)`, `(x := v)`, `(x ∈ s)`, `((a, b), c)`
        cut = next((k for k, t in enumerate(head) if t.text in BINDER_PREDICATES), len(head))
        words = head[:cut]
        if words and all(t.kind == "ident" and _atomic(t.text) for t in words):
            return bracket, [t.text for t in words], ""
        return bracket, _pattern_names(head) or [], ""
    whole = text[inner[0].start : end].strip() if inner else ""
    if colon is None:
        return bracket, [], whole
    type_end = inner[assign].start if assign is not None and assign > colon else end
    typ = text[inner[colon].end : type_end].strip()
    if named and (bracket != "[" or len(head) == 1):
        return bracket, [t.text for t in head], typ
    return bracket, [], whole


def _atomic(name: str) -> bool:
    return "." not in name


def _pattern_names(toks: list[Token]) -> list[str] | None:
    """The names of a tuple pattern `a, (b, c), _` (tokens inside its outer bracket); None
    for anything else, such as an application `f (g x)` or `b.h i, c`."""
    names: list[str] = []
    depth, element = 0, 0  # tokens in the current element at depth 0
    commas = 0
    for tok in toks:
        step = _depth_step(tok)
        if depth == 0 and tok.text == ",":
            commas, element = commas + 1, 0
            continue
        if depth == 0 and (element or step < 0):
            return None  # two things side by side: an application, not a pattern
        if step == 0 and (tok.kind != "ident" or not _atomic(tok.text)) and tok.text != ",":
            return None
        if tok.kind == "ident":
            names.append(tok.text)
        depth += step
        if depth == 0:
            element += 1
    return names if commas else None


def split_signature(sig: str) -> tuple[str, str]:
    """A signature cut into (binders, rest) at its first top-level `:` or `extends`."""
    depth = 0
    for tok in tokenize(sig):
        depth = max(0, depth + _depth_step(tok))
        if depth == 0 and (tok.text == ":" or (tok.kind == "keyword" and tok.text == "extends")):
            return sig[: tok.start], sig[tok.end :]
    return sig, ""


# ------------------------------------------------------------ commands' text
# The file parser (`indexer.lean_source`) cuts commands with these: a bracket, a `:=` or an
# `in` inside a string, a char literal (`'('`) or `f^[n]` is stepped over like the parser does.
# Only Lean's own brackets nest here: notation brackets may stand alone as operators
# (`x⌊d` is `contractRight`, `d⌋x` `contractLeft`), and one left open would swallow the file.
_LAYOUT_OPEN = frozenset("([{⦃⟨⟦")
_LAYOUT_CLOSE = frozenset(")]}⦄⟩⟧")


def _layout_step(tok: Token) -> int:
    if tok.kind == "open":
        return 1 if tok.text[-1] in _LAYOUT_OPEN else 0
    if tok.kind == "close":
        return -1 if tok.text[0] in _LAYOUT_CLOSE else 0
    return 1 if _opens_group(tok) else 0


def _tokens_from(text: str, start: int) -> Iterator[Token]:
    """The tokens of `text` from `start`, with offsets in `text`, read as they are needed."""
    if start == 0:
        yield from iter_tokens(text)
        return
    for t in iter_tokens(text[start:]):
        yield t._replace(start=t.start + start, end=t.end + start)


def matching_brackets(text: str) -> dict[int, int]:
    """Map each opening bracket's offset to its closing bracket's (unbalanced ones are left
    out); the `[` of `@[`, `f^[n]` or `→ₗ[R]` opens one."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for tok in tokenize(text):
        step = _layout_step(tok)
        if step > 0:
            stack.append(tok.end - 1)
        elif step < 0 and stack:
            pairs[stack.pop()] = tok.start
    return pairs


def closing_bracket(text: str, at: int) -> int | None:
    """The offset of the bracket that closes the one opening at `at` (None when unclosed),
    reading no further than it."""
    depth = 0
    for tok in _tokens_from(text, at):
        depth += _layout_step(tok)
        if depth <= 0:
            return tok.start if depth == 0 and tok.kind == "close" else None
    return None


def top_level_tokens(text: str, start: int = 0) -> Iterator[Token]:
    """The tokens from `start` outside every bracket opened after `start` (brackets, and a
    closing one with no opener, are not yielded)."""
    depth = 0
    for tok in _tokens_from(text, start):
        step = _layout_step(tok)
        if depth == 0 and step == 0:
            yield tok
        depth = max(0, depth + step)


def first_top_level(text: str, words: frozenset[str], start: int = 0) -> Token | None:
    """The first token from `start` that is one of `words` and outside every bracket opened
    after `start`."""
    return next((t for t in top_level_tokens(text, start) if t.text in words), None)


# Where a layout bracket character can be something else than a bracket token: inside a
# string, a comment, a `«quoted»` name or a char literal (`'('`). Elsewhere every such
# character is one: the multi-character tokens that hold one (`ℤ[i]`, `f^[n]`, `→+[R]`, `![`,
# `List.{u}`) end on it or balance it, so counting characters gives the tokens' sum.
_NOT_ONLY_BRACKETS = re.compile(r"\"|«|--|/-|'\\?[(\[{⦃⟨⟦)\]}⦄⟩⟧]'")
_OPENERS = tuple(_LAYOUT_OPEN)
_CLOSERS = tuple(_LAYOUT_CLOSE)


def bracket_depth(text: str) -> int:
    """Brackets `text` opens minus those it closes: > 0 when it ends inside one. Counted by
    character where that equals the tokens' count (every command of a file asks, so the
    tokenizer would read each file once more)."""
    if _NOT_ONLY_BRACKETS.search(text) is None:
        return sum(map(text.count, _OPENERS)) - sum(map(text.count, _CLOSERS))
    return sum(_layout_step(tok) for tok in tokenize(text))


def top_level_assign(text: str) -> Token | None:
    """The top-level `:=` that ends a type: not the `:=` of a `haveI`/`letI`/`have`/`let`
    written in the type itself (`letI := inst; P := default`)."""
    bindings = 0
    for tok in top_level_tokens(text):  # read up to the `:=` only
        if tok.kind == "keyword" and tok.text in BINDING_WORDS:
            bindings += 1
        elif tok.text == ":=" and bindings:
            bindings -= 1
        elif tok.text == ":=":
            return tok
    return None


def one_line(text: str) -> str:
    """`text` with its whitespace collapsed. A line break that ends the value of a `haveI`/
    `letI`/`have`/`let` in a type separates like `;` there, so it becomes `; ` (else `letI :=
    i` and the next line `P` would read as the application `i P`)."""
    if not any(word in text for word in ("let", "have")):  # `letI`, `haveI` too
        return " ".join(text.split())
    out: list[str] = []
    last, depth, awaiting, in_value = 0, 0, 0, 0
    prev_end = 0
    for tok in tokenize(text):
        step = _layout_step(tok)
        if depth == 0 and in_value and "\n" in text[prev_end : tok.start]:
            newline = text.index("\n", prev_end)
            in_value -= 1
            out.append(text[last:newline] + ";")
            last = newline
        if depth == 0 and step == 0:
            if tok.text == ":=" and awaiting:
                awaiting, in_value = awaiting - 1, in_value + 1
            elif tok.text == ";":
                in_value = max(in_value - 1, 0)
            elif tok.kind == "keyword" and tok.text in BINDING_WORDS:
                awaiting += 1
        depth = max(0, depth + step)
        prev_end = tok.end
    out.append(text[last:])
    return " ".join("".join(out).split())
