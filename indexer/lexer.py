"""Blank out Lean comments and string literals, keeping offsets, and collect doc comments.

Every later stage of the indexer works on `LexedSource.code`: the file with comments, strings
and char literals replaced by spaces (newlines kept), so that a `:=` or a bracket inside a
comment can never confuse the declaration parser, and offsets and line numbers stay those of
the original file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

# The earliest of: a block/doc comment, a line comment, a string or a guillemet identifier.
# One plain alternation keeps the scan fast; char literals and raw strings are recognised
# around a `"` hit (see `lex`), since matching them here would slow every search down fourfold.
_SPECIAL = re.compile(r'/-|--|"|«')
_RAW_PREFIX = re.compile(r"(?<![\w'!?.])r(#*)$")
_BLOCK_DELIM = re.compile(r"/-|-/")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_NEWLINE = re.compile(r"[^\n]")

DocKind = Literal["doc", "module_doc"]


@dataclass(frozen=True)
class DocComment:
    """A `/-- ... -/` (doc) or `/-! ... -/` (module_doc) comment: offsets and cleaned text."""

    start: int
    end: int
    kind: DocKind
    text: str


@dataclass
class LexedSource:
    text: str
    code: str
    # Comments blanked but string literals kept: for reading attribute arguments
    # (`deprecated foo (since := "2024-01-01")`) and notation tokens.
    code_with_strings: str
    docs: list[DocComment] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (offset, message)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def line_of(self, offset: int) -> int:
        """1-based line number of `offset`."""
        if not self._line_starts:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return bisect.bisect_right(self._line_starts, offset)


def _blank(segment: str) -> str:
    return _NOT_NEWLINE.sub(" ", segment)


def clean_doc_text(raw: str) -> str:
    """Strip the delimiters of a doc comment and dedent its body."""
    body = raw[3:-2] if raw.endswith("-/") else raw[3:]
    lines = body.strip("\n").split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    cut = min(indents) if indents else 0
    lines = [lines[0].strip()] + [line[cut:].rstrip() for line in lines[1:]]
    return "\n".join(lines).strip()


def _block_end(text: str, start: int) -> int | None:
    """Offset just past the `-/` closing the (nested) block comment opened at `start`."""
    depth = 0
    for m in _BLOCK_DELIM.finditer(text, start):
        if m.group() == "/-":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.end()
    return None


def lex(text: str) -> LexedSource:
    """Blank comments, strings and char literals of a Lean 4 source; record doc comments."""
    pieces: list[str] = []
    comments: list[tuple[int, int]] = []  # spans blanked in `code` that are comments
    docs: list[DocComment] = []
    problems: list[tuple[int, str]] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _SPECIAL.search(text, pos)
        if m is None:
            break
        start = m.start()
        tok = m.group()
        if tok == "«":
            close = text.find("»", start + 1)
            stop = n if close < 0 else close + 1
            pieces.append(text[pos:stop])
            pos = stop
            continue
        pieces.append(text[pos:start])
        if tok == "/-":
            end = _block_end(text, start)
            if end is None:
                problems.append((start, "unterminated comment"))
                end = n
            raw = text[start:end]
            if raw.startswith("/--") and not raw.startswith("/--/"):
                docs.append(DocComment(start, end, "doc", clean_doc_text(raw)))
            elif raw.startswith("/-!"):
                docs.append(DocComment(start, end, "module_doc", clean_doc_text(raw)))
        elif tok == "--":
            nl = text.find("\n", start)
            end = n if nl < 0 else nl
        elif tok == '"':
            raw = _RAW_PREFIX.search(text, max(0, start - 8), start)
            if text[start - 1 : start] == "'" and text[start + 1 : start + 2] == "'":
                end = start + 1  # the char literal '"'
            elif raw is not None:
                pieces[-1] = pieces[-1][: len(pieces[-1]) - len(raw.group())]
                start = raw.start()
                closing = '"' + raw.group(1)
                close = text.find(closing, m.end())
                if close < 0:
                    problems.append((start, "unterminated raw string"))
                end = n if close < 0 else close + len(closing)
            else:
                sm = _STRING.match(text, start)
                if sm is None:
                    problems.append((start, "unterminated string"))
                end = n if sm is None else sm.end()
        pieces.append(_blank(text[start:end]))
        if tok in ("/-", "--"):
            comments.append((start, end))
        pos = end
    pieces.append(text[pos:])
    code = "".join(pieces)
    if comments:
        parts, last = [], 0
        for start, end in comments:
            parts.append(text[last:start])
            parts.append(code[start:end])
            last = end
        parts.append(text[last:])
        with_strings = "".join(parts)
    else:
        with_strings = text
    return LexedSource(
        text=text, code=code, code_with_strings=with_strings, docs=docs, problems=problems
    )
