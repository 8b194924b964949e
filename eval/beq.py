"""BEq (RAutoformalizer, ICLR 2025): bidirectional equivalence checked by Lean.

Reference P and candidate Q are equivalent when each proves the other. With `thm_P : P`
admitted (`sorry`), `thm_Q : Q` must be proved:
1. by `exact?`, counted only when the proof Lean suggests uses `thm_P` (a Q that holds on its own
   says nothing about P);
2. else by proofs that use only the paper's whitelisted tactics (`apply`, `cases'`,
   `constructor`, `exact`, `exact?`, `ext`, `have`, `intro`, `intros`, `rw`, `use`), never
   `sorry`/`admit`/`by_contra`, and mention `thm_P`: a few fixed templates, then, when a
   language model is given, its proofs (the paper asks a prover model for several).
Then the same with P and Q swapped; both directions must succeed. Each REPL call has `timeout`
seconds (120 by default, as in the paper). The whitelist is checked on the parsed tactic
sequence (nested `by` blocks included), never by substring search, and a proof outside it never
reaches Lean. Needs a `LeanChecker`; without one BEq cannot run.

One difference from the paper's scripts: they sample the prover's proofs by beam search, which
OpenAI-compatible servers do not offer; here the model's `n` answers are sampled at
`temperature` and de-duplicated.
"""

from __future__ import annotations

import re
import textwrap

from eval.equivalence import Verdict
from formalizer.lean_checker import LeanChecker, LeanCheckResult
from formalizer.llm import ChatMessage, LLMBackend, LLMError
from formalizer.statement import StatementError, parse_statement
from indexer.lexer import lex

# The paper's "normal" level (`equivalence/beq_normal.py`), less `by_contra`, which it lists
# but also bans.
WHITELIST = frozenset("apply cases' constructor exact exact? ext have intro intros rw use".split())
# Tactic combinators: they only arrange whitelisted tactics, which are checked one by one.
COMBINATORS = frozenset({"first", "try", "repeat", "all_goals", "any_goals"})
BANNED = frozenset({"sorry", "admit", "by_contra"})
PREMISE = "thm_P"

PROOFS = (
    "intros; apply thm_P <;> exact ‹_›",  # hypotheses renamed, reordered, or restated up to defeq
    "exact thm_P.symm",  # an equation or iff written the other way round
)

_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<sep><;>|;)
    |(?P<guillemets>‹[^›]*›)
    |(?P<string>"(?:[^"\\]|\\.)*")
    |(?P<ident>[^\W\d][\w.'?!]*)
    |(?P<other>.)""",
    re.X,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    return [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(text) if m.lastgroup != "space"]


def tactic_names(proof: str) -> list[str]:
    """The tactic that opens each step of `proof`, in order, nested blocks included. A step
    starts at the beginning of a block's line, after `;` or `<;>`, after a bullet `·` or an
    opening parenthesis at a step's start, after a combinator (`try`, `first |`, ...) and after
    every `by`, also one inside a term (`exact (by simp)`, `have h : A := by ...`). The rest of a
    step is a term: `apply thm_P.le_of_lt` is one step, `apply`. A line indented deeper than
    its block continues the step before it."""
    names: list[str] = []
    blocks: list[int] = []  # columns of the open multi-line tactic blocks
    block_opens = False  # the previous line ended with `by`
    for line in lex(proof).code_with_strings.split("\n"):  # comments blanked, nested too
        body = line.lstrip()
        if not body:
            continue
        column = len(line) - len(body)
        if block_opens:
            blocks.append(column)
        while len(blocks) > 1 and column < blocks[-1]:
            blocks.pop()
        if not blocks:
            blocks.append(column)
        expect = column <= blocks[-1]  # a new step; deeper: a term continued
        blocks[-1] = min(blocks[-1], column)
        in_first = False
        last = ""
        for kind, tok in _tokens(body):
            last = tok
            if expect and tok in ("·", ".", "("):
                continue  # a bullet or a parenthesised tactic sequence: the step follows
            if expect and tok == "|" and in_first:
                continue
            if tok == "by":
                expect = True
                continue
            if kind == "sep" or (tok == "|" and in_first):
                expect = True
                continue
            if expect:
                names.append(tok)
                in_first = in_first or tok == "first"
                expect = tok in COMBINATORS
        block_opens = last == "by"
    return names


def check_whitelist(proof: str, whitelist: frozenset[str] = WHITELIST) -> list[str]:
    """Tactics in `proof` outside the whitelist (empty: allowed)."""
    return [n for n in tactic_names(proof) if n not in whitelist and n not in COMBINATORS]


def _identifiers(proof: str) -> list[str]:
    return [tok for kind, tok in _tokens(lex(proof).code_with_strings) if kind == "ident"]


def _mentions_premise(identifiers: list[str]) -> bool:
    """`thm_P` itself or a projection of it (`thm_P.symm`, `thm_P.1`)."""
    return any(i == PREMISE or i.startswith(PREMISE + ".") for i in identifiers)


def proof_problems(proof: str, whitelist: frozenset[str] = WHITELIST) -> list[str]:
    """Why `proof` may not be used for BEq (empty: it may): tactics outside the whitelist,
    banned words, or no use of `thm_P` (`exact?` may find it instead)."""
    problems = [f"tactic `{t}` is not whitelisted" for t in check_whitelist(proof, whitelist)]
    idents = _identifiers(proof)
    problems += [f"`{w}` is banned" for w in sorted(BANNED & set(idents))]
    if not _mentions_premise(idents) and "exact?" not in tactic_names(proof):
        problems.append("does not use thm_P")
    return problems


def _uses_premise(proof: str, result: LeanCheckResult) -> bool:
    """`thm_P` is in the proof, or in the proof `exact?` found ("Try this: exact thm_P ...")."""
    if _mentions_premise(_identifiers(proof)):
        return True
    return any(
        m.severity == "info" and "Try this" in m.text and re.search(r"\bthm_P\b", m.text)
        for m in result.messages
    )


def extract_proof(answer: str) -> str:
    """The tactic proof in a model's answer: its first code block (else the whole answer),
    without a leading `by` or an echoed `theorem thm_Q … := by`."""
    m = re.search(r"```[^\n]*\n(.*?)```", answer, re.S)
    body = m.group(1) if m else answer
    if re.search(r"\btheorem\s+thm_Q\b", body):  # the goal echoed: keep what follows `:= by`
        body = re.split(r":=\s*by\b", body)[-1]
    return re.sub(r"^by\b\s*", "", textwrap.dedent(body).strip()).strip()


_EXAMPLE_PREMISE = "theorem thm_P (a b : ℕ) (h : a ≤ b) :\n    a < b + 1 := by sorry"
_EXAMPLE_GOAL = "theorem thm_Q (x y : ℕ) (hxy : y ≥ x) :\n    x < y + 1 := by"


def proof_prompt(
    premise: str, goal: str, header: str, whitelist: frozenset[str]
) -> list[ChatMessage]:
    """Ask for a proof of `goal` (ending in `:= by`) from the admitted `premise`."""
    rules = (
        "Prove `thm_Q` from `thm_P`, which is admitted. Use `thm_P` at least once. Use only "
        f"these tactics: {', '.join(sorted(whitelist))}. Never write sorry, admit or by_contra. "
        "Answer with the tactic proof only (what follows `:= by`), in one ```lean block."
    )
    return [
        {"role": "system", "content": "You write short Lean 4 proofs with Mathlib."},
        {
            "role": "user",
            "content": f"{rules}\n\n```lean\n{_EXAMPLE_PREMISE}\n\n{_EXAMPLE_GOAL}\n```",
        },
        {"role": "assistant", "content": "```lean\nexact thm_P x y hxy\n```"},
        {"role": "user", "content": f"```lean\n{header}\n\n{premise}\n\n{goal}\n```".strip()},
    ]


class BEqJudge:
    name = "beq"

    def __init__(
        self,
        checker: LeanChecker,
        proofs: tuple[str, ...] = PROOFS,
        whitelist: frozenset[str] = WHITELIST,
        llm: LLMBackend | None = None,
        attempts: int = 8,
        temperature: float = 0.6,
    ) -> None:
        bad = {p: proof_problems(p, whitelist) for p in proofs}
        if any(bad.values()):
            raise ValueError(f"proofs outside the whitelist: {bad}")
        self.checker = checker
        self.proofs = proofs
        self.whitelist = whitelist
        self.llm = llm
        self.attempts = attempts
        self.temperature = temperature

    def judge(
        self, reference: str, candidate: str, header: str = "", informal: str = ""
    ) -> Verdict:
        evidence: list[str] = []
        results = []
        for label, p, q in (
            ("reference => candidate", reference, candidate),
            ("candidate => reference", candidate, reference),
        ):
            ok, how = self._direction(p, q, header)
            evidence.append(f"{label}: {how}")
            results.append(ok)
            if not ok:
                break
        if any(r is None for r in results):
            return Verdict(judge=self.name, equivalent=None, score=0.0, evidence=evidence)
        both = all(results) and len(results) == 2
        return Verdict(
            judge=self.name,
            equivalent=both,
            score=float(sum(bool(r) for r in results)) / 2,
            evidence=evidence,
        )

    def _direction(self, p: str, q: str, header: str) -> tuple[bool | None, str]:
        try:
            sp, sq = parse_statement(p), parse_statement(q)
        except StatementError as e:
            return False, f"cannot read the statement: {e}"
        sp.name, sq.name = PREMISE, "thm_Q"
        sp.keyword = sq.keyword = "theorem"
        premise = sp.render("by sorry")
        failures: list[str] = []
        tried: set[str] = set()
        lean_runs = timeouts = 0
        for proof, source in self._proofs(premise, sq.render("by"), header, failures):
            if proof in tried:
                continue
            tried.add(proof)
            problems = proof_problems(proof, self.whitelist)
            if problems:
                failures.append(f"{source} proof refused: {'; '.join(problems)}")
                continue
            body = textwrap.indent(proof, "  ")
            result = self.checker.check(premise + "\n\n" + sq.render("by\n" + body), header)
            lean_runs += 1
            timeouts += result.timed_out
            if result.refused:
                return False, "refused by the security screen: " + "; ".join(result.refused)
            if result.error:
                failures.append(f"{proof}: {result.error}")
                continue
            sorries = sum("declaration uses 'sorry'" in m.text for m in result.messages)
            if result.ok and sorries <= 1:
                if _uses_premise(proof, result):
                    return True, f"proved by `{proof}`" + (f" ({source})" if source else "")
                failures.append(f"{proof}: proved without thm_P")
                continue
            failures.append(f"{proof}: {result.error_text(limit=1) or 'uses sorry'}")
        if lean_runs and timeouts == lean_runs:
            return None, "Lean timed out on every attempt"
        return False, "no proof: " + " | ".join(failures[:3])

    def _proofs(self, premise: str, goal: str, header: str, failures: list[str]):
        """`exact?`, the templates, then (only if those fail) the model's proofs."""
        yield "exact?", ""
        for proof in self.proofs:
            yield proof, ""
        if self.llm is None or self.attempts <= 0:
            return
        try:
            answers = self.llm.complete(
                proof_prompt(premise, goal, header, self.whitelist),
                n=self.attempts,
                temperature=self.temperature,
                max_tokens=512,
            )
        except LLMError as e:
            failures.append(f"model: {e}")
            return
        for i, answer in enumerate(answers, 1):
            proof = extract_proof(answer)
            if proof:
                yield proof, f"model proof {i}/{len(answers)}"
