from pathlib import Path

from indexer.name_translation import (
    GuessNameData,
    guess_name,
    load_guess_data,
    split_case,
    target_name,
)


def test_split_case_follows_mathlib() -> None:
    assert split_case("InvHMulLEConjugate₂SMul_ne_top") == [
        "Inv",
        "HMul",
        "LE",
        "Conjugate₂",
        "SMul",
        "_",
        "ne",
        "_",
        "top",
    ]


def test_guess_additive_names(fixture_project: Path) -> None:
    data = load_guess_data([Path("/nonexistent")])["to_additive"]  # built-in fallback
    assert guess_name(data, "mul_one") == "add_zero"
    assert guess_name(data, "IsSquare") == "Even"
    assert guess_name(data, "Multipliable") == "Summable"
    assert guess_name(data, "mul_le_mul_left'") == "add_le_add_left'"
    assert guess_name(data, "prod_pow") == "sum_nsmul"
    assert guess_name(data, "one_le_mul") == "nonneg_add"


def test_guess_dual_names() -> None:
    data = load_guess_data([Path("/nonexistent")])["to_dual"]
    assert guess_name(data, "BddBelow") == "BddAbove"
    assert guess_name(data, "lowerBounds") == "upperBounds"
    assert guess_name(data, "IsLeast") == "IsGreatest"


def test_dictionaries_are_read_from_the_indexed_source(fixture_project: Path) -> None:
    data = load_guess_data([fixture_project])["to_additive"]
    assert data.name_dict["square"] == ["Even"]
    assert "prod" not in data.name_dict  # the fixture dictionary replaces the fallback
    assert data.abbreviation_dict == {"isEven": "Even"}


def test_target_name_namespace_and_explicit_names() -> None:
    data = GuessNameData({"mul": ["Add"], "monoid": ["Add", "Monoid"]}, {})
    trans = {"Monoid": "AddMonoid"}
    assert target_name(data, "Monoid.mul_foo", None, trans) == "AddMonoid.add_foo"
    assert target_name(data, "Foo.Bar.mul_x", "Bar.add_x", {"Foo": "AddFoo"}) == "AddFoo.Bar.add_x"
    assert target_name(data, "Foo.mul_x", "_root_.add_x", {}) == "add_x"


def test_name_hints_are_file_local_additions() -> None:
    data = GuessNameData({"mul": ["Add"]}, {}).with_hint("Thing", "Sum")
    assert guess_name(data, "mul_thing") == "add_sum"
