"""Read a JSONL declaration library (one declaration per line) as declarations.

The format of `connf/library.jsonl` in the shared benchmark data (from "Rethinking and Improving
Autoformalization"): `full_name`, `ptype` (kind), `header` (the elaborated statement, with
fully qualified names, premises marked `🔗<|PREMISE|>🔗`), `code` (the source), `def_path`,
`pos` ([start line, end line]). Only `full_name` is required; the signature is read from
`header`, else from `code`.
"""

from __future__ import annotations

import json
from pathlib import Path

from indexer.errors import UserError
from indexer.jsonl import iter_jsonl
from indexer.lean_source import module_name, parse_file
from indexer.models import Declaration, ParseWarning

_KIND = {
    "noncomputable def": "def",
    "structure_field": "structure field",
    "structure_mk": "constructor",
    "class inductive": "class inductive",
}
_MARK = "🔗<|PREMISE|>🔗"


class LibraryError(UserError, ValueError):
    """A library file that is not one JSON object per line with a `full_name`."""


def _lines(pos: object) -> tuple[int, int]:
    try:
        value = json.loads(pos) if isinstance(pos, str) else pos
        return int(value[0]), int(value[1])
    except (TypeError, ValueError, IndexError, json.JSONDecodeError):
        return 0, 0


def read_library(
    path: Path, root: str | None = None
) -> tuple[list[Declaration], list[ParseWarning]]:
    root = root or path.stem
    decls: list[Declaration] = []
    warnings: list[ParseWarning] = []
    for lineno, row in iter_jsonl(path, LibraryError, "library"):
        if "full_name" not in row:
            raise LibraryError(f"{path}:{lineno}: not a library line (no full_name)")
        name = str(row["full_name"])
        file = str(row.get("def_path") or "")
        module = module_name(file) if file else name.rpartition(".")[0]
        header = str(row.get("header") or "").replace(_MARK, "")
        code = str(row.get("code") or "")
        parsed = parse_file(header, file, root).declarations if header else []
        if not parsed and code:
            parsed = parse_file(code, file, root).declarations
        first = parsed[0] if parsed else None
        kind = _KIND.get(str(row.get("ptype")), str(row.get("ptype") or ""))
        if kind not in (
            "theorem",
            "lemma",
            "def",
            "abbrev",
            "structure",
            "class",
            "inductive",
            "class inductive",
            "instance",
            "structure field",
            "constructor",
            "opaque",
            "axiom",
        ):
            kind = first.kind if first else "def"
        docs = parse_file(code, file, root).declarations if code else []
        doc = docs[0].docstring if docs else None
        start, end = _lines(row.get("pos"))
        if first is None:
            warnings.append(
                ParseWarning(
                    file=file or str(path), line=lineno, message=f"no signature read for {name}"
                )
            )
        decls.append(
            Declaration(
                name=name,
                kind=kind,
                module=module,
                root=root,
                file=file,
                line_start=start,
                line_end=end,
                attributes=first.attributes if first else [],
                deprecated=first.deprecated if first else None,
                docstring=doc,
                signature=first.signature if first else "",
                namespace=name.rpartition(".")[0],
                references=first.references if first else [],
                origin="source",
            )
        )
    return decls, warnings
