"""Statements out of a model's answer.

Answers come in every shape: code fences (```lean, ```lean4, bare ```), prose around them,
several theorems in one answer, imports and `open` lines, helper definitions, proofs where only
a statement was asked for, or no `:= by sorry` at all. Each theorem/lemma/example becomes one
candidate: its own statement with `:= by sorry`, a name, and the `open`/`variable`/helper lines
it needs as its preamble.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from formalizer.statement import StatementError, parse_statement
from indexer.lexer import lex

_FENCE = re.compile(r"```[ \t]*([\w+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.S)
_DECL_START = re.compile(
    r"^[ \t]*(?:@\[[^\]\n]*\]\s*)?(?:(?:private|protected|noncomputable)\s+)*"
    r"(?:theorem|lemma|example)\b",
    re.M,
)
_OPEN_IN = re.compile(r"^[ \t]*open\s+[^\n]*\bin\s*$", re.M)
_IMPORT = re.compile(r"^[ \t]*import\s+[^\n]*$", re.M)
_DROP_LINE = re.compile(r"^[ \t]*(?:namespace|end|section)\b[^\n]*$", re.M)
_NAME_OK = re.compile(r"^[A-Za-z_][\w'.]*$")


@dataclass
class Extracted:
    """One candidate statement taken from an answer."""

    statement: str  # `theorem name binders : type := by sorry`
    preamble: str  # `open`/`variable`/helper definitions it relies on
    notes: list[str] = field(default_factory=list)


def code_blocks(answer: str) -> list[str]:
    """Lean code in the answer: fenced blocks (Lean ones preferred), else the whole text."""
    blocks = [(lang.lower(), body) for lang, body in _FENCE.findall(answer)]
    lean = [b for lang, b in blocks if lang.startswith("lean")]
    if lean:
        return lean
    others = [b for _, b in blocks if _DECL_START.search(lex(b).code)]
    return others or [answer]


def extract_candidates(answer: str, name: str = "formalized") -> list[Extracted]:
    """Every theorem/lemma/example in `answer`, normalised to `... := by sorry`."""
    out: list[Extracted] = []
    for block in code_blocks(answer):
        out.extend(_from_block(block, name))
    for i, cand in enumerate(out):
        if len(out) > 1 and i > 0:
            cand.notes.append(f"candidate {i + 1} of {len(out)} in one answer")
    return out


def _from_block(block: str, name: str) -> list[Extracted]:
    code = lex(block).code
    starts = [m.start() for m in _DECL_START.finditer(code)]
    if not starts:
        return []
    # `open Foo in` directly before a declaration belongs to it.
    open_in = {m.end(): m.start() for m in _OPEN_IN.finditer(code)}
    bounds = []
    for s in starts:
        prev_end = code.rfind("\n", 0, s)
        bounds.append(open_in.get(prev_end, s) if prev_end >= 0 else s)
    preamble, notes = _clean_preamble(block[: bounds[0]])
    out: list[Extracted] = []
    for i, start in enumerate(bounds):
        end = bounds[i + 1] if i + 1 < len(bounds) else len(block)
        text = block[start:end].strip()
        cand = _normalise(text, preamble, name if i == 0 else f"{name}_{i + 1}")
        if cand is not None:
            cand.notes = notes + cand.notes
            out.append(cand)
    return out


def _clean_preamble(text: str) -> tuple[str, list[str]]:
    notes = []
    if _IMPORT.search(text):
        notes.append("dropped the answer's import lines (the header imports Mathlib)")
        text = _IMPORT.sub("", text)
    text = _DROP_LINE.sub("", text)
    code = lex(text).code
    if not code.strip():
        return "", notes
    return "\n".join(line for line in text.strip().splitlines() if line.strip()), notes


def _normalise(text: str, preamble: str, name: str) -> Extracted | None:
    notes: list[str] = []
    open_prefix = ""
    m = re.match(r"\s*(open\s+[^\n]*?)\s+in\s*\n", text)
    if m:
        open_prefix = m.group(1)
        text = text[m.end() :]
    try:
        stmt = parse_statement(text)
    except StatementError as e:
        return Extracted(statement="", preamble=preamble, notes=[f"unusable: {e}"])
    if stmt.proof and not re.fullmatch(r"by\s+sorry|sorry", stmt.proof.strip()):
        notes.append("replaced the answer's proof with `by sorry`")
    elif not stmt.proof:
        notes.append("added the missing `:= by sorry`")
    if stmt.keyword == "example" or not stmt.name or not _NAME_OK.match(stmt.name):
        notes.append(f"named it `{name}`")
        stmt.name = name
    stmt.keyword = "theorem"
    if open_prefix:
        preamble = f"{preamble}\n{open_prefix}".strip()
    return Extracted(statement=stmt.render("by sorry"), preamble=preamble, notes=notes)
