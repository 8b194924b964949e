"""The knowledge base's operators: what the fixture's notation commands declare."""

from pathlib import Path

from indexer.lean_terms import Op, parse_term
from knowledge_base import KnowledgeBase


def test_operators_come_from_global_notation(fixture_index: Path) -> None:
    ops = KnowledgeBase.open(fixture_index).operators()
    assert ops.infix["∘q"] == (80, "r")
    assert ops.infix["↪q"] == (25, "r")
    assert ops.prefix["⋄q"] == 1024
    # scoped notation is in force only where opened: not among the global operators
    assert "•" not in ops.infix


def test_the_reader_reads_with_them(fixture_index: Path) -> None:
    kb = KnowledgeBase.open(fixture_index)
    tree = parse_term("f ∘q g + h", notation=kb.notation_tokens(), operators=kb.operators())
    assert isinstance(tree, Op) and tree.op == "+"
