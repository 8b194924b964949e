from pathlib import Path

import pytest

from indexer.extract import extract
from indexer.roots import RootError, discover_root


@pytest.fixture(scope="module")
def extraction(fixture_project: Path):
    return extract([discover_root(fixture_project)], workers=2)


def test_root_discovery_uses_lakefile_default_targets(fixture_project: Path) -> None:
    root = discover_root(fixture_project)
    assert root.libraries == ("FixtureLib",)
    files = [rel for _, rel in root.files()]
    assert "FixtureLib.lean" in files and "FixtureLib/Algebra/Group.lean" in files
    assert not any(f.startswith("Mathlib/") for f in files)
    assert root.lean_toolchain() == "leanprover/lean4:v4.33.0-rc1"


def test_bad_roots_get_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RootError, match="does not exist"):
        discover_root(tmp_path / "missing")
    with pytest.raises(RootError, match=r"no \.lean files"):
        discover_root(tmp_path)


def test_generated_names(extraction) -> None:
    by_name = {d.name: d for d in extraction.declarations}
    # to_additive: guessed, explicit, with the docstring written inside the attribute
    assert by_name["Even"].origin == "to_additive"
    assert by_name["Even"].docstring == "`Even a` means `a = r + r` for some `r`."
    assert by_name["Even"].generated_from == "IsSquare"
    assert by_name["zero_add'"].signature == "{G : Type*} [AddMonoid G] (a : G) : 0 + a = a"
    assert "add_right_comm_of_long_signature" in by_name
    assert by_name["AddGroup"].kind == "class"
    # `attribute [to_additive] Semigroup` links two written classes: nothing generated
    assert by_name["AddSemigroup"].origin == "source"
    # to_dual, aliases, fields, irreducible_def
    assert by_name["upperBounds"].origin == "to_dual"
    assert by_name["Even.exists_add_self"].kind == "alias"
    assert by_name["TopologicalSpace.IsOpen"].kind == "structure field"
    assert by_name["fixture_irreducible_def"].kind == "theorem"
    assert extraction.anonymous_instances == 2


def test_a_broken_file_warns_without_stopping_the_build(extraction) -> None:
    warned = {(w.file, w.message) for w in extraction.warnings}
    assert ("FixtureLib/Broken.lean", "unclosed attribute list") in warned
    names = {d.name for d in extraction.declarations}
    assert {"good_before", "good_after"} <= names


def test_parallel_and_serial_extraction_agree(fixture_project: Path, extraction) -> None:
    serial = extract([discover_root(fixture_project)], workers=1)
    assert [d.name for d in serial.declarations] == [d.name for d in extraction.declarations]


@pytest.mark.parametrize("workers", [1, 2])
def test_signatures_are_read_with_the_operators_other_files_declare(
    tmp_path: Path, workers: int
) -> None:
    """`f ∘z g` is one operator where another file declares `∘z`: its letter is no name
    (read with the built-in tables alone, `z` would be a reference)."""
    lib = tmp_path / "Lib"
    lib.mkdir()
    (lib / "Ops.lean").write_text(
        "def Emb.comp (g f : Nat → Nat) : Nat → Nat := g ∘ f\n"
        'infixr:80 " ∘z " => Emb.comp\n'
        "def z : Nat := 0\n"
    )
    (lib / "Use.lean").write_text(
        "theorem comp_assoc (f g h : Nat → Nat) : (f ∘z g) ∘z h = f ∘z g ∘z h := rfl\n"
    )
    for i in range(8):  # enough files for the worker pool
        (lib / f"Pad{i}.lean").write_text(f"def pad{i} : Nat := {i}\n")
    root = discover_root(tmp_path, name="Lib", libraries=("Lib",))
    decls = {d.name: d for d in extract([root], workers=workers).declarations}
    assert "z" not in decls["comp_assoc"].references
