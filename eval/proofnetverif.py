"""ProofNetVerif (Poiroux et al., 2024, arXiv:2406.07222) as equivalence pairs.

ProofNetVerif is 3,752 model formalizations of ProofNet problems, each labelled by people as a
correct formalization or not, beside ProofNet's reference statement. Its rows were written by
models we never saw and labelled by others, so it measures the judges out of sample. One
caveat: `correct` means "formalizes the informal statement", which is looser than "equivalent
to the reference" (a formalization over ℝ of a statement about any field can be correct but
not equivalent), so a sound equivalence check cannot reach every positive.

It is published on Hugging Face (`PAug/ProofNetVerif`): export a split to JSON Lines or a
JSON list (columns `id`, `lean4_src_header`, `lean4_formalization`, `lean4_prediction`,
`correct`, optionally `nl_statement`). The 100-row sample of its validation split in
github.com/sebastian-griego/saf (`data_proofnetverif_100/proofnetverif_valid_100.json`, columns
`id`, `nl`, `imports`, `lean`, `candidate`, `label_equiv`) is read as well.

    python -m eval.proofnetverif --data FILE --out pairs.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from eval.equivalence import EquivalencePair
from indexer.errors import UserError
from indexer.jsonl import write_jsonl

# (our field, ProofNetVerif's column, the saf sample's column)
_COLUMNS = (
    ("header", "lean4_src_header", "imports"),
    ("reference", "lean4_formalization", "lean"),
    ("candidate", "lean4_prediction", "candidate"),
    ("label", "correct", "label_equiv"),
)
_THEOREM = re.compile(r"^(?:@\[[^\]]*\]\s*)?(?:private\s+|protected\s+)?(?:theorem|lemma)\b", re.M)


class ProofNetVerifError(UserError, ValueError):
    pass


def read_rows(path: Path) -> list[dict]:
    """A JSON list or JSON Lines file of objects."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ProofNetVerifError(f"cannot read {path}: {e}") from e
    try:
        if text.lstrip().startswith("["):
            rows = json.loads(text)
        else:
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as e:
        raise ProofNetVerifError(f"{path}: not JSON or JSON Lines ({e})") from e
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ProofNetVerifError(f"{path}: expected a list of objects")
    return rows


def split_preamble(source: str) -> tuple[str, str]:
    """`def K … theorem t : P :=` -> (`def K …`, `theorem t : P := sorry`): the definitions a
    reference states before its theorem belong in the header the pair is checked under."""
    matches = list(_THEOREM.finditer(source))
    if not matches:
        return "", source.strip()
    start = matches[-1].start()
    theorem = source[start:].rstrip()
    if theorem.endswith(":="):
        theorem += " sorry"
    return source[:start].strip(), theorem


def _field(row: dict, ours: str, columns: tuple[str, str], where: str) -> object:
    for column in columns:
        if column in row:
            return row[column]
    raise ProofNetVerifError(f"{where}: no `{columns[0]}` (or `{columns[1]}`) for {ours}")


def proofnetverif_pairs(path: Path) -> list[EquivalencePair]:
    """Rows `{id, informal, reference, candidate, header, label}`; ids are made unique (a
    problem has several predictions)."""
    rows = []
    for k, row in enumerate(read_rows(path)):
        where = f"{path} row {k + 1}"
        values = {ours: _field(row, ours, cols, where) for ours, *cols in _COLUMNS}
        if not isinstance(values["label"], bool):
            raise ProofNetVerifError(f"{where}: the label must be true or false")
        preamble, reference = split_preamble(str(values["reference"]))
        cand_preamble, candidate = split_preamble(str(values["candidate"]))
        header = "\n\n".join(p for p in (str(values["header"]).strip(), preamble) if p)
        if cand_preamble:  # a prediction with its own definitions cannot share the header
            candidate = f"{cand_preamble}\n\n{candidate}"
        rows.append(
            EquivalencePair(
                id=f"{row.get('id', 'row')}/{k}",
                informal=row.get("nl_statement", row.get("nl", "")),
                reference=reference,
                candidate=candidate,
                header=header + "\n",
                label=values["label"],
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="ProofNetVerif rows (JSON list or JSONL)")
    ap.add_argument("--out", required=True, help="pairs JSONL to write")
    args = ap.parse_args(argv)
    try:
        rows = proofnetverif_pairs(Path(args.data))
    except ProofNetVerifError as e:
        raise SystemExit(f"error: {e}") from None
    write_jsonl(args.out, [r.model_dump() for r in rows])
    print(f"{len(rows)} pairs ({sum(r.label for r in rows)} labelled correct) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
