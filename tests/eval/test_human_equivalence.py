import json
from pathlib import Path

import pytest

from eval.human_equivalence import HumanBenchError, human_pairs, main

REF = "theorem exercise_1 (x : ℝ) (h : 0 < x) : 0 < x ^ 2 :=\nsorry"
GOOD = "theorem thm_Q (y : ℝ) (hy : y > 0) : 0 < y ^ 2 := by sorry"
BAD = "theorem thm_Q (y : ℝ) : 0 < y ^ 2 := by sorry"


def _repo(root: Path, labels: dict[str, bool] | None = None) -> Path:
    """The layout of rethinking_autoformalization, with one problem and two outputs."""
    (root / "data" / "proofnet").mkdir(parents=True)
    row = {
        "full_name": "Book.exercise_1",
        "informal_stmt": "squares of positives are positive",
        "formal_stmt": REF,
        "header": "import Mathlib\n",
    }
    (root / "data" / "proofnet" / "benchmark.jsonl").write_text(json.dumps(row) + "\n")
    for name, cand in (("o1-generated", GOOD), ("rautoformalizer-generated", BAD)):
        folder = root / "data" / "human_equivalence" / name
        folder.mkdir(parents=True)
        out = {"Book.exercise_1": [{"formal_stmt_pred": cand, "typecheck_result": {}}]}
        (folder / "autoformalization.json").write_text(json.dumps(out))
        lab = labels if labels is not None else {cand: cand == GOOD}
        (folder / "labels.json").write_text(json.dumps(lab))
    return root


def test_rows_pair_each_output_with_its_gold_statement(tmp_path: Path) -> None:
    rows = human_pairs(_repo(tmp_path))
    assert [(r.kind, r.label) for r in rows] == [
        ("o1-generated", True),
        ("rautoformalizer-generated", False),
    ]
    assert all(r.reference == REF and r.header == "import Mathlib\n" for r in rows)
    assert rows[0].informal == "squares of positives are positive"
    out = tmp_path / "pairs.jsonl"
    assert main(["--repo", str(tmp_path), "--out", str(out)]) == 0
    assert [json.loads(line)["candidate"] for line in out.read_text().splitlines()] == [GOOD, BAD]


def test_missing_labels_and_wrong_folders_are_named(tmp_path: Path) -> None:
    with pytest.raises(HumanBenchError, match="not a checkout"):
        human_pairs(tmp_path)
    with pytest.raises(HumanBenchError, match=r"no label for the output of Book\.exercise_1"):
        human_pairs(_repo(tmp_path / "r", labels={}))
