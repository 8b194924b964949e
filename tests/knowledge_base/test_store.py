"""The knowledge base built from the fixture project: lookup, resolution, graph, concepts."""

import json
from pathlib import Path

import pytest

from knowledge_base import IndexOpenError, KnowledgeBase
from knowledge_base.build import strip_projections


@pytest.fixture(scope="module")
def kb(fixture_index: Path):
    with KnowledgeBase.open(fixture_index) as kb:
        yield kb


def test_stats(kb: KnowledgeBase) -> None:
    s = kb.stats()
    assert s["declarations"] == sum(v for k, v in s["by_kind"].items() if k != "external")
    assert s["by_kind"]["theorem"] >= 10 and s["by_kind"]["class"] >= 4
    assert s["anonymous_instances_skipped"] == 2
    assert s["files_with_warnings"] == 1
    assert s["roots"][0]["lean_toolchain"] == "leanprover/lean4:v4.33.0-rc1"


def test_get_returns_the_full_record(kb: KnowledgeBase) -> None:
    d = kb.get("mul_right_comm_of_long_signature")
    assert d is not None and d.module == "FixtureLib.Algebra.Group"
    assert d.variables == ["{G : Type*}", "[Monoid G]", "{a b c : G}"]
    assert d.opens == ["Function"]
    assert kb.get("no_such_name") is None


def test_resolve_follows_lean_rules(kb: KnowledgeBase) -> None:
    assert kb.resolve("Group.inv_mul").status == "found"
    assert kb.resolve("inv_mul", current_namespace="Group").name == "Group.inv_mul"
    assert kb.resolve("inv_mul", open_namespaces=["Group"]).name == "Group.inv_mul"
    assert kb.resolve("inv_mul").status == "unknown"
    # protected: needs at least its last namespace component
    assert kb.resolve("mul_inv_rev", open_namespaces=["Group"]).status == "unknown"
    assert kb.resolve("Group.mul_inv_rev").status == "found"
    # private declarations are invisible
    assert kb.resolve("Group.secret").status == "unknown"
    # nested namespaces and the `_root_` prefix
    assert kb.resolve("Deep.deep_fact", current_namespace="Fixture.Logic").status == "found"
    assert kb.resolve("_root_.root_level_fact").name == "root_level_fact"
    # field access on a theorem: `h.symm`-style projections
    res = kb.resolve("Group.inv_mul.symm")
    assert (res.name, res.projection) == ("Group.inv_mul", ["symm"])
    # a type followed by an unknown component is not read as a projection
    assert kb.resolve("Group.no_such_thing").status == "unknown"


def test_resolve_deprecated_to_the_current_name(kb: KnowledgeBase) -> None:
    res = kb.resolve("Group.inv_mul_self")
    assert (res.status, res.name, res.since) == ("deprecated", "Group.inv_mul", "2024-01-15")
    res = kb.resolve("inv_mul_self'", current_namespace="Group")
    assert (res.status, res.name) == ("deprecated", "Group.inv_mul")


def test_current_name_of_a_gold_name(kb: KnowledgeBase) -> None:
    """What a benchmark's gold name is called in this index; nothing for a non-declaration."""
    assert kb.current_name("Group.inv_mul") == "Group.inv_mul"
    assert kb.current_name("Group.inv_mul_self") == "Group.inv_mul"  # deprecated alias
    assert kb.current_name("Nat.succ") == "Nat.succ"  # external: Lean core
    assert kb.current_name("Nat.no_such_lemma") is None
    assert kb.current_name("Group.inv_mul.symm") is None  # a projection, not a declaration
    assert kb.current_name("inv_mul_self'") is None  # only inside `namespace Group`


def test_generated_names_resolve(kb: KnowledgeBase) -> None:
    for name in (
        "Even",
        "AddGroup",
        "zero_add'",
        "upperBounds",
        "TopologicalSpace.IsOpen",
        "Semigroup.toMul",
        "Semigroup.mk",
        "Color.green",
        "Semigroup.ext_iff",
    ):
        assert kb.resolve(name).status == "found", name


def test_external_names(kb: KnowledgeBase) -> None:
    res = kb.resolve("Nat.succ")
    assert res.status == "external"
    # `Injective` under `open Function` is recorded as `Function.Injective`? It was never
    # written in full in the fixture, so it stays as written.
    assert kb.resolve("Injective").status == "external"
    assert kb.resolve("Nat.no_such_lemma").status == "unknown"
    assert kb.stats()["external"] >= 3


def test_dependency_graph_and_in_degree(kb: KnowledgeBase) -> None:
    assert "TopologicalSpace" in kb.dependencies("continuous_id")
    assert "Continuous" in kb.dependencies("continuous_id")
    assert kb.in_degree("TopologicalSpace") >= 4
    assert "continuous_id" in kb.dependents("Continuous")


def test_names_with_prefix_and_iteration(kb: KnowledgeBase) -> None:
    assert kb.names_with_prefix("Group.") == [
        "Group.inv_mul",
        "Group.inv_mul_cancel",
        "Group.inv_mul_self",
        "Group.inv_mul_self'",
        "Group.mk",
        "Group.mul_inv_rev",
        "Group.secret",
        "Group.toDivisionMonoid",
        "Group.toInv",
        "Group.toMonoid",
    ]
    classes = {d.name for d in kb.iter_declarations(kind="class")}
    assert {"Semigroup", "Monoid", "Group", "TopologicalSpace", "AddGroup"} <= classes
    in_module = {d.name for d in kb.iter_declarations(module="FixtureLib.Topology.Basic")}
    assert "continuous_id" in in_module and "Group" not in in_module
    assert "FixtureLib.Logic" in kb.modules()


def test_concepts(kb: KnowledgeBase) -> None:
    concepts = kb.concepts_for("Group")
    sources = {c["source"] for c in concepts}
    assert {"undergrad", "definition"} <= sources
    definition = next(c for c in concepts if c["source"] == "definition")
    assert definition["description"] == "A group, multiplicatively."
    assert definition["group"] == "group"
    assert {"Group", "AddGroup"} <= set(kb.concept_group("group"))
    assert kb.concepts_for("Fixture.fixture_fact")[0]["source"] == "100"
    # a definition without a docstring is described by its name and domain
    cont = kb.concepts_for("TopologicalSpace.IsOpen'")
    assert cont[0]["description"] == "Open sets."


def test_open_errors(tmp_path: Path, fixture_index: Path) -> None:
    with pytest.raises(IndexOpenError, match="no index"):
        KnowledgeBase.open(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexOpenError, match="not a complete index"):
        KnowledgeBase.open(tmp_path / "empty")
    import shutil

    other = tmp_path / "other"
    shutil.copytree(fixture_index, other)
    manifest = json.loads((other / "manifest.json").read_text())
    manifest["schema_version"] = 999
    (other / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexOpenError, match=r"newer autoformalizer .*: upgrade autoformalizer"):
        KnowledgeBase.open(other)
    manifest["schema_version"] = 1
    (other / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexOpenError, match=r"older autoformalizer .*: rebuild it"):
        KnowledgeBase.open(other)


@pytest.mark.parametrize(
    ("ref", "name"),
    [
        ("Nat.succ_le_iff.mp", "Nat.succ_le_iff"),  # a lemma's field access
        ("Nat.lt_irrefl.elim", "Nat.lt_irrefl"),
        ("Finset.card_pos.mpr.le", "Finset.card_pos"),
        ("Exists.choose", "Exists.choose"),  # a declaration in namespace Exists, not a field
        ("Exists.choose_spec", "Exists.choose_spec"),
        ("Subtype.val", "Subtype.val"),
        ("Iff.mp", "Iff.mp"),
        ("Nat.le", "Nat.le"),
        ("Or.resolve_left", "Or.resolve_left"),
    ],
)
def test_projections_stripped_only_after_a_value(ref: str, name: str) -> None:
    assert strip_projections(ref) == name


def test_a_definition_without_its_type_has_its_value(kb: KnowledgeBase) -> None:
    icc = kb.get("Set.Icc")
    assert icc is not None and icc.value == "{ x | a ≤ x ∧ x ≤ b }"
    assert kb.get("Set.range").value is None  # typed: `: Set α`
    assert kb.stats()["definition_values"] >= 2  # `kb stats` lists the table


def test_an_index_without_values_reads_as_having_none(fixture_index: Path, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    copy = tmp_path / "idx"
    shutil.copytree(fixture_index, copy)
    with sqlite3.connect(copy / "kb.sqlite") as con:
        con.execute("DROP TABLE definition_values")
    con.close()
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["files"]["kb.sqlite"] = (copy / "kb.sqlite").stat().st_size  # as if built so
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with KnowledgeBase.open(copy) as old:
        assert old.get("Set.Icc").value is None
        assert old.stats()["definition_values"] is None
