"""Development pairs for equivalence judges, built from gold statements.

Positives are meaning-preserving rewrites of a gold statement: renamed binders, reordered
hypotheses, flipped inequalities (`a ≤ b` -> `b ≥ a`), `≠` for `¬ (_ = _)` and back,
regrouped binders, `fun`/`λ`, `∑ x in s`/`∑ x ∈ s`. Negatives are realistic errors: a changed
constant, a dropped hypothesis, ℕ for ℝ, `<` for `≤`, swapped quantifiers, a weakened
conclusion (`=` -> `≤`, a dropped conjunct). The rewrites are plain text surgery written
independently of the structural judge's parser, so the judge does not grade its own code.

    python -m eval.equivalence_pairs --proofnet FILE --minif2f FILE --out pairs.jsonl
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Callable
from pathlib import Path

from eval.equivalence import EquivalencePair
from formalizer.statement import StatementError, parse_statement
from indexer.jsonl import iter_jsonl, write_jsonl
from indexer.lean_terms.split import binder_groups
from indexer.lean_terms.syntax import MODIFIER_LETTERS

Rewrite = Callable[[str, random.Random], str | None]
_REL_HYP = re.compile(r"[<>≤≥=≠∣∈]")


def _split(stmt_text: str):
    s = parse_statement(stmt_text)
    return s, s.binders, s.conclusion


def _assemble(s, binders: str, conclusion: str) -> str:
    name = s.name or "t"
    return f"theorem {name} {binders} :\n  {conclusion} := by sorry".replace("  :", " :")


def _groups(binders: str) -> list[str]:
    """Top-level bracketed binder groups as written."""
    return [binders[g.span[0] : g.span[1]] for g in binder_groups(binders) if g.bracket in "([{⦃"]


def _is_hyp(group: str) -> bool:
    parsed = binder_groups(group)
    if not parsed or parsed[0].bracket != "(":
        return False
    names, typ = parsed[0].names, parsed[0].type
    return bool(names) and names[0].startswith("h") and bool(_REL_HYP.search(typ))


# ------------------------------------------------------------------ positives
def rename_binders(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    names = [n for g in binder_groups(binders) for n in g.names if n and n != "_"]
    if not names:
        return None
    body = f"{binders}\u0000{concl}"
    for n in names:
        new = f"{n}_{rng.randrange(10, 99)}"
        # `Uᶜ`, `Kˣ` are `U`, `K` and a postfix, which `\w` would take for part of a name
        end = rf"(?![\w'](?<!{MODIFIER_LETTERS.pattern.removesuffix('+')}))"
        body = re.sub(rf"(?<![\w.']){re.escape(n)}{end}", new, body)
    b, c = body.split("\u0000")
    return _assemble(s, b, c)


def reorder_hypotheses(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    groups = _groups(binders)
    hyps = [g for g in groups if _is_hyp(g)]
    if len(hyps) < 2:
        return None
    others = [g for g in groups if g not in hyps]
    shuffled = hyps[:]
    while shuffled == hyps:
        rng.shuffle(shuffled)
    return _assemble(s, " ".join(others + shuffled), concl)


def flip_inequality(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    for g in _groups(binders):
        m = re.fullmatch(r"\((\w+) : ([^()<>≤≥]+?) (<|≤) ([^()<>≤≥]+?)\)", g)
        if m and "," not in g and "∧" not in g:
            flipped = {"<": ">", "≤": "≥"}[m.group(3)]
            new = f"({m.group(1)} : {m.group(4)} {flipped} {m.group(2)})"
            return _assemble(s, binders.replace(g, new, 1), concl)
    return None


def ne_not_eq(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    for g in _groups(binders):
        m = re.fullmatch(r"\((\w+) : ([^()≠=,∀∃]+?) ≠ ([^()≠=,∀∃]+?)\)", g)
        if m:
            new = f"({m.group(1)} : ¬ ({m.group(2)} = {m.group(3)}))"
            return _assemble(s, binders.replace(g, new, 1), concl)
    m = re.fullmatch(r"([^≠=∧∨↔→,]+?) ≠ ([^≠=∧∨↔→,]+)", concl.strip())
    if m:
        return _assemble(s, binders, f"¬ ({m.group(1)} = {m.group(2)})")
    return None


def regroup_binders(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    for g in _groups(binders):
        m = re.fullmatch(r"([({])((?:\w+ )+\w+) : ([^()]+)([)}])", g)
        if m:
            parts = " ".join(
                f"{m.group(1)}{n} : {m.group(3)}{m.group(4)}" for n in m.group(2).split()
            )
            return _assemble(s, binders.replace(g, parts, 1), concl)
    return None


def fun_lambda(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    body = f"{binders}\u0000{concl}"
    if "fun " in body:
        new = re.sub(r"\bfun\b", "λ", body).replace("↦", "=>")
    elif "λ" in body:
        new = body.replace("λ", "fun").replace("=>", "↦")
    elif re.search(r"[∑∏] [^,]* in ", body):
        new = re.sub(r"([∑∏] [^,]*?) in ", r"\1 ∈ ", body)
    else:
        return None
    b, c = new.split("\u0000")
    return _assemble(s, b, c)


_NUMBER_ONLY = re.compile(r"^[^\[]*$")
_PRODUCT = re.compile(r"(?<![\^/\w.'₀-₉])([\w₀-₉']+) \* ([\w₀-₉']+)(?![\w'₀-₉]| *\^)")
_INTERVAL = {"Icc": ("≤", "≤"), "Ico": ("≤", "<"), "Ioc": ("<", "≤"), "Ioo": ("<", "<")}


def commute_product(text: str, rng: random.Random) -> str | None:
    """`a * b` -> `b * a` in the conclusion, for statements over number types only. Beyond the
    structural normal form (it does not use commutativity): tests the judges' limits."""
    s, binders, concl = _split(text)
    if not re.search(r"[ℕℤℚℝℂ]", binders) or not _NUMBER_ONLY.match(binders):
        return None
    if re.search(r"\b(Matrix|Group|Monoid|Ring|Module|Set|Finset|List)\b", binders + concl):
        return None
    m = next((m for m in _PRODUCT.finditer(concl) if _whole_operands(concl, m)), None)
    if m is None or m.group(1) == m.group(2):
        return None
    swapped = f"{m.group(2)} * {m.group(1)}"
    return _assemble(s, binders, concl[: m.start()] + swapped + concl[m.end() :])


def _whole_operands(text: str, m: re.Match[str]) -> bool:
    """Both atoms are whole operands of `*`, not arguments of an application (`f i * g j`)."""
    before = text[: m.start()].rstrip()
    after = text[m.end() :].lstrip()
    ok_before = not before or before[-1] in "(+-=<>≤≥≠,∧∨∣"
    ok_after = not after or after[0] in ")+-=<>≤≥≠,∧∨∣:"
    return ok_before and ok_after


def expand_interval(text: str, rng: random.Random) -> str | None:
    """`(h : x ∈ Set.Icc a b)` -> `(h : a ≤ x ∧ x ≤ b)`: also beyond the normal form."""
    s, binders, concl = _split(text)
    for g in _groups(binders):
        m = re.fullmatch(r"\((\w+) : (\w+) ∈ Set\.(Icc|Ico|Ioc|Ioo) (\S+) (\S+)\)", g)
        if m:
            lo, hi = _INTERVAL[m.group(3)]
            new = (
                f"({m.group(1)} : {m.group(4)} {lo} {m.group(2)} ∧ {m.group(2)} {hi} {m.group(5)})"
            )
            return _assemble(s, binders.replace(g, new, 1), concl)
    return None


# ------------------------------------------------------------------ negatives
def change_constant(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    nums = list(re.finditer(r"(?<![\w.'])\d+(?![\w.'])", concl))
    if not nums:
        return None
    m = rng.choice(nums)
    new = str(int(m.group()) + rng.choice([1, 2, 3]))
    return _assemble(s, binders, concl[: m.start()] + new + concl[m.end() :])


def drop_hypothesis(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    hyps = [g for g in _groups(binders) if _is_hyp(g)]
    if not hyps:
        return None
    g = rng.choice(hyps)
    name = binder_groups(g)[0].names[0]
    if re.search(rf"(?<![\w.']){re.escape(name)}(?![\w'])", concl):
        return None
    return _assemble(s, " ".join(binders.replace(g, " ", 1).split()), concl)


def change_type(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    for a, b in (("ℝ", "ℕ"), ("ℤ", "ℕ"), ("ℚ", "ℤ"), ("ℂ", "ℝ"), ("ℕ", "ℤ")):
        if a in binders:
            return _assemble(s, binders.replace(a, b, 1), concl)
    return None


def strict_for_weak(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    for old, new in (("≤", "<"), ("<", "≤"), ("≥", ">"), (">", "≥")):
        if old in concl and (old != "<" or "<;>" not in concl):
            return _assemble(s, binders, concl.replace(old, new, 1))
        if old in binders and old not in ("<", ">"):
            return _assemble(s, binders.replace(old, new, 1), concl)
    return None


def swap_quantifier(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    for old, new in (("∃!", "∃"), ("∀", "∃"), ("∃", "∀")):
        if old in concl:
            return _assemble(s, binders, concl.replace(old, new, 1))
    return None


def weaken_conclusion(text: str, rng: random.Random) -> str | None:
    s, binders, concl = _split(text)
    parts = concl.split(" ∧ ")
    if len(parts) > 1 and all(p.count("(") == p.count(")") for p in parts):
        return _assemble(s, binders, " ∧ ".join(parts[:-1]))
    m = re.fullmatch(r"([^=<>≤≥∧∨↔→,]+?) = ([^=<>≤≥∧∨↔→,]+)", concl.strip())
    if m:
        return _assemble(s, binders, f"{m.group(1)} ≤ {m.group(2)}")
    return None


POSITIVE: dict[str, Rewrite] = {
    "rename-binders": rename_binders,
    "reorder-hypotheses": reorder_hypotheses,
    "flip-inequality": flip_inequality,
    "ne-not-eq": ne_not_eq,
    "regroup-binders": regroup_binders,
    "notation-variant": fun_lambda,
    "commuted-product": commute_product,
    "expanded-interval": expand_interval,
}
NEGATIVE: dict[str, Rewrite] = {
    "changed-constant": change_constant,
    "dropped-hypothesis": drop_hypothesis,
    "changed-type": change_type,
    "strict-for-weak": strict_for_weak,
    "swapped-quantifier": swap_quantifier,
    "weakened-conclusion": weaken_conclusion,
}


def make_pairs(items: list[dict], seed: int = 0) -> list[EquivalencePair]:
    """items: {"id", "informal", "formal", "header"} -> labelled pairs, two of each sign when
    possible (chosen at random among the rewrites that apply)."""
    rng = random.Random(seed)
    out = []
    for item in items:
        for label, table in ((1, POSITIVE), (0, NEGATIVE)):
            kinds = list(table)
            rng.shuffle(kinds)
            made = 0
            for kind in kinds:
                try:
                    cand = table[kind](item["formal"], rng)
                except StatementError:
                    cand = None
                if not cand:
                    continue
                out.append(
                    EquivalencePair(
                        id=f"{item['id']}/{kind}",
                        informal=item["informal"],
                        reference=item["formal"],
                        candidate=cand,
                        header=item["header"],
                        label=label,
                        kind=kind,
                    )
                )
                made += 1
                if made == 2:
                    break
    return out


def gold_items(proofnet: Path | None, minif2f: Path | None) -> list[dict]:
    items = []
    if proofnet:
        for _, r in iter_jsonl(proofnet, ValueError, "ProofNet"):
            items.append(
                {
                    "id": r["full_name"],
                    "informal": r["informal_stmt"],
                    "formal": r["formal_stmt"],
                    "header": r["header"],
                }
            )
    if minif2f:
        for _, r in iter_jsonl(minif2f, ValueError, "miniF2F"):
            if r["split"] == "valid" and r.get("informal_statement"):
                items.append(
                    {
                        "id": r["name"],
                        "informal": r["informal_statement"],
                        "formal": r["formal_statement"],
                        "header": r["header"],
                    }
                )
    return items


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--proofnet", type=Path)
    ap.add_argument("--minif2f", type=Path, help="its valid split is used")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    pairs = make_pairs(gold_items(args.proofnet, args.minif2f), args.seed)
    write_jsonl(args.out, [p.model_dump() for p in pairs])
    pos = sum(p.label for p in pairs)
    print(f"{len(pairs)} pairs ({pos} equivalent, {len(pairs) - pos} not) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
