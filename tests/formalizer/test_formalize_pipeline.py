"""`formalize` end to end: fixture index, scripted OpenAI-compatible server, Lean checker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scripted_server import ScriptedLLMServer

from formalizer import Settings, formalize, open_resources
from formalizer.lean_checker import LeanCheckResult, LeanMessage
from formalizer.openai_backend import OpenAIBackend

TEXT = "The square of a square in a group is a square"


def fenced(code: str) -> str:
    return f"```lean\n{code}\n```"


GOOD_A = fenced(
    "theorem sq (G : Type) [Group G] (a : G) (h : IsSquare a) : IsSquare (a * a) := by sorry"
)
GOOD_B = fenced(
    "theorem other (H : Type) [Group H] (b : H) (hb : IsSquare b) :\n  IsSquare (b * b)"
)
TYPO = fenced(
    "theorem sq (G : Type) [Group G] (a : G) (h : IsSqare a) : IsSqare (a * a) := by sorry"
)
DIFFERENT = fenced("theorem d (G : Type) [Group G] (a : G) : IsSquare (a * a * a) := by sorry")


class PatternChecker:
    """A Lean checker that rejects statements containing `reject` (the real backends are tested
    against transcripts in test_lean_checkers.py; this one tests the pipeline's use of them)."""

    identity = "pattern-checker"

    def __init__(self, reject: str) -> None:
        self.reject = reject
        self.seen: list[str] = []

    def check(self, code: str, header: str = "") -> LeanCheckResult:
        self.seen.append(code)
        if self.reject in code:
            msg = LeanMessage(
                severity="error", text=f"type mismatch near {self.reject}", line=1, column=5
            )
            return LeanCheckResult(ok=False, messages=[msg], backend=self.identity)
        return LeanCheckResult(ok=True, backend=self.identity)

    def close(self) -> None:
        pass


@pytest.fixture()
def resources_for(retrieval_index: Path, tmp_path: Path):
    examples = tmp_path / "ex.jsonl"
    examples.write_text(
        json.dumps({"id": "item-1", "informal": TEXT, "formal": "theorem leak : True := sorry"})
        + "\n"
        + json.dumps(
            {
                "id": "ex-2",
                "informal": "A square times a square is a square in a group",
                "formal": "theorem ex2 : True := sorry",
            }
        )
        + "\n"
    )

    def make(server: ScriptedLLMServer, checker=None):
        llm = OpenAIBackend(base_url=server.url, model="m", backoff=0.01)
        return open_resources(retrieval_index, llm, checker, [examples])

    return make


def test_votes_checks_and_context(resources_for) -> None:
    with ScriptedLLMServer([{"answers": [GOOD_A, GOOD_B, TYPO, "I don't know."]}]) as srv:
        res = resources_for(srv)
        r = formalize(TEXT, index=res, n=4, item_id="item-1")
    assert r.ok and r.error is None
    assert r.statement.startswith("theorem item_1 ") or r.statement.startswith("theorem sq ")
    chosen = next(c for c in r.candidates if c.selected)
    assert chosen.votes == 2 and chosen.group == 0
    assert r.lean == "skipped: no Lean checker configured"
    assert len(r.candidates) == 4 and r.candidates[3].statement is None
    typo = r.candidates[2]
    assert not typo.lean_free_ok and typo.identifiers[-1].suggestions[0] == "IsSquare"
    assert "IsSquare" in [d.name for d in r.context.definitions]
    assert [e.id for e in r.context.examples] == ["ex-2"]  # the item itself is never shown
    assert "IsSquare" in srv.requests[0]["messages"][1]["content"]
    for stage in ("retrieve_definitions", "generate", "extract_and_check", "select", "total"):
        assert stage in r.timings
    assert "2 of 3 usable candidates agree" in r.reasons[0]
    json.loads(r.model_dump_json())  # serialisable
    assert r.lean_file.startswith("import Mathlib")


def test_lean_free_problems_are_repaired(resources_for) -> None:
    script = [{"answers": [TYPO, TYPO]}, {"answers": [GOOD_A]}]
    with ScriptedLLMServer(script) as srv:
        r = formalize(TEXT, index=resources_for(srv), n=2)
    assert r.ok
    chosen = next(c for c in r.candidates if c.selected)
    assert chosen.round == 1 and chosen.repairs == 0
    repair_prompt = srv.requests[1]["messages"][-1]["content"]
    assert "`IsSqare`: unknown identifier; did you mean `IsSquare`" in repair_prompt
    assert len(srv.requests) == 2  # one distinct failure, repaired once, then stop


def test_an_argument_of_the_wrong_kind_is_repaired_without_lean(resources_for) -> None:
    # `Set.Icc` counted by `Finset.card`: every name exists, the types do not fit
    wrong = fenced("theorem c (n : Nat) : Finset.card (Set.Icc 1 n) = n := by sorry")
    right = fenced("theorem c (n : Nat) : Finset.card (Finset.range n) = n := by sorry")
    with ScriptedLLMServer([{"answers": [wrong]}, {"answers": [right]}]) as srv:
        r = formalize("The first n naturals are n in number", index=resources_for(srv), n=1)
    assert r.ok and "Finset.range" in r.statement
    first = r.candidates[0]
    assert not first.lean_free_ok
    repair_prompt = srv.requests[1]["messages"][-1]["content"]
    assert "`Finset.card` takes a `Finset`" in repair_prompt and "`Set`" in repair_prompt


def test_type_check_filtering_and_repair_from_lean_errors(resources_for) -> None:
    checker = PatternChecker(reject="(a * a)")
    script = [{"answers": [GOOD_A, GOOD_A, DIFFERENT]}]
    with ScriptedLLMServer(script) as srv:
        r = formalize(TEXT, index=resources_for(srv, checker), n=3)
    assert r.ok and r.lean == "pattern-checker"
    chosen = next(c for c in r.candidates if c.selected)
    assert chosen.answer == 2  # the minority that type-checks beats the failing majority
    assert "it type-checks in Lean" in r.reasons
    assert len(checker.seen) == 2  # identical statements are checked once

    checker = PatternChecker(reject="(a * a)")
    fixed = "```lean\ntheorem sq (G : Type) [Group G] (a : G) : IsSquare a := by sorry\n```"
    with ScriptedLLMServer([{"answers": [GOOD_A]}, {"answers": [fixed]}]) as srv:
        r = formalize(TEXT, index=resources_for(srv, checker), n=1)
    assert r.ok and next(c for c in r.candidates if c.selected).round == 1
    assert "Lean reported these errors" in srv.requests[1]["messages"][-1]["content"]
    assert "1:5: type mismatch" in srv.requests[1]["messages"][-1]["content"]


def test_unrepairable_is_reported_not_raised(resources_for) -> None:
    settings = Settings(n=1, repair_rounds=2, repair_width=1)
    with ScriptedLLMServer(default=lambda body: {"answers": [TYPO]}) as srv:
        r = formalize(TEXT, index=resources_for(srv), settings=settings)
    assert not r.ok and r.statement is not None
    assert "no candidate passed the Lean-free checks; best effort" in r.reasons
    assert len(srv.requests) == 3  # first try and two repair rounds


def test_model_failure_is_an_error_field(resources_for) -> None:
    with ScriptedLLMServer([{"status": 401, "body": {"error": {"message": "bad key"}}}]) as srv:
        r = formalize(TEXT, index=resources_for(srv), n=2)
    assert r.statement is None and "HTTP 401 bad key" in r.error


def test_empty_text_is_refused(resources_for) -> None:
    with ScriptedLLMServer([]) as srv, pytest.raises(ValueError, match="empty"):
        formalize("  ", index=resources_for(srv))


def test_answers_without_a_statement_are_asked_again(resources_for) -> None:
    with ScriptedLLMServer(
        [{"answers": ["Sure! A group is...", "no idea"]}, {"answers": [GOOD_A]}]
    ) as srv:
        r = formalize(TEXT, index=resources_for(srv), n=2)
    assert r.ok and next(c for c in r.candidates if c.selected).round == 1
    assert "holds no `theorem" in srv.requests[1]["messages"][-1]["content"]
