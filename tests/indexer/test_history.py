from pathlib import Path

from conftest import git_repo
from indexer_history_texts import V1, V2, V3

from indexer.history import rename_history
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
