"""`autoformalizer eval equivalence` and `eval crossmodal`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from autoformalizer.errors import UsageError, writable_file
from autoformalizer.formalize_cli import opened_checker
from autoformalizer.options import (
    INDEX_ENV,
    add_index,
    add_json,
    add_report,
    dumps,
    non_negative_int,
    positive_float,
    positive_int,
    write_json,
)

if TYPE_CHECKING:
    from eval.beq import BEqJudge
    from eval.equivalence import StructuralJudge
    from formalizer.identifiers import IdentifierChecker
    from formalizer.lean_checker import LeanChecker
    from formalizer.models import Formalization


def _embedder(
    model: str | None, cached: bool = False, text_view: str | None = None, backend: str = "torch"
):
    """An encoder; `cached` keeps document vectors in the embedding cache (the crossmodal pool
    is ~71,500 texts: minutes on a CPU, once). `text_view`: default, the model's own;
    `backend`: see `retrieval.embedder.BACKENDS`."""
    from indexer.mathlib_source import cache_dir
    from retrieval.embedder import Embedder

    cache = cache_dir() / "embeddings" if cached else None
    return Embedder(
        model, cache_dir=cache, text_view=text_view, backend=backend, onnx_dir=cache_dir() / "onnx"
    )


def _joint_model(arg: str | None) -> str | None:
    """The joint model to use: the argument, else the shipped one when present."""
    from retrieval.joint_embedding import JOINT_MODEL_DIR

    if arg:
        return arg
    return str(JOINT_MODEL_DIR) if (JOINT_MODEL_DIR / "model.safetensors").is_file() else None


def cmd_eval_equivalence(args: argparse.Namespace) -> int:
    from eval.equivalence import markdown, plot_scores, read_pairs

    report_path = writable_file(args.report, "--report")
    rows = read_pairs(Path(args.pairs))
    names = _name_checker(_equivalence_index(args))
    try:
        with opened_checker(args) as checker:
            report = _equivalence_report(rows, checker, args, names)
    finally:
        if names is not None:
            names.kb.close()
    cal = report["calibration"]
    note = (
        f"embedding thresholds calibrated on {cal['pairs']} pairs ({cal['source']}); "
        f"figures on {cal['reported_on']} of the {len(rows)} pairs in --pairs"
    )
    print(note, file=sys.stderr)
    table = f"{note}\n\n{markdown(report)}"
    print(dumps(report) if args.json else table)
    if report_path is not None:
        write_json(report_path, report)
        report_path.with_suffix(".md").write_text(table + "\n")
        plot_scores(report, report_path.with_suffix(".png"))
    return 0


def _equivalence_index(args: argparse.Namespace) -> str | None:
    """The index names are resolved against: --index, else $AUTOFORMALIZER_INDEX, else
    ./index when it exists; none with --no-index (names compared as written)."""
    if args.no_index:
        return None
    if args.index:
        return args.index
    default = os.environ.get(INDEX_ENV) or "index"
    return default if Path(default).is_dir() else None


def _name_checker(index: str | None) -> IdentifierChecker | None:
    """The structural judge's name resolver over `index` (None without one). Auto-bound
    implicits are accepted: benchmark outputs are checked with Lean's default options."""
    if not index:
        return None
    from formalizer.identifiers import IdentifierChecker
    from knowledge_base import KnowledgeBase

    return IdentifierChecker(KnowledgeBase.open(index), auto_implicit=True)


def _equivalence_report(
    rows: list[dict],
    checker: LeanChecker | None,
    args: argparse.Namespace,
    names: IdentifierChecker | None = None,
) -> dict:
    """Every judge, calibrated on the calibration split and scored on the rest."""
    from eval.equivalence import (
        CombinedJudge,
        EmbeddingJudge,
        StructuralJudge,
        evaluate,
        read_pairs,
        split_calibration,
    )

    beq = _beq_judge(checker, args)
    model = _joint_model(args.model)
    emb = _embedder(model)
    embedding = EmbeddingJudge(emb.encode_documents)
    if args.calibrate:
        calibrate, report_rows = read_pairs(Path(args.calibrate)), rows
        source = f"--calibrate {args.calibrate}"
    else:
        calibrate, report_rows = split_calibration(rows)
        source = "half of --pairs, split by source item; give --calibrate to report on all"
        if not calibrate or not report_rows:
            calibrate = report_rows = rows
            source = "all of --pairs, too few source items to split: figures are optimistic"
    embedding.prefetch(calibrate + report_rows)
    embedding.calibrate(calibrate)
    precise = EmbeddingJudge(
        emb.encode_documents, name="embedding@precision", cache=embedding.cache
    )
    # The combined judge consults the embedding only where the structural judge said "no":
    # calibrate its high-precision threshold on exactly those pairs.
    structural = StructuralJudge(names)
    residual = [
        r
        for r in calibrate
        if not structural.judge(r["reference"], r["candidate"], r["header"]).equivalent
    ]
    precise.calibrate(residual, min_precision=args.min_precision)
    # informal text <-> candidate
    nl = EmbeddingJudge(
        emb.encode_documents, nl_weight=1.0, name="embedding-nl", cache=embedding.cache
    )
    nl.calibrate(calibrate)
    combined = CombinedJudge(structural, embedding=precise, beq=beq)
    judges = [combined, structural, embedding, nl, precise] + ([beq] if beq else [])
    start = time.perf_counter()
    report = evaluate(report_rows, judges)
    report["seconds"] = round(time.perf_counter() - start, 2)
    report["calibration"] = {
        "source": source,
        "pairs": len(calibrate),
        "reported_on": len(report_rows),
        "embedding_threshold": embedding.threshold,
        "embedding@precision_threshold": precise.threshold,
        "embedding-nl_threshold": nl.threshold,
        "min_precision": args.min_precision,
        "model": emb.model_name,
    }
    report["names"] = (
        names.kb.directory.as_posix() if names is not None else "as written: no index used"
    )
    report["lean"] = checker.identity if checker else "skipped: no Lean checker configured"
    report["beq_prover"] = beq.llm.identity if beq is not None and beq.llm is not None else None
    return report


def _beq_judge(checker: LeanChecker | None, args: argparse.Namespace) -> BEqJudge | None:
    """BEq through `checker` (None without one); `--beq-llm` adds the prover model's proofs."""
    if checker is None:
        if args.beq_llm:
            raise UsageError("--beq-llm needs Lean: give --lean-project or --kimina")
        return None
    from eval.beq import BEqJudge
    from formalizer.llm_config import load_config, make_backend

    llm = make_backend(load_config(args.beq_llm)) if args.beq_llm else None
    return BEqJudge(checker, llm=llm, attempts=args.beq_attempts)


def cmd_eval_crossmodal(args: argparse.Namespace) -> int:
    from autoformalizer.progress import progress_bar as _progress_bar
    from eval.crossmodal import (
        BM25_WEIGHT,
        bm25_scores,
        dense_scores,
        distractor_texts,
        markdown_table,
        pool_of,
        read_pairs,
        recall,
    )
    from knowledge_base import KnowledgeBase

    report_path = writable_file(args.report, "--report")
    weight = BM25_WEIGHT if args.bm25_weight is None else args.bm25_weight
    if weight < 0:
        raise UsageError(f"--bm25-weight must be >= 0, got {weight}")
    rows = read_pairs(Path(args.pairs))
    kb = KnowledgeBase.open(args.index)

    distractors = distractor_texts(kb, args.distractors)
    models = {"base": args.base}
    joint = _joint_model(args.joint)
    if joint:
        models = {"joint": joint, **models}
    else:
        print(
            "no joint model (none shipped, none given): reporting the base model only",
            file=sys.stderr,
        )
    pool, targets = pool_of(rows, distractors)
    lexical = bm25_scores(rows, pool) if weight > 0 else None
    metrics = {}
    for label, model in models.items():
        emb = _embedder(model, cached=True, backend=args.encoder_backend)
        dense = dense_scores(
            emb, rows, pool, progress=_progress_bar(f"embed pool ({label})", "text")
        )
        metrics[label] = recall(dense, targets)
        if lexical is not None:
            metrics[f"{label}+bm25"] = recall(dense + weight * lexical, targets)
        del dense
    if lexical is not None:
        metrics["bm25"] = recall(lexical, targets)
    for label, m in metrics.items():
        print(
            f"{label}: " + ", ".join(f"{k} {v:.3f}" for k, v in m.items() if k.startswith("R@")),
            file=sys.stderr,
        )
    report = {
        "metrics": metrics,
        "pairs": args.pairs,
        "distractors": args.distractors,
        "bm25_weight": weight,
        "pool": next(iter(metrics.values()))["pool"],
    }
    table = markdown_table(metrics)
    print(dumps(report) if args.json else table)
    if report_path is not None:
        from eval.retrieval_bench import plot_recall

        out = report_path
        write_json(out, report)
        out.with_suffix(".md").write_text(table + "\n")
        ks = sorted(int(k[2:]) for k in next(iter(metrics.values())) if k.startswith("R@"))
        curves = {label: {"metrics": m} for label, m in metrics.items()}
        plot_recall(curves, ks, out.with_suffix(".png"), f"NL -> Lean, {Path(args.pairs).name}")
    return 0


def _beq_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--beq-llm",
        help="prover model for BEq proofs when exact? and the templates fail "
        "(openai:MODEL@URL | transformers:ID_OR_PATH); default: none",
    )
    parser.add_argument(
        "--beq-attempts",
        type=non_negative_int,
        default=8,
        help="proofs asked of --beq-llm per direction (default 8)",
    )


def add_parsers(ev_sub: argparse._SubParsersAction) -> None:
    eq = ev_sub.add_parser("equivalence", help="score equivalence judges on labelled pairs")
    eq.add_argument(
        "--index",
        default=None,
        help="index whose names the structural judge resolves statements against (`card` under "
        "`open Fintype` = `Fintype.card`); default: $AUTOFORMALIZER_INDEX, else ./index when "
        "it exists",
    )
    eq.add_argument(
        "--no-index", action="store_true", help="compare names as written, without an index"
    )
    eq.add_argument(
        "--pairs", required=True, help="rows {id, informal, reference, candidate, header, label}"
    )
    eq.add_argument(
        "--calibrate",
        help="pairs to fit the embedding thresholds on, then report on all of --pairs "
        "(default: fit on half of --pairs, split by source item, report on the other half)",
    )
    add_json(eq)
    add_report(eq, ".md table and .png score histogram")
    eq.add_argument("--model", help="encoder for the embedding judge (default: joint, else base)")
    eq.add_argument(
        "--min-precision",
        type=float,
        default=0.95,
        help="precision the combined judge's embedding threshold must reach on calibration",
    )
    eq.add_argument("--lean-project", help="Lean project with Mathlib (BEq via lean-interact)")
    eq.add_argument("--kimina", help="Kimina Lean server URL (BEq)")
    _beq_arguments(eq)
    eq.set_defaults(func=cmd_eval_equivalence)

    add_formalization_parser(ev_sub)

    cm = ev_sub.add_parser("crossmodal", help="NL -> Lean Recall@k with index distractors")
    add_index(cm)
    cm.add_argument("--pairs", required=True, help="rows {id, informal, formal}")
    add_json(cm)
    add_report(cm, ".md table and .png Recall@k curves")
    cm.add_argument("--joint", help="joint model directory (default: the shipped one)")
    cm.add_argument("--base", help="base encoder (default: all-MiniLM-L6-v2)")
    cm.add_argument(
        "--encoder-backend",
        choices=["torch", "torch-bf16", "onnx", "onnx-int8"],
        default="torch",
        help="how texts are encoded (compare the fast int8 path with fp32 on one pool)",
    )
    cm.add_argument(
        "--distractors",
        choices=["documented", "all"],
        default="documented",
        help="index declarations added to the pool: documented ones (default) or all",
    )
    cm.add_argument(
        "--bm25-weight",
        type=float,
        help="weight of BM25 in the MODEL+bm25 rows; 0 leaves them out (default 0.2,"
        " calibrated on miniF2F valid: eval.crossmodal.BM25_WEIGHT)",
    )
    cm.set_defaults(func=cmd_eval_crossmodal)


def _bench_items(path: Path) -> tuple[list, dict[str, str]]:
    """miniF2F / ProofNet / `{id, text, formal}` rows -> batch items and gold statements."""
    from formalizer.batch import BatchItem
    from formalizer.prompt import DEFAULT_HEADER
    from indexer.jsonl import iter_jsonl, stable_id

    items, gold = [], {}
    for lineno, r in iter_jsonl(path, UsageError, "benchmark"):
        text = r.get("text") or r.get("informal_statement") or r.get("informal_stmt")
        formal = r.get("formal") or r.get("formal_statement") or r.get("formal_stmt")
        header = r.get("header") or DEFAULT_HEADER
        if not all(isinstance(x, str) for x in (text or "", formal or "", header)):
            raise UsageError(f"{path}:{lineno}: text, formal statement and header must be text")
        if not text or not formal:
            continue  # rows without an informal text or a reference cannot be scored
        given = r.get("id") or r.get("name") or r.get("full_name")
        ident = str(given) if given is not None else stable_id(text)
        items.append(BatchItem(id=ident, text=text, header=header))
        gold[ident] = formal
    if not items:
        raise UsageError(f"{path}: no rows with both an informal text and a formal statement")
    return items, gold


def cmd_eval_formalization(args: argparse.Namespace) -> int:
    from autoformalizer.progress import progress_bar
    from eval.equivalence import StructuralJudge
    from formalizer.batch import formalize_batch
    from formalizer.identifiers import IdentifierChecker
    from formalizer.pipeline import Settings, open_resources

    report_path = writable_file(args.report, "--report")
    output = writable_file(args.out, "--out")
    assert output is not None
    items, gold = _bench_items(Path(args.bench))
    if args.limit:
        items = items[: args.limit]
    with opened_checker(args) as checker:
        beq = _beq_judge(checker, args)
        res = open_resources(args.index, args.llm, checker)
        formalize_batch(
            items,
            res,
            output,
            concurrency=args.concurrency,
            settings=Settings(n=args.n, deadline=args.deadline),
            progress=progress_bar("formalize", "item"),
        )
        results = _read_results(output, {it.id for it in items})
        structural = StructuralJudge(IdentifierChecker(res.retriever.kb, auto_implicit=True))
        records = [_formalization_record(r, gold[r.id], structural, beq) for r in results]
    n = len(records)
    no_lean = "skipped: no Lean checker configured"
    summary = {
        "items": n,
        "with_statement": sum(r["statement"] is not None for r in records),
        "lean_free_pass_rate": sum(r["lean_free_ok"] for r in records) / n if n else 0.0,
        "best_effort_rate": sum(
            r["statement"] is not None and not r["lean_free_ok"] for r in records
        )
        / n
        if n
        else 0.0,
        "structurally_equivalent_rate": sum(bool(r.get("structural")) for r in records) / n
        if n
        else 0.0,
        "typecheck_rate": (sum(bool(r["typechecks"]) for r in records) / n)
        if checker is not None and n
        else no_lean,
        "beq_rate": (sum(bool(r.get("beq")) for r in records) / n)
        if checker is not None and n
        else no_lean,
        "model": res.llm.identity,
        "beq_prover": beq.llm.identity if beq is not None and beq.llm is not None else None,
    }
    table = _formalization_table(summary)
    print(dumps({"summary": summary, "items": records}) if args.json else table)
    if report_path is not None:
        write_json(report_path, {"summary": summary, "items": records})
        report_path.with_suffix(".md").write_text(table + "\n")
    return 0


def _read_results(output: Path, wanted: set[str]) -> list[Formalization]:
    """The last result per wanted id in the (appended, resumable) output file."""
    from formalizer.models import Formalization

    results: dict[str, Formalization] = {}
    for line in output.read_text(encoding="utf-8").splitlines():
        try:
            r = Formalization.model_validate_json(line)
        except ValueError:
            continue
        if r.id in wanted:
            results[r.id] = r
    return list(results.values())


def _formalization_record(
    r: Formalization, reference: str, structural: StructuralJudge, beq: BEqJudge | None
) -> dict:
    """One item's verdicts: the Lean-free checks, Lean's, the structural judge's and BEq's."""
    chosen = next((c for c in r.candidates if c.selected), None)
    rec = {
        "id": r.id,
        "statement": r.statement,
        "error": r.error,
        "lean_free_ok": bool(chosen and chosen.lean_free_ok),
        "typechecks": None if chosen is None or chosen.lean is None else chosen.lean.ok,
    }
    if r.statement:
        rec["structural"] = structural.judge(reference, r.statement, r.header).equivalent
        if beq is not None and rec["typechecks"]:
            v = beq.judge(reference, r.statement, r.header)
            rec["beq"], rec["beq_evidence"] = v.equivalent, v.evidence
    return rec


def _formalization_table(summary: dict) -> str:
    """The summary as a Markdown table: rates as percentages, skipped judges named."""
    lines = ["| measure | value |", "|---|---|"]
    for key, value in summary.items():
        shown = f"{100 * value:.1f}%" if isinstance(value, float) else str(value)
        lines.append(f"| {key.replace('_', ' ')} | {shown} |")
    return "\n".join(lines)


def add_formalization_parser(ev_sub: argparse._SubParsersAction) -> None:
    fo = ev_sub.add_parser("formalization", help="formalize a benchmark and score the results")
    add_index(fo)
    fo.add_argument("--bench", required=True, help="miniF2F / ProofNet JSONL (with references)")
    fo.add_argument("--llm", help="openai:MODEL@URL | transformers:ID_OR_PATH | smollm2")
    fo.add_argument(
        "--out",
        required=True,
        help="per-item Formalization JSONL, appended; a rerun resumes",
    )
    add_json(fo)
    add_report(fo, ".md table")
    fo.add_argument("-n", "--n", type=positive_int, default=8, help="answers sampled per item")
    fo.add_argument("--concurrency", type=positive_int, default=8, help="items in flight")
    fo.add_argument("--limit", type=positive_int, help="the first N items only")
    fo.add_argument(
        "--deadline",
        type=positive_float,
        default=None,
        help="seconds allowed per item, retries and repairs included (default: none)",
    )
    fo.add_argument("--lean-project", help="Lean project with Mathlib (lean-interact REPL)")
    fo.add_argument("--kimina", help="URL of a Kimina Lean server")
    _beq_arguments(fo)
    fo.set_defaults(func=cmd_eval_formalization)
