import pytest
from transformers import AutoTokenizer

from retrieval.embedder import default_model_path
from retrieval.symbols import spell_symbols

STATEMENT = (
    "theorem t (n : ℕ) (h : n ≠ 0) (s : Finset ℤ) : ∀ x ∉ s, ∃ m : ℂ, ∑ i ∈ s, f i ≤ ⨆ i, g i ∧ "
    "𝓝 x ≤ ⊤ ∧ Γ ≠ 𝟙 X"
)


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained(default_model_path())


def test_the_encoder_loses_lean_symbols_without_the_spelling(tokenizer) -> None:
    """Why the view exists: MiniLM reads `∀ ℕ ∑` as [UNK] and `≠` as `=`."""
    assert "[UNK]" in tokenizer.tokenize(STATEMENT)
    assert tokenizer.tokenize("a ≠ b") == tokenizer.tokenize("a = b")
    assert tokenizer.tokenize("x ∉ s") == tokenizer.tokenize("x ∈ s")


def test_spelled_statement_is_fully_readable_and_keeps_negations_apart(tokenizer) -> None:
    spelled = spell_symbols(STATEMENT)
    assert "[UNK]" not in tokenizer.tokenize(spelled)
    assert tokenizer.tokenize(spell_symbols("a ≠ b")) != tokenizer.tokenize(spell_symbols("a = b"))
    assert tokenizer.tokenize(spell_symbols("x ∉ s")) != tokenizer.tokenize(spell_symbols("x ∈ s"))
    assert tokenizer.tokenize(spell_symbols("Γ")) != tokenizer.tokenize(spell_symbols("γ"))


def test_spellings_follow_latex() -> None:
    assert spell_symbols("∀ n : ℕ, ∃ z : ℤ, n ≠ z") == (
        r"\forall n : \mathbb{N} , \exists z : \mathbb{Z} , n \neq z"
    )
    # letter-like symbols by their Unicode names: script, double-struck, fraktur, digits
    assert spell_symbols("𝓝 𝕜 𝔖 𝟙 ℱ ℍ") == (
        r"\mathcal{N} \mathbb{k} \mathfrak{S} \mathbb{1} \mathcal{F} \mathbb{H}"
    )
    assert spell_symbols("Γ Ω") == r"\Gamma \Omega"
    assert spell_symbols("∑' n, f n") == r"\sum ' n, f n"


def test_readable_text_is_left_alone_and_spelling_is_idempotent() -> None:
    assert spell_symbols("x ≤ y → y ∈ s ∧ ¬ p  ") == "x ≤ y → y ∈ s ∧ ¬ p"
    assert spell_symbols("Prove that $\\mathbb{Z}$ is a ring.") == (
        "Prove that $\\mathbb{Z}$ is a ring."
    )
    once = spell_symbols(STATEMENT)
    assert spell_symbols(once) == once
