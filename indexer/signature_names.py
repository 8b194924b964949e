"""The global names a declaration's signature mentions, and the names it binds.

Read by the term reader (`indexer.lean_terms`), so what is a name is decided by the grammar:
the `R` of `M →ₗ[R] N` is one and the `L` of `f ∘L g` is not; `Category.{v}` is `Category`;
`ℝ≥0∞` is not `ℝ`; the `X` of `R[X]` and the `.inl` of `(.inl a)` are not constants; `∀ x ∈ s`
binds `x`, not `s`. A signature the reader cannot build a whole tree of (an auto-param
`:= by simp`, `extends` parents) is read by the older scans of `lean_syntax`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from indexer.declaration_parts import binder_names
from indexer.lean_syntax import NOTATION_CONSTANTS, bound_names, candidate_names, normalize_name
from indexer.lean_terms import (
    Binder,
    Ident,
    Node,
    Op,
    Raw,
    Signature,
    parse_signature,
    walk,
)
from indexer.lean_terms.names import _pi_binder, global_names
from indexer.lean_terms.syntax import NOTATION_ATOMS
from indexer.lean_terms.tree import If


@dataclass(frozen=True, slots=True)
class SignatureNames:
    candidates: tuple[tuple[str, str], ...]  # (name, first component) of each global name
    binds: frozenset[str]  # every name a binder of the signature binds
    read: bool  # from a whole tree (else from the scans)


@lru_cache(maxsize=1024)
def signature_names(signature: str) -> SignatureNames:
    """The names `signature` mentions that no binder of it binds where they occur, in order
    (`ℕ` as `Nat`), and the names its binders bind. Cached: a declaration's signature is read
    for its `variable`s and again for its references."""
    tree = parse_signature(signature)
    whole = isinstance(tree, Signature) and tree.span[1] >= len(signature.rstrip())
    parts = _parts(tree) if whole else None  # one walk: `Raw` nodes, bound names, atoms
    if parts is None:  # `extends` parents, a `Raw`: the scans
        binds = frozenset(binder_names(signature) | bound_names(signature))
        scanned = tuple(c for c in candidate_names(signature) if c[1] not in binds)
        return SignatureNames(scanned, binds, read=False)
    binds, atoms = parts
    names = dict.fromkeys(
        normalize_name(NOTATION_CONSTANTS.get(name, name)) for name, _ in global_names(tree)
    )
    for atom in atoms:  # `ℝ≥0∞` is notation for `ENNReal`
        names.setdefault(NOTATION_CONSTANTS[atom], None)
    # A name bound anywhere is taken as bound everywhere, as the scans do: a tree misread at
    # a notation the reader does not know (`f ⁻¹ᵁ U i` in `⨆ i, …`) must not leak `i`.
    candidates = ((n, n.split(".", 1)[0]) for n in names)
    return SignatureNames(tuple(c for c in candidates if c[1] not in binds), binds, read=True)


def _parts(tree: Node) -> tuple[frozenset[str], list[str]] | None:
    """The names the tree's binders bind and the notation atoms it uses that stand for a
    constant; None when it holds a `Raw` node."""
    bound: set[str] = set()
    atoms: list[str] = []
    for node in walk(tree):
        if isinstance(node, Raw):
            return None
        if isinstance(node, Binder):
            bound.update(node.names)
        elif isinstance(node, Ident) and node.name in NOTATION_ATOMS:
            if node.name in NOTATION_CONSTANTS:
                atoms.append(node.name)
        elif isinstance(node, If) and node.hypothesis:
            bound.add(node.hypothesis)
        elif isinstance(node, Op) and node.op == "→" and (pi := _pi_binder(node.args[0])):
            bound.add(pi[0])  # `(n : ℕ) → …`
    return frozenset(bound - {"_"}), atoms
