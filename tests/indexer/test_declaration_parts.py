"""Structure bodies read into fields: names and signatures as Lean declares them."""

from indexer.declaration_parts import parse_fields


def _fields(body: str) -> dict[str, str]:
    return {name: sig for name, sig, _ in parse_fields(body)[0]}


def test_plain_and_bracketed_fields() -> None:
    body = "\n  carrier : Set α\n  (one_mem : 1 ∈ carrier)\n  {x y : α}\n"
    assert _fields(body) == {
        "carrier": ": Set α",
        "one_mem": ": 1 ∈ carrier",
        "x": ": α",
        "y": ": α",
    }


def test_an_instance_field_with_parameters_is_one_field() -> None:
    # `[name (a : A) : C a]` declares `name`, not `a` or `A`
    body = (
        "\n  predicate_zero : p 0"
        "\n  [compactSpace_spectrum (a : A) : CompactSpace (spectrum R a)]\n"
    )
    fields = _fields(body)
    assert set(fields) == {"predicate_zero", "compactSpace_spectrum"}
    assert fields["compactSpace_spectrum"] == "(a : A) : CompactSpace (spectrum R a)"


def test_an_instance_field_with_a_name_and_an_anonymous_one() -> None:
    assert _fields("\n  [inst : Group G]\n  [Ring R]\n") == {"inst": ": Group G"}
