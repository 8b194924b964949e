import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from eval.equivalence import (
    CombinedJudge,
    EmbeddingJudge,
    StructuralJudge,
    evaluate,
    markdown,
    metrics,
    split_calibration,
)
from eval.equivalence_pairs import NEGATIVE, POSITIVE, make_pairs, rename_binders
from formalizer.normal_form import same_statement as structurally_equal

GOLD = [
    {
        "id": "a",
        "informal": "x squared is positive",
        "header": "import Mathlib",
        "formal": "theorem a (x y : ℝ) (h₀ : 0 < x) (h₁ : x ≤ y) : 0 < x ^ 2 + y := by sorry",
    },
    {
        "id": "b",
        "informal": "sum of a range",
        "header": "import Mathlib",
        "formal": "theorem b (n : ℕ) (h : n ≠ 0) : ∑ i in Finset.range n, i = n * (n - 1) / 2 ∧ "
        "∃ k : ℕ, k = n := by sorry",
    },
]


def test_generated_pairs_have_both_labels_and_real_changes() -> None:
    pairs = make_pairs(GOLD, seed=1)
    assert {p.label for p in pairs} == {False, True}
    for p in pairs:
        assert p.candidate != p.reference
        assert p.kind in (POSITIVE if p.label else NEGATIVE)
    # the rewrites keep or change meaning as labelled, as far as the structural judge can tell
    for p in pairs:
        assert structurally_equal(p.reference, p.candidate) == p.label, p


def test_metrics_and_undecided_verdicts() -> None:
    m = metrics([True, True, False, False], [True, None, True, False])
    assert m == {"accuracy": 0.5, "precision": 0.5, "recall": 0.5, "items": 4}
    never = metrics([True, False], [False, None])  # nothing called equivalent
    assert never["precision"] is None and never["recall"] == 0.0
    table = markdown({"per_judge": {"silent": never}})
    assert "| silent | 0.500 | n/a | 0.000 | 2 |" in table


def fake_encoder(texts: list[str]) -> np.ndarray:
    """Deterministic bag-of-characters vectors: close texts, close vectors."""
    out = np.zeros((len(texts), 64), dtype=np.float32)
    for i, t in enumerate(texts):
        for ch in t:
            out[i, ord(ch) % 64] += 1
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_embedding_calibration_and_combination() -> None:
    rows = [p.model_dump() for p in make_pairs(GOLD, seed=3)]
    emb = EmbeddingJudge(fake_encoder)
    t = emb.calibrate(rows)
    assert 0 < t <= 1.0001
    emb.calibrate(rows, min_precision=1.01)
    assert emb.threshold == float("inf")  # unreachable precision: never says "equivalent"
    combined = CombinedJudge(StructuralJudge(), embedding=emb)
    report = evaluate(rows, [combined, StructuralJudge(), emb])
    assert report["per_judge"]["structural"]["accuracy"] == 1.0
    assert report["metrics"] == report["per_judge"]["combined"]
    assert set(report["by_kind"]) == {r["kind"] for r in rows}


def test_prefetch_encodes_once_and_judges_share_the_cache() -> None:
    rows = [p.model_dump() for p in make_pairs(GOLD, seed=3)]
    calls: list[int] = []

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        return fake_encoder(texts)

    emb = EmbeddingJudge(counting)
    emb.prefetch(rows)
    assert len(calls) == 1 and calls[0] > len(rows)
    other = EmbeddingJudge(counting, name="other", cache=emb.cache)
    for r in rows:
        assert other.score(r["reference"], r["candidate"]) == emb.score(
            r["reference"], r["candidate"]
        )
    assert len(calls) == 1 and other.judge(rows[0]["reference"], rows[0]["candidate"]).judge == (
        "other"
    )


def test_calibration_split_keeps_items_together() -> None:
    rows = [{"id": f"item{i}/{k}"} for i in range(20) for k in ("x", "y")]
    a, b = split_calibration(rows)
    assert a and b and len(a) + len(b) == 40
    assert not {r["id"].split("/")[0] for r in a} & {r["id"].split("/")[0] for r in b}


_CLI = [sys.executable, "-m", "autoformalizer"]


def test_cli_eval_equivalence(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(p.model_dump_json() + "\n" for p in make_pairs(GOLD * 1, seed=0)))
    out = tmp_path / "eq.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "autoformalizer",
            "eval",
            "equivalence",
            "--pairs",
            str(pairs),
            "--report",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert "Infinity" not in text and "NaN" not in text  # standard JSON, for any reader
    report = json.loads(text)
    assert {"accuracy", "precision", "recall"} <= set(report["metrics"])
    cal = report["calibration"]  # pairs moved to calibration are said so, with their count
    assert f"calibrated on {cal['pairs']} pairs" in proc.stdout
    assert f"figures on {cal['reported_on']} of the" in proc.stdout
    assert report["lean"].startswith("skipped")
    assert out.with_suffix(".md").is_file() and out.with_suffix(".png").is_file()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"reference": "x"}\n')
    proc = subprocess.run(
        [sys.executable, "-m", "autoformalizer", "eval", "equivalence", "--pairs", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "`candidate`: field required" in proc.stderr
    prover = "openai:prover@http://127.0.0.1:9/v1"
    proc = subprocess.run(
        [*_CLI, "eval", "equivalence", "--pairs", str(pairs), "--beq-llm", prover],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("AUTOFORMALIZER_")},
    )
    assert proc.returncode == 2 and "--beq-llm needs Lean" in proc.stderr


@pytest.mark.parametrize("kind", sorted(POSITIVE))
def test_every_positive_rewrite_applies_somewhere(kind: str) -> None:
    import random

    statements = [
        "theorem t (x y : ℝ) (h₀ : 0 < x) (h₁ : x ≤ y) (h₂ : x ≠ y) (f : ℕ → ℕ) "
        "(hf : f = fun n => n) : ∑ i in Finset.range 3, f i = 3 := sorry",
        "theorem u (a b : ℝ) (h : 0 < a) : a * b = a + b := sorry",
        "theorem v (a : ℝ) (h : a ∈ Set.Icc 0 1) : a ≤ 1 := sorry",
    ]
    assert any(POSITIVE[kind](s, random.Random(0)) for s in statements)


def test_cli_calibrates_on_a_separate_set_and_resolves_names(
    tmp_path: Path, fixture_index: Path
) -> None:
    """`--calibrate` fits thresholds on development pairs and reports on every row of
    `--pairs`; `--index` lets the structural judge read `IsOpen'` under `open` in full."""
    dev = tmp_path / "dev.jsonl"
    dev.write_text("".join(p.model_dump_json() + "\n" for p in make_pairs(GOLD, seed=0)))
    header = "import FixtureLib\nopen TopologicalSpace"
    row = {
        "id": "h/1",
        "header": header,
        "reference": "theorem a {X : Type*} [TopologicalSpace X] (s : X → Prop) : "
        "IsOpen' s := sorry",
        "candidate": "theorem b {X : Type u} [TopologicalSpace X] (t : X → Prop) : "
        "TopologicalSpace.IsOpen' t := by sorry",
        "label": True,
    }
    pairs = tmp_path / "human.jsonl"
    pairs.write_text(json.dumps(row) + "\n")
    out = tmp_path / "eq.json"
    base = [*_CLI, "eval", "equivalence", "--pairs", str(pairs), "--calibrate", str(dev)]
    proc = subprocess.run(
        [*base, "--index", str(fixture_index), "--report", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    assert report["calibration"]["source"] == f"--calibrate {dev}"
    assert report["calibration"]["reported_on"] == 1
    assert report["per_judge"]["structural"]["recall"] == 1.0
    proc = subprocess.run(
        [*base, "--no-index", "--report", str(out)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["per_judge"]["structural"]["recall"] == 0.0
    proc = subprocess.run(
        [*base, "--index", str(tmp_path / "nowhere")], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2 and "nowhere" in proc.stderr


def test_renaming_binders_renames_a_name_before_a_postfix_letter() -> None:
    text = "theorem t {M : Type*} (U : Set M) : IsOpen Uᶜ ↔ U = U := sorry"
    renamed = rename_binders(text, random.Random(0))
    assert renamed is not None and "Uᶜ" not in renamed and "ᶜ" in renamed
