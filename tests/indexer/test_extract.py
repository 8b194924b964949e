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
