"""Resolution through the rename history of a git repository."""

from pathlib import Path

from conftest import git_repo
from indexer_history_texts import V1, V2, V3

from indexer.roots import discover_root
from knowledge_base import KnowledgeBase
from knowledge_base.build import BuildOptions, HistorySettings, build_index


def test_resolve_through_history(tmp_path: Path) -> None:
    repo = git_repo(
        tmp_path / "repo", [{"Mathlib/A.lean": V1}, {"Mathlib/A.lean": V2}, {"Mathlib/A.lean": V3}]
    )
    out = tmp_path / "idx"
    history = HistorySettings(repo=repo, subdir="Mathlib", since="2024-01-01", months=1)
    build_index([discover_root(repo)], out, BuildOptions(workers=1, history=history))
    with KnowledgeBase.open(out) as kb:
        res = kb.resolve("IsROrC")
        assert (res.status, res.name, res.via) == ("renamed", "RCLike", ["IsROrC", "RCLike"])
        assert kb.resolve("IsROrC.re_add").name == "RCLike.re_add"
        res = kb.resolve("old_lemma")
        assert (res.status, res.name) == ("renamed", "newer_lemma")
        assert res.via == ["old_lemma", "new_lemma", "newer_lemma"]
        res = kb.resolve("doomed")
        assert res.status == "removed" and "no longer needed" in res.note
        assert kb.stats()["renames"] >= 4
