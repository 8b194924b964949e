from pathlib import Path

import pytest

from formalizer.checks import check_statement
from formalizer.identifiers import IdentifierChecker
from knowledge_base import KnowledgeBase


@pytest.fixture(scope="module")
def idents(fixture_index: Path) -> IdentifierChecker:
    return IdentifierChecker(KnowledgeBase.open(fixture_index))


def by_name(result) -> dict:
    return {f.identifier: f for f in result.identifiers}


def test_known_names_pass_and_locals_are_not_resolved(idents: IdentifierChecker) -> None:
    r = check_statement(
        "theorem t {G : Type} [Group G] (a : G) (hsq : IsSquare a) : IsSquare (a * a) := by sorry",
        "import FixtureLib",
        idents,
    )
    assert r.passed, r.checks
    found = by_name(r)
    assert set(found) == {"Group", "IsSquare"}
    assert found["Group"].status == "found"


def test_unknown_names_are_flagged_with_close_names(idents: IdentifierChecker) -> None:
    r = check_statement("theorem t (a : ℕ) : IsSqare a := by sorry", "", idents)
    assert not r.passed
    (bad,) = r.unknown
    assert bad.identifier == "IsSqare" and "IsSquare" in bad.suggestions
    assert "did you mean `IsSquare`" in r.check("identifiers").problems[0]


def test_opens_and_namespaces_follow_lean(idents: IdentifierChecker) -> None:
    stmt = "theorem t {G : Type} [Group G] (a b : G) : mul_inv_rev a b ≠ mul_inv_rev b a := sorry"
    assert not check_statement(stmt, "", idents).passed  # protected: needs `Group.`
    assert not check_statement(stmt, "open Group", idents).passed  # protected even when opened
    ok = stmt.replace("mul_inv_rev", "Group.mul_inv_rev")
    assert check_statement(ok, "", idents).passed
    assert check_statement("theorem t : inv_mul ≠ inv_mul := sorry", "open Group", idents).passed


def test_deprecated_names_are_rewritten(idents: IdentifierChecker) -> None:
    r = check_statement("theorem t : Group.inv_mul_self ≠ Group.inv_mul_self := sorry", "", idents)
    assert r.passed
    assert r.rewritten == {"Group.inv_mul_self": "Group.inv_mul"}
    assert r.statement.count("Group.inv_mul ") == 2 and "inv_mul_self" not in r.statement


def test_external_core_names_are_accepted_and_reported(idents: IdentifierChecker) -> None:
    r = check_statement("theorem t (n : Nat) : Nat.succ n ≠ 0 ∧ True := sorry", "", idents)
    assert r.passed
    assert by_name(r)["Nat.succ"].status == "external"
    assert "external" in r.check("identifiers").detail


def test_scoped_notation_needs_its_namespace(idents: IdentifierChecker) -> None:
    stmt = "theorem t (x : ℝ) : x < π := sorry"
    r = check_statement(stmt, "", idents)
    assert not r.passed and "open scoped Real" in r.unknown[0].suggestions
    assert check_statement(stmt, "open Real", idents).passed


def test_header_definitions_and_field_notation(idents: IdentifierChecker) -> None:
    header = "def myPred (n : ℕ) : Prop := n = n\n"
    assert check_statement("theorem t : myPred 2 := sorry", header, idents).passed
    r = check_statement("theorem t : IsSquare.nonsenseField = 1 := sorry", "", idents)
    assert not r.passed  # no declaration `*.nonsenseField` exists anywhere


def test_auto_implicit_mode(fixture_index: Path) -> None:
    kb = KnowledgeBase.open(fixture_index)
    stmt = "theorem t [Group G] (a : G) : a * a = a := sorry"
    assert not check_statement(stmt, "", IdentifierChecker(kb)).passed
    lax = check_statement(stmt, "", IdentifierChecker(kb, auto_implicit=True))
    assert lax.passed and by_name(lax)["G"].status == "auto-bound"


def test_imports_outside_the_index_are_refused(idents: IdentifierChecker) -> None:
    stmt = "theorem t : False := sorry"
    assert check_statement(stmt, "import FixtureLib.Logic", idents).passed
    r = check_statement(stmt, "import Other.Thing", idents)
    assert r.check("security").passed is False


def test_security_and_parse_failures_are_checks(idents: IdentifierChecker) -> None:
    r = check_statement("theorem t : True := by native_decide", "", idents)
    assert r.check("security").passed is False
    r = check_statement("this is prose", "", idents)
    assert r.check("parse").passed is False and not r.passed


@pytest.mark.parametrize(
    ("statement", "why"),
    [
        ("theorem t : True := sorry", "concludes `True`"),
        ("theorem t (x : ℕ) : x + 1 = x + 1 := sorry", "by reflexivity"),
        ("theorem t (a b : ℕ) (h : a < b) : a < b := sorry", "one of its hypotheses"),
        ("theorem t (p : Prop) : p → p := sorry", "one of its hypotheses"),
        ("theorem t : (sorry : Prop) := sorry", "contains `sorry`"),
    ],
)
def test_vacuous_statements_fail_the_content_check(
    idents: IdentifierChecker, statement: str, why: str
) -> None:
    r = check_statement(statement, "", idents)
    content = r.check("content")
    assert content is not None and content.passed is False and why in content.problems[0]
    assert not r.passed


@pytest.mark.parametrize(
    "statement",
    [
        "theorem t (x : ℕ) : x + 1 = 1 + x := sorry",  # near miss: not syntactically reflexive
        "theorem t (a b : ℕ) (h : a < b) : a ≤ b := sorry",  # near miss: weakens the hypothesis
        "theorem t (x : ℝ) : x ^ 2 ≥ 0 := sorry",
    ],
)
def test_contentful_statements_pass_the_content_check(
    idents: IdentifierChecker, statement: str
) -> None:
    assert check_statement(statement, "", idents).check("content").passed is True
