"""Index builds are atomic: a finished build replaces the index, a killed one changes nothing."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import copy_project

from indexer.roots import discover_root
from knowledge_base import KnowledgeBase
from knowledge_base.atomic import recover, swap_into_place
from knowledge_base.build import BuildOptions, build_index


def _build(project: Path, out: Path) -> None:
    build_index([discover_root(project)], out, BuildOptions(workers=1))


def test_rebuild_replaces_the_index(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    out = tmp_path / "idx"
    _build(project, out)
    with KnowledgeBase.open(out) as kb:
        assert kb.get("brand_new") is None
    (project / "FixtureLib" / "New.lean").write_text("theorem brand_new : True := trivial\n")
    _build(project, out)
    with KnowledgeBase.open(out) as kb:
        assert kb.get("brand_new") is not None
    assert not list(tmp_path.glob(".idx.*"))


def test_sigkill_midway_leaves_the_previous_index_intact(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    out = tmp_path / "idx"
    _build(project, out)
    with KnowledgeBase.open(out) as kb:
        before = kb.stats()["declarations"]
    # Make the next build long enough to be killed while it parses.
    big = project / "FixtureLib" / "Big"
    big.mkdir()
    body = "".join(f"theorem t{i} (n : Nat) : n + {i} = {i} + n := sorry\n" for i in range(400))
    for k in range(150):
        (big / f"F{k}.lean").write_text(f"namespace Big{k}\n{body}end Big{k}\n")
    code = (
        "import sys; from pathlib import Path; from indexer.roots import discover_root; "
        "from knowledge_base.build import BuildOptions, build_index; "
        f"build_index([discover_root({str(project)!r})], Path({str(out)!r}), "
        "BuildOptions(workers=1))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    deadline = time.time() + 60
    while not list(tmp_path.glob(".idx.tmp-*")) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "the build finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(tmp_path.glob(".idx.tmp-*")), "the killed build left its staging directory"
    with KnowledgeBase.open(out) as kb:
        assert kb.stats()["declarations"] == before
        assert kb.get("Big0.t0") is None
    # The next build cleans up the dead build's staging directory.
    _build(project, out)
    assert not list(tmp_path.glob(".idx.tmp-*"))
    with KnowledgeBase.open(out) as kb:
        assert kb.get("Big0.t0") is not None


def test_recover_after_an_interrupted_two_step_swap(tmp_path: Path, fixture_index: Path) -> None:
    import shutil

    out = tmp_path / "idx"
    shutil.copytree(fixture_index, tmp_path / ".idx.old-123")
    recover(out)
    with KnowledgeBase.open(out) as kb:
        assert kb.stats()["declarations"] > 0


def test_swap_into_place_replaces_directory_contents(tmp_path: Path) -> None:
    out, new = tmp_path / "out", tmp_path / "new"
    out.mkdir()
    (out / "a").write_text("old")
    new.mkdir()
    (new / "a").write_text("new")
    swap_into_place(new, out)
    assert (out / "a").read_text() == "new" and not new.exists()
