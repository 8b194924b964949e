import json
import subprocess
import sys
from pathlib import Path

import pytest

from eval.retrieval_bench import BenchFormatError, metrics_for, read_bench, resolve_gold
from knowledge_base import KnowledgeBase


def test_metrics_follow_the_shared_definitions() -> None:
    m = metrics_for(["a", "x", "b", "y", "z"], {"a", "b", "c", "d"}, [1, 5])
    assert m["R@1"] == 0.25 and m["P@1"] == 1.0
    assert m["R@5"] == 0.5 and m["P@5"] == 0.4
    assert m["MRR"] == 1.0
    assert m["nDCG@10"] == pytest.approx(
        (1 + 1 / 2) / (1 + 1 / 1.5849625 + 0.5 + 1 / 2.3219281), rel=1e-4
    )
    assert metrics_for(["x"], {"a"}, [1])["MRR"] == 0.0


def test_readers(tmp_path: Path) -> None:
    generic = tmp_path / "g.jsonl"
    generic.write_text(json.dumps({"id": "q1", "query": "groups", "gold": ["Group"]}) + "\n")
    connf = tmp_path / "c.jsonl"
    connf.write_text(
        json.dumps(
            {"informal_stmt": "s", "mathlib_dependencies": ["Set"], "full_name": "ConNF.foo"}
        )
        + "\n"
    )
    assert read_bench(generic)[0].gold == ["Group"]
    item = read_bench(connf)[0]
    assert (item.query, item.exclude) == ("s", ["ConNF.foo"])
    bad = tmp_path / "b.jsonl"
    bad.write_text('{"text": 1}\n')
    with pytest.raises(BenchFormatError, match=r"b\.jsonl:1"):
        read_bench(bad)


def test_gold_resolution_counts_missing_names(fixture_index: Path, tmp_path: Path) -> None:
    bench = tmp_path / "b.jsonl"
    bench.write_text(json.dumps({"query": "q", "gold": ["Group.inv_mul_self", "Nope"]}) + "\n")
    items = read_bench(bench)
    with KnowledgeBase.open(fixture_index) as kb:
        cov = resolve_gold(kb, items)
    assert items[0].gold == ["Group.inv_mul", "Nope"]
    assert cov["gold_missing"] == 1 and cov["missing_names"] == {"Nope": "unknown"}


def test_cli_search_and_eval(retrieval_index: Path, tmp_path: Path) -> None:
    run = [sys.executable, "-m", "autoformalizer"]
    proc = subprocess.run(
        [
            *run,
            "search",
            "continuous maps of topological spaces",
            "--index",
            str(retrieval_index),
            "-k",
            "3",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    hits = json.loads(proc.stdout)
    assert len(hits) == 3 and {"name", "score", "channels", "why"} <= set(hits[0])
    bench = tmp_path / "bench.jsonl"
    bench.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {
                    "id": "1",
                    "query": "a continuous map between topological spaces",
                    "gold": ["Continuous", "TopologicalSpace"],
                },
                {
                    "id": "2",
                    "query": "a group whose elements are squares",
                    "gold": ["Group", "IsSquare"],
                },
            ]
        )
    )
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [
            *run,
            "eval",
            "retrieval",
            "--index",
            str(retrieval_index),
            "--bench",
            str(bench),
            "--k",
            "1,5",
            "--config",
            "bm25",
            "--config",
            "full",
            "--report",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "| full |" in proc.stdout
    report = json.loads(out.read_text())
    full = report["configurations"]["full"]
    assert full["n"] == 2 and 0 <= full["metrics"]["R@5"] <= 1
    assert set(full["latency_ms"]) == {"p50", "p95"} and full["coverage"]["gold_missing"] == 0
    assert out.with_suffix(".md").is_file() and out.with_suffix(".png").stat().st_size > 1000


def test_styles_and_split_halves_by_group(tmp_path: Path) -> None:
    from eval.retrieval_bench import BenchItem, evaluate, select_split, style_table

    rows = [
        {"id": f"t{i}:{s}", "group": f"t{i}", "style": s, "query": f"q {i} {s}", "gold": [f"g{i}"]}
        for i in range(40)
        for s in ("formula", "sentence")
    ]
    path = tmp_path / "b.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    items = read_bench(path)
    dev, held = select_split(items, "dev"), select_split(items, "held-out")
    assert len(dev) + len(held) == len(items) and dev and held
    # every style of one theorem falls on the same side
    assert not {i.group for i in dev} & {i.group for i in held}

    def search(item: BenchItem, depth: int) -> list[str]:
        return item.gold if item.style == "formula" else ["other"]

    res = evaluate(items, search, [1])
    assert res["by_style"]["formula"]["R@1"] == 1.0
    assert res["by_style"]["sentence"]["R@1"] == 0.0
    assert res["metrics"]["R@1"] == 0.5
    assert "| formula | 40 | 1.000 |" in style_table({"full": res}, [1])


def test_mined_formula_queries_are_the_statement_written_from_memory() -> None:
    from indexer.lean_terms.split import split_conclusion
    from retrieval.train_reranker import as_user_writes

    sig = "{p : ℕ} [Fact p.Prime] {a : ZMod p} (ha : a ≠ 0) : a ^ (p - 1) = 1"
    assert split_conclusion(sig)[1] == "a ^ (p - 1) = 1"
    assert split_conclusion("{x : {y : ℕ // y > 0}} : x.1 ≠ 0")[1] == "x.1 ≠ 0"
    assert split_conclusion("(h : a ∈ s)")[1] == ""  # no conclusion outside the brackets
    assert as_user_writes("Finset.range n ⊆ Set.univ") == "range j ⊆ univ"


def test_mined_latex_queries_spell_the_formula_as_a_user_types_it() -> None:
    from retrieval.query_style import detect_style
    from retrieval.train_reranker import as_latex

    assert as_latex("x * y ≤ √z") == r"$x \cdot y \le \sqrt z$"
    assert as_latex("‖x‖ ≥ 0") == r"$\| x \| \ge 0$"
    assert as_latex("(n : ℝ) ≠ 0") == r"$(n : \mathbb{R} ) \neq 0$"
    assert as_latex("∀ ε > 0, x⁻¹ ∈ s") == r"$\forall \epsilon > 0, x ^{-1} \in s$"
    # what the style detector reads as LaTeX, so they train the LaTeX reranker
    for f in ("a + b = b + a", "∑ i ∈ range n, f i ≤ n * C", "gcd a b ∣ a"):
        assert detect_style(as_latex(f)) == "latex"
