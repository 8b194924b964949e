"""Which namespaces are open, and which scoped-looking tokens Mathlib uses as global ones."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from indexer.models import Declaration, NotationEntry
from indexer.notation_scope import INFERRED, inferred_global_tokens, opened_namespaces


def _decl(module: str, signature: str, opens: tuple[str, ...] = (), ns: str = "") -> Declaration:
    return Declaration(
        name=f"{module}.x", kind="theorem", module=module, signature=signature,
        namespace=ns, opens=list(opens),
    )  # fmt: skip


def _scoped(token: str, ns: str, module: str = "Lib.Notation") -> NotationEntry:
    return NotationEntry(token, "infixl", ns, "scoped", None, module)


def test_opened_namespaces_resolves_relative_opens() -> None:
    got = opened_namespaces(["CategoryTheory", "MonoidalCategory", "scoped Topology"], "Foo.Bar")
    assert {"Foo", "Foo.Bar", "CategoryTheory", "Topology"} <= got
    assert "CategoryTheory.MonoidalCategory" in got  # `open CategoryTheory MonoidalCategory`
    assert "Foo.Bar.MonoidalCategory" in got  # resolved inside the current namespace
    assert "Baz" not in got


def test_opened_namespaces_reads_hiding_and_selective_opens() -> None:
    got = opened_namespaces(["Function hiding eval", "LinearMap (BilinForm)"], "")
    assert {"Function", "LinearMap"} <= got
    assert not any("eval" in n or "BilinForm" in n for n in got)


@given(st.lists(st.from_regex(r"[A-Z][a-z]{0,4}", fullmatch=True), max_size=5))
def test_opened_namespaces_contains_every_open(names: list[str]) -> None:
    assert set(names) <= opened_namespaces(names, "")


def test_token_used_without_its_open_in_two_modules_is_global() -> None:
    entries = [_scoped("-", "PeriodPair")]
    decls = [_decl("A", "(a b : ℤ) : a - b = 0"), _decl("B", "(x : ℝ) : x - x = 0")]
    (row,) = inferred_global_tokens(decls, entries)
    assert (row.token, row.kind, row.scope) == ("-", INFERRED, "global")


def test_one_module_is_not_enough() -> None:
    entries = [_scoped("⊞", "Foo")]
    decls = [_decl("A", "a ⊞ b = c"), _decl("A", "a ⊞ c = b")]
    assert inferred_global_tokens(decls, entries) == []


def test_uses_where_the_scope_is_open_do_not_count() -> None:
    entries = [_scoped("⊞", "Foo.Ops")]
    decls = [
        _decl("A", "a ⊞ b = c", opens=("scoped Foo.Ops",)),
        _decl("B", "a ⊞ b = c", ns="Foo.Ops.Lemmas"),
        _decl("C", "a ⊞ b = c", opens=("Foo", "Ops")),  # relative open
    ]
    assert inferred_global_tokens(decls, entries) == []


def test_occurrences_inside_longer_tokens_do_not_count() -> None:
    entries = [_scoped("∞", "ENNReal"), _scoped("ℝ≥0∞", "ENNReal")]
    decls = [_decl("A", "(x : ℝ≥0∞) : x ≤ x"), _decl("B", "(y : ℝ≥0∞) : y = y")]
    assert inferred_global_tokens(decls, entries) == []


def test_identifier_like_tokens_are_never_inferred() -> None:
    """`π` is scoped notation for `Real.pi` and also a common variable name."""
    entries = [_scoped("π", "Real"), _scoped("D.", "Dioph")]
    decls = [_decl("A", "(π : Partition) : π.D.x = 0"), _decl("B", "(π : Perm α) : π = π")]
    assert inferred_global_tokens(decls, entries) == []


def test_a_files_local_notation_is_in_force_there() -> None:
    entries = [_scoped("⊗", "TensorProduct"), NotationEntry("⊗", "infix", "", "local", None, "A")]
    decls = [_decl("A", "x ⊗ y = z"), _decl("A", "y ⊗ x = z"), _decl("B", "x = y")]
    assert inferred_global_tokens(decls, entries) == []


def test_tokens_with_a_global_notation_need_no_inference() -> None:
    entries = [_scoped("∑", "Foo"), NotationEntry("∑", "notation3", "", "global", None, "M")]
    decls = [_decl("A", "∑ i, f i = 0"), _decl("B", "∑ j, g j = 0")]
    assert inferred_global_tokens(decls, entries) == []
