"""A Lean statement taken apart without Lean: header lines, `open`s, name, binders, conclusion.

Generated statements and benchmark rows both arrive as a header (imports, `open`s, options) plus
one declaration; the checks and the prompt need its pieces, and the identifier check needs to
know which names the statement binds itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.lean_terms import Node, Raw, parse_signature, tokenize
from indexer.lean_terms.cursor import _opens_group
from indexer.lean_terms.lexer import Token
from indexer.lean_terms.names import global_names, notation_used
from indexer.lean_terms.scan import scanned_globals
from indexer.lean_terms.split import binder_groups, first_top_level, top_level_assign
from indexer.lean_terms.syntax import BRACKETS, INFIX, NO_OPERATORS, PREFIX, Operators
from indexer.lexer import lex
from indexer.scopes import parse_open
from indexer.signature_names import signature_names

_DECL_RE = re.compile(
    r"^(?:@\[[^\]]*\]\s*)?(?:(?:private|protected|noncomputable)\s+)*"
    r"(theorem|lemma|example)\b",
    re.M,
)
_OPEN_LINE = re.compile(r"^open\s+(.*?)(?:\s+in)?\s*$", re.M)
_OPEN_IN_PREFIX = re.compile(r"^\s*open\s+([^\n]*?)\s+in\b\s*", re.S)
_NAMESPACE_LINE = re.compile(r"^namespace\s+(\S+)\s*$", re.M)
_COLON = frozenset({":"})
_NAME_RE = re.compile(r"\s*([^\s({\[⦃:]+)")


@dataclass
class LeanStatement:
    """One `theorem`/`lemma`/`example` with the context it is read in."""

    header: str  # everything before the declaration (imports, opens, options, namespaces)
    keyword: str  # theorem | lemma | example
    name: str | None
    binders: str  # text between the name and the top-level `:`
    conclusion: str  # the type after the top-level `:`, up to `:=`
    proof: str  # what follows `:=` (or "" when the statement has none)
    opens: list[str] = field(default_factory=list)
    namespace: str = ""
    offset: int = 0  # where `binders` starts in `source`
    source: str = ""  # header + declaration as given, comments blanked

    @property
    def signature(self) -> str:
        return f"{self.binders} : {self.conclusion}".strip()

    @property
    def local_names(self) -> frozenset[str]:
        """Names the statement binds: binder names, quantified and `fun`-bound variables."""
        return signature_names(self.signature).binds

    def render(self, proof: str = "by sorry") -> str:
        """The declaration alone, with `proof` after `:=`."""
        head = f"{self.keyword} {self.name}" if self.name else self.keyword
        binders = f" {self.binders}" if self.binders else ""
        return f"{head}{binders} :\n    {self.conclusion} := {proof}"


class StatementError(ValueError):
    """The text holds no `theorem`/`lemma`/`example` that can be split into its parts."""


def header_opens(header: str) -> tuple[list[str], str]:
    """The `open` specs and the innermost `namespace` of a header (comments blanked first)."""
    text = lex(header).code
    opens: list[str] = []
    for m in _OPEN_LINE.finditer(text):
        opens.extend(parse_open(m.group(1)))
    spaces = _NAMESPACE_LINE.findall(text)
    return opens, ".".join(spaces)


def parse_statement(text: str, header: str = "") -> LeanStatement:
    """Split `header` + `text` into a `LeanStatement` (the first declaration in `text`)."""
    code = lex(text).code
    m = _DECL_RE.search(code)
    if m is None:
        raise StatementError("no `theorem`, `lemma` or `example` found")
    pre_decl = code[: m.start()]
    full_header = (
        f"{header.rstrip()}\n{text[: m.start()]}".strip("\n") if header else text[: m.start()]
    )
    opens, namespace = header_opens(f"{lex(header).code}\n{pre_decl}")
    keyword = m.group(1)
    pos = m.end()
    name = None
    if keyword != "example":
        nm = _NAME_RE.match(code, pos)
        if nm is None:
            raise StatementError(f"`{keyword}` without a name")
        name = nm.group(1)
        pos = nm.end()
    rest = code[pos:]
    assign = top_level_assign(rest)  # not the `:=` of a `haveI`/`letI` in the type
    body_end = assign.start if assign else len(rest)
    colon = first_top_level(rest[:body_end], _COLON)
    if colon is None:
        raise StatementError("the statement has no top-level `:` before its type")
    binders = rest[: colon.start].strip()
    conclusion = rest[colon.end : body_end].strip()
    if not conclusion:
        raise StatementError("the statement has an empty type after `:`")
    proof = rest[assign.end :].strip() if assign else ""
    inner_open = _OPEN_IN_PREFIX.match(conclusion)
    if inner_open:  # `theorem t : open Real in ...` is rare but legal
        opens.extend(parse_open(inner_open.group(1)))
        conclusion = conclusion[inner_open.end() :]
    return LeanStatement(
        header=full_header,
        keyword=keyword,
        name=name,
        binders=binders,
        conclusion=conclusion,
        proof=proof,
        opens=opens,
        namespace=namespace,
        offset=pos,
        source=code,
    )


def bracket_problems(text: str) -> list[str]:
    """Unbalanced or mismatched brackets, from the term reader's tokens and its one bracket
    table (a bracket in a string or char literal is none; `f^[n]` opens a `[`)."""
    return _bracket_problems(tokenize(text))


def _bracket_problems(tokens: list[Token]) -> list[str]:
    openers = {close: open_ for open_, close in BRACKETS.items()}
    stack: list[tuple[str, int]] = []
    problems: list[str] = []
    for tok in tokens:
        if (tok.kind == "open" or _opens_group(tok)) and tok.text[-1] in BRACKETS:
            stack.append((tok.text[-1], tok.end - 1))
        elif tok.kind == "close" and tok.text[0] in openers:
            ch, i = tok.text[0], tok.start
            if not stack:
                problems.append(f"`{ch}` at offset {i} closes nothing")
            elif stack[-1][0] != openers[ch]:
                problems.append(f"`{ch}` at offset {i} closes `{stack[-1][0]}` from {stack[-1][1]}")
                stack.pop()
            else:
                stack.pop()
    problems.extend(f"`{ch}` at offset {i} is never closed" for ch, i in stack)
    return problems


_COMMAND_WORDS = re.compile(
    r"(?<![\w.'])(end|namespace|section|import|variable|universe|theorem|lemma|def|"
    r"structure|class|instance|inductive|abbrev|example)(?![\w'])"
)


# Keywords that only continue a construct (`∑ i in s`, `if c then a else b`, `show p from h`,
# `{ s with … }`, `simp at h`): none can start a term.
_CONTINUING_WORDS = frozenset(
    "in at then else with from using deriving where extends termination_by decreasing_by".split()
)


def syntax_problems(text: str) -> list[str]:
    """Bracket problems, command keywords where a term must be (`... ∈ end`), and keywords
    that cannot start a term where one must start (`(x : in n)`: a name that lost a letter)."""
    tokens = tokenize(text)
    problems = _bracket_problems(tokens)
    for m in _COMMAND_WORDS.finditer(text):
        problems.append(f"`{m.group()}` is a command keyword and cannot appear in a statement")
    previous = None
    for tok in tokens:
        if tok.kind == "keyword" and tok.text in _CONTINUING_WORDS and _term_starts_after(previous):
            after = f"after `{previous.text}`" if previous else "at the start"
            problems.append(f"`{tok.text}` cannot start a term ({after})")
        previous = tok
    return problems


_BEFORE_A_TERM = frozenset({":", ",", ":=", "=>", "↦"})


def _term_starts_after(tok: Token | None) -> bool:
    """Whether a term must start right after `tok`: nothing before, an opening bracket, a
    binder's or an argument's separator, or an infix or prefix operator (not a constant such as
    `∅` or `⊤`, a postfix `!` or the end of a notation, after which `then` and `in` may follow)."""
    if tok is None or tok.kind == "open":
        return True
    return tok.kind == "sym" and (
        tok.text in _BEFORE_A_TERM or tok.text in INFIX or tok.text in PREFIX
    )


def identifiers(
    stmt: LeanStatement, notation: tuple[str, ...] = (), operators: Operators = NO_OPERATORS
) -> list[tuple[str, int]]:
    """(identifier, offset in `binders + "\n" + conclusion`) of each global name of the
    statement, read by the term reader: names bound by its binders, quantifiers, `fun`s,
    set-builders and `let`s, by the header's `variable`s, field accesses, named arguments,
    universes and tactic blocks are not global. `notation`: the index's notation tokens, and
    `operators` its operators. A statement the reader cannot parse is scanned token by token."""
    header_locals = frozenset(header_variables(stmt.header))
    tree = _tree(stmt.binders, stmt.conclusion, notation, operators)
    if not isinstance(tree, Raw):
        return list(global_names(tree, header_locals))
    text = f"{stmt.binders}\n{stmt.conclusion}"  # unreadable: its tokens (`lean_terms.scan`)
    return scanned_globals(tokenize(text, notation=notation), stmt.local_names | header_locals)


def notation_tokens(
    stmt: LeanStatement, notation: tuple[str, ...] = (), operators: Operators = NO_OPERATORS
) -> list[str]:
    """The symbols the statement uses that are not identifiers (`½`, `+ᵥ`, `∑`), once each."""
    tree = _tree(stmt.binders, stmt.conclusion, notation, operators)
    return [] if isinstance(tree, Raw) else list(dict.fromkeys(t for t, _ in notation_used(tree)))


def statement_tree(
    stmt: LeanStatement, notation: tuple[str, ...] = (), operators: Operators = NO_OPERATORS
) -> Node:
    """The statement's binders and type as one `Signature` tree (`Raw` when unreadable)."""
    return _tree(stmt.binders, stmt.conclusion, notation, operators)


@lru_cache(maxsize=256)
def _tree(binders: str, conclusion: str, notation: tuple[str, ...], operators: Operators) -> Node:
    return parse_signature(f"{binders}:{conclusion}", notation, operators)


_VARIABLE_LINE = re.compile(r"^\s*variable\b(.*?)(?=^\S|\Z)", re.M | re.S)


def header_variables(header: str) -> list[str]:
    """Names the header's `variable` commands bind (`variable {p : ℤ} (hp : Prime p)`)."""
    code = lex(header).code
    names: list[str] = []
    for m in _VARIABLE_LINE.finditer(code):
        for group in binder_groups(m.group(1)):
            names.extend(group.names)
    return names
