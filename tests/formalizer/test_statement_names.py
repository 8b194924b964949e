from pathlib import Path

import pytest

from eval.equivalence import StructuralJudge
from formalizer.identifiers import IdentifierChecker
from formalizer.statement_names import qualify_names
from knowledge_base import KnowledgeBase


@pytest.fixture(scope="module")
def names(fixture_index: Path) -> IdentifierChecker:
    return IdentifierChecker(KnowledgeBase.open(fixture_index), auto_implicit=True)


def test_opened_names_are_written_in_full(names: IdentifierChecker) -> None:
    header = "import FixtureLib\nopen TopologicalSpace"
    short = "theorem a {X : Type} [TopologicalSpace X] (s : X → Prop) : IsOpen' s := sorry"
    full = (
        "theorem b {X : Type} [TopologicalSpace X] (s : X → Prop) : "
        "TopologicalSpace.IsOpen' s := sorry"
    )
    assert "TopologicalSpace.IsOpen' s" in qualify_names(short, header, names)
    judge = StructuralJudge(names)
    assert judge.judge(short, full, header).equivalent
    # without the names, or without the `open`, they are compared as written
    assert not StructuralJudge().judge(short, full, header).equivalent
    assert not judge.judge(short, full, "import FixtureLib").equivalent


def test_deprecated_names_lead_to_their_targets(names: IdentifierChecker) -> None:
    old = "theorem a {G : Type} [Group G] (a : G) (h : P (Group.inv_mul_self a)) : True := sorry"
    new = "theorem b {G : Type} [Group G] (a : G) (h : P (Group.inv_mul a)) : True := sorry"
    assert StructuralJudge(names).judge(old, new).equivalent


def test_auto_bound_type_variables_are_bound(names: IdentifierChecker) -> None:
    bound = "theorem a {G : Type*} [Group G] (a : G) : IsSquare (a * a) := sorry"
    auto = "theorem b [Group G] (a : G) : IsSquare (a * a) := sorry"
    assert qualify_names(auto, "", names).startswith("theorem b {G : Type*} [Group G]")
    assert StructuralJudge(names).judge(bound, auto).equivalent
    # a name the index declares is a constant, not an auto-bound variable
    assert "{Group : Type*}" not in qualify_names(auto, "", names)


def test_field_notation_on_a_binder(names: IdentifierChecker) -> None:
    dotted = "theorem a {G : Type*} [Group G] (H : Subgroup G) (h : H.Normal) : True := sorry"
    assert "(Subgroup.Normal H)" in qualify_names(dotted, "", names)
    # parameters written after the colon (`Subgroup.mem : ∀ H : Subgroup G, G → Prop`)
    mem = "theorem a {G : Type*} [Group G] (H : Subgroup G) (g : G) (h : H.mem g) : True := sorry"
    assert "(Subgroup.mem H) g" in qualify_names(mem, "", names)
    # no declaration `Subgroup.missing`: left as written
    missing = dotted.replace("H.Normal", "H.missing")
    assert "H.missing" in qualify_names(missing, "", names)
    # `T.IsOpen' s`: `IsOpen'` has no explicit parameter of type `TopologicalSpace`, so where
    # `T` goes is not `(TopologicalSpace.IsOpen' T) s`; left as written
    open_ = "theorem a {X : Type} (T : TopologicalSpace X) (s : X → Prop) : T.IsOpen' s := sorry"
    assert "T.IsOpen' s" in qualify_names(open_, "", names)


def test_an_ambiguous_name_takes_the_namespace_of_its_argument(names: IdentifierChecker) -> None:
    # under `open Subgroup`, `Normal` is `Normal` or `Subgroup.Normal`; applied to
    # `H : Subgroup G` it is the one field notation `H.Normal` gives
    header = "import FixtureLib\nopen Subgroup"
    short = "theorem a {G : Type*} [Group G] (H : Subgroup G) [Normal H] : True := sorry"
    full = "theorem b {G : Type*} [Group G] (H : Subgroup G) [Subgroup.Normal H] : True := sorry"
    assert "[Subgroup.Normal H]" in qualify_names(short, header, names)
    assert StructuralJudge(names).judge(short, full, header).equivalent
    # an argument of another type, or none, leaves it ambiguous, so as written
    other = "theorem a {G : Type*} [Group G] (K : Type*) (h : Normal K K) : True := sorry"
    assert "Subgroup.Normal" not in qualify_names(other, header, names)
    bare = "theorem a {G : Type*} [Group G] (H : Subgroup G) (h : Normal = Normal) : True := sorry"
    assert "Subgroup.Normal" not in qualify_names(bare, header, names)
    # without the `open` there is nothing to choose
    assert "Subgroup.Normal" not in qualify_names(short, "import FixtureLib", names)


def test_field_notation_on_an_application(names: IdentifierChecker) -> None:
    # `Subgroup.whole G : Subgroup G`, so `(Subgroup.whole G).Normal` is `Subgroup.Normal …`
    dotted = "theorem a {G : Type*} [Group G] : (Subgroup.whole G).Normal := sorry"
    full = "theorem b {G : Type*} [Group G] : Subgroup.Normal (Subgroup.whole G) := sorry"
    assert "(Subgroup.Normal (Subgroup.whole G))" in qualify_names(dotted, "", names)
    assert StructuralJudge(names).judge(dotted, full).equivalent
    # a partial application is a function, and an unknown field has no declaration
    partial = "theorem a {G : Type*} [Group G] (h : (Subgroup.whole).Normal) : True := sorry"
    assert "(Subgroup.whole).Normal" in qualify_names(partial, "", names)
    unknown = "theorem a {G : Type*} [Group G] : (Subgroup.whole G).Missing := sorry"
    assert "(Subgroup.whole G).Missing" in qualify_names(unknown, "", names)


def test_field_notation_on_a_product_of_two_binders_of_one_type(names: IdentifierChecker) -> None:
    both = "theorem a {G : Type*} [Group G] (H K : Subgroup G) : (H * K).Normal := sorry"
    assert "(Subgroup.Normal (H * K))" in qualify_names(both, "", names)
    # `H * g` with `g : G`: the product's type is not known, so it stays as written
    mixed = "theorem a {G : Type*} [Group G] (H : Subgroup G) (g : G) : (H * g).Normal := sorry"
    assert "(H * g).Normal" in qualify_names(mixed, "", names)


def test_field_notation_nested_in_an_application(names: IdentifierChecker) -> None:
    # (types aside) both the outer `(Subgroup.whole …).Normal` and the `(Subgroup.whole G).mem`
    # inside it are rewritten: the outer rewrite moves the inner one
    nested = (
        "theorem a {G : Type*} [Group G] : (Subgroup.whole (Subgroup.whole G).mem).Normal := sorry"
    )
    text = qualify_names(nested, "", names)
    assert "(Subgroup.Normal (Subgroup.whole " in text
    assert "(Subgroup.mem (Subgroup.whole G))" in text


def test_polynomial_notation_heads_a_polynomial_type(names: IdentifierChecker) -> None:
    from formalizer.statement_names import _type_namespace
    from indexer.lean_terms import parse_term

    assert _type_namespace(parse_term("K[X]"), names) == "Polynomial"
    assert _type_namespace(parse_term("(ZMod p)[X]"), names) == "Polynomial"


def test_candidates_vote_together_when_their_names_agree(names: IdentifierChecker) -> None:
    from formalizer.selection import Scored, rank_groups
    from formalizer.statement_names import qualified_or_same

    header = "import FixtureLib\nopen TopologicalSpace"
    short = "theorem a {X : Type} [TopologicalSpace X] (s : X → Prop) : IsOpen' s := sorry"
    full = short.replace("IsOpen' s", "TopologicalSpace.IsOpen' s")
    cands = [Scored(0, short, True, None), Scored(1, full, True, None)]
    assert len(rank_groups(cands)) == 2
    grouped = rank_groups(cands, qualify=lambda s: qualified_or_same(s, header, names))
    assert len(grouped) == 1 and grouped[0].votes == 2
    # text that is no statement keeps a group of its own instead of failing
    assert qualified_or_same("not lean at all", header, names) == "not lean at all"
