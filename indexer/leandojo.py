"""Read a LeanDojo traced `corpus.jsonl` (one line per file, with its premises) as declarations."""

from __future__ import annotations

from pathlib import Path

from indexer.errors import UserError
from indexer.jsonl import iter_jsonl
from indexer.lean_source import module_name, parse_file
from indexer.lean_terms.split import top_level_assign
from indexer.models import Declaration, ParseWarning

_KINDS = {
    "theorem",
    "lemma",
    "def",
    "abbrev",
    "structure",
    "class",
    "inductive",
    "instance",
    "opaque",
    "axiom",
}


class CorpusError(UserError, ValueError):
    """A corpus file that is not LeanDojo's `corpus.jsonl` format."""


def _line(pos: object) -> int:
    if isinstance(pos, list | tuple) and pos:
        return int(pos[0])
    return int(pos) if isinstance(pos, int) else 0


def read_corpus(path: Path, root: str = "leandojo") -> tuple[list[Declaration], list[ParseWarning]]:
    """Declarations of every premise in a LeanDojo corpus, signatures read from their code."""
    decls: list[Declaration] = []
    warnings: list[ParseWarning] = []
    for lineno, row in iter_jsonl(path, CorpusError, "LeanDojo corpus"):
        try:
            file_path = str(row["path"])
            premises = list(row.get("premises", []))
        except (KeyError, TypeError) as exc:
            raise CorpusError(f"{path}:{lineno}: not a LeanDojo corpus line ({exc})") from exc
        module = module_name(file_path)
        for p in premises:
            name = p.get("full_name")
            if not name:
                warnings.append(
                    ParseWarning(file=file_path, line=0, message="premise without full_name")
                )
                continue
            code = p.get("code", "")
            parsed = parse_file(code, file_path, root).declarations
            first = parsed[0] if parsed else None
            kind = p.get("kind") or (first.kind if first else "def")
            if kind not in _KINDS:
                kind = first.kind if first else "def"
            decls.append(
                Declaration(
                    name=name,
                    kind=kind,
                    module=module,
                    root=root,
                    file=file_path,
                    line_start=_line(p.get("start")),
                    line_end=_line(p.get("end")),
                    modifiers=first.modifiers if first else [],
                    attributes=first.attributes if first else [],
                    deprecated=first.deprecated if first else None,
                    docstring=first.docstring if first else None,
                    signature=first.signature if first else _before_value(code),
                    namespace=name.rpartition(".")[0],
                    references=first.references if first else [],
                    origin="leandojo",
                )
            )
    return decls, warnings


def _before_value(code: str) -> str:
    """Code the parser could not read, up to its value: not a default argument's `:=` nor a
    `letI`'s in the type."""
    assign = top_level_assign(code)
    return (code[: assign.start] if assign else code).strip()
