"""The `autoformalizer` command: `index`, `search`, `kb stats|show|resolve`, `check`,
`formalize`, `eval ...`, `train-joint`.

Every failure a user can cause (a bad path, a damaged index, a bad argument, an unreachable
model server) ends in one line on stderr naming the problem and exit status 2, never a
traceback. Heavy libraries are imported only by the commands that need them, so that
`--help`, `kb` and the error paths answer at once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from autoformalizer.errors import UsageError, check_arguments, writable_file
from autoformalizer.options import (
    add_index,
    add_json,
    add_report,
    dumps,
    k_list,
    positive_int,
    write_json,
)
from indexer.errors import UserError

if TYPE_CHECKING:
    from indexer.roots import SourceRoot
    from knowledge_base import KnowledgeBase
    from retrieval.build import RetrievalSettings
    from retrieval.retriever import Retriever


def _log(msg: str) -> None:
    print(msg, file=sys.stderr)


class Parser(argparse.ArgumentParser):
    """argparse, with its errors raised as one-line `UsageError`s instead of usage + exit."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("autoformalizer").strip()
        where = f"{command}: " if command else ""
        raise UsageError(f"{where}{message} (see `{self.prog} --help`)")


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


# ---------------------------------------------------------------------------- index
def cmd_index(args: argparse.Namespace) -> int:
    from indexer.jsonl_library import read_library
    from indexer.leandojo import read_corpus
    from indexer.mathlib_source import cache_dir
    from knowledge_base.atomic import check_replaceable
    from knowledge_base.build import BuildOptions, HistorySettings, build_index

    _check_input_paths(args)
    check_replaceable(Path(args.out), args.force)  # before minutes of work, not after
    if args.from_index:
        return _reindex_retrieval(args)
    if args.project:
        roots, mathlib_path = _project_roots(args)
    else:
        roots, mathlib_path = _source_roots(args)
    extra = []
    for corpus in args.leandojo:
        extra.extend(read_corpus(Path(corpus))[0])
    for library in args.library:
        extra.extend(read_library(Path(library))[0])
    history = None
    mathlib_root = next(
        (r for r in roots if mathlib_path and r.path == mathlib_path.resolve()), None
    )
    if mathlib_root is None:
        pass
    elif not args.no_history and (mathlib_path / ".git").exists() and _has_history(mathlib_path):
        history = HistorySettings(
            repo=mathlib_root.path,
            subdir=mathlib_root.libraries[0] or ".",
            since=args.history_since,
            cache_dir=cache_dir(),
        )
    elif not args.no_history:
        _log(f"{mathlib_path} is not a git repository with history: no rename history")
    settings = _retrieval_settings(args, [r.path for r in roots])

    def finish(staging: Path) -> None:
        _build_retrieval(staging, settings, args.quiet)

    from autoformalizer.progress import progress_bar

    options = BuildOptions(
        workers=args.workers,
        history=history,
        extra_declarations=extra,
        log=_log,
        progress=None if args.quiet else progress_bar("parsing"),
        finish=finish,
        force=args.force,
    )
    manifest = build_index(roots, Path(args.out), options)
    summary = {
        "out": str(Path(args.out)),
        "build_seconds": manifest.build_seconds,
        **{k: v for k, v in manifest.counts.items() if ":" not in k},
    }
    if args.json:
        print(dumps(summary, indent=None))
    else:
        print(
            f"indexed {summary.get('declarations', 0)} declarations from "
            f"{summary.get('files', 0)} files into {summary['out']} in "
            f"{manifest.build_seconds:.0f} s"
        )
        if summary.get("unreadable_notations"):
            print(
                f"skipped {summary['unreadable_notations']} notation commands the reader could "
                "not read (autoformalizer kb stats; the warnings table lists them)"
            )
    return 0


def _check_input_paths(args: argparse.Namespace) -> None:
    """Name a missing or wrong-kind input before anything else is looked at."""
    dirs = [("--mathlib", args.mathlib), ("--project", args.project), ("--lean-src", args.lean_src)]
    dirs += [("--root", r) for r in args.root]
    files = [("--leandojo", f) for f in args.leandojo] + [("--library", f) for f in args.library]
    for flag, value in dirs + files:
        if value is None:
            continue
        path = Path(value).expanduser()
        if not path.exists():
            raise UserError(f"{flag} {path} does not exist")
        want_dir = (flag, value) in dirs
        if want_dir and not path.is_dir():
            raise UserError(f"{flag} {path} is not a directory")
        if not want_dir and not path.is_file():
            raise UserError(f"{flag} {path} is not a file")


def _source_roots(args: argparse.Namespace) -> tuple[list[SourceRoot], Path | None]:
    """`--mathlib` (cloned when absent and nothing else is named), `--root`s, and Lean core's
    sources when given (`--lean-src`) or installed for Mathlib's toolchain."""
    from indexer.mathlib_source import clone_mathlib
    from indexer.roots import core_root, discover_root, extra_libraries, toolchain_sources

    own_sources = args.root or args.library or args.leandojo
    if args.mathlib is None and own_sources:
        mathlib_path = None
    elif args.mathlib is None:
        _log(f"no --mathlib given: cloning {args.mathlib_url} at {args.mathlib_rev}")
        mathlib_path = clone_mathlib(args.mathlib_url, args.mathlib_rev)
    else:
        mathlib_path = Path(args.mathlib).expanduser()
    roots = [discover_root(p) for p in ([mathlib_path, *args.root] if mathlib_path else args.root)]
    if mathlib_path is not None and not args.no_archive:
        roots[1:1] = extra_libraries(roots[0], ("Archive", "Counterexamples"))
    toolchain = roots[0].lean_toolchain() if roots else None
    core = args.lean_src or toolchain_sources(toolchain)
    if core is not None:
        roots.append(core_root(core))
        _check_core_version(roots[-1].path, toolchain)
    return roots, mathlib_path


def _project_roots(args: argparse.Namespace) -> tuple[list[SourceRoot], Path | None]:
    """`--project DIR`: the project, every package its lake manifest pins (from
    `.lake/packages`), and its toolchain's core sources when installed."""
    from indexer.roots import discover_project

    if args.mathlib or args.root:
        raise UsageError("--project reads the project's own packages: no --mathlib/--root")
    project = discover_project(args.project, args.lean_src)
    roots = [project.root]
    mathlib_path = None
    for pkg, root in project.packages:
        if root is None:
            _log(
                f"package {pkg.name} (pinned at {pkg.rev or '?'}) is not checked out under "
                f"{Path(args.project) / '.lake' / 'packages'}: not indexed (run `lake build` "
                "or `lake exe cache get` there first)"
            )
            continue
        roots.append(root)
        if pkg.name.lower() == "mathlib":
            mathlib_path = root.path
    if project.core is not None:
        roots.append(project.core)
        _check_core_version(project.core.path, project.toolchain)
    else:
        _log(
            f"no Lean core sources for {project.toolchain or 'the toolchain'}: core names are "
            "known only through their uses (give --lean-src to index them)"
        )
    return roots, mathlib_path


def _check_core_version(src: Path, toolchain: str | None) -> None:
    from indexer.roots import core_version

    version = core_version(src)
    wanted = (toolchain or "").rpartition(":")[2].removeprefix("v")
    if version and wanted and version.removeprefix("v") != wanted:
        _log(
            f"warning: the Lean sources at {src} are version {version}, but the project's "
            f"lean-toolchain asks for {toolchain}: names may differ"
        )


def _retrieval_settings(args: argparse.Namespace, roots: list[Path]) -> RetrievalSettings:
    from indexer.mathlib_source import cache_dir
    from retrieval.build import RetrievalSettings

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
        theorem_model=_theorem_model(args.theorem_model),
        theorem_view=args.theorem_view,
        bm25_theorem_view=args.bm25_theorem_view,
        encoder_backend=args.encoder_backend,
        cache_dir=cache_dir() / "embeddings",
        onnx_dir=cache_dir() / "onnx",
        curated_from=[r for r in roots if (r / "docs" / "undergrad.yaml").is_file()],
    )


def _theorem_model(choice: str | None) -> str | None:
    """The shipped joint model unless told otherwise ('same': the definitions' model)."""
    from retrieval.joint_embedding import JOINT_MODEL_DIR

    if choice == "same":
        return None
    if choice is not None:
        return choice
    return str(JOINT_MODEL_DIR) if (JOINT_MODEL_DIR / "model.safetensors").is_file() else None


def _build_retrieval(staging: Path, settings: RetrievalSettings, quiet: bool) -> None:
    from autoformalizer.progress import progress_bar
    from retrieval.build import build_retrieval

    build_retrieval(
        staging, settings, log=_log, progress=None if quiet else progress_bar("embedding", "doc")
    )


def _reindex_retrieval(args: argparse.Namespace) -> int:
    """`index --from-index SRC --out DST`: SRC's knowledge base, a freshly built retrieval half
    (another `--model`, say) without parsing anything again. DST is swapped in atomically."""
    from knowledge_base.atomic import staging_dir, swap_into_place
    from knowledge_base.manifest import Manifest
    from knowledge_base.schema import DB_FILE, MANIFEST_FILE

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
        Manifest.read(staging).seal(staging)
        swap_into_place(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    summary = {"out": str(out), "from": str(src), "model": args.model}
    print(dumps(summary, indent=None) if args.json else f"rebuilt retrieval of {src} into {out}")
    return 0


# ------------------------------------------------------------------------------- kb
def _open(index: str | Path) -> KnowledgeBase:
    from knowledge_base import KnowledgeBase

    return KnowledgeBase.open(index)


def cmd_kb_stats(args: argparse.Namespace) -> int:
    with _open(args.index) as kb:
        stats = kb.stats()
    if args.json:
        print(dumps(stats))
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
        "notations",
        "unreadable_notations",
        "anonymous_instances_skipped",
        "files_with_warnings",
        "build_seconds",
    ):
        print(f"{key}: {stats[key]}")
    print("roots:")
    for r in stats["roots"]:  # type: ignore[union-attr]
        pinned = r.get("commit") or r.get("version") or "no revision"
        print(f"  {r['name']:16} {pinned}  ({r['files']} files, {r['path']})")
    if stats["packages"]:
        print("packages pinned by the roots' lake manifests (importable):")
        for p in stats["packages"]:  # type: ignore[union-attr]
            print(f"  {p['name']:16} {p.get('rev') or '?'}  (required by {p['required_by']})")
    return 0


def cmd_kb_show(args: argparse.Namespace) -> int:
    from indexer.models import to_dict

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
        print(dumps(info))
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
        print(dumps(out))
    else:
        target = f" -> {res.name}" if res.name else ""
        print(f"{res.query}: {res.status}{target}" + (f"  ({res.note})" if res.note else ""))
        if res.candidates:
            print("  candidates: " + ", ".join(res.candidates))
        if hints:
            print("  did you mean: " + ", ".join(hints))
    return 0 if res.status != "unknown" else 1


# --------------------------------------------------------------------------- search
CONFIG_NAMES = (
    "bm25",
    "dense",
    "fusion",
    "fusion+mentions",
    "fusion+mentions+popularity",
    "full",
)


def search_config(name: str):
    """The ablation configuration called `name` (see `CONFIG_NAMES`)."""
    from retrieval.retriever import SearchConfig

    return {
        "bm25": SearchConfig(dense=False, mentions=False, popularity=False, rerank="none"),
        "dense": SearchConfig(bm25=False, mentions=False, popularity=False, rerank="none"),
        "fusion": SearchConfig(mentions=False, popularity=False, rerank="none"),
        "fusion+mentions": SearchConfig(popularity=False, rerank="none"),
        "fusion+mentions+popularity": SearchConfig(rerank="none"),
        "full": SearchConfig(),
    }[name]


def _open_retriever(args: argparse.Namespace) -> Retriever:
    from retrieval.retriever import Retriever

    return Retriever.open(
        args.index,
        model=getattr(args, "model", None),
        cross_encoder=getattr(args, "cross_encoder", None),
    )


def cmd_search(args: argparse.Namespace) -> int:
    from dataclasses import replace

    if not args.query.strip():
        raise UsageError("the query is empty: give a statement, a formula or a name to look up")
    retriever = _open_retriever(args)
    cfg = search_config(args.config) if args.config else None
    if cfg is not None and retriever.cross_encoder is not None:
        cfg = replace(cfg, rerank="cross-encoder")
    hits = retriever.search(args.query, k=args.k, corpus=args.corpus, config=cfg, task=args.task)
    if args.json:
        print(dumps([h.model_dump() for h in hits]))
        return 0
    if not hits:
        _log("no hits")
    for i, h in enumerate(hits, start=1):
        print(f"{i:2}. {h.name}  [{h.kind}]  {h.score:.3f}")
        if h.description:
            marked = " (model-written)" if h.description_source == "model" else ""
            print(f"      {h.description}{marked}")
        print(f"      {h.signature[:160]}")
        print(f"      why: {', '.join(h.why)}")
    return 0


def cmd_eval_retrieval(args: argparse.Namespace) -> int:
    from autoformalizer.progress import progress_bar
    from eval.retrieval_bench import (
        evaluate,
        markdown_table,
        plot_recall,
        plot_styles,
        read_bench,
        resolve_gold,
        select_split,
        style_table,
    )
    from retrieval.retriever import Retriever

    report = writable_file(args.report, "--report")
    items = select_split(read_bench(Path(args.bench)), args.split)
    if not items:
        raise UsageError(f"--split {args.split} leaves no item of {args.bench}")
    ks = args.k
    names = args.config or ["full"]
    retriever = _open_retriever(args)
    coverage = resolve_gold(retriever.kb, items)
    results = {}
    for name in names:
        cfg = search_config(name)
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

        res = evaluate(items, search, ks, progress=progress_bar(name, "query"))
        res["coverage"] = coverage
        results[name] = res
        m = res["metrics"]
        _log(
            f"{name}: "
            + ", ".join(f"{k}={m[k]:.3f}" for k in m if k.startswith(("R@", "MRR")))
            + f"  p50={res['latency_ms']['p50']}ms"
        )
    table = markdown_table(results, ks)
    styles = style_table(results, ks)
    if styles:
        table += "\n\nRecall@k by query style\n\n" + styles
    out = {
        "bench": args.bench,
        "split": args.split,
        "corpus": args.corpus,
        "configurations": results,
    }
    if len(results) == 1:
        out.update(next(iter(results.values())))
    print(dumps(out) if args.json else table)
    if report is not None:
        write_json(report, out)
        report.with_suffix(".md").write_text(table + "\n")
        plot_recall(results, ks, report.with_suffix(".png"), Path(args.bench).stem)
        last = list(results)[-1]
        if results[last].get("by_style"):
            path = report.with_name(report.stem + "-styles.png")
            plot_styles(results[last], ks, path, f"{Path(args.bench).stem}, {last}, by style")
    return 0


# --------------------------------------------------------------------------- parser
def _index_parser(sub: argparse._SubParsersAction) -> None:
    from indexer.mathlib_source import MATHLIB_REV, MATHLIB_URL

    ix = sub.add_parser("index", help="index Lean sources (Mathlib, Batteries, your project)")
    ix.add_argument(
        "--mathlib",
        help="Mathlib checkout (default: clone it with git, unless "
        "--root/--library/--leandojo name the sources)",
    )
    ix.add_argument("--root", action="append", default=[], help="another source root (repeat)")
    ix.add_argument(
        "--project",
        help="a Lean project: index it, every package its lake-manifest.json pins (from "
        ".lake/packages) and its toolchain's core sources when installed",
    )
    ix.add_argument(
        "--lean-src",
        help="Lean core's sources (a toolchain's src/lean) to index as a root (default: the "
        "installed toolchain's, when elan has it)",
    )
    ix.add_argument(
        "--leandojo",
        action="append",
        default=[],
        help="a LeanDojo traced corpus.jsonl to add (repeat)",
    )
    ix.add_argument(
        "--out",
        default=os.environ.get("AUTOFORMALIZER_INDEX") or "index",
        help="index directory to write (default: $AUTOFORMALIZER_INDEX, else ./index); an "
        "earlier index there is replaced atomically, anything else is refused",
    )
    ix.add_argument(
        "--force",
        action="store_true",
        help="replace --out even when it is not an earlier index (its contents are lost)",
    )
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
    ix.add_argument(
        "--workers", type=positive_int, default=None, help="parser processes (default: CPUs)"
    )
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
        help="embedding model: a local directory or a Hugging Face id already downloaded "
        "(default: the packaged all-MiniLM-L6-v2)",
    )
    ix.add_argument("--device", default=None, help="cpu or cuda (default: cuda when present)")
    ix.add_argument("--query-prefix", default="", help='e.g. "query: " for e5 models')
    ix.add_argument("--document-prefix", default="", help='e.g. "passage: " for e5 models')
    ix.add_argument(
        "--dense-corpus",
        choices=["definitions", "theorems", "all"],
        default="all",
        help="which corpora get dense vectors (default: all; definitions alone builds in a "
        "fraction of the time)",
    )
    ix.add_argument(
        "--encoder-backend",
        choices=["auto", "torch", "onnx", "onnx-int8"],
        default="auto",
        help="how documents and queries are encoded: PyTorch fp32, ONNX Runtime fp32 (the "
        "same vectors), or its int8 copy (about 2x faster on a CPU); default: int8 on a CPU, "
        "PyTorch on a GPU",
    )
    ix.add_argument(
        "--theorem-model",
        default=None,
        help="embedding model for theorems (default: the shipped joint NL/Lean model, which "
        "reads name + signature; 'same' uses --model and --dense-view)",
    )
    ix.add_argument(
        "--bm25-theorem-view",
        choices=["informal", "formal", "combined", "english"],
        default="combined",
        help="the text BM25 reads per theorem: name words, docstring and statement "
        "(combined, the default), or that and the statement rendered in English (english)",
    )
    ix.add_argument(
        "--theorem-view",
        choices=["informal", "formal", "combined", "english"],
        default="formal",
        help="the text embedded per theorem (default: formal, name + signature)",
    )
    ix.add_argument(
        "--dense-view",
        choices=["informal", "formal", "combined", "english"],
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
    add_json(ix)
    ix.set_defaults(func=cmd_index)


def _search_parser(sub: argparse._SubParsersAction) -> None:
    se = sub.add_parser("search", help="look up Mathlib results and definitions")
    se.add_argument("query", help="a sentence, a formula, a Lean statement or a name")
    add_index(se)
    se.add_argument("-k", type=positive_int, default=10, help="hits to show (default 10)")
    se.add_argument(
        "--corpus",
        choices=["definitions", "theorems", "all"],
        default="all",
        help="what to search: every declaration (default), theorems only, or the definitions "
        "a formal statement depends on",
    )
    se.add_argument(
        "--config", choices=CONFIG_NAMES, default=None, help="an ablation configuration"
    )
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
        help="rerank with this sentence-transformers CrossEncoder (a local directory or a "
        "downloaded Hugging Face id)",
    )
    add_json(se)
    se.set_defaults(func=cmd_search)


def _eval_retrieval_parser(ev_sub: argparse._SubParsersAction) -> None:
    er = ev_sub.add_parser("retrieval", help="Recall@k of retrieval on a benchmark")
    add_index(er)
    er.add_argument(
        "--bench",
        required=True,
        help='JSONL {"id","query","gold"}, or ProofNet-deps / Con-NF benchmark rows',
    )
    er.add_argument(
        "--k", type=k_list, default=[1, 5, 10, 20], help="cut-offs, comma-separated (1,5,10,20)"
    )
    er.add_argument(
        "--corpus",
        choices=["definitions", "theorems", "all"],
        default="definitions",
        help="what is searched (default: definitions, the dependency-retrieval corpus)",
    )
    er.add_argument(
        "--config",
        action="append",
        choices=CONFIG_NAMES,
        default=None,
        help="configuration(s) to compare, repeatable (default: full)",
    )
    er.add_argument(
        "--task",
        choices=["dependencies", "lookup"],
        default=None,
        help="default: dependencies for --corpus definitions, else lookup",
    )
    er.add_argument(
        "--split",
        choices=["all", "dev", "held-out"],
        default="all",
        help="the half of the benchmark to run, fixed by each item's group or id "
        "(indexer.jsonl.split_half): tune on dev, only measure held-out (default: all)",
    )
    add_json(er)
    add_report(er, ".md table and .png Recall@k plot")
    er.set_defaults(func=cmd_eval_retrieval)


def _kb_parser(sub: argparse._SubParsersAction) -> None:
    kb = sub.add_parser("kb", help="query a knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="{stats,show,resolve}")
    common = Parser(add_help=False)
    add_index(common)
    add_json(common)
    st = kb_sub.add_parser("stats", parents=[common], help="counts by kind, roots, build")
    st.set_defaults(func=cmd_kb_stats)
    sh = kb_sub.add_parser("show", parents=[common], help="one declaration")
    sh.add_argument("name", help="a full name, or a name to resolve (renamed ones too)")
    sh.set_defaults(func=cmd_kb_show)
    rs = kb_sub.add_parser("resolve", parents=[common], help="resolve an identifier as Lean would")
    rs.add_argument("ident", help="the identifier as written in a statement")
    rs.add_argument("--open", action="append", default=[], help="open namespace(s), repeatable")
    rs.add_argument("--namespace", default=None, help="current namespace")
    rs.set_defaults(func=cmd_kb_resolve)


def build_parser() -> argparse.ArgumentParser:
    from autoformalizer.eval_cli import add_parsers as add_eval_parsers
    from autoformalizer.formalize_cli import add_parsers
    from autoformalizer.informalize_cli import add_parser as add_informalize_parser

    p = Parser(
        prog="autoformalizer", description="Retrieval-augmented autoformalization over Mathlib"
    )
    sub = p.add_subparsers(dest="command", required=True)
    _index_parser(sub)
    _search_parser(sub)
    ev = sub.add_parser("eval", help="benchmarks")
    ev_sub = ev.add_subparsers(dest="eval_command", required=True)
    add_eval_parsers(sub, ev_sub)
    _eval_retrieval_parser(ev_sub)
    add_parsers(sub)
    add_informalize_parser(sub)
    _kb_parser(sub)
    return p


def _quiet_libraries() -> None:
    """No download attempts (the tool works offline) and none of the libraries' own chatter
    ("Loading weights", tokenizer warnings) on every run."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


def _error(message: str) -> int:
    line = " ".join(message.split()) or "unknown error"
    print(f"autoformalizer: error: {line}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _quiet_libraries()
    try:
        check_arguments(argv)
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except UserError as exc:
        return _error(str(exc))
    except sqlite3.DatabaseError as exc:  # damage that only a query could reach
        return _error(
            f"the index database is damaged ({exc}): rebuild it with `autoformalizer index`"
        )
    except BrokenPipeError:  # `autoformalizer kb stats | head -3`: the reader has gone
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt as exc:
        detail = f": {exc}" if str(exc) else ""
        print(f"autoformalizer: interrupted{detail}", file=sys.stderr, flush=True)
        sys.stdout.flush()
        # Worker threads may be blocked on a server that never answers: do not wait for them.
        os._exit(130)


if __name__ == "__main__":
    sys.exit(main())
