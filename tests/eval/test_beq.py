import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "formalizer"))
from lean_replay import ReplayLeanServer, load

from eval.beq import PROOFS, BEqJudge, check_whitelist, tactic_names
from formalizer.lean_checker import LeanCheckResult
from formalizer.lean_interact_checker import LeanInteractChecker

P = "theorem a (x : ℝ) (h : 0 < x) : 0 < x ^ 2 := by sorry"
Q = "theorem b (y : ℝ) (hy : y > 0) : y ^ 2 > 0 := sorry"
N = "theorem c (y : ℝ) (hy : y > 0) : y ^ 3 > 1 := sorry"


def test_whitelist_is_checked_on_parsed_tactics() -> None:
    assert tactic_names("intros; apply thm_P <;> assumption") == ["intros", "apply", "assumption"]
    assert check_whitelist("first | exact thm_P | (intros; simp_all [thm_P])") == []
    assert check_whitelist("intros\n  nlinarith [thm_P]") == ["nlinarith"]
    # a forbidden word inside a term argument is not a tactic; a forbidden step is
    assert check_whitelist("exact thm_P.linarith_lemma") == []
    assert check_whitelist("· norm_num") == ["norm_num"]
    assert all(check_whitelist(p) == [] for p in PROOFS)
    with pytest.raises(ValueError, match="outside the whitelist"):
        BEqJudge(checker=None, proofs=("omega",))  # type: ignore[arg-type]


def test_beq_session_against_the_transcript() -> None:
    server = ReplayLeanServer(load("beq_session.jsonl"))
    judge = BEqJudge(LeanInteractChecker(server=server, timeout=120))
    v = judge.judge(P, Q, "import Mathlib")
    assert v.equivalent is True and v.score == 1.0
    assert v.evidence == [
        "reference => candidate: proved by `exact?`",
        f"candidate => reference: proved by `{PROOFS[0]}`",
    ]
    v = judge.judge(P, N, "import Mathlib")
    assert v.equivalent is False
    assert "unsolved goals" in v.evidence[0]
    assert not server.transcript  # every recorded request was sent, in order


class TimingOut:
    identity = "slow"

    def check(self, code: str, header: str = "") -> LeanCheckResult:
        return LeanCheckResult(ok=False, error="Lean did not answer within 120 s")

    def close(self) -> None:
        pass


def test_time_outs_leave_the_verdict_open() -> None:
    v = BEqJudge(TimingOut()).judge(P, Q)
    assert v.equivalent is None and "timed out" in v.evidence[0]
