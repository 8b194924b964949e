"""The `autoformalizer` command: `index`, `kb stats|show|resolve`, ...

Every failure a user can cause (a bad path, a missing index, a bad argument) ends in one line
on stderr naming the problem and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from indexer.leandojo import CorpusError, read_corpus
from indexer.mathlib_source import MATHLIB_REV, MATHLIB_URL, SourceError, cache_dir, clone_mathlib
from indexer.models import to_dict
from indexer.roots import RootError, SourceRoot, discover_root, extra_libraries
from knowledge_base import IndexOpenError, KnowledgeBase
from knowledge_base.build import BuildOptions, HistorySettings, build_index


class UsageError(Exception):
    """A problem with the user's input, reported as one line."""


def _progress_bar(desc: str) -> Callable[[int, int], None]:
    from tqdm import tqdm

    bar: list[tqdm] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, desc=desc, unit="file", file=sys.stderr, leave=False))
        bar[0].update(done - bar[0].n)
        if done >= total:
            bar[0].close()

    return update


def _log(msg: str) -> None:
    print(msg, file=sys.stderr)


def _has_history(repo: Path) -> bool:
    out = subprocess.run(
        ["git", "-C", str(repo), "rev-list", "--count", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    shallow = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--is-shallow-repository"],
        capture_output=True,
        text=True,
        check=False,
    )
    return (
        out.returncode == 0
        and int(out.stdout.strip() or 0) > 1
        and shallow.stdout.strip() != "true"
    )


def cmd_index(args: argparse.Namespace) -> int:
    if args.mathlib is None:
        _log(f"no --mathlib given: cloning {args.mathlib_url} at {args.mathlib_rev}")
        try:
            mathlib_path = clone_mathlib(args.mathlib_url, args.mathlib_rev)
        except SourceError as exc:
            raise UsageError(f"could not get Mathlib: {exc}") from exc
    else:
        mathlib_path = Path(args.mathlib)
    roots: list[SourceRoot] = []
    for path in [mathlib_path, *args.root]:
        try:
            roots.append(discover_root(path))
        except RootError as exc:
            raise UsageError(str(exc)) from exc
    if not args.no_archive:
        roots[1:1] = extra_libraries(roots[0], ("Archive", "Counterexamples"))
    extra = []
    for corpus in args.leandojo:
        try:
            decls, _warnings = read_corpus(Path(corpus))
        except CorpusError as exc:
            raise UsageError(str(exc)) from exc
        extra.extend(decls)
    history = None
    if not args.no_history and (roots[0].path / ".git").exists() and _has_history(roots[0].path):
        history = HistorySettings(
            repo=roots[0].path,
            subdir=roots[0].libraries[0] or ".",
            since=args.history_since,
            cache_dir=cache_dir(),
        )
    elif not args.no_history:
        _log(f"{roots[0].path} is not a git repository with history: no rename history")
    options = BuildOptions(
        workers=args.workers,
        history=history,
        extra_declarations=extra,
        log=_log,
        progress=None if args.quiet else _progress_bar("parsing"),
    )
    manifest = build_index(roots, Path(args.out), options)
    if not args.no_embed:
        _log(
            "embeddings: not built by this version (dense retrieval comes with the retrieval "
            "issue); the index holds the knowledge base"
        )
    print(
        json.dumps(
            {
                "out": str(Path(args.out)),
                "build_seconds": manifest.build_seconds,
                **{k: v for k, v in manifest.counts.items() if ":" not in k},
            }
        )
    )
    return 0


def _open(args: argparse.Namespace) -> KnowledgeBase:
    try:
        return KnowledgeBase.open(args.index)
    except IndexOpenError as exc:
        raise UsageError(str(exc)) from exc


def cmd_kb_stats(args: argparse.Namespace) -> int:
    with _open(args) as kb:
        stats = kb.stats()
    if args.json:
        print(json.dumps(stats, indent=2))
        return 0
    print(f"declarations: {stats['declarations']}  (+ {stats['external']} external names)")
    for kind, n in stats["by_kind"].items():  # type: ignore[union-attr]
        print(f"  {kind:18} {n}")
    for key in (
        "modules",
        "dependencies",
        "renames",
        "concepts",
        "deprecated",
        "anonymous_instances_skipped",
        "files_with_warnings",
        "build_seconds",
    ):
        print(f"{key}: {stats[key]}")
    return 0


def cmd_kb_show(args: argparse.Namespace) -> int:
    with _open(args) as kb:
        decl = kb.get(args.name)
        if decl is None:
            res = kb.resolve(args.name)
            if res.name and res.status != "external":
                decl = kb.get(res.name)
                _log(f"{args.name}: {res.note or res.status}")
        elif decl.deprecated is not None:
            res = kb.resolve(decl.name)
            _log(res.note or f"{decl.name} is deprecated")
        if decl is None:
            hint = kb.suggestions(args.name)
            more = f" (did you mean {', '.join(hint)}?)" if hint else ""
            raise UsageError(f"no declaration named {args.name}{more}")
        info = to_dict(decl)
        info["in_degree"] = kb.in_degree(decl.name)
        info["dependencies"] = kb.dependencies(decl.name)
        info["concepts"] = kb.concepts_for(decl.name)
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return 0
    print(f"{decl.kind} {decl.name}  [{decl.module}, {decl.file}:{decl.line_start}]")
    if decl.docstring:
        print(f"  /-- {decl.docstring} -/")
    print(f"  {decl.signature}")
    for key in (
        "origin",
        "generated_from",
        "alias_of",
        "deprecated",
        "attributes",
        "opens",
        "in_degree",
        "dependencies",
    ):
        value = info.get(key)
        if value not in (None, [], "", "source"):
            print(f"  {key}: {value}")
    return 0


def cmd_kb_resolve(args: argparse.Namespace) -> int:
    opens = [o for spec in args.open for o in spec.split(",") if o]
    with _open(args) as kb:
        res = kb.resolve(args.ident, opens, args.namespace)
        hints = kb.suggestions(args.ident) if res.status == "unknown" else []
    out = res.model_dump()
    if hints:
        out["suggestions"] = hints
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        target = f" -> {res.name}" if res.name else ""
        print(f"{res.query}: {res.status}{target}" + (f"  ({res.note})" if res.note else ""))
        if res.candidates:
            print("  candidates: " + ", ".join(res.candidates))
        if hints:
            print("  did you mean: " + ", ".join(hints))
    return 0 if res.status != "unknown" else 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="autoformalizer", description="Retrieval-augmented autoformalization over Mathlib"
    )
    sub = p.add_subparsers(dest="command", required=True)

    ix = sub.add_parser("index", help="index Lean sources (Mathlib, Batteries, your project)")
    ix.add_argument("--mathlib", help="Mathlib checkout (default: clone it with git)")
    ix.add_argument("--root", action="append", default=[], help="another source root (repeat)")
    ix.add_argument(
        "--leandojo",
        action="append",
        default=[],
        help="a LeanDojo traced corpus.jsonl to add (repeat)",
    )
    ix.add_argument("--out", required=True, help="index directory to write (replaced atomically)")
    ix.add_argument("--no-embed", action="store_true", help="skip the embedding half")
    ix.add_argument(
        "--no-archive",
        action="store_true",
        help="leave out Mathlib's Archive/ and Counterexamples/ libraries",
    )
    ix.add_argument(
        "--no-history", action="store_true", help="do not read renames from the Mathlib git history"
    )
    ix.add_argument(
        "--history-since", default="2023-01-01", help="oldest history snapshot (YYYY-MM-DD)"
    )
    ix.add_argument("--workers", type=int, default=None, help="parser processes (default: CPUs)")
    ix.add_argument("--mathlib-url", default=MATHLIB_URL, help=argparse.SUPPRESS)
    ix.add_argument(
        "--mathlib-rev", default=MATHLIB_REV, help="revision to clone when --mathlib is not given"
    )
    ix.add_argument("--quiet", action="store_true", help="no progress bar")
    ix.set_defaults(func=cmd_index)

    kb = sub.add_parser("kb", help="query a knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index", required=True, help="index directory")
    common.add_argument("--json", action="store_true", help="machine-readable output")
    st = kb_sub.add_parser("stats", parents=[common], help="counts by kind, roots, build")
    st.set_defaults(func=cmd_kb_stats)
    sh = kb_sub.add_parser("show", parents=[common], help="one declaration")
    sh.add_argument("name")
    sh.set_defaults(func=cmd_kb_show)
    rs = kb_sub.add_parser("resolve", parents=[common], help="resolve an identifier as Lean would")
    rs.add_argument("ident")
    rs.add_argument("--open", action="append", default=[], help="open namespace(s), repeatable")
    rs.add_argument("--namespace", default=None, help="current namespace")
    rs.set_defaults(func=cmd_kb_resolve)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"autoformalizer: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("autoformalizer: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
