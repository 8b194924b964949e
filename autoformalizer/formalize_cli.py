"""`autoformalizer formalize` and `autoformalizer check`.

Exit statuses of `formalize`: 0 a statement that passed every check that ran; 3 a best-effort
statement that failed a check (printed, marked as such); 1 no statement at all; 2 a usage
error. `check`: 0 every statement passed, 1 some did not.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from autoformalizer.errors import UsageError, readable_text, writable_file
from autoformalizer.options import (
    add_index,
    add_json,
    add_report,
    dumps,
    positive_float,
    positive_int,
    write_json,
)

if TYPE_CHECKING:
    from formalizer.batch import BatchItem
    from formalizer.lean_checker import LeanChecker
    from formalizer.pipeline import Resources, Settings

EXIT_OK, EXIT_NO_STATEMENT, EXIT_BEST_EFFORT = 0, 1, 3


def make_checker(args: argparse.Namespace) -> LeanChecker | None:
    """A Lean checker from --lean-project / --kimina or the environment; None when neither."""
    project = getattr(args, "lean_project", None) or os.environ.get("AUTOFORMALIZER_LEAN_PROJECT")
    kimina = getattr(args, "kimina", None) or os.environ.get("AUTOFORMALIZER_KIMINA_URL")
    if project and kimina:
        raise UsageError("give either a Lean project or a Kimina server, not both")
    if kimina:
        from formalizer.kimina_checker import KiminaChecker

        return KiminaChecker(kimina, api_key=os.environ.get("AUTOFORMALIZER_KIMINA_API_KEY"))
    if project:
        from formalizer.lean_interact_checker import LeanInteractChecker

        try:
            return LeanInteractChecker(project)
        except (RuntimeError, ValueError) as e:
            raise UsageError(str(e)) from e
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
    from formalizer.pipeline import Settings

    return Settings(
        n=args.n,
        temperature=args.temperature,
        max_tokens=args.max_tokens,
        definitions=args.definitions,
        examples=args.examples_k,
        prompt_tokens=args.prompt_tokens,
        repair_rounds=args.repair_rounds,
        deadline=args.deadline,
    )


def cmd_formalize(args: argparse.Namespace) -> int:
    from formalizer.batch import read_items
    from formalizer.pipeline import formalize
    from formalizer.prompt import DEFAULT_HEADER

    if bool(args.text) == bool(args.input):
        raise UsageError("give a statement to formalize, or --input FILE.jsonl (not both)")
    if args.text is not None and not args.input and not args.text.strip():
        raise UsageError("nothing to formalize: the text is empty")
    if args.input and not args.out:
        raise UsageError("--input needs --out FILE.jsonl (results are appended there)")
    writable_file(args.out, "--out")
    header = readable_text(args.header_file, "header file") if args.header_file else DEFAULT_HEADER
    items = read_items(Path(args.input)) if args.input else None
    for f in args.examples or []:
        readable_text(f, "examples file")
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
        if not result.statement:
            return EXIT_NO_STATEMENT
        return EXIT_OK if result.ok else EXIT_BEST_EFFORT


def _resources(args: argparse.Namespace, checker: LeanChecker | None) -> Resources:
    """Index, model and examples for `formalize`; a bad one is a one-line error."""
    from formalizer.pipeline import open_resources

    return open_resources(
        args.index,
        args.llm,
        checker,
        [Path(f) for f in args.examples] if args.examples else None,
        mathlib_examples=not args.no_mathlib_examples,
    )


def _formalize_file(
    args: argparse.Namespace, items: list[BatchItem], res: Resources, settings: Settings
) -> int:
    """`--input`: every item, appended to `--out` (items already there are skipped)."""
    from autoformalizer.progress import progress_bar
    from formalizer.batch import formalize_batch

    start = time.perf_counter()
    results = formalize_batch(
        items,
        res,
        Path(args.out),
        concurrency=args.concurrency,
        settings=settings,
        progress=progress_bar("formalize", "item"),
    )
    seconds = time.perf_counter() - start
    ok = sum(r.ok for r in results)
    best_effort = sum(bool(r.statement) and not r.ok for r in results)
    errors = sum(r.error is not None for r in results)
    print(
        f"{len(results)} formalized in {seconds:.1f} s "
        f"({len(items) - len(results)} already in {args.out}); "
        f"{ok} passed every check that ran, {best_effort} best-effort answers failed a check, "
        f"{errors} failed to get an answer",
        file=sys.stderr,
    )
    return 0


def _print_result(r) -> None:
    if r.error:
        print(f"error: {r.error}", file=sys.stderr)
    if not r.statement:
        return
    if not r.ok:
        failed = sorted(
            {ch.name for c in r.candidates if c.selected for ch in c.checks if ch.passed is False}
        )
        print(f"-- best effort: this statement failed the {', '.join(failed) or 'checks'} check")
    print(r.lean_file.rstrip())
    print(file=sys.stderr)
    for reason in r.reasons:
        print(f"  - {reason}", file=sys.stderr)
    print(f"  lean: {r.lean}", file=sys.stderr)
    usable = [c for c in r.candidates if c.statement]
    print(f"  candidates: {len(r.candidates)} ({len(usable)} usable)", file=sys.stderr)
    print("  timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in r.timings.items()), file=sys.stderr)


class CheckRow(BaseModel):
    """One row of `check --input`."""

    id: str | int | None = None
    header: str | None = None
    formal_statement: str


def cmd_check(args: argparse.Namespace) -> int:
    from formalizer.checks import check_statement
    from formalizer.identifiers import IdentifierChecker
    from indexer.jsonl import iter_jsonl, stable_id, validated
    from knowledge_base import KnowledgeBase

    report_path = writable_file(args.report, "--report")
    rows = []
    for lineno, row in iter_jsonl(Path(args.input), UsageError, "check input"):
        where = f"{args.input}:{lineno}"
        if "formal_statement" not in row:
            raise UsageError(f"{where}: no `formal_statement`")
        r = validated(CheckRow, row, where, UsageError)
        ident = str(r.id) if r.id is not None else stable_id(r.formal_statement)
        rows.append((ident, r.header or "", r.formal_statement))
    kb = KnowledgeBase.open(args.index)
    idents = IdentifierChecker(kb, auto_implicit=args.auto_implicit)
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
    if report_path is not None:
        write_json(report_path, report)
    if args.json:
        print(dumps(report))
    else:
        for i in items:
            if not i.passed:
                problems = [p for c in i.checks if c.passed is False for p in c.problems]
                print(f"{i.id}: " + "; ".join(problems))
        print(
            f"{summary['passed']} of {summary['items']} passed "
            f"({summary['items_with_unknown']} with unknown identifiers, "
            f"{summary['items_refused']} refused, {summary['items_unparsable']} unparsable)"
        )
    return 0 if summary["passed"] == summary["items"] else 1


def add_parsers(sub: argparse._SubParsersAction) -> None:
    fo = sub.add_parser(
        "formalize",
        help="formalize a statement (or a JSONL file of them) into Lean 4",
        description="Retrieval-grounded formalization. The model comes from --llm, "
        "AUTOFORMALIZER_LLM or the [llm] table of autoformalizer.toml "
        "(timeout, max_retries, concurrency there or as AUTOFORMALIZER_LLM_TIMEOUT, "
        "AUTOFORMALIZER_LLM_MAX_RETRIES, AUTOFORMALIZER_LLM_CONCURRENCY). Exit status: 0 a "
        "statement that passed every check that ran, 3 a best-effort statement that failed a "
        "check, 1 no statement, 2 a usage error.",
    )
    fo.add_argument("text", nargs="?", help="the statement in natural language")
    add_index(fo)
    fo.add_argument(
        "--llm",
        help="openai:MODEL@URL (any OpenAI-compatible server) | transformers:ID_OR_PATH | smollm2",
    )
    fo.add_argument("--input", help="JSONL rows {id, text[, header]} to formalize in a batch")
    fo.add_argument(
        "--out",
        help="JSONL results of --input, appended; a rerun resumes where it stopped",
    )
    fo.add_argument("--concurrency", type=positive_int, default=8, help="items in flight (--input)")
    fo.add_argument("--id", help="an id for the statement (names the theorem)")
    fo.add_argument("--header-file", help="Lean header (imports, opens); default: Mathlib")
    fo.add_argument("-n", "--n", type=positive_int, default=8, help="answers sampled (default 8)")
    fo.add_argument("--temperature", type=float, default=0.7, help="sampling temperature")
    fo.add_argument(
        "--max-tokens", type=positive_int, default=768, help="tokens per answer (default 768)"
    )
    fo.add_argument(
        "--definitions", type=positive_int, default=12, help="retrieved definitions shown"
    )
    fo.add_argument("--examples-k", type=positive_int, default=4, help="retrieved examples shown")
    fo.add_argument("--examples", action="append", help="JSONL of NL/Lean example pairs")
    fo.add_argument(
        "--no-mathlib-examples",
        action="store_true",
        help="do not use Mathlib's documented theorems as examples",
    )
    fo.add_argument(
        "--prompt-tokens", type=positive_int, default=3000, help="prompt budget in tokens"
    )
    fo.add_argument(
        "--repair-rounds", type=int, default=2, help="rounds of repair with the problems found"
    )
    fo.add_argument(
        "--deadline",
        type=positive_float,
        default=None,
        help="seconds allowed per statement, retries and repairs included (default: none)",
    )
    fo.add_argument("--lean-project", help="Lean project with Mathlib built (lean-interact REPL)")
    fo.add_argument("--kimina", help="URL of a Kimina Lean server")
    add_json(fo)
    fo.set_defaults(func=cmd_formalize)

    ch = sub.add_parser("check", help="Lean-free checks of Lean statements (JSONL)")
    add_index(ch)
    ch.add_argument("--input", required=True, help="rows {id, header, formal_statement}")
    add_json(ch)
    add_report(ch)
    ch.add_argument(
        "--auto-implicit", action="store_true", help="accept one-letter free names (autoImplicit)"
    )
    ch.set_defaults(func=cmd_check)
