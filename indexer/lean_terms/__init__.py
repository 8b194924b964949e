"""One reader of Lean terms: tokens -> an immutable tree -> Lean text again.

    from indexer.lean_terms import parse_term, parse_signature
    tree = parse_term("∀ x ∈ s, f x ≤ 1")
    sig = parse_signature("{G : Type*} [Group G] (a : G) : a * a⁻¹ = 1")

Every node keeps the span of source text it was read from, so a rewrite can replace exactly
the part it changes and leave the rest of the text as it was written. What the parser cannot
read becomes a `Raw` node instead of an exception.
"""

from indexer.lean_terms.lexer import Token, tokenize
from indexer.lean_terms.parser import parse_signature, parse_term
from indexer.lean_terms.tree import (
    Anon,
    App,
    Binder,
    Bracket,
    Ident,
    Node,
    Num,
    Op,
    Paren,
    Proj,
    Quant,
    Raw,
    SetBuilder,
    Signature,
    Typed,
    walk,
)

__all__ = [
    "Anon",
    "App",
    "Binder",
    "Bracket",
    "Ident",
    "Node",
    "Num",
    "Op",
    "Paren",
    "Proj",
    "Quant",
    "Raw",
    "SetBuilder",
    "Signature",
    "Token",
    "Typed",
    "parse_signature",
    "parse_term",
    "tokenize",
    "walk",
]
