"""The `autoformalizer` command: `index`, `kb stats|show|resolve`, ...

Every failure a user can cause (a bad path, a missing index, a bad argument) ends in one line
on stderr naming the problem and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from autoformalizer.eval_cli import add_parsers as add_eval_parsers
from autoformalizer.formalize_cli import CliError, add_parsers
from autoformalizer.progress import progress_bar as _progress_bar
from indexer.jsonl_library import LibraryError, read_library
from indexer.leandojo import CorpusError, read_corpus
from indexer.mathlib_source import MATHLIB_REV, MATHLIB_URL, SourceError, cache_dir, clone_mathlib
from indexer.models import to_dict
from indexer.roots import RootError, SourceRoot, discover_root, extra_libraries
from knowledge_base import IndexOpenError, KnowledgeBase
from knowledge_base.atomic import staging_dir, swap_into_place
from knowledge_base.build import BuildOptions, HistorySettings, build_index
from knowledge_base.schema import DB_FILE, MANIFEST_FILE
from retrieval.build import RetrievalSettings, build_retrieval
from retrieval.embedder import EmbedderError
from retrieval.retriever import RetrievalIndexError, Retriever, SearchConfig


class UsageError(Exception):
    """A problem with the user's input, reported as one line."""


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
    if args.from_index:
        return _reindex_retrieval(args)
    own_sources = args.root or args.library or args.leandojo
    if args.mathlib is None and own_sources:
        mathlib_path = None
    elif args.mathlib is None:
        _log(f"no --mathlib given: cloning {args.mathlib_url} at {args.mathlib_rev}")
        try:
            mathlib_path = clone_mathlib(args.mathlib_url, args.mathlib_rev)
        except SourceError as exc:
            raise UsageError(f"could not get Mathlib: {exc}") from exc
    else:
        mathlib_path = Path(args.mathlib)
    roots: list[SourceRoot] = []
    for path in [mathlib_path, *args.root] if mathlib_path else args.root:
        try:
            roots.append(discover_root(path))
        except RootError as exc:
            raise UsageError(str(exc)) from exc
    if mathlib_path is not None and not args.no_archive:
        roots[1:1] = extra_libraries(roots[0], ("Archive", "Counterexamples"))
    extra = []
    for corpus in args.leandojo:
        try:
            decls, _warnings = read_corpus(Path(corpus))
        except CorpusError as exc:
            raise UsageError(str(exc)) from exc
        extra.extend(decls)
    for library in args.library:
        try:
            decls, _warnings = read_library(Path(library))
        except LibraryError as exc:
            raise UsageError(str(exc)) from exc
        extra.extend(decls)
    history = None
    if mathlib_path is None:
        pass
    elif not args.no_history and (roots[0].path / ".git").exists() and _has_history(roots[0].path):
        history = HistorySettings(
            repo=roots[0].path,
            subdir=roots[0].libraries[0] or ".",
            since=args.history_since,
            cache_dir=cache_dir(),
        )
    elif not args.no_history:
        _log(f"{roots[0].path} is not a git repository with history: no rename history")
    settings = _retrieval_settings(args, [r.path for r in roots])

    def finish(staging: Path) -> None:
        _build_retrieval(staging, settings, args.quiet)

    options = BuildOptions(
        workers=args.workers,
        history=history,
        extra_declarations=extra,
        log=_log,
        progress=None if args.quiet else _progress_bar("parsing"),
        finish=finish,
    )
    manifest = build_index(roots, Path(args.out), options)
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


def _retrieval_settings(args: argparse.Namespace, roots: list[Path]) -> RetrievalSettings:
    return RetrievalSettings(
        model=args.model,
        device=args.device,
        query_prefix=args.query_prefix,
        document_prefix=args.document_prefix,
        embed=not args.no_embed,
        dense_corpora=("definitions", "theorems")
        if args.dense_corpus == "all"
        else (args.dense_corpus,),
        dense_index=args.dense_index,
        dense_view=args.dense_view,
        cache_dir=cache_dir() / "embeddings",
        curated_from=[r for r in roots if (r / "docs" / "undergrad.yaml").is_file()],
    )


def _build_retrieval(staging: Path, settings: RetrievalSettings, quiet: bool) -> None:
    try:
        build_retrieval(
            staging,
            settings,
            log=_log,
            progress=None if quiet else _progress_bar("embedding", "doc"),
        )
    except EmbedderError as exc:
        raise UsageError(str(exc)) from exc


def _reindex_retrieval(args: argparse.Namespace) -> int:
    """`index --from-index SRC --out DST`: SRC's knowledge base, a freshly built retrieval half
    (another `--model`, say) without parsing anything again. DST is swapped in atomically."""
    if args.root or args.library or args.leandojo:
        raise UsageError("--from-index reuses a knowledge base: it takes no --root/--library")
    src = Path(args.from_index)
    _open(src).close()  # a clear error if SRC is not an index
    out = Path(args.out)
    staging = staging_dir(out)
    try:
        for name in (DB_FILE, MANIFEST_FILE):
            shutil.copy2(src / name, staging / name)
        mathlib = [Path(args.mathlib)] if args.mathlib else []
        _build_retrieval(staging, _retrieval_settings(args, mathlib), args.quiet)
        swap_into_place(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(json.dumps({"out": str(out), "from": str(src), "model": args.model}))
    return 0


def _open(index: str | Path) -> KnowledgeBase:
    """The index, or a usage error naming what is wrong with it."""
    try:
        return KnowledgeBase.open(index)
    except IndexOpenError as exc:
        raise UsageError(str(exc)) from exc


def cmd_kb_stats(args: argparse.Namespace) -> int:
    with _open(args.index) as kb:
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
    with _open(args.index) as kb:
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
    with _open(args.index) as kb:
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


CONFIGS = {
    "bm25": SearchConfig(dense=False, mentions=False, popularity=False, rerank="none"),
    "dense": SearchConfig(bm25=False, mentions=False, popularity=False, rerank="none"),
    "fusion": SearchConfig(mentions=False, popularity=False, rerank="none"),
    "fusion+mentions": SearchConfig(popularity=False, rerank="none"),
    "fusion+mentions+popularity": SearchConfig(rerank="none"),
    "full": SearchConfig(),
}


def _open_retriever(args: argparse.Namespace) -> Retriever:
    try:
        return Retriever.open(
            args.index,
            model=getattr(args, "model", None),
            cross_encoder=getattr(args, "cross_encoder", None),
        )
    except (IndexOpenError, RetrievalIndexError, EmbedderError) as exc:
        raise UsageError(str(exc)) from exc


def cmd_search(args: argparse.Namespace) -> int:
    retriever = _open_retriever(args)
    cfg = CONFIGS[args.config] if args.config else None
    if cfg is not None and retriever.cross_encoder is not None:
        cfg = replace(cfg, rerank="cross-encoder")
    hits = retriever.search(args.query, k=args.k, corpus=args.corpus, config=cfg, task=args.task)
    if args.json:
        print(json.dumps([h.model_dump() for h in hits], indent=2, ensure_ascii=False))
        return 0
    for i, h in enumerate(hits, start=1):
        print(f"{i:2}. {h.name}  [{h.kind}]  {h.score:.3f}")
        if h.description:
            print(f"      {h.description}")
        print(f"      {h.signature[:120]}")
        print(f"      why: {', '.join(h.why)}")
    return 0


def cmd_eval_retrieval(args: argparse.Namespace) -> int:
    from eval.retrieval_bench import (
        BenchFormatError,
        evaluate,
        markdown_table,
        plot_recall,
        read_bench,
        resolve_gold,
    )

    try:
        items = read_bench(Path(args.bench))
        ks = [int(k) for k in args.k.split(",")]
    except (BenchFormatError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    retriever = _open_retriever(args)
    coverage = resolve_gold(retriever.kb, items)
    names = args.config or ["full"]
    results = {}
    for name in names:
        if name not in CONFIGS:
            raise UsageError(f"unknown configuration {name!r}: one of {', '.join(CONFIGS)}")
        cfg = CONFIGS[name]
        Retriever._query_vector.cache_clear()  # each configuration pays its own query encoding

        def search(item, depth, cfg=cfg):
            hits = retriever.search(
                item.query,
                k=depth,
                corpus=args.corpus,
                exclude=item.exclude,
                config=cfg,
                task=args.task,
            )
            return [h.name for h in hits]

        res = evaluate(items, search, ks)
        res["coverage"] = coverage
        results[name] = res
        m = res["metrics"]
        _log(
            f"{name}: "
            + ", ".join(f"{k}={m[k]:.3f}" for k in m if k.startswith(("R@", "MRR")))
            + f"  p50={res['latency_ms']['p50']}ms"
        )
    table = markdown_table(results, ks)
    print(table)
    out = {"bench": args.bench, "corpus": args.corpus, "configurations": results}
    if len(results) == 1:
        out.update(next(iter(results.values())))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False))
        Path(args.json).with_suffix(".md").write_text(table + "\n")
        plot_recall(results, ks, Path(args.json).with_suffix(".png"), Path(args.bench).stem)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="autoformalizer", description="Retrieval-augmented autoformalization over Mathlib"
    )
    sub = p.add_subparsers(dest="command", required=True)

    ix = sub.add_parser("index", help="index Lean sources (Mathlib, Batteries, your project)")
    ix.add_argument(
        "--mathlib",
        help="Mathlib checkout (default: clone it with git, unless "
        "--root/--library/--leandojo name the sources)",
    )
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
        "--from-index",
        help="reuse this index's knowledge base and rebuild only retrieval (e.g. with --model); "
        "add --mathlib to keep Mathlib's curated concept lists in the lexicon",
    )
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
    ix.add_argument(
        "--library",
        action="append",
        default=[],
        help="a JSONL declaration library (e.g. connf/library.jsonl) to index",
    )
    ix.add_argument(
        "--model",
        default=None,
        help="embedding model: Hugging Face id or local path (default: packaged all-MiniLM-L6-v2)",
    )
    ix.add_argument("--device", default=None, help="cpu or cuda (default: cuda when present)")
    ix.add_argument("--query-prefix", default="", help='e.g. "query: " for e5 models')
    ix.add_argument("--document-prefix", default="", help='e.g. "passage: " for e5 models')
    ix.add_argument(
        "--dense-corpus",
        choices=["definitions", "theorems", "all"],
        default="definitions",
        help="which corpora get dense vectors",
    )
    ix.add_argument(
        "--dense-view",
        choices=["informal", "formal", "combined"],
        default="informal",
        help="the text embedded per declaration: name words + docstring (informal), name + "
        "signature (formal, what the joint model was trained to match), or both",
    )
    ix.add_argument(
        "--dense-index",
        choices=["auto", "flat", "hnsw"],
        default="auto",
        help="exact search (flat), HNSW, or auto: exact up to 20,000 vectors, HNSW above",
    )
    ix.set_defaults(func=cmd_index)

    se = sub.add_parser("search", help="retrieve Mathlib declarations for a statement")
    se.add_argument("query")
    se.add_argument("--index", required=True)
    se.add_argument("-k", type=int, default=10)
    se.add_argument("--corpus", choices=["definitions", "theorems", "all"], default="definitions")
    se.add_argument("--config", choices=list(CONFIGS), default=None)
    se.add_argument(
        "--task",
        choices=["dependencies", "lookup"],
        default=None,
        help="what to find: the definitions a formalization needs, or the stated "
        "result (default: dependencies for --corpus definitions, else lookup)",
    )
    se.add_argument(
        "--cross-encoder",
        default=None,
        help="rerank with this sentence-transformers CrossEncoder model",
    )
    se.add_argument("--json", action="store_true")
    se.set_defaults(func=cmd_search)

    ev = sub.add_parser("eval", help="benchmarks")
    ev_sub = ev.add_subparsers(dest="eval_command", required=True)
    add_eval_parsers(sub, ev_sub)
    er = ev_sub.add_parser("retrieval", help="Recall@k of retrieval on a benchmark")
    er.add_argument("--index", required=True)
    er.add_argument(
        "--bench",
        required=True,
        help='JSONL {"id","query","gold"}, or ProofNet-deps / Con-NF benchmark rows',
    )
    er.add_argument("--k", default="1,5,10,20")
    er.add_argument("--corpus", choices=["definitions", "theorems", "all"], default="definitions")
    er.add_argument(
        "--config",
        action="append",
        default=None,
        help=f"configuration(s) to compare: {', '.join(CONFIGS)} (default: full)",
    )
    er.add_argument(
        "--task",
        choices=["dependencies", "lookup"],
        default=None,
        help="default: dependencies for --corpus definitions, else lookup",
    )
    er.add_argument("--json", default=None, help="write the report (and .md, .png) here")
    er.set_defaults(func=cmd_eval_retrieval)

    add_parsers(sub)

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
    except (UsageError, CliError) as exc:
        print(f"autoformalizer: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("autoformalizer: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
