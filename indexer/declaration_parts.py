"""Parts of a declaration read from its text: structure fields and custom constructors,
the names a signature binds and the `variable`s it uses, `@[deprecated]` and
`@[to_additive]` attributes. Used by `lean_source`'s file parser."""

from __future__ import annotations

import re

from indexer.lean_syntax import IDENT_RE, KEYWORDS
from indexer.lean_terms.split import (
    binder_groups,
    matching_brackets,
    one_line,
    split_top,
    top_level_assign,
)
from indexer.models import (
    Deprecation,
    TranslationRequest,
)
from indexer.scopes import VariableGroup

_SINCE = re.compile(r"since\s*:=\s*\"?([^\")\s]*)")
_WS = re.compile(r"\s+")
_FIELD_LINE = re.compile(r"^([ \t]*)(\S.*)$", re.M)


def squash(text: str) -> str:
    """Collapse runs of whitespace: signatures are stored on one line."""
    return _WS.sub(" ", text).strip()


_FIELD_START = re.compile(
    r"(?:(?:private|protected)\s+)*(?:@\[[^\]]*\]\s*)?"
    r"((?:(?:[^\s:()\[\]{}⦃⦄,]+)\s+)*?[^\s:()\[\]{}⦃⦄,]+)\s*(::|:=|:|\(|\{|\[|⦃)"
)


def parse_fields(body: str) -> tuple[list[tuple[str, str, int]], str | None]:
    """Fields of a structure body: (name, signature, offset in body) and a custom constructor."""
    fields: list[tuple[str, str, int]] = []
    ctor: str | None = None
    lines = [(m.start(2), len(m.group(1)), m.group(2)) for m in _FIELD_LINE.finditer(body)]
    if not lines:
        return fields, ctor
    first_line_has_content = not body[: lines[0][0]].count("\n")
    base = lines[1][1] if first_line_has_content and len(lines) > 1 else lines[0][1]
    starts = []
    for i, (offset, indent, _text) in enumerate(lines):
        if (i == 0 and first_line_has_content) or indent == base:
            starts.append(offset)
    for i, offset in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(body)
        chunk = body[offset:end]
        if chunk.startswith(("(", "{", "[", "⦃")):
            for group in binder_groups(chunk):
                for n in group.names:
                    fields.append((n, squash(f": {group.type}"), offset))
                if group.bracket == "[" and not group.names:  # `[inst (a : A) : C a]`
                    inner = chunk[group.span[0] + 1 : group.span[1] - 1]
                    fields.extend((n, sig, offset) for n, sig, _ in parse_fields(inner)[0])
            continue
        m = _FIELD_START.match(chunk)
        if m is None:
            continue
        names = m.group(1).split()
        if m.group(2) == "::":
            ctor = names[-1]
            rest = chunk[m.end() :]
            sub, _ = parse_fields(rest)
            fields.extend((n, s, offset + m.end() + o) for n, s, o in sub)
            continue
        if m.group(2) == ":=":
            continue  # a default value for an inherited field, not a new field
        if any(n in KEYWORDS or not IDENT_RE.fullmatch(n) for n in names):
            continue
        sig = one_line(chunk[m.end(1) :])
        assign = top_level_assign(sig)
        if assign is not None:
            sig = sig[: assign.start].strip()
        for n in names:
            fields.append((n, sig, offset))
    return fields, ctor


def used_variables(
    candidates: tuple[tuple[str, str], ...],
    variables: list[VariableGroup],
    shadowed: set[str] | frozenset[str] = frozenset(),
) -> list[VariableGroup]:
    """The `variable` binders Lean would include, as groups in their order: each name the
    signature mentions (and those their types mention, transitively) — only those names of a
    group (`{α β ι M : Type*}` gives `{α M : Type*}`) — then instance-implicit groups
    (`[Group G]`) all of whose variables are included. A later `variable (x)` that changes
    the binder kind of an earlier `{x : T}` is read as that change.

    `candidates` are the signature's global names (`signature_names`); names the declaration
    binds itself (`shadowed`) do not pull in a variable of that name.
    """
    if not variables:
        return []
    # name -> (group index, bracket, type text), after binder-kind updates
    declared: dict[str, list] = {}
    for i, g in enumerate(variables):
        if g.bracket == "[":
            continue
        for name in g.names:
            if not g.type_text and name in declared:
                declared[name][1] = g.bracket  # `variable (x)`: x is explicit from here on
            else:
                declared[name] = [i, g.bracket, g.type_text, g]
    words = {n for n, _ in candidates} | {f for _, f in candidates}
    words -= shadowed
    included: set[str] = set()
    pending = [n for n in declared if n in words]
    while pending:
        name = pending.pop()
        if name in included:
            continue
        included.add(name)
        typ = declared[name][2]  # the names its type mentions (not its siblings)
        pending.extend(m for m in IDENT_RE.findall(typ) if m in declared and m not in included)
    out: list[tuple[int, VariableGroup]] = []
    by_group: dict[tuple[int, str, str], list[str]] = {}
    for name, (i, bracket, typ, _) in declared.items():
        if name in included:
            by_group.setdefault((i, bracket, typ), []).append(name)
    for (i, bracket, typ), names in by_group.items():
        close = {"(": ")", "{": "}", "⦃": "⦄", "[": "]"}.get(bracket, ")")
        inner = " ".join(names) + (f" : {typ}" if typ else "")
        g = variables[i]
        text = (
            g.text
            if list(g.names) == names and g.bracket == bracket
            else f"{bracket}{inner}{close}"
        )
        out.append((i, VariableGroup(tuple(names), text, g.mentions, bracket, typ)))
    for i, g in enumerate(variables):
        if g.bracket == "[":
            needs = {m for m in g.mentions if m in declared}
            if needs and needs <= included:
                out.append((i, g))
    out.sort(key=lambda x: x[0])
    return [g for _, g in out]


def deprecation(attributes: list[tuple[str, str | None]]) -> Deprecation | None:
    for text, _ in attributes:
        if text.startswith("deprecated"):
            return parse_deprecated(text)
        if text.startswith(("to_additive", "to_dual")) and "deprecated" in text:
            # `@[to_additive (attr := deprecated foo (since := ...))]` marks both versions.
            m = re.search(r"deprecated[^,)]*(?:\([^)]*\))?", text)
            if m:
                return parse_deprecated(m.group())
    return None


def parse_deprecated(text: str) -> Deprecation:
    """`deprecated foo "msg" (since := "2024-01-01")` -> Deprecation."""
    since = _SINCE.search(text)
    rest = re.sub(r"\(\s*since\s*:=[^)]*\)", " ", text[len("deprecated") :])
    msg = re.search(r"\"([^\"]*)\"", rest)
    target = IDENT_RE.match(rest.strip()) if not rest.strip().startswith('"') else None
    return Deprecation(
        target=target.group() if target else None,
        message=msg.group(1) if msg else None,
        since=since.group(1) if since else None,
    )


def translation_request(
    attribute: str, text: str, doc: str | None, source: str, file: str
) -> TranslationRequest:
    """Read the arguments of one `to_additive`/`to_dual` attribute."""
    rest = text[len(attribute) :].lstrip("?").strip()
    nested: list[str] = []
    dont_translate: list[str] = []
    existing = False
    target: str | None = None
    pairs = matching_brackets(rest)
    pos = 0
    while pos < len(rest):
        ch = rest[pos]
        if ch.isspace():
            pos += 1
            continue
        if ch == "(" and pos in pairs:
            group = rest[pos + 1 : pairs[pos]]
            key, _, value = group.partition(":=")
            if key.strip() == "attr":
                nested.extend(squash(v) for v in split_top(value))
            elif key.strip() == "dont_translate":
                dont_translate.extend(IDENT_RE.findall(value))
            pos = pairs[pos] + 1
            continue
        m = IDENT_RE.match(rest, pos)
        if m is None:
            break
        word = m.group()
        if word == "existing":
            existing = True
        elif word in ("self", "none"):
            target = None
            existing = True
        elif (target is None and not word.startswith("_")) or word.startswith("_root_"):
            target = word
        pos = m.end()
    return TranslationRequest(
        attribute=attribute,
        source=source,
        target=target,
        existing=existing,
        docstring=doc,
        nested=nested,
        dont_translate=dont_translate,
        file=file,
    )
