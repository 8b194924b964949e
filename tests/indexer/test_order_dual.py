from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.lean_terms import parse_signature
from indexer.lean_terms.printer import to_lean
from indexer.order_dual import dual_signature


def test_statements_read_in_the_dual_order() -> None:
    """As Mathlib's `to_dual` generates them: `≤`/`<` swap operands, `⊔`/`⊓`, `⨆`/`⨅`, `⊤`/`⊥`
    trade places, `a ⇨ b` becomes `b \\ a`; names are the dictionary's business."""
    head = "{α : Type u} [SemilatticeSup α] {a b c : α}"
    assert dual_signature(f"{head} : a ≤ a ⊔ b") == f"{head} : a ⊓ b ≤ a"  # le_sup_left
    assert (
        dual_signature(f"{head} (h₁ : a ≤ c) (h₂ : b ≤ c) : a ⊔ b ≤ c")  # sup_le
        == f"{head} (h₁ : c ≤ a) (h₂ : c ≤ b) : c ≤ a ⊓ b"
    )
    assert dual_signature("{a b c : α} : a ≤ b ⇨ c ↔ a ⊓ b ≤ c") == (
        "{a b c : α} : c \\ b ≤ a ↔ c ≤ a ⊔ b"
    )
    assert dual_signature("(a : α) : a < ⊤ ↔ a ≠ ⊤") == "(a : α) : ⊥ < a ↔ a ≠ ⊥"
    assert dual_signature("{f : ι → α} (i : ι) : f i ≤ ⨆ j, f j") == (
        "{f : ι → α} (i : ι) : (⨅ j, f j) ≤ f i"
    )


def test_what_the_order_does_not_touch_stays() -> None:
    sig = "{G : Type*} [Group G] (a b : G) : a * b * b⁻¹ = a"
    assert dual_signature(sig) == to_lean(parse_signature(sig))
    assert dual_signature("") == ""


def test_an_unreadable_statement_is_not_guessed() -> None:
    assert dual_signature("(a : α) : a ≤ ⟪ ⊔ ⟫ )") is None


atoms = st.sampled_from(["a", "b", "c", "⊤", "⊥", "f a"])


def exprs(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return atoms
    sub = exprs(depth - 1)
    return st.one_of(
        atoms,
        st.tuples(sub, st.sampled_from(["⊔", "⊓", "⇨", "\\"]), sub).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
    )


@settings(max_examples=80, deadline=None)
@given(exprs(3), st.sampled_from(["≤", "<", "="]), exprs(3))
def test_the_dual_of_the_dual_is_the_statement(lhs: str, rel: str, rhs: str) -> None:
    sig = f"{{a b c : α}} : {lhs} {rel} {rhs}"
    once = dual_signature(sig)
    assert once is not None
    assert dual_signature(once) == to_lean(parse_signature(sig))
