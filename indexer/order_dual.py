"""The statement of an `@[to_dual]` declaration: its source's, read in the dual order.

Mathlib's `to_dual` maps each constant to its order dual through the same name dictionary as
its declaration names (`SemilatticeSup` -> `SemilatticeInf`), but the order's own notation turns
too: `≤` and `<` are their own duals with the operands swapped (`attribute [to_dual self
(reorder := 3 4)] LE.le LT.lt GE.ge GT.gt`), `⊔`/`⊓`, `⨆`/`⨅` and `⊤`/`⊥` trade places, and
`a ⇨ b` becomes `b \\ a` (`attribute [to_dual existing (reorder := 3 4) sdiff] HImp.himp`). So
`le_sup_left : a ≤ a ⊔ b` generates `inf_le_left : a ⊓ b ≤ a`. Without this, the 2,920
declarations `to_dual` generates in Mathlib were indexed, embedded and shown with their
source's statement (`inf_le_left : a ≤ a ⊔ b`).
"""

from __future__ import annotations

from dataclasses import replace

from indexer.lean_terms import Ident, Node, Op, Quant, Raw, parse_signature
from indexer.lean_terms.printer import to_lean
from indexer.lean_terms.tree import transform, walk

# infix notation whose dual is itself (or its partner) with the operands swapped
_SWAPPED = {"≤": "≤", "<": "<", "≥": "≥", ">": ">", "⋖": "⋖", "⩿": "⩿", "⇨": "\\", "\\": "⇨"}
_PARTNER = {"⊔": "⊓", "⊓": "⊔"}  # infix, operands kept
_BIG = {"⨆": "⨅", "⨅": "⨆"}
_ATOMS = {"⊤": "⊥", "⊥": "⊤"}


def dual_signature(signature: str) -> str | None:
    """`signature` in the dual order (names are left to the translation dictionary), or None
    when part of it cannot be read as a term (the caller then keeps the source's, with a note)."""
    tree = parse_signature(signature)
    if any(isinstance(n, Raw) for n in walk(tree)):
        return None

    def dual(n: Node) -> Node:
        if isinstance(n, Op) and n.fixity == "infix" and len(n.args) == 2:
            if n.op in _SWAPPED:
                return replace(n, op=_SWAPPED[n.op], args=(n.args[1], n.args[0]))
            if n.op in _PARTNER:
                return replace(n, op=_PARTNER[n.op])
        if isinstance(n, Quant) and n.head in _BIG:
            return replace(n, head=_BIG[n.head])
        if isinstance(n, Ident) and n.name in _ATOMS:
            return replace(n, name=_ATOMS[n.name])
        return n

    return to_lean(transform(tree, dual))
