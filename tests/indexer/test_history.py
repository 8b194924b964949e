from pathlib import Path

from conftest import git_repo
from hypothesis import given, settings
from hypothesis import strategies as st
from indexer_history_texts import V1, V2, V3

from indexer.history import file_records, outline, rename_history
from indexer.lean_source import parse_file


def test_renames_deprecations_and_removals(tmp_path: Path) -> None:
    repo = git_repo(
        tmp_path / "repo", [{"Mathlib/A.lean": V1}, {"Mathlib/A.lean": V2}, {"Mathlib/A.lean": V3}]
    )
    current = {d.name for d in parse_file(V3, "Mathlib/A.lean").declarations}
    renames = {
        r.old: r
        for r in rename_history(
            repo,
            "Mathlib",
            current,
            since="2024-01-01",
            months=1,
            workers=1,
            cache_dir=tmp_path / "c",
        )
    }
    assert renames["IsROrC"].new == "RCLike" and renames["IsROrC"].source.startswith("renamed")
    assert renames["IsROrC.re_add"].new == "RCLike.re_add"
    # mapped to a name that exists now (itself a deprecated alias the resolver follows)
    assert renames["old_lemma"].new == "new_lemma"
    assert renames["doomed"].new == "" and renames["doomed"].message == "no longer needed"
    assert "RCLike" not in renames and "new_lemma" not in renames  # still exist
    # the second call is served from the cache, with the same answer
    again = rename_history(
        repo, "Mathlib", current, since="2024-01-01", months=1, workers=1, cache_dir=tmp_path / "c"
    )
    assert {r.old: r.new for r in again} == {k: v.new for k, v in renames.items()}
    assert list((tmp_path / "c").glob("renames-*.json"))


# ------------------------------------------------------------------------------ outlines
BASE = """/-
Copyright (c) 2024. All rights reserved.
-/
import Mathlib.Order.Basic

/-! # A module doc -/

namespace Foo

variable {α : Type*} [Preorder α]

/-- A doc of `Foo.bar`. -/
def bar (a : α) : α := a

/-- The lemma. -/
@[simp, to_additive]
theorem bar_eq (a : α) :
    bar a = a := by
  rfl

lemma baz : True := trivial

end Foo
"""

# Edits that never reach a record: history may reuse the records of the version before.
SAME = {
    "proof": BASE.replace("  rfl", "  simp [bar]"),
    "statement": BASE.replace("    bar a = a := by", "    a = bar a := by\n  symm"),
    "statement on the name's line": BASE.replace("lemma baz : True", "lemma baz : 1 = 1 ∨ True"),
    "comment and blank lines": BASE.replace("end Foo", "-- the end\n\n\nend Foo"),
    "copyright": BASE.replace("2024", "2025"),
    "import": BASE.replace("Order.Basic", "Order.Defs"),
    "module doc": BASE.replace("A module doc", "Another module doc"),
    # Mathlib's move to the module system rewrote every file's header at once
    "module system header": BASE.replace(
        "import Mathlib.Order.Basic", "module\n\npublic import Mathlib.Order.Basic"
    ).replace("namespace Foo", "@[expose] public section\n\nnamespace Foo"),
    "meta import": BASE.replace("import Mathlib.Order.Basic", "public meta import Lean.Elab"),
    "option before a theorem": BASE.replace(
        "/-- The lemma. -/", "set_option linter.docPrime false in\n/-- The lemma. -/"
    ),
}
# Near misses: each changes a record (or may), so history must parse the version again.
DIFFERENT = {
    "theorem renamed": BASE.replace("theorem bar_eq", "theorem bar_eq'"),
    "docstring": BASE.replace("The lemma.", "The lemma, reworded."),
    "attribute": BASE.replace("@[simp, to_additive]", "@[simp, to_additive foo_eq]"),
    "definition body": BASE.replace("α := a", "α := id a"),
    "variable line": BASE.replace("[Preorder α]", "[PartialOrder α]"),
    "namespace": BASE.replace("namespace Foo", "namespace Foo.Bar").replace(
        "end Foo", "end Foo.Bar"
    ),
    "deprecation inside a statement": BASE.replace(
        "lemma baz : True := trivial",
        'lemma baz : True := trivial\n  @[deprecated (since := "2024-01-01")] alias baz2 := baz',
    ),
    "theorem added": BASE.replace("end Foo", "theorem qux : True := trivial\n\nend Foo"),
    "option on the declaration's line": BASE.replace(
        "lemma baz : True", "set_option pp.all true in lemma baz2 : True"
    ),
    "named section": BASE.replace("namespace Foo", "public section Foo\nnamespace Foo"),
    "option between a docstring and its theorem": BASE.replace(
        "@[simp, to_additive]", "set_option linter.docPrime false in\n@[simp, to_additive]"
    ),
    "option between attributes and their theorem": BASE.replace(
        "@[simp, to_additive]", "@[simp, to_additive]\nset_option linter.docPrime false in"
    ),
}


def _records(text: str) -> list[object]:
    return file_records(text, "Mathlib/Foo.lean")


def test_outline_equal_where_no_record_changes() -> None:
    for what, text in SAME.items():
        assert outline(text) == outline(BASE), what
        assert _records(text) == _records(BASE), what


def test_outline_reads_a_public_theorem_up_to_its_name() -> None:
    public = BASE.replace("lemma baz : True", "public lemma baz : True")
    assert outline(public.replace(": True", ": 1 = 1 ∨ True")) == outline(public)
    assert outline(public.replace("baz", "baz'")) != outline(public)


def test_outline_differs_on_near_misses() -> None:
    for what, text in DIFFERENT.items():
        assert outline(text) != outline(BASE), what


_BLOCKS = [
    "namespace N",
    "end N",
    "variable (n : ℕ)",
    "/-- doc -/",
    "@[simp]",
    "def d (x : ℕ) : ℕ := x",
    "theorem t (x : ℕ) : x = x := rfl",
    "lemma l : True := by\n  trivial",
    "  exact foo",
    "-- a comment",
    "",
    '@[deprecated t (since := "2024-01-01")]',
    "alias a := t",
    "structure S where\n  x : ℕ",
    "/- a comment\nover lines -/",
    "theorem u :\n    1 = 1 := rfl",
    "module",
    "public import Mathlib.Order.Basic",
    "@[expose] public section",
    "set_option linter.docPrime false in",
    "public theorem p : True := trivial",
    "section",
    "end",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_BLOCKS), max_size=12), st.lists(st.sampled_from(_BLOCKS), max_size=12)
)
def test_equal_outlines_mean_equal_records(a: list[str], b: list[str]) -> None:
    """The property history relies on, over files made of Lean's usual commands."""
    left, right = "\n".join(a), "\n".join(b)
    if outline(left) == outline(right):
        assert _records(left) == _records(right)


def test_history_parses_a_proof_edit_once(tmp_path: Path) -> None:
    repo = git_repo(
        tmp_path / "repo",
        [
            {"Mathlib/Foo.lean": BASE},
            {"Mathlib/Foo.lean": SAME["proof"]},
            {"Mathlib/Foo.lean": DIFFERENT["docstring"]},
        ],
    )
    lines: list[str] = []
    rename_history(
        repo, "Mathlib", set(), since="2024-01-01", months=1, workers=1, log=lines.append
    )
    parsed = [line.split("(")[1].split()[0] for line in lines if "parsed)" in line]
    assert parsed == ["1", "0", "1"]
