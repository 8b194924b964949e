"""Train the feature reranker's weights on development data only.

    python -m retrieval.train_reranker --index DIR \
        --minif2f ../shared/data/benchmarks/minif2f_lean4.jsonl [--mathlib-docstrings 3000] \
        [--corpus definitions|theorems] [--out FILE]

Training queries (none of them from the evaluation sets ProofNet-dev or Con-NF):
* miniF2F *valid* informal statements; gold = the definitions their Lean statements use
  (identifiers of the formal statement, resolved through the knowledge base with the header's
  `open`s, kept when they are in the definitions corpus);
* Mathlib theorems with a docstring (a seeded sample); gold = the definitions their
  signatures depend on (the knowledge base's dependency graph).
With `--corpus theorems` (known-result lookup over `all`): Mathlib theorem docstrings, each
with its own theorem as gold.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

from indexer.jsonl import iter_jsonl, split_half
from indexer.lean_syntax import candidate_names
from retrieval.augment import augment
from retrieval.rerank import THEOREM_WEIGHTS_FILE, WEIGHTS_FILE, FeatureReranker, feature_matrix
from retrieval.retriever import Retriever, SearchConfig

_OPEN_LINE = re.compile(r"^open\s+(?:scoped\s+)?(.*)$", re.M)


def minif2f_queries(
    retriever: Retriever, path: Path, split: str = "valid"
) -> list[tuple[str, set[str]]]:
    out = []
    for line in path.read_text().splitlines():
        row = json.loads(line)
        if row.get("split") != split:
            continue
        opens = [w for m in _OPEN_LINE.finditer(row.get("header", "")) for w in m.group(1).split()]
        gold: set[str] = set()
        for name, _ in candidate_names(row["formal_statement"]):
            res = retriever.kb.resolve(name, opens)
            row_id = retriever.docs.row(res.name or "")
            if row_id is not None and retriever.docs.corpus(row_id) == "definitions":
                gold.add(res.name)  # type: ignore[arg-type]
        if gold:
            out.append((row["informal_statement"], gold))
    return out


def docstring_queries(retriever: Retriever, n: int, seed: int) -> list[tuple[str, set[str]]]:
    con = retriever.kb.con
    rows = con.execute(
        "SELECT id, name, docstring FROM declarations WHERE kind IN ('theorem', 'lemma') "
        "AND docstring IS NOT NULL AND length(docstring) > 40 AND origin = 'source' "
        "AND root = 'Mathlib' ORDER BY id"
    ).fetchall()
    random.Random(seed).shuffle(rows)
    out = []
    for decl_id, _name, doc in rows:
        deps = [
            r[0]
            for r in con.execute(
                "SELECT d.name FROM dependencies g JOIN declarations d ON d.id = g.dst "
                "WHERE g.src = ?",
                (decl_id,),
            )
        ]
        gold = {
            d
            for d in deps
            if (r := retriever.docs.row(d)) is not None
            and retriever.docs.corpus(r) == "definitions"
        }
        if gold:
            out.append((doc, gold))
        if len(out) >= n:
            break
    return out


def theorem_queries(retriever: Retriever, n: int, seed: int) -> list[tuple[str, set[str]]]:
    """Docstrings of Mathlib theorems, each to find its own theorem (a known-result lookup)."""
    con = retriever.kb.con
    rows = con.execute(
        "SELECT name, docstring FROM declarations WHERE kind IN ('theorem', 'lemma') "
        "AND docstring IS NOT NULL AND length(docstring) > 40 AND origin = 'source' "
        "AND root = 'Mathlib' ORDER BY id"
    ).fetchall()
    random.Random(seed + 1).shuffle(rows)
    return [(doc, {name}) for name, doc in rows if retriever.docs.row(name) is not None][:n]


def lookup_queries(path: Path) -> list[tuple[str, set[str]]]:
    """The `dev` half of a known-result lookup set (`{"id", "query", "gold"}` rows, split by
    id: `indexer.jsonl.split_half`); the `held-out` half is left for measuring."""
    out = []
    for _, row in iter_jsonl(path, ValueError, "lookup set"):
        if split_half(str(row["id"])) == "dev":
            out.append((str(row["query"]), set(row["gold"])))
    return out


def training_matrix(
    retriever: Retriever, queries: list[tuple[str, set[str]]], corpus: str = "definitions"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cfg = SearchConfig(rerank="none")
    xs, ys, groups = [], [], []
    for qi, (text, gold) in enumerate(queries):
        aug = augment(text, retriever.lexicon, retriever.domains)
        cands = list(retriever.candidates(aug, corpus, cfg, set()).values())
        if not cands:
            continue
        retriever._fuse(cands, cfg)
        xs.append(feature_matrix(cands, retriever.docs, aug))
        ys.append(np.array([float(retriever.docs[c.row].name in gold) for c in cands]))
        groups.append(np.full(len(cands), qi))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(groups)


def recall_at(
    model: FeatureReranker,
    x: np.ndarray,
    y: np.ndarray,
    g: np.ndarray,
    gold_sizes: dict[int, int],
    k: int = 5,
) -> float:
    s = model.score(x)
    total = []
    for q in np.unique(g):
        idx = np.where(g == q)[0]
        top = idx[np.argsort(-s[idx])[:k]]
        total.append(y[top].sum() / gold_sizes[int(q)])
    return float(np.mean(total))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--minif2f", required=True)
    ap.add_argument("--mathlib-docstrings", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--corpus",
        choices=["definitions", "theorems"],
        default="definitions",
        help="definitions: dependency retrieval; theorems: known-result lookup",
    )
    ap.add_argument(
        "--lookup",
        type=Path,
        help="with --corpus theorems: train on the dev half of this lookup set (paraphrased "
        "statements, e.g. forml4_lookup_dev.jsonl) instead of Mathlib's own docstrings, which "
        "the BM25 text of their gold contains word for word",
    )
    ap.add_argument("--out", default=None)
    args = ap.parse_args(argv)
    out = args.out or str(WEIGHTS_FILE if args.corpus == "definitions" else THEOREM_WEIGHTS_FILE)
    retriever = Retriever.open(args.index, reranker=None)
    if args.corpus == "definitions":
        queries = minif2f_queries(retriever, Path(args.minif2f))
        n_minif2f = len(queries)
        queries += docstring_queries(retriever, args.mathlib_docstrings, args.seed)
    elif args.lookup:
        n_minif2f = 0
        queries = lookup_queries(args.lookup)
    else:
        n_minif2f = 0
        queries = theorem_queries(retriever, args.mathlib_docstrings, args.seed)
    source = f"{args.lookup} (dev half)" if args.lookup else "Mathlib docstrings"
    print(
        f"training queries ({args.corpus}): {n_minif2f} miniF2F-valid, "
        f"{len(queries) - n_minif2f} {source}",
        file=sys.stderr,
    )
    x, y, g = training_matrix(
        retriever, queries, "definitions" if args.corpus == "definitions" else "all"
    )
    sizes = {i: len(gold) for i, (_, gold) in enumerate(queries)}
    # Held-out check: fit on 80% of the queries, measure R@5 on the other 20%.
    order = np.random.default_rng(args.seed).permutation(len(queries))
    held = set(order[: len(order) // 5].tolist())
    train_mask = np.array([q not in held for q in g])
    probe = FeatureReranker.fit(x[train_mask], y[train_mask], g[train_mask])
    r5 = recall_at(probe, x[~train_mask], y[~train_mask], g[~train_mask], sizes)
    fused_order = FeatureReranker(
        probe.features,
        np.zeros(x.shape[1]),
        np.ones(x.shape[1]),
        np.eye(x.shape[1])[list(probe.features).index("fused")],
        0.0,
        {},
    )
    base = recall_at(fused_order, x[~train_mask], y[~train_mask], g[~train_mask], sizes)
    print(
        f"held-out R@5 (within the candidates): reranker {r5:.3f}, fused order {base:.3f}",
        file=sys.stderr,
    )
    model = FeatureReranker.fit(
        x,
        y,
        g,
        info={
            "corpus": args.corpus,
            "trained_on": {
                "minif2f_valid": n_minif2f,
                ("lookup_dev_half" if args.lookup else "mathlib_docstrings"): len(queries)
                - n_minif2f,
                **({"lookup": Path(args.lookup).name} if args.lookup else {}),
            },
            "seed": args.seed,
            "heldout_R@5": round(r5, 4),
            "heldout_fused_R@5": round(base, 4),
            "index_roots": [r.model_dump() for r in retriever.kb.manifest.roots],
            "dense": sorted(retriever.dense),
        },
    )
    model.save(Path(out))
    print(json.dumps(dict(zip(model.features, model.weights.round(3).tolist(), strict=True))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
