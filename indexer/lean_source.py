"""Parse one Lean 4 source file into declarations, without a Lean toolchain.

The file is lexed (comments and strings blanked), cut into commands at column-0 lines (and at
indented declarations inside `mutual`), and each command is read by hand: prefixes such as
`open ... in`, the doc comment, `@[...]` attributes, modifiers, the keyword, the name, and the
signature up to the first top-level `:=`, `where`, `|` arm or `deriving`. Scope commands update a
`ScopeStack`, so every declaration gets its full name, `open`s and `variable`s.

Parsing never raises on bad input: a command it cannot read becomes a `ParseWarning` naming the
line, and the rest of the file is still read.
"""

from __future__ import annotations

import bisect
import re

from indexer.declaration_parts import (
    deprecation,
    squash,
    used_variables,
)
from indexer.generated_names import GeneratedNames, _Command, _Header
from indexer.lean_syntax import (
    BINDING_WORDS,
    DECL_KEYWORDS,
    DECL_NAME_RE,
    KEYWORDS,
    MODIFIERS,
    normalize_name,
)
from indexer.lean_terms.split import (
    bracket_depth,
    closing_bracket,
    first_top_level,
    one_line,
    top_level_spans,
    top_level_tokens,
)
from indexer.lean_terms.syntax import NO_OPERATORS, Operators
from indexer.lexer import DocComment, LexedSource, lex
from indexer.models import (
    TYPED_BY_VALUE,
    Declaration,
    FileResult,
    ModuleInfo,
    ParseWarning,
)
from indexer.scope_commands import ScopeCommands
from indexer.scopes import ScopeStack, VariableGroup, parse_open, parse_variables
from indexer.signature_names import signature_names

_IN_PREFIX = frozenset({"open", "set_option", "variable", "omit", "include", "attribute"})
_WORD = re.compile(r"\S+")
_WORD_AT = re.compile(r"[^\s\[(]+|@\[|\[|\(")
_LINE_START = re.compile(r"^(?=\S)", re.M)
_INDENTED_DECL = re.compile(
    r"^[ \t]+(?=(?:@\[|(?:private|protected|noncomputable|partial|unsafe|nonrec|meta)\s"
    r"|(?:theorem|lemma|def|abbrev|structure|class|inductive|instance|opaque|axiom)\s))",
    re.M,
)
# A qualified name starting with a capital (`List.IsPrefix`): a constant, never a local
_QUALIFIED = re.compile(r"(?<![\w.'])([A-Z][\w']*(?:\.[^\W\d][\w'!?₀-₉]*)+)")
_HEAD_WORD = re.compile(r"@\[|[\w#]+")
_ALWAYS_STARTS = DECL_KEYWORDS | MODIFIERS | {"@[", "namespace", "section", "end", "mutual"}
_CONTINUATION_CHARS = frozenset("|)]}⟩⦄,.·:=<>+-*/$`∘")
_CONTINUATION_WORDS = frozenset(
    {
        "where",
        "with",
        "then",
        "else",
        "fun",
        "by",
        "at",
        "from",
        "deriving",
        "termination_by",
        "decreasing_by",
        "using",
        "in",
    }
)
_CONTINUATION_ENDINGS = (
    ":=",
    ",",
    "=>",
    "↦",
    " by",
    "(",
    "[",
    "{",
    "⟨",
    "←",
    "→",
    "↔",
    "<|",
    "|>",
    "$",
    "=",
    "∧",
    "∨",
    " fun",
    " where",
    " with",
    " alias",
)
_IN = frozenset({"in"})
_MAX_VALUE = 300  # longer values are programs and proofs, not the short terms a type is read from


def untyped_value(rest: str) -> str | None:
    """The value after `:=` in `rest`, the text after a signature that states no type: what
    Lean infers the type from. None when not a `:=` value, or long."""
    if not rest.startswith(":="):
        return None
    value = one_line(rest[2:])
    return value if value and len(value) <= _MAX_VALUE else None


def module_name(rel_path: str) -> str:
    """`Mathlib/Algebra/Group/Defs.lean` -> `Mathlib.Algebra.Group.Defs`."""
    path = rel_path[:-5] if rel_path.endswith(".lean") else rel_path
    return path.replace("\\", "/").strip("/").replace("/", ".")


class _FileParser(GeneratedNames, ScopeCommands):
    def __init__(
        self,
        text: str,
        rel_path: str,
        root: str,
        references: bool,
        operators: Operators,
        declarations: bool = True,
        section_variables: bool | frozenset[str] = True,
        signatures: bool | frozenset[str] = True,
    ) -> None:
        self.src: LexedSource = lex(text)
        self.operators = operators
        self.code = self.src.code
        self.rel_path = rel_path
        self.root = root
        self.module = module_name(rel_path)
        self.with_references = references
        self.with_declarations = declarations
        self.with_section_variables = section_variables
        self.with_signatures = signatures
        self.scopes = ScopeStack()
        self.result = FileResult(module=ModuleInfo(module=self.module, root=root, file=rel_path))
        self.doc_ends = [d.end for d in self.src.docs]
        self.binder_names: set[str] = set()
        self.pending_opens: list[str] = []
        self.pending_variables: list[VariableGroup] = []

    # ----------------------------------------------------------------- helpers
    def warn(self, offset: int, message: str) -> None:
        self.result.warnings.append(
            ParseWarning(file=self.rel_path, line=self.src.line_of(offset), message=message)
        )

    def doc_before(self, offset: int) -> DocComment | None:
        """The doc comment that ends right before `offset`, with only whitespace between."""
        i = bisect.bisect_right(self.doc_ends, offset) - 1
        while i >= 0:
            doc = self.src.docs[i]
            if self.code[doc.end : offset].strip():
                return None
            if doc.kind == "doc":
                return doc
            i -= 1
        return None

    def docs_within(self, start: int, end: int) -> list[DocComment]:
        i = bisect.bisect_left(self.doc_ends, start)
        out = []
        while i < len(self.src.docs) and self.src.docs[i].start < end:
            if self.src.docs[i].start >= start and self.src.docs[i].kind == "doc":
                out.append(self.src.docs[i])
            i += 1
        return out

    def full_name(self, written: str) -> str:
        written = normalize_name(written)
        if written.startswith("_root_."):
            return written[len("_root_.") :]
        ns = self.scopes.namespace
        return f"{ns}.{written}" if ns else written

    # --------------------------------------------------------------- commands
    def commands(self) -> list[_Command]:
        """Cut the file into commands.

        A command starts at a column-0 line, unless that line continues the previous one: it is
        inside brackets, opens with `|`, `)`, `where`, ..., or the previous line ends with `:=`,
        `,`, `=>` and the like. Declarations always start one, and inside `mutual` indented
        declarations do too.
        """
        code = self.code
        starts = [m.start() for m in _LINE_START.finditer(code)]
        if "mutual" in code:
            starts = sorted(set(starts) | {m.end() for m in _INDENTED_DECL.finditer(code)})
        out: list[_Command] = []
        for s in starts:
            if out and self._continues(s, out[-1]):
                continue
            if out:
                out[-1].end = len(code[out[-1].start : s].rstrip()) + out[-1].start
            out.append(_Command(s, len(code)))
        if out:
            out[-1].end = len(code.rstrip())
        return out

    def _continues(self, s: int, previous: _Command) -> bool:
        code = self.code
        word = _WORD.match(code, s)
        first = word.group() if word else ""
        head = _HEAD_WORD.match(first)
        if head is not None and head.group() in _ALWAYS_STARTS:
            # `@[simp]` alone on a line belongs to the declaration below it.
            return _only_modifiers(code[previous.start : s])
        if first[:1] in _CONTINUATION_CHARS or first in _CONTINUATION_WORDS:
            return not code.startswith("deriving instance", s)
        before = code[previous.start : s]
        return bracket_depth(before) > 0 or before.rstrip().endswith(_CONTINUATION_ENDINGS)

    def parse(self) -> FileResult:
        for offset, message in self.src.problems:
            self.warn(offset, message)
        for cmd in self.commands():
            if cmd.start != self._line_start(cmd.start) and not self.scopes.in_mutual:
                # An indented declaration outside `mutual`: part of the previous command.
                continue
            try:
                self.command(cmd)
            except Exception as exc:  # never abort a file: report and go on
                self.warn(cmd.start, f"could not parse command: {type(exc).__name__}: {exc}")
        self.result.module.docstrings = [d.text for d in self.src.docs if d.kind == "module_doc"]
        self.result.binder_names = sorted(self.binder_names)
        return self.result

    def _line_start(self, offset: int) -> int:
        return self.code.rfind("\n", 0, offset) + 1

    def command(self, cmd: _Command) -> None:
        code = self.code
        pos = cmd.start
        # `open ... in`, `set_option ... in`, ... possibly several, possibly alone on a line.
        opens: list[str] = list(self.pending_opens)
        variables: list[VariableGroup] = list(self.pending_variables)
        self.pending_opens, self.pending_variables = [], []
        while True:
            word = _WORD.match(code, pos)
            if word is None or word.group() not in _IN_PREFIX:
                break
            m = first_top_level(code[: cmd.end], _IN, word.end())
            if m is None:
                break
            args = code[word.end() : m.start]
            if word.group() == "open":
                opens.extend(parse_open(args))
            elif word.group() == "variable":
                variables.extend(parse_variables(args))
            elif word.group() == "attribute":
                self.attribute_command(args, m.start)
            pos = m.end
            rest = code[pos : cmd.end]
            if not rest.strip():
                self.pending_opens, self.pending_variables = opens, variables
                return
            pos += len(rest) - len(rest.lstrip())
        header = self.header(pos, cmd.end)
        if header is None:
            return
        kw = header.keyword
        if kw in DECL_KEYWORDS and not self.with_declarations:
            return
        if kw in DECL_KEYWORDS:
            if not (opens or variables):
                self.declaration(header, cmd)
                return
            self.scopes.push_in(opens, variables)
            try:
                self.declaration(header, cmd)
            finally:
                self.scopes.pop_in()
            return
        self.scope_command(kw, header, cmd)

    def header(self, pos: int, end: int) -> _Header | None:
        code = self.code
        start = pos
        attributes: list[tuple[str, str | None]] = []
        modifiers: list[str] = []
        while pos < end:
            while pos < end and code[pos].isspace():
                pos += 1
            if code.startswith("@[", pos):
                close = closing_bracket(code[pos + 1 : end], 0)
                if close is None:
                    self.warn(pos, "unclosed attribute list")
                    return None
                close += pos + 1
                attributes.extend(self.split_attributes(pos + 2, close))
                pos = close + 1
                continue
            word = _WORD_AT.match(code, pos)
            if word is None:
                return None
            w = word.group()
            if w in MODIFIERS:
                modifiers.append(w)
                pos = word.end()
                if w == "scoped" and code.startswith("[", pos):  # `scoped[NS] notation ...`
                    close = code.find("]", pos, end)
                    if close > 0:
                        modifiers[-1] = f"scoped[{code[pos + 1 : close].strip()}]"
                    pos = close + 1 if close > 0 else pos + 1
                continue
            doc = self.doc_before(start)
            return _Header(doc, attributes, modifiers, w, word.end(), start)
        return None

    def split_attributes(self, start: int, end: int) -> list[tuple[str, str | None]]:
        """Split `@[a, b (x := y), c]` into items, each with the doc comment written inside it."""
        out: list[tuple[str, str | None]] = []
        for a, b in top_level_spans(self.code[start:end]):
            item = squash(self.src.code_with_strings[start + a : start + b])
            if item:
                docs = self.docs_within(start + a, start + b)
                out.append((item, docs[0].text if docs else None))
        return out

    # ------------------------------------------------------------ declarations
    def declaration(self, header: _Header, cmd: _Command) -> None:
        code = self.code
        kw = header.keyword
        pos = header.keyword_end
        kind = "lemma" if kw == "lemma" else kw
        if kw == "class":
            nxt = _WORD.match(code, pos + 1)
            if nxt is not None and nxt.group() in ("inductive", "abbrev"):
                kind = f"class {nxt.group()}"
                pos = nxt.end()
        if kw == "example":
            return
        if kw == "alias":
            self.alias(header, cmd, pos)
            return
        name: str | None = None
        if kw == "instance":
            while pos < cmd.end and code[pos].isspace():
                pos += 1
            if code.startswith("(priority", pos) or code.startswith("(prio", pos):
                close = closing_bracket(code[pos : cmd.end], 0)
                pos = pos + (close or 0) + 1
            m = DECL_NAME_RE.match(code, pos)
            if m is not None and m.group(1) not in KEYWORDS:
                name, pos = m.group(1), m.end()
        else:
            m = DECL_NAME_RE.match(code, pos)
            if m is None or m.group(1) in KEYWORDS:
                self.warn(pos, f"`{kw}` without a readable name")
                return
            name, pos = m.group(1), m.end()
        wanted = self.with_signatures
        if wanted is True or (wanted is not False and kind in wanted):
            stop, typed = self.signature_end(pos, cmd.end, kind)
            signature = one_line(code[pos:stop])
        else:  # not asked for: finding where a signature ends is a third of a parse
            stop, typed, signature = pos, True, ""
        if name is None:
            self.result.anonymous_instances += 1
            return
        full = self.full_name(name)
        decl = self.make(header, cmd, full, kind, signature)
        if not typed and kind in TYPED_BY_VALUE:
            decl.value = untyped_value(code[stop : cmd.end])
        self.result.declarations.append(decl)
        self.generated_from_attributes(decl, header)
        if kind in ("structure", "class"):
            self.structure_members(decl, stop, cmd.end)
        elif kind in ("inductive", "class inductive"):
            self.constructors(decl, stop, cmd.end)
        elif kind == "irreducible_def":
            self.result.declarations.append(
                decl.replace(
                    name=f"{full}_def",
                    kind="theorem",
                    origin="irreducible_def",
                    generated_from=full,
                    docstring=None,
                )
            )

    def signature_end(self, pos: int, end: int, kind: str) -> tuple[int, bool]:
        """Offset where the signature stops: top-level `:=`, `where`, `deriving` or a `|` arm
        (the `:=` of a `haveI`/`letI`/`have`/`let` written in the type is not the stop); and
        whether the signature states a type (a top-level `:` before the stop)."""
        bindings = 0  # `haveI x := v` seen at the top level, its `:=` still to come
        first_bar = -1
        typed = False
        inductive = kind in ("structure", "class", "inductive", "class inductive")
        for tok in top_level_tokens(self.code[pos:end]):  # offsets from `pos`
            if tok.text == ":":
                typed = True
            elif tok.kind == "keyword" and tok.text in BINDING_WORDS:
                bindings += 1
            elif tok.text == ":=" and bindings:
                bindings -= 1
            elif tok.text in (":=", "where", "deriving"):
                return pos + tok.start, typed
            elif tok.text == "|":
                if inductive:
                    return pos + tok.start, typed
                if first_bar < 0:
                    first_bar = pos + tok.start
            elif tok.text == "=>" and first_bar >= 0:
                return first_bar, typed
        return end, typed

    def make(
        self, header: _Header, cmd: _Command, full: str, kind: str, signature: str
    ) -> Declaration:
        doc = header.doc
        start_offset = doc.start if doc else header.start
        variables = self.scopes.variables
        wanted = self.with_section_variables
        read_variables = wanted is True or (wanted is not False and kind in wanted)
        references: list[str] = []
        proof_references: list[str] = []
        used = self.header_variables(signature, variables) if variables and read_variables else []
        if self.with_references:
            references = self.references(
                signature, variables, used=used if read_variables else None
            )
            mentioned = set(references)
            proof_references = sorted(
                {m for m in _QUALIFIED.findall(self.code, cmd.start, cmd.end)} - mentioned
            )
        if used:  # the header as Lean elaborates it: the `variable`s it uses, then its own
            signature = " ".join([*(g.text for g in used), signature])
        return Declaration(
            name=full,
            kind=kind,
            module=self.module,
            root=self.root,
            file=self.rel_path,
            line_start=self.src.line_of(start_offset),
            line_end=self.src.line_of(max(cmd.end - 1, cmd.start)),
            modifiers=header.modifiers,
            attributes=[a for a, _ in header.attributes],
            deprecated=deprecation(header.attributes),
            docstring=doc.text if doc else None,
            signature=signature,
            namespace=self.scopes.namespace,
            opens=self.scopes.opens,
            variables=[v.text for v in variables],
            references=references,
            proof_references=proof_references,
            origin="source",
            generated_from=None,
            alias_of=None,
        )

    def header_variables(
        self, signature: str, variables: list[VariableGroup], local: frozenset[str] = frozenset()
    ) -> list[VariableGroup]:
        """The `variable` groups Lean includes in a declaration with this signature."""
        return used_variables(
            signature_names(signature, self.operators).candidates, variables, set(local)
        )

    def references(
        self,
        signature: str,
        variables: list[VariableGroup],
        local: frozenset[str] = frozenset(),
        used: list[VariableGroup] | None = None,
    ) -> list[str]:
        """Global names the signature (and the `variable`s it pulls in) mention."""
        names = signature_names(signature, self.operators)
        self.binder_names |= names.binds
        local = set(local) | set(self.scopes.universes)
        candidates = names.candidates
        if used is None:
            used = used_variables(candidates, variables, local)
        for group in used:
            local.update(group.names)
        refs = dict.fromkeys(name for name, first in candidates if first not in local)
        for group in used:
            for name, first in signature_names(group.text, self.operators).candidates:
                if first not in local:
                    refs[name] = None
        return list(refs)


def _only_modifiers(text: str) -> bool:
    """Whether `text` is nothing but `@[...]` attribute lists and modifiers."""
    pos, n = 0, len(text)
    seen = False
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos == n:
            return seen
        if text.startswith("@[", pos):
            close = closing_bracket(text[pos + 1 :], 0)
            if close is None:
                return False
            pos += close + 2
        else:
            word = _WORD_AT.match(text, pos)
            if word is None or word.group() not in MODIFIERS:
                return False
            pos = word.end()
        seen = True


def parse_file(
    text: str,
    rel_path: str,
    root: str = "",
    *,
    references: bool = True,
    operators: Operators = NO_OPERATORS,
    declarations: bool = True,
    section_variables: bool | frozenset[str] = True,
    signatures: bool | frozenset[str] = True,
) -> FileResult:
    """Parse one Lean file; never raises on malformed input. `operators`: those the sources
    declare, for reading signatures (`extract.parse_roots` collects them first);
    `declarations=False` reads the scope and notation commands only;
    `section_variables`: the declarations (all, none, or those of the given kinds) whose
    signatures get the `variable`s they use; the others keep theirs as written (reading which
    variables a signature uses is over half of a parse, and rename detection compares the
    signatures of definitions only); `signatures`: the declarations whose signatures are read
    at all (the others get ""; rename detection reads only definitions')."""
    try:
        return _FileParser(
            text,
            rel_path,
            root,
            references,
            operators,
            declarations,
            section_variables,
            signatures,
        ).parse()
    except Exception as exc:  # the lexer or scope tracking broke: keep the file's name at least
        result = FileResult(
            module=ModuleInfo(module=module_name(rel_path), root=root, file=rel_path)
        )
        result.warnings.append(
            ParseWarning(file=rel_path, line=1, message=f"could not parse file: {exc!r}")
        )
        return result
