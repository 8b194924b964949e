"""The Lean-free identifier check: every global name in a statement, resolved against the index.

Names are resolved with Lean's rules (the statement's `open`s and namespace, protected names,
deprecated aliases, Mathlib's rename history). Unknown names are flagged with the closest
existing names; deprecated or renamed ones are rewritten to the current name; names that exist
only upstream (Lean core) are accepted and reported as external.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from pydantic import BaseModel, Field

from formalizer.security import imports
from formalizer.statement import LeanStatement, identifiers, notation_tokens
from indexer.lean_syntax import DECL_KEYWORDS, ID_FIRST, IDENT, MODIFIERS
from indexer.lean_terms import Token, tokenize
from indexer.lean_terms.cursor import _opens_group
from indexer.lexer import lex
from indexer.notation_scope import INFERRED, opened_namespaces
from knowledge_base import KnowledgeBase
from knowledge_base.resolve import Resolution

# Names of Lean core that are always in scope but that Mathlib's signatures rarely write, so
# the index may not list them as external. Kept short: only what statements use.
CORE_NAMES = frozenset(
    """
    True False Bool Bool.true Bool.false true false Nat Int String Char Unit PUnit Prop Option
    Option.some Option.none some none id Function.comp Fin Fin.val List Array Eq Ne Not And Or
    Iff Exists Subtype Sigma PSigma Prod Prod.fst Prod.snd Prod.mk Sum Sum.inl Sum.inr
    Decidable DecidableEq Inhabited Nonempty HEq absurd Classical.choice Classical.choose
    Function.Injective Function.Surjective Function.Bijective Nat.succ Nat.pred Nat.gcd Nat.lcm
    Nat.Coprime Int.natAbs Int.toNat Int.gcd Int.emod Int.ediv Nat.mod Nat.div Nat.sub Nat.add
    Nat.mul Nat.pow Nat.le Nat.lt Int.negSucc Int.ofNat Fin.mk List.length List.sum List.map
    List.range Nat.repr Nat.cast Int.cast HAdd.hAdd HMul.hMul HPow.hPow HSub.hSub HDiv.hDiv
    HMod.hMod Max.max Min.min max min Dvd.dvd LE.le LT.lt GE.ge GT.gt ite dite
    """.split()
)


# Notation of Lean core, which is not indexed unless its sources are (`index --lean-src`):
# everything else comes from the notation commands of the indexed sources.
CORE_NOTATION = frozenset({"ℕ", "ℤ"})

_AUTO_BOUND = re.compile(r"^[^\W\d_][\d\u2080-\u2089']*$")

# Declarations a header makes itself, with every modifier Lean allows before them (`partial
# def`, `noncomputable abbrev`, `private theorem`): the indexer's own tables, not a second list.
_HEADER_DECL = re.compile(
    r"^(?:@\[[^\]]*\]\s*)?(?:(?:" + "|".join(sorted(MODIFIERS)) + r")\s+)*"
    r"(?:" + "|".join(sorted(DECL_KEYWORDS - {"example"})) + r"|notation)\s+([^\s:({\[]+)",
    re.M,
)


def header_declarations(header: str) -> frozenset[str]:
    """Names a header declares itself (`def is_topology ...`, `abbrev I : Set ℝ := ...`)."""
    return frozenset(m.group(1) for m in _HEADER_DECL.finditer(lex(header).code))


class IdentifierFinding(BaseModel):
    """One identifier as written, and what it denotes."""

    identifier: str
    # found | ambiguous | external | deprecated | renamed | removed | unknown | auto-bound
    # (accepted: autoImplicit on) | unbound (what autoImplicit would bind, which Mathlib forbids)
    status: str
    resolved: str | None = None
    suggestions: list[str] = Field(default_factory=list)
    note: str = ""

    @property
    def flagged(self) -> bool:
        return self.status in ("unknown", "removed", "unbound")


class IdentifierReport(BaseModel):
    """All identifiers of one statement; `statement` has deprecated names rewritten."""

    findings: list[IdentifierFinding]
    statement: str
    rewritten: dict[str, str] = Field(default_factory=dict)

    @property
    def unknown(self) -> list[IdentifierFinding]:
        return [f for f in self.findings if f.flagged]

    @property
    def external(self) -> list[str]:
        return [f.identifier for f in self.findings if f.status == "external"]

    @property
    def ok(self) -> bool:
        return not self.unknown


class IdentifierChecker:
    """Resolves statement identifiers against one knowledge base, caching per scope."""

    def __init__(self, kb: KnowledgeBase, suggestions: int = 5, auto_implicit: bool = False):
        """`auto_implicit`: accept unknown one-letter names (`α`, `I`, `x₁`) as Lean's
        auto-bound implicits do when `autoImplicit` is on (Lean's default outside Mathlib).
        Off by default: Mathlib turns it off, and a stray free variable is usually a mistake."""
        self.kb = kb
        self.suggestions = suggestions
        self.auto_implicit = auto_implicit
        self._roots: tuple[str, ...] | None = None
        self._lexer_tokens: tuple[str, ...] | None = None
        self._resolve = lru_cache(maxsize=200_000)(self._resolve_uncached)
        self._has_last = lru_cache(maxsize=100_000)(self._has_last)  # type: ignore[method-assign]
        self.notation = lru_cache(maxsize=100_000)(self.notation)  # type: ignore[method-assign]

    @property
    def module_roots(self) -> tuple[str, ...]:
        """Top-level modules a statement may import: the index's (`Mathlib`, `Batteries`, your
        project's) and the packages its roots' lake manifests pin (`Aesop`, `Qq`, ...)."""
        if self._roots is None:
            m = self.kb.manifest
            roots = set(m.import_roots) or {x.split(".", 1)[0] for x in self.kb.modules()}
            self._roots = tuple(sorted(roots | {p.name for p in m.packages}))
        return self._roots

    def _has_last(self, component: str) -> bool:
        return bool(self.kb.suggestions(component, 1))

    def _resolve_uncached(self, ident: str, opens: tuple[str, ...], namespace: str) -> Resolution:
        return self.kb.resolve(ident, opens, namespace or None)

    def lexer_tokens(self, opens: tuple[str, ...] = (), namespace: str = "") -> tuple[str, ...]:
        """Notation tokens an identifier reader would otherwise split (`line[`, `⟫_`, `[MOD`),
        as Lean's tokenizer has them where the statement is read: a token that starts like an
        identifier, or holds a letter, is one only while its notation is in force (`C^2` is
        `C ^ 2` unless `Manifold` is open): Lean reads a name where its token table has none."""
        if self._lexer_tokens is None:
            self._lexer_tokens = tuple(
                t
                for t in self.kb.notation_tokens()
                if not _IDENT_ONLY.fullmatch(t)
                and (
                    _IDENT_START.match(t)
                    or t[0] in "⟫⟩⦄"
                    or _OPEN_WORD.match(t)
                    or (_WORD.search(t) and t[-1] not in "[({⟨⦃")  # `↪o`, `<i`, `∘L`
                )
            )
        return self._tokens_in_force(self._lexer_tokens, opens, namespace)

    @lru_cache(maxsize=1024)  # noqa: B019 (one checker per index, a bounded cache)
    def _tokens_in_force(
        self, tokens: tuple[str, ...], opens: tuple[str, ...], namespace: str
    ) -> tuple[str, ...]:
        opened = opened_namespaces(opens, namespace)

        def in_force(token: str) -> bool:
            return any(
                scope == "global" or (scope == "scoped" and ns in opened)
                for _kind, ns, scope, _head in self.kb.notations(token)
            )

        return tuple(t for t in tokens if not _WORD.search(t) or in_force(t))

    def notation(
        self, ident: str, opens: tuple[str, ...], namespace: str
    ) -> IdentifierFinding | None:
        """`ident` as a notation token: in force (global, or scoped and opened), or scoped and
        not opened (flagged with the `open` it needs); None when no notation declares it."""
        if ident in CORE_NOTATION:
            return IdentifierFinding(
                identifier=ident, status="found", resolved=ident, note="notation (Lean core)"
            )
        rows = self.kb.notations(ident)
        if not rows:
            return None
        opened = opened_namespaces(opens, namespace)
        for kind, ns, scope, head in sorted(rows, key=lambda r: r[0] == INFERRED):
            if scope == "global" or (scope == "scoped" and ns in opened):
                note = "notation" + (f" for {head}" if head else "")
                if kind == INFERRED:
                    note = "notation in force without an `open` (Mathlib's signatures use it so)"
                return IdentifierFinding(
                    identifier=ident, status="found", resolved=head or ident, note=note
                )
        needs = sorted({ns for _kind, ns, scope, _head in rows if scope == "scoped" and ns})
        if not needs:
            return None  # only `local` notation: not available outside its file
        return IdentifierFinding(
            identifier=ident,
            status="unknown",
            note=f"notation `{ident}` is scoped: it needs `open scoped {needs[0]}`"
            + (f" (or one of {', '.join(needs[1:4])})" if len(needs) > 1 else ""),
            suggestions=[f"open scoped {n}" for n in needs[: self.suggestions]],
        )

    def unfinished_notation(self, stmt: LeanStatement) -> list[str]:
        """Notation tokens whose notation goes on with a token that never comes after them
        (`a ≡ b [mod n]`: `≡` is `a ≡ b [MOD n]`, `[ZMOD n]`, ...): Lean reads no term there.
        Silent for a statement importing a declaration library (`index --library`), whose
        notation the index does not know."""
        if any(m.split(".", 1)[0] in self.kb.library_roots() for _, m in imports(stmt.header)):
            return []
        opens = tuple(stmt.opens)
        notation = self.lexer_tokens(opens, stmt.namespace) + self.kb.operators().tokens
        text = f"{stmt.binders}\n{stmt.conclusion}"
        tokens = tokenize(text, notation=notation)
        problems: dict[str, None] = {}
        for i, token in enumerate(tokens):
            needed = self._continuations(token.text, opens, stmt.namespace)
            if needed and not _comes_next(needed, tokens[i + 1 :]):
                options = " or ".join(f"`{t}`" for t in sorted(needed)[:4])
                problems[
                    f"`{token.text}` begins a notation that goes on with {options}; none follows"
                ] = None
        return list(problems)

    @lru_cache(maxsize=4096)  # noqa: B019 (one checker per index, a bounded cache)
    def _continuations(
        self, token: str, opens: tuple[str, ...], namespace: str
    ) -> frozenset[str] | None:
        """The tokens that may come next after `token` in the notations in force here; None
        when one of them may end at `token`, none declares it, or `token` may itself go on
        another notation (the second `‖` of `‖x‖` begins nothing)."""
        if token in self.kb.continuing_tokens():
            return None
        opened = opened_namespaces(opens, namespace)
        follows = [
            f
            for ns, scope, f in self.kb.notation_follows(token)
            if scope == "global" or (scope == "scoped" and ns in opened)
        ]
        if not follows or None in follows:
            return None
        return frozenset(f for f in follows if f is not None)

    def finding(
        self, ident: str, opens: tuple[str, ...], namespace: str, as_type: bool = False
    ) -> IdentifierFinding:
        """What `ident` denotes here; `as_type`: it heads a binder's type (`[fintype G]`)."""
        res = self._resolve(ident, opens, namespace)
        if res.status in ("unknown", "ambiguous") or "." not in ident:
            as_notation = self.notation(ident, opens, namespace)
            if as_notation is not None and as_notation.status == "found":
                return as_notation
            if as_notation is not None and res.status == "unknown":
                if _AUTO_BOUND.match(ident) and not self.auto_implicit:  # `I`: also a variable
                    as_notation.note += (
                        "; as a variable it is not bound (Lean's default `autoImplicit` would "
                        "bind it, Mathlib turns that off)"
                    )
                return as_notation
        if res.status in ("unknown",) and ident in CORE_NAMES:
            return IdentifierFinding(
                identifier=ident, status="external", resolved=ident, note="Lean core"
            )
        resolved = res.name
        if resolved and res.projection:
            resolved = ".".join([resolved, *res.projection])
        finding = IdentifierFinding(
            identifier=ident,
            status=res.status,
            resolved=resolved,
            note=res.note,
        )
        missing = [p for p in res.projection if not p.isdigit() and not self._has_last(p)]
        if missing and res.status in ("found", "external", "deprecated", "renamed"):
            # `Set.Inifnite` reads as `Set` + field `Inifnite`; Lean's field notation needs a
            # declaration `T.Inifnite` for some `T`, and there is none anywhere.
            finding.status = "unknown"
            finding.note = f"no declaration `….{missing[0]}` exists for field notation"
        if as_type and finding.status == "found" and res.kind == "instance" and not res.projection:
            # An instance is a term of a class, never a type: `[fintype G]` reaching
            # `Set.fintype` through `open Set` is a misspelt `Fintype`, which Lean rejects.
            # Passed as an argument (`@card s (rootSetFintype p ℂ)`) it is fine.
            finding.status = "unknown"
            finding.note = f"an instance (`{res.name}`), not a type"
        if res.status == "ambiguous":
            finding.suggestions = res.candidates[: self.suggestions]
        if finding.status == "unknown" and _AUTO_BOUND.match(ident):
            if self.auto_implicit:
                finding.status = "auto-bound"
                finding.note = "auto-bound implicit (autoImplicit is on)"
                return finding
            finding.status = "unbound"  # a finding of its own: not a misspelt constant
            finding.note = (
                "not bound: Lean's default `autoImplicit` would bind it silently; Mathlib "
                "turns that off"
            )
        if finding.flagged:
            finding.suggestions = self.kb.close_names(ident, self.suggestions)
        return finding

    def check(self, stmt: LeanStatement) -> IdentifierReport:
        opens = tuple(stmt.opens)
        findings: list[IdentifierFinding] = []
        seen: dict[str, IdentifierFinding] = {}
        own = header_declarations(stmt.header)
        tokens = self.lexer_tokens(opens, stmt.namespace)
        operators = self.kb.operators()
        for ident, _ in identifiers(stmt, tokens, operators):
            if ident in own or ident.split(".", 1)[0] in own:
                if ident not in seen:
                    seen[ident] = IdentifierFinding(
                        identifier=ident, status="found", resolved=ident, note="declared in header"
                    )
                    findings.append(seen[ident])
                continue
            if ident not in seen:
                as_type = _binder_type(ident, stmt.binders)
                seen[ident] = self.finding(ident, opens, stmt.namespace, as_type)
                findings.append(seen[ident])
        for token in notation_tokens(stmt, tokens, operators):
            scoped = self.notation(token, opens, stmt.namespace)
            if scoped is not None and scoped.status == "unknown" and token not in seen:
                seen[token] = scoped  # notation of a namespace the statement does not open
                findings.append(scoped)
        rewritten = {
            f.identifier: f.resolved
            for f in findings
            if f.status in ("deprecated", "renamed") and f.resolved
        }
        return IdentifierReport(
            findings=findings,
            statement=rewrite_identifiers(stmt, rewritten),
            rewritten=rewritten,
        )


def _comes_next(needed: frozenset[str], after: list[Token]) -> bool:
    """Whether one of `needed` comes in `after` before the brackets around its start close
    (depth counted as the bracket check counts it: `[MOD` and `f^[n]` open one)."""
    depth = 0
    for token in after:
        if token.text in needed and depth == 0:
            return True
        if token.kind == "open" or _opens_group(token):
            depth += 1
        elif token.kind == "close":
            depth -= 1
            if depth < 0:
                return False
    return False


def _binder_type(ident: str, binders: str) -> bool:
    """Whether `ident` heads the type of a binder: `[fintype G]`, `(x : ring R)`."""
    name = re.escape(ident)
    return bool(
        re.search(rf"\[\s*{name}(?![\w'.])", binders)
        or re.search(rf"[(\[{{⦃][^()\[\]{{}}⦃⦄:]+:\s*{name}(?![\w'.])", binders)
    )


_IDENT_ONLY = re.compile(IDENT)
_IDENT_START = re.compile(f"[{ID_FIRST}]")
_WORD = re.compile(f"[{ID_FIRST}]")  # a token with a letter may be read as a name instead
_OPEN_WORD = re.compile(f"[\\[(⟦][{ID_FIRST}]")  # `[MOD` of `a ≡ b [MOD n]`


def rewrite_identifiers(stmt: LeanStatement, mapping: dict[str, str]) -> str:
    """The declaration with each identifier in `mapping` replaced (positions from `identifiers`)."""
    return renamed(stmt, mapping).render(stmt.proof or "by sorry")


def renamed(stmt: LeanStatement, mapping: dict[str, str]) -> LeanStatement:
    """`stmt` with each identifier in `mapping` replaced in its binders and type."""
    if not mapping:
        return stmt
    cut = len(stmt.binders) + 1  # `identifiers` reads binders + "\n" + conclusion
    parts = {"binders": stmt.binders, "conclusion": stmt.conclusion}
    for ident, start in sorted(identifiers(stmt), key=lambda p: -p[1]):
        if ident not in mapping:
            continue
        key, at = ("binders", start) if start < cut else ("conclusion", start - cut)
        text = parts[key]
        parts[key] = text[:at] + mapping[ident] + text[at + len(ident) :]
    return replace(stmt, **parts)
