"""The formalizer's output: a `Formalization` with every candidate, check, context and timing."""

from __future__ import annotations

from pydantic import BaseModel, Field

from formalizer.checks import Check
from formalizer.examples import Example
from formalizer.identifiers import IdentifierFinding
from formalizer.lean_checker import LeanCheckResult
from formalizer.prompt import ContextDefinition


class Candidate(BaseModel):
    """One statement the model proposed, with what the checks said about it."""

    index: int
    round: int = 0  # 0: sampled from the prompt; r > 0: produced by repair round r
    repairs: int | None = None  # the candidate this one repairs
    answer: int  # which model answer it came from
    statement: str | None  # `theorem ... := by sorry`, deprecated names rewritten
    preamble: str = ""  # `open`/helper lines from the answer it needs
    notes: list[str] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    identifiers: list[IdentifierFinding] = Field(default_factory=list)
    rewritten: dict[str, str] = Field(default_factory=dict)
    lean: LeanCheckResult | None = None
    group: int | None = None  # rank of its equivalence group (0 = chosen group)
    votes: int = 0
    similarity: float = 0.0
    score: float = 0.0
    selected: bool = False

    @property
    def lean_free_ok(self) -> bool:
        return self.statement is not None and all(c.passed is not False for c in self.checks)


class RetrievedContext(BaseModel):
    """What the model was shown."""

    definitions: list[ContextDefinition] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)
    prompt_tokens: int = 0
    messages: list[dict[str, str]] = Field(default_factory=list)


class Formalization(BaseModel):
    id: str | None = None
    input: str
    statement: str | None = None  # the chosen theorem
    header: str
    preamble: str = ""
    ok: bool = False  # a statement was chosen and passed every check that ran
    lean: str = ""  # the checker used, or why Lean steps were skipped
    reasons: list[str] = Field(default_factory=list)  # why this statement was chosen
    candidates: list[Candidate] = Field(default_factory=list)
    context: RetrievedContext = Field(default_factory=RetrievedContext)
    timings: dict[str, float] = Field(default_factory=dict)  # seconds per stage
    backend: str = ""
    index: dict[str, object] = Field(default_factory=dict)
    error: str | None = None  # set when the model could not be asked at all

    @property
    def lean_file(self) -> str:
        """Header, preamble and statement: a file Lean can check."""
        parts = [self.header.rstrip(), self.preamble.strip(), self.statement or ""]
        return "\n\n".join(p for p in parts if p) + "\n"
