"""How good is the Lean-free identifier check? False flags on gold statements, catches on
corrupted ones.

Gold statements (ProofNet-dev, miniF2F) should pass: the share flagged is the false-flag rate.
Then each statement gets one identifier corrupted, three ways, and the share flagged is the
catch rate:
- misspelt: one character edit in the last component (`Real.sqrt` -> `Real.sqtr`);
- renamed: the Lean 3 spelling (`Nat.Prime` -> `nat.prime`, `IsOpen` -> `is_open`), the most
  common naming error of models trained on old data; names with no Lean 3 spelling get a
  plausible but wrong suffix (`Real.sqrt` -> `Real.sqrtOf`);
- de-namespaced: the first namespace dropped (`Finset.range` -> `range`), only where that
  namespace is not opened by the header (otherwise the change means the same thing).
A corrupted statement is caught when any Lean-free check fails. Statements already flagged in
gold form are not corrupted. A corruption that lands on another existing name cannot be caught
by a name check; those are counted as misses and listed separately.

    python -m eval.identifier_check --index IDX --proofnet FILE --minif2f FILE
        [--putnambench CHECKOUT] [--connf FILE] [--lean-dir DIR] [--aesop-header]
        [--split dev|held-out|all] [--json OUT]

PutnamBench and Con-NF are split in two halves by a hash of each problem's name: `dev`, whose
flags may be read while fixing the check, and `held-out`, measured only. `--aesop-header` adds
the miniF2F statements again under the header most provers use (`import Mathlib`,
`import Aesop`, `set_option maxHeartbeats`, `open BigOperators Real Nat Topology Rat`).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

from formalizer.checks import check_statement
from formalizer.identifiers import CORE_NOTATION, IdentifierChecker
from formalizer.statement import identifiers, parse_statement
from indexer.jsonl import iter_jsonl, split_half
from knowledge_base import KnowledgeBase

Item = tuple[str, str, str, str]  # (benchmark, id, header, formal statement)


PROVER_HEADER = (
    "import Mathlib\nimport Aesop\n\nset_option maxHeartbeats 400000\n\n"
    "open BigOperators Real Nat Topology Rat\n\n"
)
_THEOREM = re.compile(r"^(?:theorem|lemma)\s+[^\s:({\[]+", re.M)


def lean_file_items(files: list[Path], bench: str) -> list[Item]:
    """One item per Lean file: its last `theorem`/`lemma` is the statement and the text before
    it (imports, `open`s, helper definitions, `abbrev ..._solution` answers) its header."""
    items: list[Item] = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        starts = [m.start() for m in _THEOREM.finditer(text)]
        if not starts:
            continue
        start = starts[-1]
        items.append((bench, f.stem, text[:start], text[start:].strip()))
    return items


def putnambench_items(checkout: Path) -> list[Item]:
    """Each `lean4/src/putnam_*.lean` of a PutnamBench checkout."""
    return lean_file_items(
        sorted((checkout / "lean4" / "src").glob("putnam_*.lean")), "putnambench"
    )


def load_items(
    proofnet: Path | None,
    minif2f: Path | None,
    putnambench: Path | None = None,
    connf: Path | None = None,
    aesop_header: bool = False,
    split: str = "all",
    lean_dirs: tuple[Path, ...] = (),
) -> list[Item]:
    items: list[Item] = []
    if proofnet:
        for _, r in iter_jsonl(proofnet, ValueError, "ProofNet"):
            items.append(("proofnet-dev", r["full_name"], r["header"], r["formal_stmt"]))
    if minif2f:
        for _, r in iter_jsonl(minif2f, ValueError, "miniF2F"):
            items.append(("minif2f-" + r["split"], r["name"], r["header"], r["formal_statement"]))
            if aesop_header:
                items.append(
                    ("minif2f-aesop", r["name"] + "/aesop", PROVER_HEADER, r["formal_statement"])
                )
    halves = []
    if putnambench:
        halves += putnambench_items(putnambench)
    for directory in lean_dirs:
        halves += lean_file_items(sorted(directory.glob("*.lean")), directory.name.lower())
    if connf:
        for _, r in iter_jsonl(connf, ValueError, "Con-NF"):
            halves.append(("connf", r["full_name"], r.get("header") or "", r["formal_stmt"]))
    for bench, item_id, header, formal in halves:
        part = split_half(item_id)
        if split in ("all", part):
            items.append((f"{bench}-{part}", item_id, header, formal))
    return items


def _lean3(name: str) -> str:
    parts = []
    for comp in name.split("."):
        snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", comp).lower()
        parts.append(snake)
    return ".".join(parts)


def misspell(name: str, rng: random.Random) -> str:
    ns, dot, last = name.rpartition(".")
    if len(last) < 2:
        return f"{name}{name[-1]}"
    for _ in range(20):
        i = rng.randrange(len(last) - 1)
        op = rng.choice(["swap", "drop", "double", "replace"])
        if op == "swap":
            new = last[:i] + last[i + 1] + last[i] + last[i + 2 :]
        elif op == "drop":
            new = last[:i] + last[i + 1 :]
        elif op == "double":
            new = last[:i] + last[i] + last[i:]
        else:
            new = last[:i] + rng.choice("aeiourstn") + last[i + 1 :]
        if new != last and new:
            return f"{ns}{dot}{new}"
    return f"{name}x"


def rename(name: str) -> str:
    lean3 = _lean3(name)
    if lean3 != name:
        return lean3
    ns, dot, last = name.rpartition(".")
    return f"{ns}{dot}{last}Of"


def denamespace(name: str, opens: list[str]) -> str | None:
    if "." not in name:
        return None
    first = name.split(".", 1)[0]
    opened = {o.removeprefix("scoped ").split(" ", 1)[0] for o in opens}
    if first in opened:
        return None
    return name.split(".", 1)[1]


def corrupt(
    header: str,
    formal: str,
    kind: str,
    rng: random.Random,
    notation: frozenset[str] = frozenset(),
) -> tuple[str, str, str] | None:
    """(corrupted statement, original identifier, replacement), or None when not applicable.
    Notation tokens (`π`, `ℕ`) are not identifiers to corrupt."""
    stmt = parse_statement(formal, header)
    names = [(n, at) for n, at in identifiers(stmt) if n not in CORE_NOTATION | notation]
    rng.shuffle(names)
    for name, at in names:
        if kind == "misspelt":
            new = misspell(name, rng)
        elif kind == "renamed":
            new = rename(name)
        else:
            new = denamespace(name, stmt.opens)
        if new is None or new == name:
            continue
        cut = len(stmt.binders) + 1
        if at < cut:
            binders = stmt.binders[:at] + new + stmt.binders[at + len(name) :]
            conclusion = stmt.conclusion
        else:
            j = at - cut
            binders = stmt.binders
            conclusion = stmt.conclusion[:j] + new + stmt.conclusion[j + len(name) :]
        stmt2 = parse_statement(formal, header)
        stmt2.binders, stmt2.conclusion = binders, conclusion
        return stmt2.render(), name, new
    return None


def evaluate(
    kb: KnowledgeBase,
    items: list[Item],
    seed: int = 0,
    auto_implicit: bool = False,
    corruption_too: bool = True,
):
    idents = IdentifierChecker(kb, auto_implicit=auto_implicit)
    notation = frozenset(t for t in kb.notation_tokens() if re.fullmatch(r"[^\W\d][\w'.]*", t))
    rng = random.Random(seed)
    t0 = time.perf_counter()
    gold_flagged = []
    per_bench: dict[str, list[int]] = {}
    for bench, item_id, header, formal in items:
        res = check_statement(formal, header, idents, item_id)
        stats = per_bench.setdefault(bench, [0, 0])
        stats[0] += 1
        if res.unknown or not res.passed:
            stats[1] += 1
            gold_flagged.append(
                {"id": item_id, "problems": [p for c in res.checks for p in c.problems]}
            )
    gold_seconds = time.perf_counter() - t0
    flagged_ids = {f["id"] for f in gold_flagged}
    corruption: dict[str, dict] = {}
    corrupted_per_bench: dict[str, list[int]] = {}  # benchmark -> [tried, caught]
    for kind in ("misspelt", "renamed", "de-namespaced") if corruption_too else ():
        tried = caught = 0
        landed: list[dict] = []
        missed: list[dict] = []
        for bench, item_id, header, formal in items:
            if item_id in flagged_ids:
                continue  # already failing in gold form: a catch would prove nothing
            out = corrupt(header, formal, kind, rng, notation)
            if out is None:
                continue
            text, old, new = out
            tried += 1
            res = check_statement(text, header, idents, item_id)
            counts = corrupted_per_bench.setdefault(bench, [0, 0])
            counts[0] += 1
            if not res.passed:
                caught += 1
                counts[1] += 1
                continue
            hit = next((f for f in res.identifiers if f.identifier == new), None)
            row = {
                "id": item_id,
                "bench": bench,
                "from": old,
                "to": new,
                "resolved": hit.resolved if hit else None,
                "status": hit.status if hit else "not read as an identifier",
            }
            (landed if hit and hit.status != "unknown" else missed).append(row)
        corruption[kind] = {
            "statements": tried,
            "caught": caught,
            "rate": caught / tried if tried else 0.0,
            "landed_on_existing_name": landed,
            "missed_otherwise": missed,
        }
    total = sum(v[0] for v in per_bench.values())
    flagged = sum(v[1] for v in per_bench.values())
    all_tried = sum(c["statements"] for c in corruption.values())
    all_caught = sum(c["caught"] for c in corruption.values())
    return {
        "gold": {
            "statements": total,
            "flagged": flagged,
            "false_flag_rate": flagged / total if total else 0.0,
            "per_benchmark": {
                b: {"statements": v[0], "flagged": v[1]} for b, v in per_bench.items()
            },
            "flagged_items": gold_flagged,
            "seconds": gold_seconds,
        },
        "corrupted": {
            "statements": all_tried,
            "caught": all_caught,
            "rate": all_caught / all_tried if all_tried else 0.0,
            "by_kind": corruption,
            "per_benchmark": {
                b: {"statements": v[0], "caught": v[1]} for b, v in corrupted_per_bench.items()
            },
        },
        "auto_implicit": auto_implicit,
        "seed": seed,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--index", required=True)
    ap.add_argument("--proofnet", type=Path)
    ap.add_argument("--minif2f", type=Path)
    ap.add_argument("--putnambench", type=Path, help="a PutnamBench checkout")
    ap.add_argument("--connf", type=Path, help="Con-NF benchmark.jsonl (index Con-NF too)")
    ap.add_argument(
        "--lean-dir",
        type=Path,
        action="append",
        default=[],
        help="a folder of benchmark .lean files, one problem each (repeat; e.g. CombiBench)",
    )
    ap.add_argument("--aesop-header", action="store_true")
    ap.add_argument("--split", choices=["dev", "held-out", "all"], default="all")
    ap.add_argument("--no-corruption", action="store_true", help="gold statements only")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--auto-implicit", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not (args.proofnet or args.minif2f or args.putnambench or args.connf or args.lean_dir):
        ap.error("give --proofnet, --minif2f, --putnambench, --connf and/or --lean-dir")
    kb = KnowledgeBase.open(args.index)
    items = load_items(
        args.proofnet,
        args.minif2f,
        args.putnambench,
        args.connf,
        args.aesop_header,
        args.split,
        tuple(args.lean_dir),
    )
    report = evaluate(kb, items, args.seed, args.auto_implicit, not args.no_corruption)
    g, c = report["gold"], report["corrupted"]
    print(
        f"gold statements: {g['statements']}, flagged {g['flagged']} "
        f"({100 * g['false_flag_rate']:.2f}%) in {g['seconds']:.1f} s"
    )
    for b, v in g["per_benchmark"].items():
        print(f"  {b}: {v['flagged']}/{v['statements']}")
    for item in g["flagged_items"]:
        print(f"  flagged {item['id']}: {'; '.join(item['problems'])}")
    print(f"corrupted statements: {c['statements']}, caught {c['caught']} ({100 * c['rate']:.2f}%)")
    for b, v in c["per_benchmark"].items():
        print(f"  {b}: {v['caught']}/{v['statements']}")
    for kind, v in c["by_kind"].items():
        print(
            f"  {kind}: {v['caught']}/{v['statements']} ({100 * v['rate']:.2f}%), "
            f"landed on an existing name {len(v['landed_on_existing_name'])}, "
            f"other misses {len(v['missed_otherwise'])}"
        )
        for row in (v["landed_on_existing_name"] + v["missed_otherwise"])[:12]:
            print(
                f"    {row['id']}: {row['from']} -> {row['to']} ({row['status']}"
                f"{' ' + str(row['resolved']) if row['resolved'] else ''})"
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
