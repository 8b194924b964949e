import json
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


@pytest.mark.parametrize(
    "header",
    [
        "partial def wins (n : ℕ) : Bool := wins n\n",
        "noncomputable abbrev wins (n : ℕ) : Bool := true\n",
        "private nonrec def wins (n : ℕ) : Bool := true\n",
        "@[simp] protected def wins (n : ℕ) : Bool := true\n",
        "public noncomputable opaque wins (n : ℕ) : Bool\n",
    ],
)
def test_header_declarations_after_any_modifier(idents: IdentifierChecker, header: str) -> None:
    assert check_statement("theorem t : wins 2 = true := sorry", header, idents).passed
    # near-miss: a name only mentioned in a header's body is not declared by it
    body_only = "def other (n : ℕ) : Bool := wins n\n"
    assert not check_statement("theorem t : wins 2 = true := sorry", body_only, idents).passed


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


def test_notation_is_read_from_the_sources(idents: IdentifierChecker) -> None:
    # global notation: always in force; scoped: only where its namespace is opened
    assert check_statement("theorem t (x : ℝ) : x ≠ x := sorry", "", idents).passed
    scoped = check_statement("theorem t (x : ℝ) : x ≠ π := sorry", "", idents)
    (pi,) = scoped.unknown
    assert pi.identifier == "π" and "open scoped Real" in pi.suggestions
    for header in ("open Real", "open scoped Real", "namespace Real"):
        assert check_statement("theorem t (x : ℝ) : x ≠ π := sorry", header, idents).passed
    # local notation is not in force outside its file; a tactic's keyword is no token
    assert not check_statement("theorem t (x : ℝ) : x ≠ τ := sorry", "open Real", idents).passed
    stmt = "theorem t : fixture_tactic = 1 := sorry"
    assert check_statement(stmt, "", idents).unknown[0].identifier == "fixture_tactic"
    # `[MOD n]` is one token: `MOD` is not an identifier to resolve
    assert check_statement("theorem t (a b : Nat) : a ≡ b [MOD 3] := sorry", "", idents).passed


@pytest.mark.parametrize(
    "conclusion",
    [
        "a ≡ b [mod 3]",  # `[MOD` written as Lean 3 wrote it: `[` and the name `mod`
        "a ≡ b",  # the bracket left out
        "(a ≡ b) ∧ [MOD 3] = [MOD 3]",  # `[MOD` outside the parentheses `≡` is in
    ],
)
def test_a_notation_whose_next_token_never_comes_is_a_syntax_error(
    idents: IdentifierChecker, conclusion: str
) -> None:
    r = check_statement(f"theorem t (a b : Nat) : {conclusion} := sorry", "", idents)
    syntax = r.check("syntax")
    assert syntax is not None and syntax.passed is False
    assert any("`≡`" in p and "`[MOD`" in p for p in syntax.problems), syntax.problems


def test_notations_that_may_end_at_a_token_need_nothing_after_it(
    idents: IdentifierChecker,
) -> None:
    # `≡ … [MOD n]` complete; `π` is a whole notation; `C(X, Y)` goes on with `,` and does
    assert check_statement("theorem t (a b : Nat) : a ≡ b [MOD 3] := sorry", "", idents).passed
    # brackets between are counted as the bracket check counts them: `f^[2]` opens one
    iterate = "theorem t (a b : Nat) (f : Nat → Nat) : a ≡ f^[2] b [MOD 3] := sorry"
    assert check_statement(iterate, "", idents).check("syntax").passed
    assert check_statement("theorem t (x : ℝ) : x ≠ π := sorry", "open Real", idents).passed
    r = check_statement("theorem t (f : C(ℝ, ℝ)) : f = f := sorry", "", idents)
    assert r.check("syntax").passed


def test_a_library_without_its_notation_turns_the_notation_rule_off(tmp_path: Path) -> None:
    # `--library` declarations come without their notation commands: a statement importing
    # one may use a `≡` of its own (Con-NF's `c ≡ d`), which the index cannot know
    from conftest import FIXTURE_PROJECT

    from indexer.jsonl_library import read_library
    from indexer.roots import discover_root
    from knowledge_base.build import BuildOptions, build_index

    lib = tmp_path / "lib.jsonl"
    row = {
        "full_name": "MyLib.Code.Equiv",
        "def_path": "MyLib/Code.lean",
        "code": "def MyLib.Code.Equiv (a b : Nat) : Prop := a = b",
    }
    lib.write_text(json.dumps(row) + "\n")
    extra = read_library(lib)[0]
    out = tmp_path / "idx"
    build_index(
        [discover_root(FIXTURE_PROJECT)], out, BuildOptions(workers=1, extra_declarations=extra)
    )
    with KnowledgeBase.open(out) as kb:
        assert kb.library_roots() == {"MyLib"}
        checker = IdentifierChecker(kb)
        stmt = "theorem t (a b : Nat) : a ≡ b := sorry"
        assert not check_statement(stmt, "import FixtureLib", checker).check("syntax").passed
        with_library = check_statement(stmt, "import FixtureLib\nimport MyLib.Code", checker)
        assert with_library.check("syntax").passed


def test_imports_of_the_roots_dependencies_are_allowed(idents: IdentifierChecker) -> None:
    header = "import Mathlib\nimport Aesop\nimport ProofWidgets.Component.Basic"
    r = check_statement("theorem t (a : Nat) : a + 0 = 0 + a := sorry", header, idents)
    assert r.check("security").passed, r.check("security").problems
    r = check_statement("theorem t (a : Nat) : a + 0 = 0 + a := sorry", "import Qq", idents)
    assert r.check("security").passed is False  # not a dependency of the indexed fixture


@pytest.mark.parametrize(
    "statement",
    [
        # names bound inside the statement: `let`, image set-builders, patterns, Π-binders,
        # binders with a default value or an auto-param
        "theorem t (a : Nat) : letI b := a + 1\n  b = a + 1 := sorry",
        "theorem t (f : Nat → Nat) : {f x | (x) (hx : x = 0)} = {f 0} := sorry",
        "theorem t : ∀ ⟨i, j⟩ : Nat × Nat, i + j = j + i := sorry",
        "theorem t (N : (n : Nat) → Fin n → Nat) : N 1 0 = N 1 0 + 0 := sorry",
        "theorem t (f_a : Nat → Nat := fun n => n) (h : f_a 0 = 0 := by simp) : f_a 1 = 1 := sorry",
        "theorem t : {(s, t) : Nat × Nat | s + t = 1} ≠ {(0, 1)} := sorry",
        # image set-builders with Mathlib's bare extended binders
        "theorem t (f : Nat → Nat) (s : List Nat) : {f^[k] 0 | k : Nat} = {f k | k ∈ s} := sorry",
        "theorem t (g : Nat → Nat) : {(g m, m) | m > 3} = ∅ := sorry",
    ],
)
def test_locally_bound_names_are_not_globals(idents: IdentifierChecker, statement: str) -> None:
    r = check_statement(statement, "", idents)
    assert not r.unknown, [f.identifier for f in r.unknown]


def test_header_variables_are_locals(idents: IdentifierChecker) -> None:
    header = "variable {p : Nat} (hp : p ≠ 0)"
    assert check_statement("theorem t : p + 0 = p := sorry", header, idents).passed
    assert not check_statement("theorem t : q + 0 = q := sorry", header, idents).passed


def test_a_token_is_read_as_lean_reads_it_where_the_statement_is(
    idents: IdentifierChecker,
) -> None:
    # a global notation that starts like an identifier: `C(X, Y)` is no use of a name `C`
    assert check_statement("theorem t (f g : C(ℝ, ℝ)) : f = g := sorry", "", idents).passed
    # a token with letters after a symbol: `↪q` is no `↪` applied to a name `q`
    assert check_statement("theorem t (e f : Nat ↪q Nat) : e = f := sorry", "", idents).passed
    # a scoped one is a token only where it is open: elsewhere `K^2` is `K ^ 2`
    stmt = "theorem t (K : Nat) : K^2 = K * K := sorry"
    assert check_statement(stmt, "", idents).passed
    r = check_statement("theorem t : K^2 = 2 := sorry", "", idents)
    assert [f.identifier for f in r.unknown] == ["K"]
    assert check_statement("theorem t : K^2 = 2 := sorry", "open Smoothish", idents).passed


def test_scoped_notation_does_not_shadow_what_lean_reads_without_it(
    idents: IdentifierChecker,
) -> None:
    # `•` is scoped in the fixture's `Weird`, yet its modules use it unopened: core's `•`
    r = check_statement("theorem t [SMul Nat Nat] (a b : Nat) : a • b = b • a := sorry", "", idents)
    assert r.passed, [f.identifier for f in r.unknown]
    # `λ` is Lean's own binder, whatever a scoped notation declares
    assert check_statement("theorem t : (λ n : Nat => n) 2 = 2 := sorry", "", idents).passed
    # a token no statement may use without its `open` is still flagged
    r = check_statement("theorem t (x : ℝ) : x ≠ π := sorry", "", idents)
    assert not r.passed


@pytest.mark.parametrize(
    "binders",
    [
        "{G : Type} [toDivisionMonoid G]",
        "{G : Type} [inst : toDivisionMonoid G]",
        "{G : Type} (h : toDivisionMonoid G)",
    ],
)
def test_an_instance_where_a_type_goes_is_flagged(idents: IdentifierChecker, binders: str) -> None:
    """`[fintype G]` under `open Set` reaches the instance `Set.fintype`: an existing name,
    but an instance is a term, never a binder's type (a misspelt class, as Lean would say)."""
    r = check_statement(f"theorem t {binders} : True := sorry", "open Group", idents)
    assert [f.identifier for f in r.unknown] == ["toDivisionMonoid"]
    assert "an instance (`Group.toDivisionMonoid`)" in r.check("identifiers").problems[0]


def test_an_instance_passed_as_an_argument_is_fine(idents: IdentifierChecker) -> None:
    # near misses: the instance as an explicit argument, and the class itself as a binder
    stmt = "theorem t {G : Type} [Group G] (x : G) : @id _ (toDivisionMonoid) = x := sorry"
    assert check_statement(stmt, "open Group", idents).check("identifiers").passed
    stmt = "theorem t {G : Type} [Group G] (x : G) : x * 1 = x := sorry"
    assert check_statement(stmt, "open Group", idents).check("identifiers").passed
