"""Extract every declaration of one or more source roots: parse files in parallel, then add the
names that `@[to_additive]` / `@[to_dual]` generate (which needs all files at once)."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from indexer.additive import CORE_ADDITIVE, Globals, translate
from indexer.additive_types import GlobalType, global_type
from indexer.lean_source import parse_file
from indexer.lean_syntax import NOTATION_CONSTANTS
from indexer.lean_terms.syntax import NO_OPERATORS, Operators
from indexer.models import (
    Declaration,
    Deprecation,
    FileResult,
    ModuleInfo,
    NotationEntry,
    ParseWarning,
    TranslationRequest,
)
from indexer.name_translation import GuessNameData, load_guess_data, map_prefix, target_name
from indexer.notation_scope import inferred_global_tokens
from indexer.order_dual import dual_signature
from indexer.roots import SourceRoot
from indexer.workers import worker_pool

Progress = Callable[[int, int], None]


@dataclass
class Extraction:
    declarations: list[Declaration] = field(default_factory=list)
    modules: list[ModuleInfo] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    anonymous_instances: int = 0
    files: int = 0
    binder_names: set[str] = field(default_factory=set)
    notations: dict[str, str] = field(default_factory=dict)
    notation_entries: list[NotationEntry] = field(default_factory=list)


def _read(path: str) -> str | OSError:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError as exc:
        return exc


def _parse_job(job: tuple[str, str, str, Operators]) -> FileResult:
    path, rel, root, operators = job
    text = _read(path)
    if isinstance(text, OSError):
        result = FileResult(module=ModuleInfo(module=rel, root=root, file=rel))
        result.warnings.append(ParseWarning(file=rel, line=0, message=f"unreadable: {text}"))
        return result
    return parse_file(text, rel, root, operators=operators)


# A line that may declare an operator; only files with one are read for operators.
_OPERATOR_LINE = re.compile(
    r"^[ \t]*(?:@\[[^\]\n]*\][ \t]*)?(?:(?:scoped|local)[ \t]+)?"
    r"(?:infix[lr]?|prefix|postfix|notation)\b",
    re.M,
)


def _operators_job(job: tuple[str, str, str, Operators]) -> list[tuple[str, str, int]]:
    """(token, fixity, precedence) of the global operators one file declares."""
    path, rel, root, _ = job
    text = _read(path)
    if isinstance(text, OSError) or not _OPERATOR_LINE.search(text):
        return []
    entries = parse_file(text, rel, root, references=False, declarations=False).notation_entries
    return [
        (e.token, e.fixity, e.precedence)
        for e in entries
        if e.scope == "global" and e.fixity is not None and e.precedence is not None
    ]


def parse_roots(
    roots: Iterable[SourceRoot], workers: int | None = None, progress: Progress | None = None
) -> list[FileResult]:
    """Parse every file of `roots`, largest first, on `workers` processes: first the files
    that declare operators (`infixr:80 " ∘L "`), so that every signature is read with the
    precedences the sources declare (`f ∘L g` is one term, not `f`, an operator and `L g`)."""
    jobs = [(str(p), rel, r.name, NO_OPERATORS) for r in roots for p, rel in r.files()]
    jobs.sort(key=lambda j: -os.path.getsize(j[0]))
    workers = workers or os.cpu_count() or 1
    serial = workers == 1 or len(jobs) < 8
    with contextlib.nullcontext() if serial else worker_pool(workers) as pool:
        run = map if pool is None else partial(pool.map, chunksize=16)
        declared = Operators.declared(row for rows in run(_operators_job, jobs) for row in rows)
        jobs = [(*job[:3], declared) for job in jobs]
        results: list[FileResult] = []
        for i, res in enumerate(run(_parse_job, jobs)):
            results.append(res)
            if progress:
                progress(i + 1, len(jobs))
    results.sort(key=lambda r: (r.module.root, r.module.file))
    return results


def extract(
    roots: list[SourceRoot], workers: int | None = None, progress: Progress | None = None
) -> Extraction:
    results = parse_roots(roots, workers, progress)
    out = Extraction(files=len(results))
    for r in results:
        out.modules.append(r.module)
        out.declarations.extend(r.declarations)
        out.warnings.extend(r.warnings)
        out.anonymous_instances += r.anonymous_instances
        out.binder_names.update(r.binder_names)
        for token, meaning in r.notations.items():
            if meaning or token not in out.notations:
                out.notations[token] = meaning
        out.notation_entries.extend(r.notation_entries)
    guess = load_guess_data([r.path for r in roots])
    out.declarations.extend(translated_declarations(results, out.declarations, guess))
    _apply_decl_docs(results, out.declarations)
    out.notation_entries.extend(inferred_global_tokens(out.declarations, out.notation_entries))
    return out


def _apply_decl_docs(results: list[FileResult], decls: list[Declaration]) -> None:
    """`add_decl_doc Foo.toBar` gives a generated declaration its docstring."""
    docs = {name: text for r in results for tag, name, text in r.name_hints if tag == "doc"}
    if not docs:
        return
    for d in decls:
        if d.docstring is None and d.name in docs:
            d.docstring = docs[d.name]


def _translate_names(text: str, trans: dict[str, str]) -> str:
    from indexer.lean_syntax import IDENT_RE

    return IDENT_RE.sub(lambda m: trans.get(m.group(), m.group()), text)


class _GlobalTypes:
    """Signatures of global constants as `additive.translate` reads them, found the way Lean
    finds a name written in a declaration (its namespaces, then its `open`s, then the root)."""

    def __init__(self, by_name: dict[str, Declaration]) -> None:
        self.by_name = by_name
        self.cache: dict[str, GlobalType | None] = {}

    @staticmethod
    def prefixes(decl: Declaration) -> tuple[str, ...]:
        """Where a name written in `decl` is looked up: its namespaces (those of its own
        name too: `theorem Filter.foo` reads `Tendsto` as `Filter.Tendsto`), then `open`s."""
        parts = decl.name.split(".")[:-1]
        if decl.namespace and not decl.name.startswith(decl.namespace + "."):
            parts = decl.namespace.split(".") + parts
        out = [".".join(parts[:k]) for k in range(len(parts), 0, -1)]
        out += [o.split()[-1] for o in decl.opens if o and o.split()[0] != "hiding"]
        return tuple(dict.fromkeys(p for p in out if p))

    def lookup(self, decl: Declaration) -> Globals:
        prefixes = self.prefixes(decl)

        def find(name: str) -> GlobalType | None:
            name = NOTATION_CONSTANTS.get(name, name)  # `𝓝` is `nhds`
            for prefix in [*prefixes, ""]:
                full = f"{prefix}.{name}" if prefix else name
                if full in self.by_name:
                    return self.read(full)
            return None

        return find

    def read(self, full: str) -> GlobalType | None:
        if full not in self.cache:
            self.cache[full] = global_type(self.by_name[full].signature)
        return self.cache[full]


def translated_declarations(
    results: list[FileResult], declared: list[Declaration], guess: dict[str, GuessNameData]
) -> list[Declaration]:
    """Declarations generated by `to_additive` / `to_dual`, in the order Mathlib would name them."""
    by_name: dict[str, Declaration] = {}
    for d in declared:
        if d.name not in by_name or by_name[d.name].is_private:
            by_name[d.name] = d
    trans: dict[str, dict[str, str]] = {"to_additive": dict(CORE_ADDITIVE), "to_dual": {}}
    hints: dict[str, dict[str, GuessNameData]] = {}
    requests = []
    for r in results:
        for tag, src, tgt in r.name_hints:
            if tag == "to_additive_translation":
                trans["to_additive"][src] = tgt
            elif tag.endswith("_hint"):
                attr = tag[: -len("_hint")]
                base = hints.get(r.module.file, {}).get(attr, guess[attr])
                hints.setdefault(r.module.file, {})[attr] = base.with_hint(src, tgt)
        for req in r.translations:
            if req.namespace or req.source not in by_name:
                req.source = _resolve_relative(req.source, req.namespace, by_name)
            requests.append(req)
    requests.sort(key=lambda q: q.source.count("."))
    generated: list[Declaration] = []
    sources: list[tuple[Declaration, TranslationRequest]] = []
    queue = list(requests)
    while queue:
        req = queue.pop(0)
        attr = req.attribute
        data = hints.get(req.file, {}).get(attr, guess[attr])
        src_decl = by_name.get(req.source)
        try:
            tgt = target_name(data, req.source, req.target, trans[attr])
        except Exception:
            continue
        if tgt == req.source:
            continue
        trans[attr][req.source] = tgt
        if attr == "to_dual":
            trans[attr].setdefault(tgt, req.source)
        if req.existing or tgt in by_name or src_decl is None:
            continue
        new = _translated(src_decl, tgt, req.docstring, attr, trans[attr])
        by_name[tgt] = new
        generated.append(new)
        sources.append((src_decl, req))
        for nested in req.nested:
            head = nested.split(None, 1)[0] if nested else ""
            if head in ("to_dual", "to_additive") and head != attr:
                from indexer.declaration_parts import translation_request

                follow = translation_request(head, nested, None, tgt, req.file)
                queue.append(follow)
            elif head == "deprecated":
                from indexer.declaration_parts import parse_deprecated

                dep = parse_deprecated(nested)
                if dep.target:
                    dep.target = map_prefix(dep.target, trans[attr])
                new.deprecated = dep
    # Signatures last: every generated name is in the dictionary by now (a declaration is
    # often translated before the classes its signature mentions are)
    global_types = _GlobalTypes(by_name)
    for new, (src, req) in zip(generated, sources, strict=True):
        new.signature, new.signature_note = _translated_signature(
            src, req, trans[req.attribute], global_types
        )
    return generated


def _translated_signature(
    src: Declaration, req: TranslationRequest, trans: dict[str, str], types: _GlobalTypes
) -> tuple[str, str | None]:
    if req.attribute == "to_dual":
        dual = dual_signature(src.signature) if src.signature else src.signature
        if dual is None:
            note = f"the statement of {src.name} with names translated, not read in the dual order"
            return _translate_names(src.signature, trans), note
        return _translate_names(dual, trans), None
    if req.attribute != "to_additive":
        return _translate_names(src.signature, trans), None
    t = translate(
        src.signature,
        trans,
        types.lookup(src),
        src.name,
        frozenset(req.dont_translate),
        types.prefixes(src),
    )
    return t.signature, t.note


def _translated(
    src: Declaration, name: str, doc: str | None, attr: str, trans: dict[str, str]
) -> Declaration:
    """The generated declaration, its signature still the source's (see above)."""
    deprecated = src.deprecated
    if deprecated is not None and deprecated.target:
        deprecated = Deprecation(
            target=map_prefix(deprecated.target, trans),
            message=deprecated.message,
            since=deprecated.since,
        )
    return src.replace(
        name=name,
        origin=attr,
        generated_from=src.name,
        docstring=doc,
        signature=src.signature,
        references=[map_prefix(r, trans) for r in src.references],
        alias_of=map_prefix(src.alias_of, trans) if src.alias_of else None,
        deprecated=deprecated,
        attributes=[a for a in src.attributes if not a.startswith(attr)],
    )


def _resolve_relative(name: str, namespace: str, by_name: dict[str, Declaration]) -> str:
    """Resolve a name written in `attribute [...] name` inside `namespace`."""
    if name.startswith("_root_."):
        return name[len("_root_.") :]
    parts = namespace.split(".") if namespace else []
    for k in range(len(parts), -1, -1):
        candidate = ".".join([*parts[:k], name])
        if candidate in by_name:
            return candidate
    return f"{namespace}.{name}" if namespace else name
