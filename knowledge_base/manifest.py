"""The manifest written beside the SQLite file: what was indexed, when, and how big it is."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

from knowledge_base.schema import MANIFEST_FILE, SCHEMA_VERSION


class RootInfo(BaseModel):
    name: str
    path: str
    commit: str | None = None
    lean_toolchain: str | None = None
    files: int = 0


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

    def write(self, directory: Path) -> None:
        (directory / MANIFEST_FILE).write_text(self.model_dump_json(indent=2) + "\n")

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        return cls.model_validate(json.loads((directory / MANIFEST_FILE).read_text()))
