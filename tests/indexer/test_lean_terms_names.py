"""Global names of a term: offsets point at the name in the text, whatever holds it."""

import pytest

from indexer.lean_terms import parse_signature
from indexer.lean_terms.names import global_names


def _names(text: str) -> list[str]:
    found = list(global_names(parse_signature(text)))
    assert all(text[at : at + len(name)] == name for name, at in found)  # offsets are exact
    return [name for name, _ in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an explicit universe instantiation names the constant
        ("{X : TopCat.{w}} [Category.{v} C] : True", ["TopCat", "Category", "C", "True"]),
        # the subscript of an operator holds terms
        ("(f : M →ₗ[R]   N) : True", ["R", "M", "N", "True"]),
        ("(g : A ≃ₐ[R, S] B) : True", ["R", "S", "A", "B", "True"]),
        # `e |>.f x` is the field `f` of `e`, not a constant `f`
        (
            "(h : Nat.card H |>.Coprime <| Nat.card K) : True",
            ["Nat.card", "H", "Nat.card", "K", "True"],
        ),
        ("(l : List ℕ) : l |>.map f |>.sum = 0", ["List", "ℕ", "f"]),
        # bound names stay local inside a subscript too
        ("(R : Type) (f : M →ₗ[R] N) : True", ["M", "N", "True"]),
    ],
)
def test_global_names(text: str, expected: list[str]) -> None:
    assert _names(text) == expected
