"""`autoformalizer informalize`: model-written English descriptions into an index."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from autoformalizer.errors import UsageError, readable_text, writable_file
from autoformalizer.options import add_index, add_json, dumps, positive_int


def cmd_informalize(args: argparse.Namespace) -> int:
    from autoformalizer.progress import progress_bar
    from formalizer.informalize import DescriptionCache, informalize, select_targets
    from formalizer.llm_config import load_config, make_backend
    from indexer.mathlib_source import cache_dir
    from knowledge_base import KnowledgeBase

    index = Path(args.index)
    cache_path = writable_file(args.cache, "--cache") or cache_dir() / "descriptions.jsonl"
    names = None
    if args.names:
        names = {line.strip() for line in readable_text(args.names, "--names").splitlines()}
        names.discard("")
    config = load_config(args.llm, {"concurrency": args.concurrency})
    backend = make_backend(config)
    concurrency = config.concurrency if config.backend == "openai" else 1
    with KnowledgeBase.open(index) as kb:
        targets = select_targets(
            kb,
            undocumented_only=not args.all,
            module_prefix=args.module,
            names=names,
            limit=args.limit,
        )
    if not targets:
        raise UsageError(
            "no declaration to describe: every one selected has a docstring (add --all) or "
            "none matches --module/--names"
        )
    start = time.perf_counter()
    report = informalize(
        index,
        backend,
        DescriptionCache(cache_path),
        targets=targets,
        concurrency=concurrency,
        progress=None if args.quiet else progress_bar("informalize", "decl"),
    )
    summary = {
        "index": str(index),
        "selected": report.selected,
        "from_model": report.from_model,
        "from_cache": report.from_cache,
        "failed": len(report.failures),
        "stored": report.stored,
        "seconds": round(time.perf_counter() - start, 1),
        "cache": str(cache_path),
        "failures": [{"name": n, "error": e} for n, e in report.failures[:20]],
    }
    if args.json:
        print(dumps(summary))
    else:
        print(
            f"{report.stored} descriptions stored in {index} ({report.from_model} written by "
            f"{backend.identity}, {report.from_cache} from the cache {cache_path}); "
            f"{len(report.failures)} failed"
        )
        for name, error in report.failures[:5]:
            print(f"  {name}: {error}", file=sys.stderr)
        print(
            f"search uses them after: autoformalizer index --from-index {index} --out NEW_DIR",
            file=sys.stderr,
        )
    return 0 if not report.failures else 1


def add_parser(sub: argparse._SubParsersAction) -> None:
    inf = sub.add_parser(
        "informalize",
        help="write English descriptions of undocumented declarations with a language model",
        description="Describe declarations in English with a language model, dependencies "
        "first, and store the descriptions in the index's knowledge base (marked as "
        "model-written). Answers are cached by a hash of the prompt: a rerun resumes, and a "
        "rebuilt index reuses them. Exit status 1 when some declaration got no description.",
    )
    add_index(inf)
    inf.add_argument(
        "--llm",
        help="openai:MODEL@URL (any OpenAI-compatible server) | transformers:ID_OR_PATH | smollm2",
    )
    inf.add_argument("--module", help="only declarations of modules starting with this prefix")
    inf.add_argument("--names", help="only the declarations named in this file (one per line)")
    inf.add_argument("--limit", type=positive_int, help="at most this many declarations")
    inf.add_argument(
        "--all", action="store_true", help="describe documented declarations too (default: not)"
    )
    inf.add_argument(
        "--concurrency", type=positive_int, default=None, help="requests in flight (default 8)"
    )
    inf.add_argument(
        "--cache", help="JSONL cache of answers (default: the autoformalizer cache folder)"
    )
    inf.add_argument("--quiet", action="store_true", help="no progress bar")
    add_json(inf)
    inf.set_defaults(func=cmd_informalize)
