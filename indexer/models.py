"""Typed records the indexer hands to the knowledge base.

These are slotted dataclasses rather than pydantic models: a Mathlib build creates about 300,000
declarations in worker processes and ships them to the parent, and a dataclass that pickles as a
plain tuple is an order of magnitude cheaper to build and to transfer than a pydantic model.
The knowledge base's query results (resolution, stats, manifest) are pydantic models.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

DeclKind = Literal[
    "theorem",
    "lemma",
    "def",
    "abbrev",
    "structure",
    "class",
    "class inductive",
    "class abbrev",
    "inductive",
    "instance",
    "irreducible_def",
    "opaque",
    "axiom",
    "alias",
    "structure field",
    "constructor",
    "external",
]

# How a declaration came to exist: written in the source, or generated from one that was.
Origin = Literal[
    "source",
    "to_additive",
    "to_dual",
    "alias",
    "export",
    "field",
    "parent projection",
    "constructor",
    "ext",
    "mk_iff",
    "irreducible_def",
    "leandojo",
    "external",
]

DEFINITION_KINDS: frozenset[str] = frozenset(
    {
        "def",
        "abbrev",
        "structure",
        "class",
        "class inductive",
        "class abbrev",
        "inductive",
        "irreducible_def",
        "opaque",
        "axiom",
    }
)
THEOREM_KINDS: frozenset[str] = frozenset({"theorem", "lemma"})


def _fast_pickle(cls: type) -> type:
    """Pickle a slotted dataclass as (class, field values): unpickling is one `__init__` call."""
    names = tuple(f.name for f in dataclasses.fields(cls))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return (cls, tuple(getattr(self, n) for n in names))

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


def to_dict(record: Any) -> dict[str, Any]:
    """JSON-ready dict of any record of this module."""
    return dataclasses.asdict(record)


# Definitions whose type Lean may infer from their value (`def Icc (a b : α) := {x | …}`)
TYPED_BY_VALUE = frozenset({"def", "abbrev", "irreducible_def"})


@_fast_pickle
@dataclass(slots=True)
class Deprecation:
    """`@[deprecated target "message" (since := "...")]` as written."""

    target: str | None = None
    message: str | None = None
    since: str | None = None


@_fast_pickle
@dataclass(slots=True)
class Declaration:
    """One named Lean declaration, as read from source (or generated from one)."""

    name: str
    kind: DeclKind
    module: str
    root: str = ""
    file: str = ""
    line_start: int = 0
    line_end: int = 0
    modifiers: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    deprecated: Deprecation | None = None
    docstring: str | None = None
    signature: str = ""
    namespace: str = ""
    opens: list[str] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    # Qualified names its proof uses (`List.IsPrefix`, `Nat.succ_le_of_lt`): Lean core names
    # no signature mentions are known to exist through them
    proof_references: list[str] = field(default_factory=list)
    origin: Origin = "source"
    generated_from: str | None = None
    alias_of: str | None = None  # for aliases and exports: the target as written
    # Why `signature` is not what Lean shows, when it is not (an untranslatable to_additive).
    signature_note: str | None = None
    # The value of a definition written without its type (`def Icc (a b : α) := {x | …}`),
    # from which a check reads what it returns; short values only.
    value: str | None = None

    @property
    def is_private(self) -> bool:
        return "private" in self.modifiers

    @property
    def is_protected(self) -> bool:
        return "protected" in self.modifiers

    def replace(self, **changes: Any) -> Declaration:
        return dataclasses.replace(self, **changes)


@_fast_pickle
@dataclass(slots=True)
class NotationEntry:
    """One token a notation command declares, and where it is in force.

    `scope` is "global", "scoped" (in force where `namespace` is opened) or "local" (in its
    file only); `head` is the constant the notation stands for when it can be read off the
    command (`notation "π" => Real.pi`)."""

    token: str
    kind: str  # notation | notation3 | infix | infixl | infixr | prefix | postfix | macro | syntax
    namespace: str
    scope: str
    head: str | None
    module: str
    fixity: str | None = None  # infixl | infixr | infix | prefix | postfix, for an operator
    precedence: int | None = None  # of that operator (`infixl:65` -> 65)
    # The token the notation writes next, where it goes on (`[MOD` after `≡` in
    # `a ≡ b [MOD n]`); `notation` and `notation3` only, whose literals are in written order
    follows: str | None = None


@_fast_pickle
@dataclass(slots=True)
class ModuleInfo:
    """A Lean file: its module name, imports and module docstrings (`/-! ... -/`)."""

    module: str
    root: str
    file: str
    imports: list[str] = field(default_factory=list)
    docstrings: list[str] = field(default_factory=list)


@_fast_pickle
@dataclass(slots=True)
class ParseWarning:
    file: str
    line: int
    message: str


@_fast_pickle
@dataclass(slots=True)
class TranslationRequest:
    """A `to_additive` / `to_dual` attribute awaiting the global name translation.

    `source` is the full name of the declaration carrying the attribute. `target` is the explicit
    name argument (as written) or None to guess it. `existing`: the target already exists in
    source, so only the translation map learns from it.
    """

    attribute: Literal["to_additive", "to_dual"]
    source: str
    target: str | None = None
    existing: bool = False
    docstring: str | None = None
    nested: list[str] = field(default_factory=list)  # attributes from `(attr := ...)`
    dont_translate: list[str] = field(default_factory=list)  # `(dont_translate := R S)`
    namespace: str = ""  # where an `attribute [...]` command named `source` (relative name)
    file: str = ""
    line: int = 0


@_fast_pickle
@dataclass(slots=True)
class FileResult:
    """Everything one Lean file contributes."""

    module: ModuleInfo
    declarations: list[Declaration] = field(default_factory=list)
    translations: list[TranslationRequest] = field(default_factory=list)
    # (tag, name, value): name hints for to_additive/to_dual, and `add_decl_doc` docstrings
    name_hints: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    anonymous_instances: int = 0
    binder_names: list[str] = field(default_factory=list)  # local names seen anywhere
    # Identifier-like notation tokens (`SL`, `ℵ₀`, `conj`) -> the constant a nullary notation
    # stands for ("" when unknown): such tokens are not references to declarations.
    notations: dict[str, str] = field(default_factory=dict)
    notation_entries: list[NotationEntry] = field(default_factory=list)
