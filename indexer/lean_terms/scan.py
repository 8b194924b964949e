"""Names in text the parser could not read, from the lexer's tokens.

About 1% of Mathlib's signatures hold a notation the reader does not know (`f ::: g`,
`∫ F` as a category), and a header may hold anything. Their names are still needed: which
constants a declaration uses, which names it binds. This reads the same tokens the parser
reads, without a tree: a name is an identifier token that is not a field (`(f z).re`), a
universe, the `X` of `R[X]`, a named argument (`(x := …)`), a quoted name (`` `x ``) or
inside a `by` block; a name is bound by a binder head (`∀ x y,`, `fun (a : α) =>`,
`∑ i ∈ s,`), by a set-builder (`{x | p x}`, `{x : α // p x}`), by a pi or sigma binder
(`(n : ℕ) → Fin n`) and by the binder groups of a signature or a binder head.
"""

from __future__ import annotations

from indexer.lean_syntax import BINDING_WORDS, NOTATION_CONSTANTS
from indexer.lean_terms.lexer import Token
from indexer.lean_terms.names import _UNIVERSES
from indexer.lean_terms.split import (
    _closing,
    _depth_step,
    _group,
    binder_groups,
    top_level_tokens,
)
from indexer.lean_terms.syntax import BINDER_HEADS, BINDER_PREDICATES, NOTATION_ATOMS

_BINDER_END = frozenset({",", "=>", "↦", ":="})  # where a binder head's names stop
_HEAD_END = frozenset({":", *BINDER_PREDICATES, "=", "∣", "|", "//"})
_SET_BARS = frozenset({"|", "//"})
# Notation written like a name that stands for no constant (`λ_ X`, the left unitor).
_NOT_NAMES = frozenset({"_", *(a for a in NOTATION_ATOMS if a not in NOTATION_CONSTANTS)})
_FIELD_AFTER = frozenset({"(", "{", ",", "with"})
_PI_ARROWS = frozenset({"→", "×", "×'"})
_MAX_BINDER_TOKENS = 120  # a binder head that runs on this long is not one
# A symbol that starts like a binding head is one: `∫ᵛ x, f x ∂μ`, `⨆ᵢ`, `∑ᶠ`.
_HEAD_STARTS = frozenset(h[0] for h in BINDER_HEADS if not h[0].isalpha())


def scanned_bound(text: str, toks: list[Token], signature: bool = False) -> set[str]:
    """The names `toks` (the tokens of `text`) bind. `signature`: `text` is a signature, so
    its binder groups before the top-level `:` bind their names (`{α : Type*} (x : α) n`)."""
    bound: set[str] = set()
    if signature:
        colon = next((t.start for t in top_level_tokens(text) if t.text == ":"), len(text))
        bound.update(n for g in binder_groups(text[:colon]) for n in g.names)
    for i, tok in enumerate(toks):
        if _binds(tok):
            bound.update(_head_names(text, toks, i + 1))
        elif tok.kind == "open" and tok.text == "{":
            bound.update(_set_builder_names(text, toks, i))
        elif tok.kind == "open" and tok.text == "(":
            close = _closing(toks, i)  # `(n : ℕ) → Fin n`, `(n : ℕ) × X n`
            after = toks[close + 1] if close is not None and close + 1 < len(toks) else None
            if after is not None and after.text in _PI_ARROWS:
                bound.update(_group_names(text, toks, i, close))
    return bound - {"_"}


def scanned_globals(toks: list[Token], bound: set[str] | frozenset[str]) -> list[tuple[str, int]]:
    """(name, offset) of each identifier token that names a global: not bound (nor field
    notation on a bound name), and none of the non-names the module docstring lists."""
    out: list[tuple[str, int]] = []
    by_depths: list[int] = []  # bracket depths at which a `by` block is open
    depth = 0
    for k, tok in enumerate(toks):
        depth += _depth_step(tok)
        if tok.kind == "close":
            while by_depths and by_depths[-1] > depth:
                by_depths.pop()
        if tok.text == "by" and tok.kind == "keyword":
            by_depths.append(depth)
        if tok.kind != "ident" or by_depths or tok.text in _NOT_NAMES:
            continue
        before = toks[k - 1].text if k else ""
        after = toks[k + 1].text if k + 1 < len(toks) else ""
        tight = not tok.space_before
        if (before == "." and tight) or before in ("Type", "Sort"):
            continue  # a field of an expression (`(f z).re`, `x.1.le`); a universe
        if tok.text == "X" and before in ("[", "⟦") and tight:
            continue  # `R[X]`: notation for `Polynomial R`, not the polynomial `X`
        if after == ":=" and before in _FIELD_AFTER:
            continue  # a named argument or structure field: `(n := 5)`, `{ x := 1, y := 2 }`
        if before == "`" and tight and (k < 2 or toks[k - 2].text != "`"):
            continue  # a quoted name (`` `tactic ``); a double-quoted one must exist: kept
        if tok.text.split(".", 1)[0] in bound:
            continue
        out.append((_UNIVERSES.sub("", tok.text), tok.start))  # `Category.{v}` is `Category`
    return out


def _binds(tok: Token) -> bool:
    if tok.kind == "keyword":
        return tok.text in BINDING_WORDS or tok.text in BINDER_HEADS  # `fun`, `let`
    return tok.text in BINDER_HEADS or (tok.kind == "sym" and tok.text[0] in _HEAD_STARTS)


def _group_names(text: str, toks: list[Token], i: int, close: int | None = None) -> list[str]:
    """The names of the bracket group opened at `toks[i]` (closed at `toks[close]`, found
    when not given) read as a binder group."""
    close = _closing(toks, i) if close is None else close
    if close is None:
        return []
    return _group(text, toks[i].text, toks[i + 1 : close], toks[close].start)[1]


def _head_names(text: str, toks: list[Token], i: int) -> list[str]:
    """Names after a binder head, from `toks[i]` to its `,` / `=>` / `:=` (at its depth):
    bare names before any `:` or predicate, and the names of its bracket groups."""
    names: list[str] = []
    depth, in_head = 0, True
    for j in range(i, min(len(toks), i + _MAX_BINDER_TOKENS)):
        tok = toks[j]
        if depth == 0:
            if tok.text in _BINDER_END:
                return names
            if tok.kind == "close":
                return []  # `(X Y : ∫ F)`: the group ends first, so `∫` binds nothing here
            if in_head and tok.kind == "open" and tok.text in "({[⦃⟨":
                names.extend(_group_names(text, toks, j))
            elif tok.text in _HEAD_END:
                in_head = False
            elif in_head and tok.kind == "ident" and "." not in tok.text:
                names.append(tok.text)
        depth = max(0, depth + _depth_step(tok))
    return []  # no end in sight: not a binder this scan can read


def _set_builder_names(text: str, toks: list[Token], i: int) -> list[str]:
    """`{x | p x}`, `{x : α // p x}`, `{(a, b) | …}`: the names before the bar."""
    close = _closing(toks, i)
    if close is None:
        return []
    depth = 0
    for j in range(i + 1, close):
        tok = toks[j]
        if depth == 0 and tok.text in _SET_BARS:
            return _head_names(text, [*toks[i + 1 : j], _END], 0)
        depth = max(0, depth + _depth_step(tok))
    return []


_END = Token("sym", ",", 0, 0, True)
