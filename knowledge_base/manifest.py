"""The manifest written beside the SQLite file: what was indexed, when, and how big it is."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel, Field

from knowledge_base.schema import MANIFEST_FILE, SCHEMA_VERSION


class RootInfo(BaseModel):
    name: str
    path: str
    commit: str | None = None
    lean_toolchain: str | None = None
    files: int = 0
    version: str | None = None  # Lean core's version, for its sources


class PackageInfo(BaseModel):
    """A dependency pinned by an indexed root's `lake-manifest.json`."""

    name: str
    rev: str | None = None
    url: str | None = None
    required_by: str = ""


class Manifest(BaseModel):
    schema_version: int = SCHEMA_VERSION
    created_at: str
    build_seconds: float
    roots: list[RootInfo] = Field(default_factory=list)
    lean_toolchain: str | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    renames: dict[str, int] = Field(default_factory=dict)  # rename entries by source
    files_with_warnings: int = 0
    anonymous_instances: int = 0
    embeddings: dict[str, object] = Field(default_factory=dict)
    # Top-level modules a statement over this index may import: the indexed ones, and the
    # packages the roots' lake manifests pin (`import Aesop` under Mathlib)
    import_roots: list[str] = Field(default_factory=list)
    packages: list[PackageInfo] = Field(default_factory=list)
    # Every file of the index (path relative to it -> size in bytes), so that a missing or
    # truncated one is named when the index is opened instead of failing deep inside a reader.
    files: dict[str, int] = Field(default_factory=dict)

    def write(self, directory: Path) -> None:
        """Write to a temporary file and rename it into place: a reader never sees half a
        manifest, and a manifest hard-linked from another index (a staged copy) is replaced,
        not edited under that other index."""
        path = directory / MANIFEST_FILE
        tmp = path.with_name(f".{MANIFEST_FILE}.tmp-{os.getpid()}")
        tmp.write_text(self.model_dump_json(indent=2) + "\n")
        os.replace(tmp, path)

    def seal(self, directory: Path) -> None:
        """Record the size of every file in `directory`, then write the manifest."""
        self.files = {
            p.relative_to(directory).as_posix(): p.stat().st_size
            for p in sorted(directory.rglob("*"))
            if p.is_file() and p.name != MANIFEST_FILE
        }
        self.write(directory)

    def damaged_files(self, directory: Path, prefix: str = "") -> list[str]:
        """Files under `prefix` that are missing or not the size they were written with."""
        problems = []
        for rel, size in self.files.items():
            if not rel.startswith(prefix):
                continue
            path = directory / rel
            if not path.is_file():
                problems.append(f"{rel} is missing")
            elif path.stat().st_size != size:
                problems.append(f"{rel} has {path.stat().st_size} bytes, not {size}")
        return problems

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        return cls.model_validate(json.loads((directory / MANIFEST_FILE).read_text()))
