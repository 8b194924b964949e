"""`autoformalizer formalize` and `autoformalizer check`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from formalizer.lean_checker import LeanChecker
from formalizer.llm import LLMError
from formalizer.prompt import DEFAULT_HEADER

if TYPE_CHECKING:
    from formalizer.batch import BatchItem
    from formalizer.formalize import Resources, Settings


class CliError(Exception):
    """A user error, reported as one line by the caller."""


def make_checker(args: argparse.Namespace) -> LeanChecker | None:
    """A Lean checker from --lean-project / --kimina or the environment; None when neither."""
    project = getattr(args, "lean_project", None) or os.environ.get("AUTOFORMALIZER_LEAN_PROJECT")
    kimina = getattr(args, "kimina", None) or os.environ.get("AUTOFORMALIZER_KIMINA_URL")
    if project and kimina:
        raise CliError("give either a Lean project or a Kimina server, not both")
    if kimina:
        from formalizer.kimina_checker import KiminaChecker

        return KiminaChecker(kimina, api_key=os.environ.get("AUTOFORMALIZER_KIMINA_API_KEY"))
    if project:
        from formalizer.lean_interact_checker import LeanInteractChecker

        try:
            return LeanInteractChecker(project)
        except (RuntimeError, ValueError) as e:
            raise CliError(str(e)) from e
    return None


@contextmanager
def opened_checker(args: argparse.Namespace) -> Iterator[LeanChecker | None]:
    """`make_checker`, closed (its REPL process stopped) however the command ends."""
    checker = make_checker(args)
    try:
        yield checker
    finally:
        if checker is not None:
            checker.close()


def _settings(args: argparse.Namespace) -> Settings:
    from formalizer.formalize import Settings

    return Settings(
        n=args.n,
        temperature=args.temperature,
        max_tokens=args.max_tokens,
        definitions=args.definitions,
        examples=args.examples_k,
        prompt_tokens=args.prompt_tokens,
        repair_rounds=args.repair_rounds,
    )


def cmd_formalize(args: argparse.Namespace) -> int:
    from formalizer.batch import BatchInputError, read_items
    from formalizer.formalize import formalize

    if bool(args.text) == bool(args.input):
        raise CliError("give a statement to formalize, or --input FILE.jsonl (not both)")
    if args.text is not None and not args.input and not args.text.strip():
        raise CliError("nothing to formalize: the text is empty")
    if args.input and not args.output:
        raise CliError("--input needs --output FILE.jsonl (results are appended there)")
    header = DEFAULT_HEADER
    if args.header_file:
        path = Path(args.header_file)
        if not path.is_file():
            raise CliError(f"header file {path} does not exist")
        header = path.read_text(encoding="utf-8")
    items = None
    if args.input:
        try:
            items = read_items(Path(args.input))
        except BatchInputError as e:
            raise CliError(str(e)) from e
    for f in args.examples or []:
        if not Path(f).is_file():
            raise CliError(f"examples file {f} does not exist")
    with opened_checker(args) as checker:
        res = _resources(args, checker)
        settings = _settings(args)
        if items is not None:
            return _formalize_file(args, items, res, settings)
        result = formalize(args.text, index=res, header=header, item_id=args.id, settings=settings)
        if args.json:
            print(result.model_dump_json(indent=2))
        else:
            _print_result(result)
        return 0 if result.statement else 1


def _resources(args: argparse.Namespace, checker: LeanChecker | None) -> Resources:
    """Index, model and examples for `formalize`; a bad one is a one-line error."""
    from formalizer.examples import ExampleFileError
    from formalizer.formalize import open_resources
    from knowledge_base import IndexOpenError
    from retrieval.embedder import EmbedderError
    from retrieval.retriever import RetrievalIndexError

    try:
        return open_resources(
            args.index,
            args.llm,
            checker,
            [Path(f) for f in args.examples] if args.examples else None,
            mathlib_examples=not args.no_mathlib_examples,
        )
    except (LLMError, IndexOpenError, RetrievalIndexError, EmbedderError, ExampleFileError) as e:
        raise CliError(str(e)) from e


def _formalize_file(
    args: argparse.Namespace, items: list[BatchItem], res: Resources, settings: Settings
) -> int:
    """`--input`: every item, appended to `--output` (items already there are skipped)."""
    from autoformalizer.progress import progress_bar
    from formalizer.batch import formalize_batch

    start = time.perf_counter()
    results = formalize_batch(
        items,
        res,
        Path(args.output),
        concurrency=args.concurrency,
        settings=settings,
        progress=progress_bar("formalize", "item"),
    )
    seconds = time.perf_counter() - start
    ok = sum(r.ok for r in results)
    errors = sum(r.error is not None for r in results)
    print(
        f"{len(results)} formalized in {seconds:.1f} s "
        f"({len(items) - len(results)} already in {args.output}); "
        f"{ok} passed every check that ran, {errors} failed to get an answer",
        file=sys.stderr,
    )
    return 0


def _print_result(r) -> None:
    if r.error:
        print(f"error: {r.error}", file=sys.stderr)
        return
    print(r.lean_file.rstrip())
    print(file=sys.stderr)
    for reason in r.reasons:
        print(f"  - {reason}", file=sys.stderr)
    print(f"  lean: {r.lean}", file=sys.stderr)
    usable = [c for c in r.candidates if c.statement]
    print(f"  candidates: {len(r.candidates)} ({len(usable)} usable)", file=sys.stderr)
    print("  timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in r.timings.items()), file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    from formalizer.checks import check_statement
    from formalizer.identifiers import IdentifierChecker
    from indexer.jsonl import iter_jsonl
    from knowledge_base import IndexOpenError, KnowledgeBase

    try:
        kb = KnowledgeBase.open(args.index)
    except IndexOpenError as e:
        raise CliError(str(e)) from e
    idents = IdentifierChecker(kb, auto_implicit=args.auto_implicit)
    rows = []
    try:
        for lineno, row in iter_jsonl(Path(args.input), CliError, "check input"):
            stmt = row.get("formal_statement")
            if not isinstance(stmt, str):
                raise CliError(f"{args.input}:{lineno}: no `formal_statement`")
            rows.append((str(row.get("id", f"line{lineno}")), row.get("header") or "", stmt))
    except CliError:
        raise
    start = time.perf_counter()
    items = [check_statement(stmt, header, idents, item_id) for item_id, header, stmt in rows]
    seconds = time.perf_counter() - start
    summary = {
        "items": len(items),
        "passed": sum(i.passed for i in items),
        "items_with_unknown": sum(bool(i.unknown) for i in items),
        "items_refused": sum(i.check("security").passed is False for i in items),
        "items_unparsable": sum(
            (c := i.check("parse")) is not None and c.passed is False for i in items
        ),
        "items_with_syntax_errors": sum(
            (c := i.check("syntax")) is not None and c.passed is False for i in items
        ),
        "items_rewritten": sum(bool(i.rewritten) for i in items),
        "unknown_identifiers": sum(len(i.unknown) for i in items),
        "external_identifiers": sum(
            sum(f.status == "external" for f in i.identifiers) for i in items
        ),
        "seconds": round(seconds, 3),
    }
    report = {
        "items": [
            {**i.model_dump(), "passed": i.passed, "unknown": [f.identifier for f in i.unknown]}
            for i in items
        ],
        "summary": summary,
    }
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(json.dumps(summary))
    return 0 if summary["passed"] == summary["items"] else 1


def add_parsers(sub: argparse._SubParsersAction) -> None:
    fo = sub.add_parser(
        "formalize",
        help="formalize a statement (or a JSONL file of them) into Lean 4",
        description="Retrieval-grounded formalization. The model comes from --llm, "
        "AUTOFORMALIZER_LLM or the [llm] table of autoformalizer.toml.",
    )
    fo.add_argument("text", nargs="?", help="the statement in natural language")
    fo.add_argument("--index", default="index", help="index directory (default: ./index)")
    fo.add_argument("--llm", help="openai:MODEL@URL | transformers:ID_OR_PATH | smollm2")
    fo.add_argument("--input", help="JSONL rows {id, text[, header]}")
    fo.add_argument("--output", help="JSONL results, appended; a rerun resumes")
    fo.add_argument("--concurrency", type=int, default=8)
    fo.add_argument("--id", help="an id for the statement (names the theorem)")
    fo.add_argument("--header-file", help="Lean header (imports, opens); default: Mathlib")
    fo.add_argument("-n", "--n", type=int, default=8, help="answers sampled (default 8)")
    fo.add_argument("--temperature", type=float, default=0.7)
    fo.add_argument("--max-tokens", type=int, default=768, help="per answer")
    fo.add_argument("--definitions", type=int, default=12, help="retrieved definitions shown")
    fo.add_argument("--examples-k", type=int, default=4, help="retrieved examples shown")
    fo.add_argument("--examples", action="append", help="JSONL of NL/Lean example pairs")
    fo.add_argument("--no-mathlib-examples", action="store_true")
    fo.add_argument("--prompt-tokens", type=int, default=3000)
    fo.add_argument("--repair-rounds", type=int, default=2)
    fo.add_argument("--lean-project", help="Lean project with Mathlib built (lean-interact REPL)")
    fo.add_argument("--kimina", help="URL of a Kimina Lean server")
    fo.add_argument("--json", action="store_true", help="print the whole Formalization as JSON")
    fo.set_defaults(func=cmd_formalize)

    ch = sub.add_parser("check", help="Lean-free checks of Lean statements (JSONL)")
    ch.add_argument("--index", required=True)
    ch.add_argument("--input", required=True, help="rows {id, header, formal_statement}")
    ch.add_argument("--json", help="write the full report here")
    ch.add_argument(
        "--auto-implicit", action="store_true", help="accept one-letter free names (autoImplicit)"
    )
    ch.set_defaults(func=cmd_check)
