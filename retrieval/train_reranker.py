"""Train the feature reranker's weights on development data only.

    python -m retrieval.train_reranker --index DIR \
        --minif2f ../shared/data/benchmarks/minif2f_lean4.jsonl [--mathlib-docstrings 3000] \
        [--corpus definitions|theorems] [--out FILE]

Training queries (none of them from the evaluation sets ProofNet-dev or Con-NF):
* miniF2F *valid* informal statements; gold = the definitions their Lean statements use
  (the references the indexer reads from the formal statement, resolved through the knowledge
  base with the header's `open`s, kept when they are in the definitions corpus);
* Mathlib theorems with a docstring (a seeded sample); gold = the definitions their
  signatures depend on (the knowledge base's dependency graph).
With `--corpus theorems` (known-result lookup over `all`): Mathlib theorem docstrings, each
with its own theorem as gold. With `--styles N` as well: one reranker per query style
(`retrieval.query_style`), trained on `--lookup`'s dev half and queries mined from Mathlib in
every style; the gold of every `--exclude-bench` set is never trained on.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

import numpy as np

from indexer.jsonl import iter_jsonl, split_half
from indexer.lean_source import parse_file
from indexer.lean_terms.split import split_conclusion
from knowledge_base import KnowledgeBase
from retrieval.augment import augment
from retrieval.metrics import pessimistic_ranks, recall_at_k
from retrieval.query_style import detect_style
from retrieval.rerank import (
    FEATURES,
    THEOREM_WEIGHTS_FILE,
    WEIGHTS_FILE,
    FeatureReranker,
    StyledReranker,
    feature_matrix,
)
from retrieval.retriever import Retriever, SearchConfig
from retrieval.symbols import spell_symbols


def minif2f_queries(
    retriever: Retriever, path: Path, split: str = "valid"
) -> list[tuple[str, set[str]]]:
    out = []
    for line in path.read_text().splitlines():
        row = json.loads(line)
        if row.get("split") != split:
            continue
        text = f"{row.get('header', '')}\n{row['formal_statement']}"
        decls = parse_file(text, "Query.lean", "query").declarations  # as the index reads one
        if not decls:
            continue
        gold: set[str] = set()
        for name in decls[0].references:
            res = retriever.kb.resolve(name, decls[0].opens)
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


_BOLD = re.compile(r"\*\*([^*]{4,80}?)[:.]?\*\*")
_NAMESPACE = re.compile(r"\b(?:[A-Z][\w']*\.)+(?=[a-zA-Z])")
_VARIABLES = dict(zip("abcdfghkmnpqrstuvwxyz", "xyzuvwcdbjlmnopqrstef", strict=True))
_SINGLE_LETTER = re.compile(r"(?<![\w.'])([a-z])(?![\w'])")
_INSTANCE_BINDER = re.compile(r"\[[^\[\]]*\]\s*")


def as_user_writes(lean: str) -> str:
    """A statement as a user would type it from memory: namespaces dropped (`Finset.range` ->
    `range`) and one-letter variables renamed, so a mined query does not repeat its gold
    document word for word."""
    lean = _NAMESPACE.sub("", lean)
    return _SINGLE_LETTER.sub(lambda m: _VARIABLES.get(m.group(1), m.group(1)), lean)


# Lean symbols a user writes in LaTeX; the rest are `symbols.spell_symbols`'s spellings
_AS_LATEX = {
    "≤": r"\le",
    "≥": r"\ge",
    "∈": r"\in",
    "→": r"\to",
    "↔": r"\iff",
    "∧": r"\land",
    "∨": r"\lor",
    "¬": r"\neg",
    "*": r"\cdot",
    "•": r"\cdot",
    "√": r"\sqrt",
    "⁻¹": "^{-1}",
    "‖": r"\|",
}
_AS_LATEX_RE = re.compile("|".join(re.escape(k) for k in sorted(_AS_LATEX, key=len, reverse=True)))


def as_latex(formula: str) -> str:
    """A formula as a user types it in LaTeX: `a * b ≤ √c` -> `$a \\cdot b \\le \\sqrt c$`,
    Greek letters and blackboard sets as commands."""
    text = _AS_LATEX_RE.sub(lambda m: f" {_AS_LATEX[m.group(0)]} ", formula)
    text = "".join(
        f" \\{unicodedata.name(ch).split()[-1].lower()} "
        if "GREEK SMALL LETTER" in unicodedata.name(ch, "")
        else ch
        for ch in text
    )
    return f"${spell_symbols(text)}$"


def styled_queries(
    retriever: Retriever, n: int, seed: int, exclude: set[str]
) -> list[tuple[str, set[str]]]:
    """Lookup queries in every style, mined from Mathlib itself (never from a benchmark):
    result names in bold in docstrings (nicknames) and the statements of theorems written from
    memory (formulas: their conclusions, also spelt in LaTeX; Lean: binders and conclusion,
    instances dropped). `exclude`: gold names of the evaluation sets, left out.

    Not mined: a docstring as the query for its own theorem (LaTeX queries, once). BM25 and the
    docstring-coverage feature read that docstring, so such a query finds its gold word for
    word and teaches the reranker to trust exactly the channels that a user's own wording
    does not reach (5-fold CV on the FormL4 dev half's LaTeX queries: R@10 0.649 with them in
    training, 0.684 without)."""
    con = retriever.kb.con
    rows = con.execute(
        "SELECT name, docstring, signature FROM declarations WHERE kind IN ('theorem', 'lemma') "
        "AND origin = 'source' AND root = 'Mathlib' AND deprecated = 0 ORDER BY id"
    ).fetchall()
    rows = [r for r in rows if r[0] not in exclude and retriever.docs.row(r[0]) is not None]
    rng = random.Random(seed + 2)
    named: dict[str, set[str]] = {}
    for name, doc, _sig in rows:
        for m in _BOLD.finditer(doc or ""):
            phrase = " ".join(m.group(1).split())
            if detect_style(phrase) == "nickname":
                named.setdefault(phrase.lower(), set()).add(name)
    out = [(phrase, gold) for phrase, gold in named.items()]
    rng.shuffle(rows)
    formulas: list[tuple[str, set[str]]] = []
    latex: list[tuple[str, set[str]]] = []
    lean: list[tuple[str, set[str]]] = []
    for name, _doc, sig in rows:
        concl = split_conclusion(sig)[1]
        if len(formulas) < n and 8 <= len(concl) <= 120:
            formulas.append((as_user_writes(concl), {name}))
        elif len(latex) < n // 2 and 8 <= len(concl) <= 120:
            latex.append((as_latex(as_user_writes(concl)), {name}))
        elif len(lean) < n and 20 <= len(sig) <= 200:
            lean.append(("theorem " + as_user_writes(_INSTANCE_BINDER.sub("", sig)), {name}))
        if len(formulas) >= n and len(latex) >= n // 2 and len(lean) >= n:
            break
    return out + formulas + latex + lean


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
        xs.append(feature_matrix(cands, retriever.docs, aug, retriever.tokens))
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
        ranks = pessimistic_ranks(s[idx], y[idx] > 0)
        total.append(recall_at_k(ranks, gold_sizes[int(q)], k))
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
    ap.add_argument(
        "--styles",
        type=int,
        default=0,
        metavar="N",
        help="with --corpus theorems: one reranker per query style, trained on --lookup's dev "
        "half, Mathlib docstrings and queries mined in every style (N formulas, N Lean "
        "statements, N/2 formulas spelt in LaTeX, every bold result name)",
    )
    ap.add_argument(
        "--exclude-bench",
        action="append",
        default=[],
        type=Path,
        help="a benchmark (JSONL with `gold`) whose gold declarations are never trained on",
    )
    ap.add_argument("--out", default=None)
    args = ap.parse_args(argv)
    out = args.out or str(WEIGHTS_FILE if args.corpus == "definitions" else THEOREM_WEIGHTS_FILE)
    retriever = Retriever.open(args.index, reranker=None)
    if args.corpus == "theorems" and args.styles:
        return train_styled(retriever, args, Path(out))
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
    base = recall_at(_fused_order(probe), x[~train_mask], y[~train_mask], g[~train_mask], sizes)
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


def _gold_of(kb: KnowledgeBase, paths: list[Path]) -> set[str]:
    """The gold declarations of benchmarks, under their names in this index (a gold written
    before a rename must be left out under its new name too)."""
    written = {
        g for p in paths for _, row in iter_jsonl(p, ValueError, "benchmark") for g in row["gold"]
    }
    return written | {now for g in written if (now := kb.current_name(g))}


_MIN_STYLE_QUERIES = 60  # fewer: the style uses the fallback's weights


def train_styled(retriever: Retriever, args: argparse.Namespace, out: Path) -> int:
    """One reranker per query style (see `--styles`), each checked on a fifth of its own
    queries held out of its fit."""
    exclude = _gold_of(retriever.kb, args.exclude_bench)
    queries = lookup_queries(args.lookup) if args.lookup else []
    queries += [
        q
        for q in theorem_queries(retriever, args.mathlib_docstrings, args.seed)
        if not q[1] & exclude
    ]
    queries += styled_queries(retriever, args.styles, args.seed, exclude)
    by_style: dict[str, list[tuple[str, set[str]]]] = {}
    for q in queries:
        by_style.setdefault(detect_style(q[0]), []).append(q)
    models: dict[str, FeatureReranker] = {}
    report: dict[str, object] = {}
    for style, qs in sorted(by_style.items()):
        if len(qs) < _MIN_STYLE_QUERIES:
            print(f"{style}: {len(qs)} queries, uses the fallback's weights", file=sys.stderr)
            continue
        x, y, g = training_matrix(retriever, qs, "all")
        sizes = {i: len(gold) for i, (_, gold) in enumerate(qs)}
        order = np.random.default_rng(args.seed).permutation(len(qs))
        held = set(order[: len(order) // 5].tolist())
        mask = np.array([q not in held for q in g])
        probe = FeatureReranker.fit(x[mask], y[mask], g[mask], features=FEATURES)
        r5 = recall_at(probe, x[~mask], y[~mask], g[~mask], sizes)
        fused = _fused_order(probe)
        base = recall_at(fused, x[~mask], y[~mask], g[~mask], sizes)
        print(
            f"{style}: {len(qs)} queries, held-out R@5 reranker {r5:.3f}, fused {base:.3f}",
            file=sys.stderr,
        )
        models[style] = FeatureReranker.fit(x, y, g, features=FEATURES)
        report[style] = {
            "queries": len(qs),
            "heldout_R@5": round(r5, 4),
            "fused_R@5": round(base, 4),
        }
    info = {
        "corpus": "theorems",
        "trained_on": {
            "lookup_dev_half": Path(args.lookup).name if args.lookup else None,
            "mathlib_docstrings": args.mathlib_docstrings,
            "mined_per_style": args.styles,
            "gold_excluded_from": [p.name for p in args.exclude_bench],
        },
        "styles": report,
        "seed": args.seed,
        "index_roots": [r.model_dump() for r in retriever.kb.manifest.roots],
    }
    StyledReranker(models, "sentence", info).save(out)
    print(json.dumps(report))
    return 0


def _fused_order(like: FeatureReranker) -> FeatureReranker:
    """A 'reranker' that keeps the channels' fused order: the baseline a fit must beat."""
    n = len(like.features)
    return FeatureReranker(
        like.features,
        np.zeros(n),
        np.ones(n),
        np.eye(n)[list(like.features).index("fused")],
        0.0,
        {},
    )


if __name__ == "__main__":
    sys.exit(main())
