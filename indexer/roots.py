"""Source roots: a Lean project directory and the `.lean` files of its library."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import UserError

# Directories that hold tests, scripts or build output rather than library code.
_SKIP_DIRS = frozenset(
    {
        ".lake",
        "lake-packages",
        "build",
        ".git",
        "test",
        "tests",
        "Test",
        "scripts",
        "docs",
        "MathlibTest",
        "BatteriesTest",
        "Archive",
        "Counterexamples",
        "Cache",
        "DownstreamTest",
    }
)


class RootError(UserError, ValueError):
    """A source root that cannot be indexed (missing, not a directory, no Lean files)."""


@dataclass(frozen=True)
class SourceRoot:
    """A directory of Lean sources; `libraries` are the top-level module names to index."""

    path: Path
    name: str
    libraries: tuple[str, ...]

    def files(self) -> list[tuple[Path, str]]:
        """(absolute path, path relative to the root) of every `.lean` file of the libraries."""
        out: list[tuple[Path, str]] = []
        for lib in self.libraries:
            top_file = self.path / f"{lib}.lean"
            lib_dir = self.path / lib
            if top_file.is_file() and lib:
                out.append((top_file, top_file.relative_to(self.path).as_posix()))
            base = lib_dir if lib else self.path
            if base.is_dir():
                for f in sorted(base.rglob("*.lean")):
                    inside = f.relative_to(base)
                    if any(part in _SKIP_DIRS for part in inside.parts[:-1]):
                        continue
                    out.append((f, f.relative_to(self.path).as_posix()))
        return out

    def git_commit(self) -> str | None:
        return git_commit(self.path)

    def lean_toolchain(self) -> str | None:
        f = self.path / "lean-toolchain"
        return f.read_text().strip() if f.is_file() else None


@dataclass(frozen=True)
class Package:
    """A dependency a project's `lake-manifest.json` pins."""

    name: str
    rev: str | None
    url: str | None


def lake_packages(path: Path) -> list[Package]:
    """The packages `path/lake-manifest.json` pins (none when there is no manifest)."""
    import json

    manifest = path / "lake-manifest.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for pkg in data.get("packages", []) if isinstance(data, dict) else []:
        if isinstance(pkg, dict) and isinstance(pkg.get("name"), str):
            out.append(Package(pkg["name"], pkg.get("rev"), pkg.get("url")))
    return out


def git_commit(path: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", commit) else None


def _default_libraries(path: Path) -> list[str]:
    """Library names from the lakefile: default targets first, else every `lean_lib`."""
    toml = path / "lakefile.toml"
    lean = path / "lakefile.lean"
    libs: list[str] = []
    defaults: list[str] = []
    if toml.is_file():
        text = toml.read_text(encoding="utf-8", errors="replace")
        libs = re.findall(r'\[\[lean_lib\]\]\s*\n\s*name\s*=\s*"([^"]+)"', text)
        m = re.search(r"defaultTargets\s*=\s*\[([^\]]*)\]", text)
        if m:
            defaults = re.findall(r'"([^"]+)"', m.group(1))
    elif lean.is_file():
        text = lean.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"(@\[default_target\]\s*)?lean_lib\s+«?([\w.]+)»?", text):
            libs.append(m.group(2))
            if m.group(1):
                defaults.append(m.group(2))
    chosen = [lib for lib in libs if lib in defaults] or libs
    return [lib for lib in chosen if (path / lib).is_dir() or (path / f"{lib}.lean").is_file()]


def extra_libraries(root: SourceRoot, names: tuple[str, ...]) -> list[SourceRoot]:
    """Other libraries of the same project as roots of their own (Mathlib's `Archive`)."""
    return [
        SourceRoot(root.path, lib, (lib,))
        for lib in names
        if (root.path / lib).is_dir() and lib not in root.libraries
    ]


def discover_root(
    path: str | Path, name: str | None = None, libraries: tuple[str, ...] | None = None
) -> SourceRoot:
    """Describe a Lean project or plain directory of `.lean` files as a `SourceRoot`."""
    p = Path(path).expanduser()
    if not p.exists():
        raise RootError(f"source root {p} does not exist")
    if not p.is_dir():
        raise RootError(f"source root {p} is not a directory")
    libs = list(libraries) if libraries else _default_libraries(p)
    if not libs:
        libs = [""]
    root = SourceRoot(p.resolve(), name or (libs[0] if libs[0] else p.resolve().name), tuple(libs))
    if not root.files():
        raise RootError(f"source root {p} contains no .lean files")
    return root


# ------------------------------------------------------------------ Lean core
CORE_LIBRARIES = ("Init", "Std")  # what statements use of core; `Lean` is the compiler's API


def elan_home() -> Path:
    import os

    return Path(os.environ.get("ELAN_HOME") or Path.home() / ".elan")


def toolchain_dir_name(toolchain: str) -> str:
    """`leanprover/lean4:v4.33.0` -> `leanprover--lean4---v4.33.0`, elan's directory name."""
    return toolchain.strip().replace("/", "--").replace(":", "---")


def toolchain_sources(toolchain: str | None) -> Path | None:
    """The core sources of an installed toolchain (`~/.elan/toolchains/<it>/src/lean`)."""
    if not toolchain:
        return None
    src = elan_home() / "toolchains" / toolchain_dir_name(toolchain) / "src" / "lean"
    return src if (src / "Init").is_dir() else None


def core_version(src: Path) -> str | None:
    """The Lean version of a core source tree: its `version.h`, else its toolchain's name."""
    for header in (
        src.parent.parent / "include" / "lean" / "version.h",
        src / "include" / "lean" / "version.h",
    ):
        if header.is_file():
            m = re.search(r'LEAN_VERSION_STRING\s+"([^"]+)"', header.read_text(errors="replace"))
            if m:
                return m.group(1)
    name = src.parent.parent.name  # .../toolchains/leanprover--lean4---v4.33.0/src/lean
    m = re.search(r"---v?(.+)$", name)
    return m.group(1) if m else None


def core_root(src: str | Path) -> SourceRoot:
    """Lean core's `Init` and `Std` as a source root; a `RootError` when `src` is not one."""
    p = Path(src).expanduser()
    if not (p / "Init").is_dir() or not (p / "Init" / "Prelude.lean").is_file():
        raise RootError(
            f"{p} is not Lean core's source tree (no Init/Prelude.lean): give the `src/lean` "
            "directory of a toolchain"
        )
    libs = tuple(lib for lib in CORE_LIBRARIES if (p / lib).is_dir())
    return SourceRoot(p.resolve(), "LeanCore", libs)


# ------------------------------------------------------------------- projects
@dataclass(frozen=True)
class Project:
    """A Lean project as Lake builds it: its own libraries, the packages its manifest pins
    (checked out under `.lake/packages`), and the toolchain's core when installed."""

    root: SourceRoot
    packages: list[tuple[Package, SourceRoot | None]]
    core: SourceRoot | None
    toolchain: str | None


def discover_project(path: str | Path, lean_src: str | Path | None = None) -> Project:
    p = Path(path).expanduser()
    if not (p / "lakefile.toml").is_file() and not (p / "lakefile.lean").is_file():
        raise RootError(f"{p} is not a Lean project (no lakefile.toml or lakefile.lean)")
    root = discover_root(p)
    packages: list[tuple[Package, SourceRoot | None]] = []
    for pkg in lake_packages(p):
        checkout = p / ".lake" / "packages" / pkg.name
        found = None
        if checkout.is_dir():
            try:
                found = discover_root(checkout, name=pkg.name)
            except RootError:
                found = None
        packages.append((pkg, found))
    toolchain = root.lean_toolchain()
    core_path = Path(lean_src) if lean_src else toolchain_sources(toolchain)
    core = core_root(core_path) if core_path is not None else None
    return Project(root, packages, core, toolchain)
