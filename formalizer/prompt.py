"""The prompt: instructions, retrieved Mathlib definitions, retrieved examples, the statement.

Follows CRAMF (the definitions a statement needs, with signatures and one-line descriptions)
and ProofBridge (similar NL/Lean pairs). A token budget trims the retrieved context, lowest
ranked first, never the instructions or the statement itself.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from formalizer.examples import Example
from formalizer.llm import ChatMessage

DEFAULT_HEADER = "import Mathlib\n\nopen BigOperators Real Nat Topology Rat\n"

SYSTEM = """You are an expert in Lean 4 and Mathlib. You translate mathematical statements \
written in natural language into Lean 4 theorem statements that type-check against the current \
Mathlib, faithfully: same hypotheses, same conclusion, nothing added or dropped."""

INSTRUCTIONS = """Rules:
- Write Lean 4 with current Mathlib names, not Lean 3: `Nat.Prime p`, `Finset.range n`, \
`fun x => ...` (or `fun x ↦ ...`), `∑ i ∈ Finset.range n, f i`, `∀ x ∈ s, ...`, `Real.sqrt`, \
`|x|` for absolute value, `(n : ℝ)` for casts.
- Types and propositions are UpperCamelCase (`IsOpen`, `Continuous`), functions lowerCamelCase.
- State the theorem only: finish with `:= by sorry`. Do not prove it. Do not write `import`.
- Bind every variable; give numbers their type (`(x : ℝ)`), as the text means them.
- Prefer the Mathlib definitions listed below when they fit.
- Answer with exactly one ```lean code block holding one theorem."""


class ContextDefinition(BaseModel):
    """A retrieved Mathlib declaration as the prompt shows it."""

    name: str
    kind: str
    signature: str
    description: str
    score: float = 0.0


class Prompt(BaseModel):
    messages: list[dict[str, str]]
    definitions: list[ContextDefinition]  # the ones that fit the budget, in order
    examples: list[Example]
    tokens: int


def approx_tokens(text: str) -> int:
    """About 3.2 characters per token for Lean + English with Unicode math (measured on
    SmolLM2's tokenizer: a conservative estimate for larger vocabularies)."""
    return int(len(text) / 3.2) + 1


def _definition_line(d: ContextDefinition) -> str:
    sig = " ".join(d.signature.split())
    if len(sig) > 300:
        sig = sig[:297] + "..."
    desc = " ".join(d.description.split())
    if len(desc) > 160:
        desc = desc[:157] + "..."
    line = f"- `{d.name}` ({d.kind}) : {sig}" if sig else f"- `{d.name}` ({d.kind})"
    return f"{line}\n  -- {desc}" if desc else line


def _example_block(e: Example) -> str:
    return f"Statement: {e.informal}\n```lean\n{e.formal}\n```"


def build_prompt(
    text: str,
    header: str,
    definitions: list[ContextDefinition],
    examples: list[Example],
    max_tokens: int = 3000,
    count: Callable[[str], int] = approx_tokens,
) -> Prompt:
    """Messages for one statement, trimmed to `max_tokens` by dropping context from the end:
    examples beyond the first, then definitions, then the last example."""
    defs, exs = list(definitions), list(examples)

    def render() -> list[ChatMessage]:
        parts = [INSTRUCTIONS]
        if defs:
            parts.append(
                "Mathlib definitions that may be relevant:\n"
                + "\n".join(_definition_line(d) for d in defs)
            )
        if exs:
            parts.append(
                "Examples of statements and their Lean 4 formalizations:\n\n"
                + "\n\n".join(_example_block(e) for e in exs)
            )
        parts.append(f"The file starts with:\n```lean\n{header.strip()}\n```")
        parts.append(f"Formalize this statement:\n{text.strip()}")
        return [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": "\n\n".join(parts)},
        ]

    def size(messages: list[ChatMessage]) -> int:
        return sum(count(m["content"]) + 4 for m in messages)

    messages = render()
    while size(messages) > max_tokens and (defs or exs):
        if len(exs) > 1:
            exs.pop()
        elif defs:
            defs.pop()
        else:
            exs.pop()
        messages = render()
    return Prompt(
        messages=[dict(m) for m in messages],
        definitions=defs,
        examples=exs,
        tokens=size(messages),
    )


def repair_messages(
    prompt: list[dict[str, str]], answer: str, statement: str, problems: str, lean: bool
) -> list[ChatMessage]:
    """The conversation continued with the failed attempt and what was wrong with it."""
    source = "Lean reported these errors" if lean else "These problems were found"
    shown = f" in your statement:\n```lean\n{statement}\n```" if statement else " in your answer:"
    return [
        *[{"role": m["role"], "content": m["content"]} for m in prompt],  # type: ignore[misc]
        {"role": "assistant", "content": answer},
        {
            "role": "user",
            "content": f"{source}{shown}\n\n{problems}\n\n"
            "Fix them and answer with the corrected theorem in one ```lean code block, "
            "still ending with `:= by sorry`.",
        },
    ]
