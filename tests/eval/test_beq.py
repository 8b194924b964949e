import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "formalizer"))
from lean_replay import ReplayLeanServer, load

from eval.beq import (
    PROOFS,
    WHITELIST,
    BEqJudge,
    check_whitelist,
    extract_proof,
    proof_problems,
    tactic_names,
)
from formalizer.lean_checker import LeanCheckResult
from formalizer.lean_interact_checker import LeanInteractChecker

P = "theorem a (x : ℝ) (h : 0 < x) : 0 < x ^ 2 := by sorry"
Q = "theorem b (y : ℝ) (hy : y > 0) : y ^ 2 > 0 := sorry"
N = "theorem c (y : ℝ) (hy : y > 0) : y ^ 3 > 1 := sorry"
W = "theorem w (y : ℝ) (hy : 0 < y) : 0 ≤ y ^ 2 := sorry"


def test_the_whitelist_is_the_papers() -> None:
    papers = {"apply", "cases'", "constructor", "exact", "exact?", "ext", "have", "intro"}
    assert set(WHITELIST) == papers | {"intros", "rw", "use"}
    assert all(proof_problems(p) == [] for p in PROOFS)
    with pytest.raises(ValueError, match="outside the whitelist"):
        BEqJudge(checker=None, proofs=("omega",))  # type: ignore[arg-type]


def test_tactics_are_read_from_the_parsed_proof() -> None:
    assert tactic_names("intros; apply thm_P <;> exact ‹_›") == ["intros", "apply", "exact"]
    # a forbidden word inside a term is not a tactic; a forbidden step is
    assert check_whitelist("exact thm_P.linarith_lemma") == []
    assert check_whitelist("exact ⟨fun x => thm_P x, h.1⟩") == []
    assert check_whitelist("· norm_num") == ["norm_num"]
    assert check_whitelist("-- simp would do\nexact thm_P") == []
    # tactics nested in terms or in a `by` block are steps too
    assert check_whitelist("exact (by nlinarith)") == ["nlinarith"]
    assert tactic_names("have h : 0 < y := by\n  intro x\n  nlinarith [thm_P]\nexact h") == [
        "have", "intro", "nlinarith", "exact",
    ]  # fmt: skip
    # a deeper line continues the step before it, but its `by` opens a block
    assert tactic_names("exact foo\n  bar (by simp)") == ["exact", "simp"]
    # a nested comment hides everything up to its own end (a regular expression stopped early)
    assert tactic_names("/- a /- b -/ rw [x] -/\nexact thm_P") == ["exact"]
    # combinators are structure; what they run is checked
    assert check_whitelist("first | exact thm_P | (intros; simp_all [thm_P])") == ["simp_all"]
    assert check_whitelist("try simp") == ["simp"]
    assert check_whitelist("constructor <;> intro h <;> exact thm_P h") == []


def test_proofs_must_use_thm_P_and_avoid_banned_words() -> None:
    assert proof_problems("exact sq_nonneg y") == ["does not use thm_P"]
    assert proof_problems("exact?") == []  # its suggestion must name thm_P: checked after Lean
    assert proof_problems("have h := thm_P y hy\nexact h") == []
    assert "`sorry` is banned" in proof_problems("exact thm_P (sorry)")
    assert "`by_contra` is banned" in proof_problems("exact thm_P\nby_contra h")


def test_model_answers_are_unwrapped() -> None:
    assert extract_proof("Here:\n```lean\nby\n  exact thm_P x\n```\nDone.") == "exact thm_P x"
    assert extract_proof("  have h := thm_P\n  exact h  ") == "have h := thm_P\nexact h"
    echoed = "```lean\ntheorem thm_Q (y : ℝ) (hy : y > 0) :\n    y ^ 2 > 0 := by\n"
    echoed += "  exact thm_P y hy\n```"
    assert extract_proof(echoed) == "exact thm_P y hy"


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
    assert v.equivalent is False and v.score == 0.0
    assert "could not unify the conclusion" in v.evidence[0]
    assert not server.transcript  # every recorded request was sent, in order


class Prover:
    identity = "scripted prover"

    def __init__(self) -> None:
        self.asked: list[list[dict]] = []
        self.answers = [
            [
                "```lean\nnlinarith [thm_P y hy]\n```",  # not whitelisted: never sent
                "exact sq_nonneg y",  # does not use thm_P: never sent
                "```lean\nhave h := thm_P y hy\nexact le_of_lt h\n```",
            ],
            ["```lean\nexact lt_of_le_of_ne (thm_P x h) (by positivity)\n```"],
        ]

    def complete(self, messages, *, n=1, temperature=0.7, max_tokens=1024) -> list[str]:
        self.asked.append(messages)
        return self.answers.pop(0)


def test_exact_search_must_use_thm_P_and_model_proofs_are_screened() -> None:
    server = ReplayLeanServer(load("beq_prover_session.jsonl"))
    prover = Prover()
    judge = BEqJudge(LeanInteractChecker(server=server, timeout=120), llm=prover)
    v = judge.judge(P, W, "import Mathlib")
    # P => W: `exact?` proves W by `sq_nonneg y` alone, which does not count; the model's third
    # proof does. W => P: `exact?` proves P by `pow_pos h 2` alone; the model's proof hides
    # `positivity` in a term and is refused before Lean.
    assert v.equivalent is False and v.score == 0.5
    assert v.evidence[0] == (
        "reference => candidate: proved by `have h := thm_P y hy\nexact le_of_lt h` "
        "(model proof 3/3)"
    )
    assert "exact?: proved without thm_P" in v.evidence[1]
    assert not server.transcript
    prompt = prover.asked[0][-1]["content"]
    assert "theorem thm_P (x : ℝ) (h : 0 < x)" in prompt and prompt.rstrip("`\n").endswith(":= by")
    assert "cases', constructor, exact" in prover.asked[0][1]["content"]


class Failing:
    """Every check fails the same way: by a time-out, or by a crash whose text says 'timed out'."""

    identity = "failing"

    def __init__(self, timed_out: bool) -> None:
        self.timed_out = timed_out

    def check(self, code: str, header: str = "") -> LeanCheckResult:
        return LeanCheckResult(
            ok=False, error="REPL crashed: socket timed out", timed_out=self.timed_out
        )

    def close(self) -> None:
        pass


def test_time_outs_leave_the_verdict_open() -> None:
    v = BEqJudge(Failing(timed_out=True)).judge(P, Q)
    assert v.equivalent is None and "timed out on every attempt" in v.evidence[0]
    # Only the checker's flag counts, not the words of the error.
    v = BEqJudge(Failing(timed_out=False)).judge(P, Q)
    assert v.equivalent is False and "no proof" in v.evidence[0]
