"""The `autoformalizer` command: `index` (`index_cli.py`), `search`, `kb stats|show|resolve`,
`check` and `formalize` (`formalize_cli.py`), `informalize`, `eval ...` (`eval_cli.py`),
`train-joint`, `train-query` and `train-static` (`train_cli.py`).

Every failure a user can cause (a bad path, a damaged index, a bad argument, an unreachable
model server) ends in one line on stderr naming the problem and exit status 2, never a
traceback. Heavy libraries are imported only by the commands that need them, so that
`--help`, `kb` and the error paths answer at once.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import warnings
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
from indexer.errors import UserError, UserNote

if TYPE_CHECKING:
    from knowledge_base import KnowledgeBase
    from retrieval.retriever import Retriever


def _log(msg: str) -> None:
    print(msg, file=sys.stderr)


class Parser(argparse.ArgumentParser):
    """argparse, with its errors raised as one-line `UsageError`s instead of usage + exit."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("autoformalizer").strip()
        where = f"{command}: " if command else ""
        raise UsageError(f"{where}{message} (see `{self.prog} --help`)")


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
        "definition_values",
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
    from autoformalizer.index_cli import add_parser as add_index_parser
    from autoformalizer.informalize_cli import add_parser as add_informalize_parser
    from autoformalizer.train_cli import add_parsers as add_train_parsers

    p = Parser(
        prog="autoformalizer", description="Retrieval-augmented autoformalization over Mathlib"
    )
    sub = p.add_subparsers(dest="command", required=True)
    add_index_parser(sub)
    _search_parser(sub)
    ev = sub.add_parser("eval", help="benchmarks")
    ev_sub = ev.add_subparsers(dest="eval_command", required=True)
    add_eval_parsers(ev_sub)
    _eval_retrieval_parser(ev_sub)
    add_parsers(sub)
    add_informalize_parser(sub)
    add_train_parsers(sub)
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


def _show_notes() -> None:
    """Our own `UserNote` warnings as one line each; other warnings as Python shows them."""
    default = warnings.showwarning
    if getattr(default, "notes", False):  # installed by an earlier call in this process
        return

    def show(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
        if issubclass(category, UserNote):
            print(f"autoformalizer: note: {message}", file=sys.stderr)
        else:
            default(message, category, filename, lineno, file, line)

    show.notes = True  # type: ignore[attr-defined]
    warnings.showwarning = show


def _error(message: str) -> int:
    line = " ".join(message.split()) or "unknown error"
    print(f"autoformalizer: error: {line}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _quiet_libraries()
    _show_notes()
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
