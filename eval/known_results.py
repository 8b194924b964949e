"""A development set for looking up known results (LeanSearch-style, `--corpus all`).

    python -m eval.known_results --mathlib /tmp/mathlib4 --out known_results.jsonl

Queries: the titles of Mathlib's `docs/100.yaml` and `docs/1000.yaml` entries with their
declarations as gold (the concept knowledge base also holds these titles, so this is a sanity
check, not a benchmark), plus hand-written queries below, phrased the way a user would ask.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

# Written for this project: statement -> the Mathlib declaration(s) that state it.
HAND_WRITTEN: list[tuple[str, list[str]]] = [
    ("the intermediate value theorem on an interval", ["intermediate_value_Icc"]),
    ("a finite integral domain is a field", ["Fintype.fieldOfDomain"]),
    ("every finite group of prime order is cyclic", ["isCyclic_of_prime_card"]),
    ("the square root of two is irrational", ["irrational_sqrt_two"]),
    ("there are infinitely many primes", ["Nat.exists_infinite_primes"]),
    (
        "Lagrange's theorem: the order of a subgroup divides the order of the group",
        ["Subgroup.card_subgroup_dvd_card"],
    ),
    ("a continuous function on a compact set attains its maximum", ["IsCompact.exists_isMaxOn"]),
    ("the image of a compact set under a continuous map is compact", ["IsCompact.image"]),
    ("Cauchy-Schwarz inequality for inner products", ["inner_mul_le_norm_mul_norm"]),
    ("the derivative of the exponential function is itself", ["Real.deriv_exp"]),
    ("Fermat's little theorem", ["ZMod.pow_card_sub_one_eq_one"]),
    ("a closed subset of a compact space is compact", ["IsClosed.isCompact"]),
    ("the composition of continuous functions is continuous", ["Continuous.comp"]),
    ("Bezout's identity for natural numbers", ["Nat.gcd_eq_gcd_ab"]),
    ("the kernel of a group homomorphism is a normal subgroup", ["MonoidHom.normal_ker"]),
    ("every bounded monotone sequence of reals converges", ["tendsto_atTop_ciSup"]),
    ("the sum of the first n natural numbers", ["Finset.sum_range_id_mul_two"]),
    ("a polynomial of degree n has at most n roots", ["Polynomial.card_roots'"]),
    ("Cayley-Hamilton theorem for matrices", ["Matrix.aeval_self_charpoly"]),
    ("the Chinese remainder theorem for coprime moduli", ["ZMod.chineseRemainder"]),
]


def yaml_queries(mathlib: Path) -> list[dict[str, object]]:
    out = []
    for source in ("100", "1000"):
        data = yaml.safe_load((mathlib / "docs" / f"{source}.yaml").read_text())
        for key, item in data.items():
            if not isinstance(item, dict):
                continue
            names = item.get("decls") or ([item["decl"]] if item.get("decl") else [])
            if names and item.get("title"):
                out.append(
                    {
                        "id": f"{source}:{key}",
                        "query": str(item["title"]),
                        "gold": [str(n) for n in names],
                    }
                )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mathlib", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    rows = yaml_queries(Path(args.mathlib))
    rows += [{"id": f"hand:{i}", "query": q, "gold": g} for i, (q, g) in enumerate(HAND_WRITTEN)]
    Path(args.out).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    print(f"{len(rows)} queries ({len(HAND_WRITTEN)} hand-written)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
