"""BEq (RAutoformalizer, ICLR 2025): bidirectional equivalence checked by Lean.

Reference P and candidate Q are equivalent when each proves the other: with `thm_P : P`
admitted (`sorry`), `thm_Q : Q` must be proved, first by `exact?`, then by proofs that use only
whitelisted tactics (tactics that rearrange hypotheses and apply `thm_P`, not ones that could
prove Q on their own); then the same with P and Q swapped. Each REPL call has `timeout`
seconds (120 by default, as in the paper). The whitelist is checked on the parsed tactic
sequence, never by substring search. Needs a `LeanChecker`; without one BEq cannot run.
"""

from __future__ import annotations

import re

from eval.equivalence import Verdict
from formalizer.lean_checker import LeanChecker
from formalizer.statement import StatementError, parse_statement

WHITELIST = frozenset(
    """
    apply cases constructor exact exists fconstructor intro intros rcases refine rfl rintro
    use obtain have show assumption symm subst rw rwa simp_rw exact_mod_cast push_cast
    norm_cast congr ext funext left right exfalso by_contra push_neg contrapose specialize
    convert all_goals any_goals first try repeat and_intros injection unfold split_ands
    simp_all simpa simp
    """.split()
)

PROOFS = (
    "intros; apply thm_P <;> assumption",
    "intros; simp_all [thm_P]",
    "simpa using thm_P",
    "intros; exact_mod_cast thm_P",
    "first | exact thm_P | (intros; apply thm_P <;> simp_all) | (constructor <;> intros <;> "
    "simp_all [thm_P])",
)

_SEPARATORS = re.compile(r"<;>|;|\n|·|\(|\)|\bfirst\b\s*\||\|")
_TACTIC = re.compile(r"^\s*([A-Za-z_][\w?!']*)")


def tactic_names(proof: str) -> list[str]:
    """The tactic at the head of each step of `proof` (split at `;`, `<;>`, newlines, `·`,
    parentheses and `first | ... | ...` alternatives). Term arguments after a tactic name are
    not steps: `apply thm_P` is one step `apply`."""
    names = []
    for step in _SEPARATORS.split(proof):
        if not step.strip():
            continue
        m = _TACTIC.match(step)
        names.append(m.group(1) if m else step.strip().split()[0])
    return names


def check_whitelist(proof: str, whitelist: frozenset[str] = WHITELIST) -> list[str]:
    """Tactics in `proof` outside the whitelist (empty: allowed)."""
    out = []
    for name in tactic_names(proof):
        if name in ("first", "by", "thm_P") or name in whitelist:
            continue
        out.append(name)
    return out


class BEqJudge:
    name = "beq"

    def __init__(
        self,
        checker: LeanChecker,
        proofs: tuple[str, ...] = PROOFS,
        whitelist: frozenset[str] = WHITELIST,
    ) -> None:
        bad = {p: check_whitelist(p, whitelist) for p in proofs}
        if any(bad.values()):
            raise ValueError(f"proofs outside the whitelist: {bad}")
        self.checker = checker
        self.proofs = proofs
        self.whitelist = whitelist

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
        sp.name, sq.name = "thm_P", "thm_Q"
        sp.keyword = sq.keyword = "theorem"
        premise = sp.render("by sorry")
        failures = []
        for proof in ("exact?", *self.proofs):
            code = premise + "\n\n" + sq.render("by\n  " + proof)
            result = self.checker.check(code, header)
            if result.refused:
                return False, "refused by the security screen: " + "; ".join(result.refused)
            if result.error:
                failures.append(f"{proof}: {result.error}")
                continue
            sorries = sum("declaration uses 'sorry'" in m.text for m in result.messages)
            if result.ok and sorries <= 1:
                return True, f"proved by `{proof}`"
            failures.append(f"{proof}: {result.error_text(limit=1) or 'uses sorry'}")
        if failures and all("did not answer" in f or "timed out" in f for f in failures):
            return None, "Lean timed out on every attempt"
        return False, "no proof: " + " | ".join(failures[:2])
