"""The scope stack of a Lean file: namespaces, sections, `open`s, `variable`s, universes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.lean_syntax import IDENT_RE, KEYWORDS
from indexer.lean_terms.split import binder_groups


@dataclass(frozen=True)
class VariableGroup:
    """One bracketed `variable` binder group: its names and its source text."""

    names: tuple[str, ...]
    text: str
    mentions: frozenset[str] = frozenset()  # identifiers (and their first components) in `text`
    bracket: str = "("
    type_text: str = ""  # "" for `(x)` / `{x}`: a name without a type (or an update of one)


@dataclass
class Scope:
    kind: str  # "namespace" | "section" | "mutual" | "file"
    name: str = ""
    opens: list[str] = field(default_factory=list)
    variables: list[VariableGroup] = field(default_factory=list)
    universes: list[str] = field(default_factory=list)


class ScopeStack:
    """Tracks what is in effect at each command, the way Lean's elaborator does.

    The flattened views (`namespace`, `opens`, ...) are asked for at every declaration, so they
    are cached and recomputed only after a change.
    """

    def __init__(self) -> None:
        self.scopes: list[Scope] = [Scope("file")]
        self._views: dict[str, object] = {}

    def _view(self, key: str) -> object:
        if key not in self._views:
            if key == "namespace":
                value: object = ".".join(s.name for s in self.scopes if s.kind == "namespace")
            elif key == "in_mutual":
                value = any(s.kind == "mutual" for s in self.scopes)
            else:
                value = [x for s in self.scopes for x in getattr(s, key)]
            self._views[key] = value
        return self._views[key]

    @property
    def namespace(self) -> str:
        return self._view("namespace")  # type: ignore[return-value]

    @property
    def opens(self) -> list[str]:
        return list(self._view("opens"))  # type: ignore[call-overload]

    @property
    def variables(self) -> list[VariableGroup]:
        return self._view("variables")  # type: ignore[return-value]

    @property
    def universes(self) -> list[str]:
        return self._view("universes")  # type: ignore[return-value]

    @property
    def in_mutual(self) -> bool:
        return self._view("in_mutual")  # type: ignore[return-value]

    def push_namespace(self, name: str) -> None:
        self._views.clear()
        for part in name.split("."):
            self.scopes.append(Scope("namespace", part))

    def push(self, kind: str, name: str = "") -> None:
        """Open a section or `mutual` block; `section A.B` opens one section per component."""
        self._views.clear()
        for part in name.split(".") if name else [""]:
            self.scopes.append(Scope(kind, part))

    def push_in(self, opens: list[str], variables: list[VariableGroup]) -> None:
        """The scope of `open ... in` / `variable ... in`: it lasts for one command."""
        self._views.clear()
        self.scopes.append(Scope("in", opens=opens, variables=variables))

    def pop_in(self) -> None:
        self._views.clear()
        if self.scopes[-1].kind == "in":
            self.scopes.pop()

    def end(self, name: str) -> str | None:
        """Close scopes for `end name`; return a problem description, or None.

        `end A.B` closes the scopes `B` then `A` (namespaces or sections).
        """
        self._views.clear()
        parts = name.split(".") if name else [""]
        while parts:
            if len(self.scopes) == 1:
                return f"`end {name}` closes more scopes than are open"
            top = self.scopes.pop()
            if top.name != parts[-1]:
                return f"`end {name}` closes {top.kind} `{top.name}`"
            parts.pop()
        return None

    def add_open(self, spec: list[str]) -> None:
        self._views.clear()
        self.scopes[-1].opens.extend(spec)

    def add_variables(self, groups: list[VariableGroup]) -> None:
        self._views.clear()
        self.scopes[-1].variables.extend(groups)

    def add_universes(self, names: list[str]) -> None:
        self._views.clear()
        self.scopes[-1].universes.extend(names)


_OPEN_WORD = re.compile(r"\S+")


def parse_open(args: str) -> list[str]:
    """`open` arguments -> specs: "A", "scoped A", "A (x y)", "A hiding x", "A renaming x → y"."""
    args = " ".join(args.split())
    if not args:
        return []
    if args.startswith("scoped "):
        return [f"scoped {m.group()}" for m in IDENT_RE.finditer(args[7:])]
    for word in (" hiding ", " renaming "):
        if word in args:
            return [args]
    if "(" in args:
        ns, _, rest = args.partition("(")
        names = ns.split()
        if len(names) == 1:
            return [f"{names[0]} ({rest.rstrip(')').strip()})"]
        return [*names[:-1], f"{names[-1]} ({rest.rstrip(')').strip()})"]
    return [m.group() for m in IDENT_RE.finditer(args) if m.group() not in KEYWORDS]


def parse_variables(binders: str) -> list[VariableGroup]:
    """`variable` arguments -> one group per bracketed binder."""
    groups: list[VariableGroup] = []
    for g in binder_groups(binders):
        if not g.bracket:
            continue
        text = " ".join(binders[g.span[0] : g.span[1]].split())
        words = {m.group() for m in IDENT_RE.finditer(text)}
        words |= {w.split(".", 1)[0] for w in words}
        typ = " ".join(g.type.split())
        groups.append(VariableGroup(tuple(g.names), text, frozenset(words), g.bracket, typ))
    return groups
