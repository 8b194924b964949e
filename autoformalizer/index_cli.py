"""`autoformalizer index`: read Lean sources (Mathlib pinned or yours, a Lake project and the
packages it pins, a library file), build the knowledge base and the retrieval indexes in a
staging directory and swap them in atomically; `--from-index` rebuilds only retrieval.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from autoformalizer.errors import UsageError
from autoformalizer.options import (
    add_json,
    dumps,
    positive_int,
)
from indexer.errors import UserError

if TYPE_CHECKING:
    from indexer.roots import SourceRoot
    from retrieval.build import RetrievalSettings


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
    settings = _retrieval_settings(args)

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


def _retrieval_settings(args: argparse.Namespace) -> RetrievalSettings:
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
        theorem_query_model=_theorem_query_model(args.theorem_query_model),
        bm25_theorem_view=args.bm25_theorem_view,
        encoder_backend=args.encoder_backend,
        static_models=_static_models(args.static_model),
        cache_dir=cache_dir() / "embeddings",
        onnx_dir=cache_dir() / "onnx",
    )


def _static_models(folders: list[str] | None) -> tuple[Path, ...]:
    """`--static-model` folders, each checked before anything is built."""
    from retrieval.static_encoder import read_card

    for folder in folders or ():
        read_card(Path(folder))  # a StaticModelError naming the folder
    return tuple(Path(f) for f in folders or ())


def _theorem_model(choice: str | None) -> str | None:
    """The shipped joint model unless told otherwise ('same': the definitions' model)."""
    from retrieval.joint_embedding import JOINT_MODEL_DIR

    if choice == "same":
        return None
    if choice is not None:
        return choice
    return str(JOINT_MODEL_DIR) if (JOINT_MODEL_DIR / "model.safetensors").is_file() else None


def _theorem_query_model(choice: str | None) -> str | None:
    """The shipped lookup query encoder unless told otherwise ('none': the theorem model)."""
    from retrieval.query_tuning import LOOKUP_QUERY_MODEL_DIR

    if choice == "none":
        return None
    if choice is not None:
        if not (Path(choice) / "training.json").is_file():
            raise UsageError(
                f"--theorem-query-model {choice} is not a query encoder made by "
                "`autoformalizer train-query` (no training.json)"
            )
        return choice
    shipped = LOOKUP_QUERY_MODEL_DIR / "model.safetensors"
    return str(LOOKUP_QUERY_MODEL_DIR) if shipped.is_file() else None


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
    from knowledge_base import KnowledgeBase

    KnowledgeBase.open(src).close()  # a clear error if SRC is not an index
    out = Path(args.out)
    staging = staging_dir(out)
    try:
        for name in (DB_FILE, MANIFEST_FILE):
            shutil.copy2(src / name, staging / name)
        _build_retrieval(staging, _retrieval_settings(args), args.quiet)
        Manifest.read(staging).seal(staging)
        swap_into_place(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    summary = {"out": str(out), "from": str(src), "model": args.model}
    print(dumps(summary, indent=None) if args.json else f"rebuilt retrieval of {src} into {out}")
    return 0


# ------------------------------------------------------------------------------- kb


def add_parser(sub: argparse._SubParsersAction) -> None:
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
        help="reuse this index's knowledge base and rebuild only retrieval (e.g. with --model; "
        "Mathlib's curated concept lists come from the knowledge base)",
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
        choices=["auto", "torch", "torch-bf16", "onnx", "onnx-int8", "static"],
        default="auto",
        help="how documents are encoded: PyTorch fp32, PyTorch bf16 (about 3x fp32 on a CPU "
        "with AMX or AVX512-BF16), ONNX Runtime fp32 (the same vectors as fp32), its int8 "
        "copy (about 2x fp32), or static: a token table distilled from the model (seconds "
        "for all of Mathlib instead of most of an hour, lower lookup quality: docs/results.md); "
        "default: bf16 where the CPU has it, else int8 on a CPU, PyTorch on a GPU. Queries run "
        "on an ONNX graph: int8 for int8, bf16 and static documents, else fp32",
    )
    ix.add_argument(
        "--static-model",
        action="append",
        help="a static encoder made by `autoformalizer train-static`, used with "
        "--encoder-backend static for the model it was distilled from (repeatable; the "
        "shipped ones cover the default models)",
    )
    ix.add_argument(
        "--theorem-model",
        default=None,
        help="embedding model for theorems (default: the shipped joint NL/Lean model, which "
        "reads name + signature; 'same' uses --model and --dense-view)",
    )
    ix.add_argument(
        "--theorem-query-model",
        default=None,
        help="encoder for theorem queries, tuned against the theorem model's vectors (default: "
        "the shipped lookup query encoder; 'none' encodes queries with the theorem model)",
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
