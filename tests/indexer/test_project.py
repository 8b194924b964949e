"""`index --project`: a Lean project as Lake sees it — its libraries, the packages its lake
manifest pins (from `.lake/packages`), and its toolchain's core sources when installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PROJECT = FIXTURES / "lake_project"
ELAN = FIXTURES / "elan"
CORE = ELAN / "toolchains" / "leanprover--lean4---v4.99.0" / "src" / "lean"


def run(*args: str, elan: Path | None = ELAN) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOFORMALIZER_")}
    env["ELAN_HOME"] = str(elan or (FIXTURES / "no-elan"))
    return subprocess.run(
        [sys.executable, "-m", "autoformalizer", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


@pytest.fixture(scope="module")
def project_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("project") / "idx"
    proc = run("index", "--project", str(PROJECT), "--out", str(out), "--no-embed", "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out, proc.stderr


def test_the_project_its_packages_and_core_are_indexed(project_index) -> None:
    out, stderr = project_index
    stats = json.loads(run("kb", "stats", "--index", str(out), "--json").stdout)
    roots = {r["name"]: r for r in stats["roots"]}
    assert set(roots) == {"MyProj", "minimath", "LeanCore"}
    assert roots["LeanCore"]["version"] == "4.99.0"
    assert {p["name"] for p in stats["packages"]} == {"minimath", "notfetched"}
    # a pinned package that is not checked out is named, not silently skipped
    assert "package notfetched" in stderr and "not checked out" in stderr
    show = json.loads(run("kb", "show", "MyProj.double_even", "--index", str(out), "--json").stdout)
    assert "MiniMath.Even" in show["dependencies"]
    core = json.loads(run("kb", "resolve", "List.IsPrefix", "--index", str(out), "--json").stdout)
    assert core["status"] == "found"  # from the core sources, not merely "external"


def test_statements_over_the_project(project_index, tmp_path: Path) -> None:
    out, _ = project_index
    rows = [
        {"id": "own", "header": "import MyProj", "formal_statement": (
            "theorem a (n : ℕ) (h : MyProj.Tiny n) : MiniMath.Even (n + n) := sorry")},
        {"id": "scoped", "header": "import MiniMath\nopen MiniMath", "formal_statement": (
            "theorem b (n : ℕ) : ½ n ≤ n := sorry")},
        {"id": "closed", "header": "import MiniMath", "formal_statement": (
            "theorem c (n : ℕ) : ½ n ≤ n := sorry")},
        {"id": "elsewhere", "header": "import Elsewhere", "formal_statement": (
            "theorem d (n : ℕ) : n ≤ n + 1 := sorry")},
    ]  # fmt: skip
    inp = tmp_path / "rows.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = json.loads(run("check", "--input", str(inp), "--index", str(out), "--json").stdout)
    passed = {i["id"]: i["passed"] for i in report["items"]}
    assert passed == {"own": True, "scoped": True, "closed": False, "elsewhere": False}


def test_lean_sources_that_are_not_core_are_refused(tmp_path: Path) -> None:
    proc = run(
        "index", "--project", str(PROJECT), "--lean-src", str(PROJECT),
        "--out", str(tmp_path / "i"), "--no-embed", "--quiet",
    )  # fmt: skip
    assert proc.returncode == 2 and "is not Lean core's source tree" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_core_version_other_than_the_toolchain_is_warned_about(tmp_path: Path) -> None:
    fixture = FIXTURES / "lean_project"  # its lean-toolchain asks for v4.33.0-rc1
    proc = run(
        "index", "--mathlib", str(fixture), "--lean-src", str(CORE), "--no-history",
        "--out", str(tmp_path / "i"), "--no-embed", "--quiet",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "warning: the Lean sources" in proc.stderr and "4.99.0" in proc.stderr


def test_not_a_project_is_one_line(tmp_path: Path) -> None:
    proc = run("index", "--project", str(tmp_path), "--out", str(tmp_path / "i"))
    assert proc.returncode == 2 and "is not a Lean project" in proc.stderr
