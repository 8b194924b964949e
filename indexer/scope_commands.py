"""The commands of a Lean file that are not declarations: `namespace`/`section`/`end`,
`open`, `variable`, `universe`, `export`, `attribute [...]`, `import`, and the notation commands
(`notation`, `infixl`, `syntax`, ...) whose tokens the knowledge base records. A part of
`lean_source._FileParser`."""

from __future__ import annotations

import re

from indexer.declaration_parts import squash, translation_request
from indexer.generated_names import _Command, _Header
from indexer.lean_syntax import IDENT_RE, normalize_name
from indexer.lean_terms.split import closing_bracket, split_top
from indexer.models import (
    Declaration,
    NotationEntry,
)
from indexer.scopes import parse_open, parse_variables

_NOTATION_COMMANDS = frozenset(
    {
        "notation",
        "notation3",
        "infix",
        "infixl",
        "infixr",
        "prefix",
        "postfix",
        "macro",
        "syntax",
        "elab",
    }
)
_STRING_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')
# `=> Foo.bar ...` / `=> @Foo.bar ...`: the constant a notation expands to
_NOTATION_HEAD = re.compile(r"=>\s*(?:\(\s*)?@?([^\W\d][\w'.₀-₉]*)")
# The category a `syntax`/`macro`/`elab` extends: `: tactic` at its end or before `=>`
_SYNTAX_CATEGORY = re.compile(r"(?<!:):\s*([a-zA-Z_]\w*)\s*(?:=>|$|\n)", re.S)
# Tokens every Lean term has: not worth a row each
_COMMON_TOKENS = frozenset("( ) [ ] { } , : := => ↦ | . _ ·".split())


# Named precedences of Lean's `prec` syntax.
_NAMED_PRECEDENCE = {"max": 1024, "arg": 1023, "lead": 1022, "min": 10, "min1": 11}
_PRECEDENCE = re.compile(r"\(?\s*(\d+|max|arg|lead|min1|min)\s*(?:([+-])\s*(\d+))?\s*\)?$")
# `notation:50 a:51 " ≤ " b:51 => …`, `notation:max "√" x:max => …`, `notation:max x "ᵀ" => …`
_NOTATION_OPERATOR = re.compile(
    r'^notation(?::\S+)?\s+(?:(?P<lhs>[^\W\d]\w*)(?::(?P<lp>\S+))?\s+)?"[^"]+"'
    r"(?:\s+(?P<rhs>[^\W\d]\w*)(?::(?P<rp>\S+))?)?\s*=>"
)


def precedence_value(text: str) -> int | None:
    """`65`, `max`, `max+1`, `(arg - 1)` as a number; None for anything else."""
    m = _PRECEDENCE.match(text.strip())
    if m is None:
        return None
    base = int(m.group(1)) if m.group(1).isdigit() else _NAMED_PRECEDENCE[m.group(1)]
    shift = int(m.group(3) or 0)
    return base - shift if m.group(2) == "-" else base + shift


def operator_of(kw: str, precedence: str, command: str) -> tuple[str | None, int | None]:
    """(fixity, precedence) of an operator a notation command declares: `infixl:65 " + "`
    -> ("infixl", 65); `notation:50 a:51 " ≤ " b:51` -> ("infix", 50) (the arguments'
    precedences say how it associates: `a:50 … b:51` is `infixl`); (None, None) for anything
    else (a notation with more tokens, a macro, no precedence)."""
    prec = precedence_value(precedence) if precedence else None
    if prec is None:
        return None, None
    if kw in ("infix", "infixl", "infixr", "prefix", "postfix"):
        return kw, prec
    m = _NOTATION_OPERATOR.match(" ".join(command.split())) if kw == "notation" else None
    if m is None or not (m["lhs"] or m["rhs"]):
        return None, None
    if m["lhs"] and m["rhs"]:
        left, right = (precedence_value(p) if p else None for p in (m["lp"], m["rp"]))
        assoc = {(prec, prec + 1): "infixl", (prec + 1, prec): "infixr"}.get((left, right))
        return assoc or "infix", prec
    return ("prefix" if m["rhs"] else "postfix"), prec


class ScopeCommands:
    """Mixed into `_FileParser`: uses its `src`, `scopes`, `result`, `full_name` and `warn`."""

    def scope_command(self, kw: str, header: _Header, cmd: _Command) -> None:
        code = self.code
        rest = code[header.keyword_end : cmd.end]
        line_words = rest.split("\n", 1)[0].split()
        arg = line_words[0] if line_words else ""
        if kw == "namespace":
            if arg:
                self.scopes.push_namespace(normalize_name(arg))
        elif kw == "section":
            self.scopes.push("section", arg)
        elif kw == "mutual":
            self.scopes.push("mutual")
        elif kw == "end":
            problem = self.scopes.end(arg)
            if problem:
                self.warn(cmd.start, problem)
        elif kw == "open":
            self.scopes.add_open(parse_open(rest))
        elif kw == "variable":
            groups = parse_variables(rest)
            for g in groups:
                self.binder_names.update(g.names)
            self.scopes.add_variables(groups)
        elif kw == "universe":
            self.scopes.add_universes(rest.split())
        elif kw in ("import",) or (kw == "module" and not rest.strip()):
            if kw == "import":
                self.add_imports(rest)
        elif kw == "attribute":
            self.attribute_command(rest, header.keyword_end + len(rest))
        elif kw == "add_decl_doc":
            doc = self.doc_before(header.start)
            name = rest.split()[0] if rest.split() else ""
            if doc is not None and name:
                self.result.name_hints.append(("doc", self.full_name(name), doc.text))
        elif kw == "export":
            self.export_command(rest, cmd)
        elif kw in ("to_additive_name_hint", "insert_to_additive_translation"):
            words = rest.split()
            if len(words) >= 2:
                tag = "to_additive_hint" if kw.endswith("hint") else "to_additive_translation"
                self.result.name_hints.append((tag, words[0], words[1]))
        elif kw == "to_dual_name_hint":
            for pair in rest.split(","):
                words = pair.split()
                if len(words) >= 2:
                    self.result.name_hints.append(("to_dual_hint", words[0], words[1]))
                    self.result.name_hints.append(("to_dual_hint", words[1], words[0]))
        elif kw in ("public", "meta") and "import" in rest.split()[:2]:
            self.add_imports(rest.split("import", 1)[1])
        elif kw.split(":", 1)[0] in _NOTATION_COMMANDS:
            self.notation_command(kw, cmd, header.modifiers)

    def notation_command(self, kw: str, cmd: _Command, modifiers: list[str] = ()) -> None:
        """Record the tokens a notation declares, with its scope, the constant it stands for
        (and the identifier-like tokens of a nullary notation, for name resolution) and, for
        an operator, its fixity and precedence (`kw` is the command word as written,
        `infixl:65`)."""
        kw, _, precedence = kw.partition(":")
        original = self.src.code_with_strings[cmd.start : cmd.end]
        literals = _STRING_LITERAL.findall(original)
        if not literals:
            self.warn(cmd.start, f"unreadable notation: `{kw}` with no token; skipped")
            return
        meaning = ""
        if kw == "notation" and len(literals) == 1:
            m = re.search(r"=>\s*@?([^\s()]+)\s*$", original)
            if m and IDENT_RE.fullmatch(m.group(1)):
                meaning = m.group(1)
        for lit in literals:
            for token in IDENT_RE.findall(lit):
                self.result.notations[token] = meaning if len(literals) == 1 else ""
        if kw in ("macro", "syntax", "elab"):
            category = _SYNTAX_CATEGORY.search(original)
            if category is None or category.group(1) != "term":
                return  # a tactic's, a command's or a syntax abbreviation's: not terms' tokens
        scope, namespace = "global", self.scopes.namespace
        for mod in modifiers:
            if mod == "local":
                scope = "local"
            elif mod == "scoped":
                scope = "scoped"
            elif mod.startswith("scoped["):
                scope, namespace = "scoped", mod[len("scoped[") : -1]
        head_match = _NOTATION_HEAD.search(original)
        head = head_match.group(1) if head_match else None
        fixity, prec = operator_of(kw, precedence, original)
        seen: set[str] = set()
        written = [lit.strip() for lit in literals if lit.strip()]
        for k, token in enumerate(written):
            if token in seen or token in _COMMON_TOKENS or " " in token:
                continue
            seen.add(token)
            entry = NotationEntry(token, kw, namespace, scope, head, self.module)
            if fixity is not None and len(literals) == 1:
                entry.fixity, entry.precedence = fixity, prec
            if kw in ("notation", "notation3") and k + 1 < len(written):
                following = written[k + 1]
                entry.follows = following if " " not in following else None
            self.result.notation_entries.append(entry)

    def add_imports(self, rest: str) -> None:
        for word in rest.split():
            if word in ("all", "meta", "public"):
                continue
            self.result.module.imports.append(word)

    def attribute_command(self, args: str, end: int) -> None:
        """`attribute [to_additive foo, simp] bar baz`: translation requests for bar and baz."""
        args = args.strip()
        if not args.startswith("["):
            return
        close = closing_bracket(args, 0)
        if close is None:
            return
        items = [squash(x) for x in split_top(args[1:close])]
        names = [m.group() for m in IDENT_RE.finditer(args[close + 1 :])]
        for item in items:
            head = item.split(None, 1)[0] if item else ""
            if head in ("to_additive", "to_dual", "to_additive?", "to_dual?"):
                for n in names:
                    req = translation_request(head.rstrip("?"), item, None, "", self.rel_path)
                    req.source = n
                    req.line = self.src.line_of(end)
                    req.namespace = self.scopes.namespace
                    self.result.translations.append(req)

    def export_command(self, rest: str, cmd: _Command) -> None:
        ns, _, names = rest.partition("(")
        ns = ns.strip()
        for m in IDENT_RE.finditer(names):
            self.result.declarations.append(
                Declaration(
                    name=self.full_name(m.group()),
                    kind="alias",
                    module=self.module,
                    root=self.root,
                    file=self.rel_path,
                    line_start=self.src.line_of(cmd.start),
                    line_end=self.src.line_of(cmd.end),
                    namespace=self.scopes.namespace,
                    opens=self.scopes.opens,
                    origin="export",
                    alias_of=f"{ns}.{m.group()}",
                )
            )

    # ------------------------------------------------------------ declarations
