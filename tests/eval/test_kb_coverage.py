import json
from pathlib import Path

from eval.kb_coverage import curated_coverage, proofnet_coverage
from knowledge_base import KnowledgeBase


def test_curated_and_benchmark_coverage(
    fixture_index: Path, fixture_project: Path, tmp_path: Path
) -> None:
    with KnowledgeBase.open(fixture_index) as kb:
        curated = curated_coverage(kb, fixture_project)
        # 'Group', 'Semigroup', 'AddGroup', 'Nat' + three 100.yaml names; the module page
        # link and the empty entry are not declaration names.
        assert curated["names"] == 7
        assert [m["name"] for m in curated["misses"]] == ["Nat"]
        bench = tmp_path / "deps.jsonl"
        bench.write_text(
            "\n".join(
                json.dumps({"mathlib_dependencies": deps})
                for deps in [["Group", "Even"], ["Group.inv_mul_self", "Nat.succ", "NoSuchThing"]]
            )
        )
        report = proofnet_coverage(kb, bench)
    assert report["distinct_names"] == 5 and report["distinct_found"] == 3
    assert {m["name"]: m["status"] for m in report["misses"]} == {
        "Nat.succ": "external",
        "NoSuchThing": "unknown",
    }
