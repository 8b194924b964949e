"""Real Lean, when configured: AUTOFORMALIZER_LEAN_PROJECT (a Lean project with Mathlib built,
checked through lean-interact) or AUTOFORMALIZER_KIMINA_URL (a Kimina Lean server). Otherwise
skipped with the reason printed (`pytest -ra` shows it)."""

from __future__ import annotations

import os

import pytest

from formalizer.lean_checker import LeanChecker

HEADER = "import Mathlib\nopen Real Nat"
GOOD = "theorem t (x : ℝ) (hx : 0 ≤ x) : Real.sqrt (x ^ 2) = x := by sorry"
BAD = "theorem u (p : ℕ) (hp : Nat.Primee p) : 2 ≤ p := by sorry"


def checkers() -> list[tuple[str, object]]:
    out = []
    if os.environ.get("AUTOFORMALIZER_LEAN_PROJECT"):
        out.append(("lean-interact", os.environ["AUTOFORMALIZER_LEAN_PROJECT"]))
    if os.environ.get("AUTOFORMALIZER_KIMINA_URL"):
        out.append(("kimina", os.environ["AUTOFORMALIZER_KIMINA_URL"]))
    return out or [("none", None)]


@pytest.mark.parametrize("kind, where", checkers())
def test_real_lean_agrees_with_the_transcripts(kind: str, where: str | None) -> None:
    if kind == "none":
        pytest.skip(
            "no Lean configured: set AUTOFORMALIZER_LEAN_PROJECT=/path/to/project-with-Mathlib "
            "or AUTOFORMALIZER_KIMINA_URL=http://host:port to run Lean integration tests"
        )
    checker: LeanChecker
    if kind == "kimina":
        from formalizer.kimina_checker import KiminaChecker

        checker = KiminaChecker(where)
    else:
        pytest.importorskip("lean_interact")
        from formalizer.lean_interact_checker import LeanInteractChecker

        checker = LeanInteractChecker(where)
    try:
        assert checker.check(GOOD, HEADER).ok
        bad = checker.check(BAD, HEADER)
        assert not bad.ok and "Nat.Primee" in bad.error_text()
        # BEq on the statements of its transcripts (tests/eval/test_beq.py)
        from eval.beq import BEqJudge

        p = "theorem a (x : ℝ) (h : 0 < x) : 0 < x ^ 2 := by sorry"
        beq = BEqJudge(checker)
        same = "theorem b (y : ℝ) (hy : y > 0) : y ^ 2 > 0 := sorry"
        assert beq.judge(p, same, HEADER).equivalent
        wrong = "theorem c (y : ℝ) (hy : y > 0) : y ^ 3 > 1 := sorry"
        assert beq.judge(p, wrong, HEADER).equivalent is False
    finally:
        checker.close()
