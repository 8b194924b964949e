"""The global names a declaration's signature mentions, and the names it binds.

Read by the term reader (`indexer.lean_terms`), so what is a name is decided by the grammar:
the `R` of `M →ₗ[R] N` is one and the `L` of `f ∘L g` is not; `Category.{v}` is `Category`;
`ℝ≥0∞` is not `ℝ`; the `X` of `R[X]` and the `.inl` of `(.inl a)` are not constants; `∀ x ∈ s`
binds `x`, not `s`. `extends` parents are read as terms after the binders bind; a signature
(or a `match`/`show` inside one) the reader cannot build a tree of is read from the same
lexer's tokens (`lean_terms.scan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from indexer.lean_syntax import NOTATION_CONSTANTS, normalize_name
from indexer.lean_terms import (
    Binder,
    Ident,
    Node,
    Op,
    Raw,
    parse_signature,
    parse_term,
    tokenize,
    walk,
)
from indexer.lean_terms.names import _pi_binder, global_names
from indexer.lean_terms.scan import scanned_bound, scanned_globals
from indexer.lean_terms.split import split_top
from indexer.lean_terms.syntax import NO_OPERATORS, NOTATION_ATOMS, Operators
from indexer.lean_terms.tree import If


@dataclass(frozen=True, slots=True)
class SignatureNames:
    candidates: tuple[tuple[str, str], ...]  # (name, first component) of each global name
    binds: frozenset[str]  # every name a binder of the signature binds
    read: bool  # every part read as a tree (else some from tokens)


@lru_cache(maxsize=1024)
def signature_names(signature: str, operators: Operators = NO_OPERATORS) -> SignatureNames:
    """The names `signature` mentions that no binder of it binds where they occur, in order
    (`ℕ` as `Nat`), and the names its binders bind. Cached: a declaration's signature is read
    for its `variable`s and again for its references. `operators`: those the sources declare
    (`f ∘L g` is one term)."""
    tree = parse_signature(signature, operators=operators)
    if isinstance(tree, Raw):
        toks = tokenize(signature, notation=operators.tokens)
        binds = frozenset(scanned_bound(signature, toks, signature=True))
        return _result([n for n, _ in scanned_globals(toks, binds)], binds, read=False)
    bound, names, unread, tactic_end = _parts(tree)  # one walk: binds, atoms, `Raw`s
    names += [n for n, _ in global_names(tree)]
    for raw in unread:  # `match`, `show`: tokens (tactic blocks name nothing)
        toks = tokenize(raw.text, notation=operators.tokens)
        bound |= scanned_bound(raw.text, toks)
        names += [n for n, _ in scanned_globals(toks, bound)]
    rest = signature[tree.span[1] :]
    if tactic_end == tree.span[1] and not rest.lstrip().startswith("extends"):
        rest = ""  # `: by let i := …; exact T`: the tactic block runs on
    if rest.strip():
        names += _trailing_names(rest, frozenset(bound), operators)
    # A name bound anywhere is taken as bound everywhere: a tree misread at a notation the
    # reader does not know (`f ⁻¹ᵁ U i` in `⨆ i, …`) must not leak `i`.
    return _result(names, frozenset(bound - {"_"}), read=not unread and not rest.strip())


def _result(names: list[str], binds: frozenset[str], read: bool) -> SignatureNames:
    ordered = dict.fromkeys(normalize_name(NOTATION_CONSTANTS.get(n, n)) for n in names)
    candidates = ((n, n.split(".", 1)[0]) for n in ordered)
    return SignatureNames(tuple(c for c in candidates if c[1] not in binds), binds, read)


def _parts(tree: Node) -> tuple[set[str], list[str], list[Raw], int]:
    """The names the tree's binders bind, the notation atoms it uses that stand for a
    constant (`ℝ≥0∞` is `ENNReal`), its `Raw` nodes other than tactic blocks, and where its
    last tactic block ends."""
    bound: set[str] = set()
    atoms: list[str] = []
    unread: list[Raw] = []
    tactic_end = -1
    for node in walk(tree):
        if isinstance(node, Raw) and node.text.startswith("by"):
            tactic_end = max(tactic_end, node.span[1])
        elif isinstance(node, Raw):
            unread.append(node)
        elif isinstance(node, Binder):
            bound.update(node.names)
        elif isinstance(node, Ident) and node.name in NOTATION_ATOMS:
            if node.name in NOTATION_CONSTANTS:
                atoms.append(node.name)
        elif isinstance(node, If) and node.hypothesis:
            bound.add(node.hypothesis)
        elif isinstance(node, Op) and node.op == "→" and (pi := _pi_binder(node.args[0])):
            bound.add(pi[0])  # `(n : ℕ) → …`
    return bound, atoms, unread, tactic_end


def _trailing_names(rest: str, bound: frozenset[str], operators: Operators) -> list[str]:
    """Names after the signature's type: the parents of `extends A, B α`, each read as a
    term where the binders bind."""
    text = rest.strip()
    if text.startswith("extends"):
        text = text[len("extends") :]
    names: list[str] = []
    for part in split_top(text):
        tree = parse_term(part, operators=operators)
        if isinstance(tree, Raw):
            toks = tokenize(part, notation=operators.tokens)
            names += [n for n, _ in scanned_globals(toks, bound)]
        else:
            names += [n for n, _ in global_names(tree, bound)]
    return names
