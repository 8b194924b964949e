"""Shared fixtures: the small Lean project in `fixtures/lean_project`, and a built index of it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

FIXTURE_PROJECT = Path(__file__).parent / "fixtures" / "lean_project"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def fixture_project() -> Path:
    return FIXTURE_PROJECT


@pytest.fixture(scope="session")
def fixture_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project indexed once for the whole session (no git history)."""
    from indexer.roots import discover_root
    from knowledge_base.build import BuildOptions, build_index

    out = tmp_path_factory.mktemp("index") / "idx"
    build_index([discover_root(FIXTURE_PROJECT)], out, BuildOptions(workers=1))
    return out


def mathlib_path() -> Path | None:
    """A Mathlib checkout named by AUTOFORMALIZER_MATHLIB, for the tests against real Mathlib."""
    value = os.environ.get("AUTOFORMALIZER_MATHLIB")
    return Path(value) if value and Path(value, "Mathlib").is_dir() else None


def git_repo(path: Path, commits: list[dict[str, str]]) -> Path:
    """A git repository whose history is `commits` (file path -> text, one dict per commit)."""
    path.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }

    def git(*args: str, date: str | None = None) -> None:
        e = dict(env)
        if date:
            e["GIT_AUTHOR_DATE"] = e["GIT_COMMITTER_DATE"] = date
        subprocess.run(["git", "-C", str(path), *args], check=True, capture_output=True, env=e)

    git("init", "-q", "-b", "master")
    for i, files in enumerate(commits):
        for rel, text in files.items():
            f = path / rel
            if text is None:
                if f.exists():
                    f.unlink()
                continue
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(text)
        git("add", "-A")
        git(
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            f"commit {i}",
            date=f"2024-{i + 1:02d}-15T12:00:00",
        )
    return path


def copy_project(dest: Path) -> Path:
    shutil.copytree(FIXTURE_PROJECT, dest)
    return dest


@pytest.fixture(scope="session")
def retrieval_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project indexed with its retrieval channels (MiniLM embeddings, offline)."""
    from indexer.roots import discover_root
    from knowledge_base.build import BuildOptions, build_index
    from retrieval.build import RetrievalSettings, build_retrieval

    out = tmp_path_factory.mktemp("rindex") / "idx"
    settings = RetrievalSettings(
        cache_dir=tmp_path_factory.mktemp("emb"),
        onnx_dir=tmp_path_factory.mktemp("onnx"),
        # fp32 ONNX: the same vectors as PyTorch, so tests can compare the two exactly (the
        # int8 default is tested in tests/retrieval/test_onnx_encoder.py)
        encoder_backend="onnx",
    )
    build_index(
        [discover_root(FIXTURE_PROJECT)],
        out,
        BuildOptions(workers=1, finish=lambda d: build_retrieval(d, settings)),
    )
    return out
