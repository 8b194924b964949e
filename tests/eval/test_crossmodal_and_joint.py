"""Cross-modal retrieval metric, joint-embedding training (tiny, CPU), `eval formalization`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from eval.crossmodal import (
    bm25_scores,
    dense_scores,
    distractor_texts,
    pool_of,
    read_pairs,
    recall,
)
from knowledge_base import KnowledgeBase
from retrieval.embedder import Embedder
from retrieval.joint_embedding import TrainConfig, formal_text, mathlib_pairs, train

sys.path.insert(0, str(Path(__file__).parents[1] / "formalizer"))
from scripted_server import ScriptedLLMServer

PAIRS = [
    {
        "id": "sq",
        "informal": "The product of an element with itself is a square.",
        "formal": "theorem sq {G : Type} [Group G] (a : G) : IsSquare (a * a) := by sorry",
    },
    {
        "id": "id",
        "informal": "The identity map is continuous.",
        "formal": "theorem cid {X : Type} [TopologicalSpace X] : Continuous (id : X → X) := sorry",
    },
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autoformalizer", *args], capture_output=True, text=True, check=False
    )


def test_formal_text_drops_the_proof() -> None:
    assert formal_text("theorem t (x : ℕ) :\n  x = x := by\n  rfl") == "theorem t (x : ℕ) : x = x"


def test_recall_at_k_with_index_distractors(fixture_index: Path, tmp_path: Path) -> None:
    kb = KnowledgeBase.open(fixture_index)
    distractors = distractor_texts(kb)
    assert any(t.startswith("theorem isSquare_iff_exists") for t in distractor_texts(kb, "all"))
    pool, targets = pool_of(PAIRS, distractors)
    m = recall(dense_scores(Embedder(None), PAIRS, pool), targets)
    assert m["queries"] == 2 and m["pool"] == len(set(distractors)) + 2
    assert 0.0 <= m["R@1"] <= m["R@5"] <= m["R@10"] <= 1.0
    f = tmp_path / "p.jsonl"
    f.write_text('{"id": 1, "informal": null, "formal": "x"}\n')
    with pytest.raises(ValueError, match="needs `informal` and `formal`"):
        read_pairs(f)


def test_bm25_reads_numbers_and_scores_lie_in_zero_one() -> None:
    rows = [
        {"informal": "Find y. Show that it is 042.", "formal": "theorem a (y : ℕ) : y = 42"},
        {"informal": "Nothing in common here", "formal": "theorem b : True"},
    ]
    pool, targets = pool_of(rows, ["theorem e (y : ℕ) : y = 43", "theorem a (y : ℕ) : y = 42"])
    assert pool == ["theorem a (y : ℕ) : y = 42", "theorem b : True", "theorem e (y : ℕ) : y = 43"]
    assert targets == [0, 1]
    b = bm25_scores(rows, pool)
    assert b.shape == (2, 3) and b[0, 0] == pytest.approx(1.0) and b[0, 1] == 0.0
    # "042" is the number 42, so only `a` matches it; `e` shares just the `y`
    assert b[0, 0] > b[0, 2]
    assert not b[1].any()  # no shared token: no lexical evidence, not an error


def test_recall_counts_ties_against_the_target() -> None:
    scores = np.array([[0.5, 0.5, 0.1], [0.2, 0.9, 0.3], [0.1, 0.2, 0.3]], dtype=np.float32)
    m = recall(scores, [1, 2, 0], ks=(1, 2, 3))
    assert m["R@1"] == 0.0  # row 0: a tie at the top is not a hit
    assert m["R@2"] == pytest.approx(2 / 3) and m["R@3"] == 1.0
    assert m["queries"] == 3 and m["pool"] == 3


@pytest.mark.slow
def test_train_joint_saves_fp16_safetensors_and_a_card(fixture_index: Path, tmp_path: Path):
    kb = KnowledgeBase.open(fixture_index)
    pairs = mathlib_pairs(kb)
    assert len(pairs) >= 8
    out = tmp_path / "joint"
    cfg = TrainConfig(
        epochs=1, batch_size=4, seed=1, hold_out=[pairs[0].informal], dense_negatives=True
    )
    record = train(pairs, out, cfg)
    assert record["pairs"] == len(pairs) - 1  # the held-out pair is never trained on
    assert 0 < record["dense_negatives"] <= record["pairs"]
    assert record["steps"] == (len(pairs) - 1) // 4
    assert (out / "model.safetensors").stat().st_size < 50 * 1024 * 1024
    card = json.loads((out / "training.json").read_text())
    assert card["config"]["seed"] == 1 and card["final_loss"] > 0
    # trained on Lean symbols spelled as LaTeX (the default view), and scored that way
    assert (
        card["text_view"] == "latex-symbols" and Embedder(str(out)).text_view == card["text_view"]
    )
    readme = (out / "README.md").read_text()
    assert readme.startswith("# Joint NL/Lean embedding") and '"seed": 1' in readme
    from safetensors import safe_open

    with safe_open(out / "model.safetensors", "pt") as f:
        name = next(iter(f.keys()))
        assert str(f.get_tensor(name).dtype) == "torch.float16"
    pairs_file = tmp_path / "pairs.jsonl"
    pairs_file.write_text("".join(json.dumps(p) + "\n" for p in PAIRS))
    proc = run(
        "eval",
        "crossmodal",
        "--index",
        str(fixture_index),
        "--pairs",
        str(pairs_file),
        "--joint",
        str(out),
        "--report",
        str(tmp_path / "cm.json"),
    )
    assert proc.returncode == 0, proc.stderr
    metrics = json.loads((tmp_path / "cm.json").read_text())["metrics"]
    assert set(metrics) == {"joint", "base", "joint+bm25", "base+bm25", "bm25"}
    assert set(metrics["joint"]) >= {"R@1", "R@5", "R@10"}
    table = (tmp_path / "cm.md").read_text()
    assert "| joint |" in table and "| base |" in table and "| joint+bm25 |" in table
    assert (tmp_path / "cm.png").read_bytes()[:4] == b"\x89PNG"


def test_eval_formalization_scores_against_references(retrieval_index: Path, tmp_path: Path):
    bench = tmp_path / "bench.jsonl"
    bench.write_text(
        "".join(
            json.dumps(
                {
                    "name": p["id"],
                    "informal_statement": p["informal"],
                    "formal_statement": p["formal"],
                    "header": "import Mathlib",
                }
            )
            + "\n"
            for p in PAIRS
        )
    )

    def answer(body: dict) -> dict:
        text = body["messages"][-1]["content"]
        formal = PAIRS[0]["formal"] if "itself" in text else PAIRS[1]["formal"]
        return {"answers": [f"```lean\n{formal}\n```"] * body["n"]}

    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    with ScriptedLLMServer(default=answer) as srv:
        proc = run(
            "eval",
            "formalization",
            "--index",
            str(retrieval_index),
            "--bench",
            str(bench),
            "--llm",
            f"openai:m@{srv.url}",
            "--out",
            str(out),
            "--report",
            str(report),
            "-n",
            "2",
        )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(report.read_text())["summary"]
    assert summary["items"] == 2 and summary["structurally_equivalent_rate"] == 1.0
    assert summary["typecheck_rate"].startswith("skipped")
    assert len(out.read_text().splitlines()) == 2
    table = report.with_suffix(".md").read_text()
    assert "| structurally equivalent rate | 100.0% |" in table
    assert "| typecheck rate | skipped: no Lean checker configured |" in table


@pytest.mark.slow
def test_train_joint_with_a_projection_head(fixture_index: Path, tmp_path: Path) -> None:
    pairs = mathlib_pairs(KnowledgeBase.open(fixture_index))[:8]
    out = tmp_path / "joint-proj"
    train(
        pairs, out, TrainConfig(epochs=1, batch_size=4, projection_dim=64, seed=2, text_view="raw")
    )
    modules = json.loads((out / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[-1] for m in modules] == [
        "Transformer",
        "Pooling",
        "Dense",
        "Normalize",
    ]
    emb = Embedder(str(out))
    assert emb.text_view == "raw"
    vecs = emb.encode_documents([pairs[0].formal, pairs[1].formal])
    assert vecs.shape == (2, 64)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-3)
    assert emb.encode_queries([pairs[0].informal]).shape == (1, 64)
