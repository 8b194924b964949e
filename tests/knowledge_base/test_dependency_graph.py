"""Signature references resolve the way Lean resolves them where they were written."""

from indexer.models import Declaration
from knowledge_base.build import MemoryTable, dependency_graph, make_entry


def _graph(decls: list[Declaration]):
    table = MemoryTable({d.name: make_entry(i, d) for i, d in enumerate(decls)}, {})
    return dependency_graph(decls, table, set())


def test_a_declaration_name_opens_its_namespace() -> None:
    decls = [
        Declaration(name="Filter.Tendsto", kind="def", module="M"),
        Declaration(name="Filter.Tendsto.mul", kind="theorem", module="M", references=["Tendsto"]),
    ]
    graph = _graph(decls)
    assert graph.edges == [(1, 0)] and not graph.unresolved


def test_a_generated_declaration_resolves_where_its_source_was_written() -> None:
    # `@[to_additive] theorem Filter.Tendsto.mul …` generates `Filter.Tendsto.add` with the
    # same references: `Tendsto` there is `Filter.Tendsto`, not an unknown root `Tendsto`
    source = Declaration(
        name="Filter.Tendsto.mul", kind="theorem", module="M", references=["Tendsto"]
    )
    generated = source.replace(
        name="Filter.Tendsto.add", origin="to_additive", generated_from=source.name
    )
    decls = [Declaration(name="Filter.Tendsto", kind="def", module="M"), source, generated]
    graph = _graph(decls)
    assert sorted(graph.edges) == [(1, 0), (2, 0)]
    assert "Tendsto" not in graph.unresolved
