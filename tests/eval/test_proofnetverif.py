import json
from pathlib import Path

import pytest

from eval.equivalence import StructuralJudge
from eval.proofnetverif import ProofNetVerifError, main, proofnetverif_pairs, split_preamble

HEADER = "import Mathlib\n\nopen Real\n"
DEFS = "def K : Set ℝ := {r | ∃ n : ℕ, r = 1 / n}"
REF = f"{DEFS}\n\ntheorem exercise_13_6 (x : ℝ) (h : x ∈ K) :\n  0 ≤ x :="
GOOD = "theorem dummy {y : ℝ} (hy : y ∈ K) : y ≥ 0 := sorry"
BAD = "theorem dummy {y : ℝ} (hy : y ∈ K) : y > 0 := sorry"


def _hub_rows() -> list[dict]:
    """Two rows with the columns of the published dataset."""
    return [
        {
            "id": "Munkres|exercise_13_6",
            "nl_statement": "Elements of K are nonnegative.",
            "lean4_src_header": HEADER,
            "lean4_formalization": REF,
            "lean4_prediction": pred,
            "correct": pred == GOOD,
        }
        for pred in (GOOD, BAD)
    ]


def test_the_reference_definitions_move_to_the_header(tmp_path: Path) -> None:
    data = tmp_path / "pnv.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in _hub_rows()))
    rows = proofnetverif_pairs(data)
    assert [r.label for r in rows] == [True, False]
    assert rows[0].header == f"{HEADER.strip()}\n\n{DEFS}\n"
    assert rows[0].reference == "theorem exercise_13_6 (x : ℝ) (h : x ∈ K) :\n  0 ≤ x := sorry"
    assert rows[0].informal == "Elements of K are nonnegative."
    assert len({r.id for r in rows}) == 2
    # the pairs are what the structural judge reads: the correct one meets the reference
    judge = StructuralJudge()
    verdicts = [judge.judge(r.reference, r.candidate, r.header) for r in rows]
    assert [v.equivalent for v in verdicts] == [True, False]


def test_the_saf_sample_columns_and_a_json_list(tmp_path: Path) -> None:
    sample = [
        {
            "id": "Munkres|exercise_13_6",
            "nl": "x",
            "imports": HEADER,
            "lean": REF,
            "candidate": GOOD,
            "label_equiv": True,
        }
    ]
    data = tmp_path / "sample.json"
    data.write_text(json.dumps(sample))
    out = tmp_path / "pairs.jsonl"
    assert main(["--data", str(data), "--out", str(out)]) == 0
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["candidate"] == GOOD and row["label"] is True


def test_split_preamble_keeps_a_theorem_without_definitions() -> None:
    assert split_preamble("theorem t : True := trivial") == ("", "theorem t : True := trivial")


def test_bad_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(ProofNetVerifError, match="cannot read"):
        proofnetverif_pairs(tmp_path / "missing.jsonl")
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n")
    with pytest.raises(ProofNetVerifError, match="not JSON"):
        proofnetverif_pairs(broken)
    rows = _hub_rows()
    del rows[1]["lean4_prediction"]
    partial = tmp_path / "partial.jsonl"
    partial.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(ProofNetVerifError, match="row 2: no `lean4_prediction`"):
        proofnetverif_pairs(partial)
    rows = _hub_rows()
    rows[0]["correct"] = "yes"
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(ProofNetVerifError, match="must be true or false"):
        proofnetverif_pairs(labelled)
