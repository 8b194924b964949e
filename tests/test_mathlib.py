"""Checks against a real Mathlib checkout; they skip, saying why, when none is configured.

Set AUTOFORMALIZER_MATHLIB to a mathlib4 checkout to run them.
"""

import pytest
from conftest import mathlib_path

from indexer.lean_source import parse_file

MATHLIB = mathlib_path()
pytestmark = pytest.mark.skipif(
    MATHLIB is None, reason="no Mathlib checkout: set AUTOFORMALIZER_MATHLIB to run these"
)


def test_group_defs() -> None:
    assert MATHLIB is not None
    rel = "Mathlib/Algebra/Group/Defs.lean"
    result = parse_file((MATHLIB / rel).read_text(), rel, "Mathlib")
    names = {d.name for d in result.declarations}
    assert {
        "Semigroup",
        "Semigroup.mul_assoc",
        "mul_assoc",
        "Monoid",
        "Group",
        "mul_comm",
        "isLeftCancelMul_iff",
    } <= names
    assert len(result.translations) > 50
    assert result.warnings == []


def test_every_file_parses_without_error_warnings() -> None:
    assert MATHLIB is not None
    bad = []
    for f in sorted((MATHLIB / "Mathlib" / "Algebra" / "Group").rglob("*.lean")):
        result = parse_file(f.read_text(), str(f.relative_to(MATHLIB)), "Mathlib")
        bad += [w for w in result.warnings if "could not parse" in w.message]
    assert bad == []
