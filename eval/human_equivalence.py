"""RAutoformalizer's Human Equivalence Benchmark as equivalence pairs.

The benchmark (ICLR 2025, Sec. 3.3) is 200 type-checked model outputs for ProofNet problems
(100 by OpenAI o1-preview, 100 by an early RAutoformalizer), each labelled by people as
equivalent or not to the ProofNet gold statement. It is the only human-labelled set we know of,
and its outputs were written by models rather than by our rewrite generator, so it tells how the
judges do on real formalizations. The paper's figures on it: BEq precision 1.00 / recall 0.73 /
accuracy 0.905, majority voting 0.825, type-check alone 0.35.

The data lives in github.com/Purewhite2019/rethinking_autoformalization (Apache-2.0):
`data/proofnet/benchmark.jsonl` (the gold statements) and
`data/human_equivalence/{o1-generated,rautoformalizer-generated}/{autoformalization,labels}.json`.

    python -m eval.human_equivalence --repo CHECKOUT --out human_pairs.jsonl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from eval.equivalence import EquivalencePair
from indexer.errors import UserError
from indexer.jsonl import iter_jsonl, write_jsonl

SETS = ("o1-generated", "rautoformalizer-generated")


class HumanBenchError(UserError, ValueError):
    pass


def _load_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise HumanBenchError(f"cannot read {path}: {e}") from e
    if not isinstance(data, dict):
        raise HumanBenchError(f"{path}: expected a JSON object")
    return data


def human_pairs(repo: Path) -> list[EquivalencePair]:
    """Rows `{id, informal, reference, candidate, header, label, kind}`; `kind` names the
    generator (`o1-generated` or `rautoformalizer-generated`), so reports split by it."""
    bench = repo / "data" / "proofnet" / "benchmark.jsonl"
    if not bench.is_file():
        raise HumanBenchError(
            f"{repo} has no data/proofnet/benchmark.jsonl: not a checkout of "
            "rethinking_autoformalization"
        )
    gold = {r["full_name"]: r for _, r in iter_jsonl(bench, HumanBenchError, "ProofNet")}
    rows = []
    for name in SETS:
        folder = repo / "data" / "human_equivalence" / name
        outputs = _load_json(folder / "autoformalization.json")
        labels = _load_json(folder / "labels.json")
        for problem, preds in outputs.items():
            if problem not in gold:
                raise HumanBenchError(f"{folder}: {problem} is not a ProofNet problem")
            for k, pred in enumerate(preds):
                cand = pred["formal_stmt_pred"]
                if cand not in labels:
                    raise HumanBenchError(f"{folder}: no label for the output of {problem}")
                g = gold[problem]
                rows.append(
                    EquivalencePair(
                        id=f"{name}/{problem}/{k}",
                        informal=g["informal_stmt"],
                        reference=g["formal_stmt"],
                        candidate=cand,
                        header=g["header"],
                        label=bool(labels[cand]),
                        kind=name,
                    )
                )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", required=True, help="checkout of rethinking_autoformalization")
    ap.add_argument("--out", required=True, help="pairs JSONL to write")
    args = ap.parse_args(argv)
    try:
        rows = human_pairs(Path(args.repo))
    except HumanBenchError as e:
        raise SystemExit(f"error: {e}") from None
    write_jsonl(args.out, [r.model_dump() for r in rows])
    positives = sum(r.label for r in rows)
    print(f"{len(rows)} pairs ({positives} equivalent) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
