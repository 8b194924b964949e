"""Cutting a signature's text at its top-level tokens (outside every bracket), with the
lexer's tokens so that `(h : a ∈ s)`, `{x : α // p x}` and strings are stepped over."""

from __future__ import annotations

from indexer.lean_terms.lexer import tokenize


def top_level(text: str, symbol: str) -> list[int]:
    """Offsets of `symbol` tokens in `text` outside every bracket."""
    depth, out = 0, []
    for tok in tokenize(text):
        if tok.kind == "open":
            depth += 1
        elif tok.kind == "close":
            depth = max(0, depth - 1)
        elif depth == 0 and tok.text == symbol:
            out.append(tok.start)
    return out


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
