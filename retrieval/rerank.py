"""Reranking candidates: a learned feature reranker (shipped), or a CrossEncoder (user's model).

The feature reranker is a logistic regression over signals every candidate has: channel
scores and ranks, concept-mention match, popularity (in-degree in Mathlib's dependency graph),
domain agreement with the query, kind, docstring presence, name/query overlap. Its weights are
a small JSON file trained by `retrieval/train_reranker.py` on development data only.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from retrieval.augment import AugmentedQuery, coarse_domain
from retrieval.documents import Doc
from retrieval.math_text import split_identifier, stem
from retrieval.query_style import STYLES, Style
from retrieval.token_sets import TokenSets

WEIGHTS_FILE = Path(__file__).with_name("reranker_weights.json")  # definitions corpus
# Looking up known results (corpus `theorems` / `all`) rewards other signals than dependency
# retrieval (popularity helps a dependency, not a lemma), so it has weights of its own.
THEOREM_WEIGHTS_FILE = Path(__file__).with_name("reranker_weights_theorems.json")

FEATURES = (
    "dense_score",
    "dense_rrank",
    "has_dense",
    "bm25_norm",
    "bm25_rrank",
    "has_bm25",
    "mention",
    "mention_len",
    "mention_first",
    "log_in_degree",
    "popular_rrank",
    "domain_prob",
    "is_external",
    "kind_type",
    "kind_function",
    "kind_member",
    "has_doc",
    "name_parts",
    "name_len",
    "name_overlap",
    "fused",
    "sig_overlap",
    "doc_overlap",
    # The two corpora's dense scores are cosines of different models, on their own scales
    # (`--corpus all`): the theorems' get their own weights.
    "in_theorems",
    "dense_score_theorems",
    "dense_rrank_theorems",
    # sig_overlap / doc_overlap with each token weighted by its idf
    "sig_overlap_idf",
    "doc_overlap_idf",
)
_TYPE_KINDS = frozenset({"structure", "class", "inductive", "class inductive", "class abbrev"})
_FUNCTION_KINDS = frozenset({"def", "abbrev", "irreducible_def", "opaque", "axiom"})
_MEMBER_KINDS = frozenset({"structure field", "constructor"})


@dataclass(slots=True)
class Candidate:
    row: int
    dense_score: float = 0.0
    dense_rank: int = 0  # 1-based; 0 = not retrieved by this channel
    bm25_score: float = 0.0
    bm25_rank: int = 0
    mention_len: int = 0
    mention_rank: int = -1
    popular_rank: int = 0
    fused: float = 0.0
    score: float = 0.0


def _rr(rank: int) -> float:
    return 1.0 / rank if rank > 0 else 0.0


@lru_cache(maxsize=500_000)
def _last_words(name: str) -> tuple[str, ...]:
    return tuple(stem(w.lower()) for w in split_identifier(name.rpartition(".")[2]))


_READ_TEXTS = 150


def feature_matrix(
    cands: list[Candidate], docs: list[Doc], aug: AugmentedQuery, tokens: TokenSets
) -> np.ndarray:
    qset = set(aug.tokens)
    # the statement's and docstring's share of the query's tokens (a formula's words in a
    # statement, a nickname's words in a docstring), for the best-fused candidates only; the
    # rest score 0 on both
    fused_cut = sorted((c.fused for c in cands), reverse=True)[:_READ_TEXTS][-1] if cands else 0.0
    read = np.array([c.fused >= fused_cut for c in cands], dtype=bool)
    rows_read = np.array([c.row for c in cands], dtype=np.int64)[read]
    sig_cover, sig_idf, about_cover, about_idf = (np.zeros(len(cands)) for _ in range(4))
    sig_cover[read], sig_idf[read] = tokens.coverage(qset, rows_read, "signature")
    about_cover[read], about_idf[read] = tokens.coverage(qset, rows_read, "about")
    bm25_max = max((c.bm25_score for c in cands), default=0.0) or 1.0
    fused_max = max((c.fused for c in cands), default=0.0) or 1.0
    rows = []
    for i, c in enumerate(cands):
        d = docs[c.row]
        words = _last_words(d.name)
        theorem = d.corpus == "theorems"
        overlap = sum(1 for w in words if w in qset) / len(words) if words else 0.0
        rows.append(
            (
                c.dense_score,
                _rr(c.dense_rank),
                float(c.dense_rank > 0),
                c.bm25_score / bm25_max,
                _rr(c.bm25_rank),
                float(c.bm25_rank > 0),
                float(c.mention_len > 0),
                float(c.mention_len),
                _rr(c.mention_rank + 1),
                math.log1p(d.in_degree),
                _rr(c.popular_rank),
                aug.domains.get(coarse_domain(d.domain), 0.0),
                float(d.kind == "external"),
                float(d.kind in _TYPE_KINDS),
                float(d.kind in _FUNCTION_KINDS),
                float(d.kind in _MEMBER_KINDS),
                float(bool(d.about)),
                float(d.name.count(".") + 1),
                math.log1p(len(d.name)),
                overlap,
                c.fused / fused_max,
                sig_cover[i],
                about_cover[i],
                float(theorem),
                c.dense_score * theorem,
                _rr(c.dense_rank) * theorem,
                sig_idf[i],
                about_idf[i],
            )
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


@dataclass
class FeatureReranker:
    """Logistic regression over named features (any subset of `FEATURES`, so weights trained
    before a feature was added keep working)."""

    features: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray
    bias: float
    info: dict[str, object]

    @classmethod
    def from_json(cls, data: dict, where: str) -> FeatureReranker:  # type: ignore[type-arg]
        unknown = [f for f in data["features"] if f not in FEATURES]
        if unknown:
            raise ValueError(
                f"{where} uses features this version does not compute ({', '.join(unknown)}); "
                "retrain it with `python -m retrieval.train_reranker`"
            )
        return cls(
            tuple(data["features"]),
            np.array(data["mean"]),
            np.array(data["std"]),
            np.array(data["weights"]),
            float(data["bias"]),
            data.get("info", {}),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "mean": self.mean.round(6).tolist(),
            "std": self.std.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
            "info": self.info,
        }

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> FeatureReranker:
        return cls.from_json(json.loads(path.read_text()), str(path))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1))

    def for_style(self, style: Style) -> FeatureReranker:
        return self

    def score(self, x: np.ndarray) -> np.ndarray:
        cols = _columns(self.features)
        return ((x[:, cols] - self.mean) / self.std) @ self.weights + self.bias

    @classmethod
    def fit(
        cls,
        x: np.ndarray,
        y: np.ndarray,
        group: np.ndarray,
        *,
        l2: float = 1e-3,
        epochs: int = 300,
        lr: float = 0.5,
        info: dict[str, object] | None = None,
        features: tuple[str, ...] = FEATURES,
    ) -> FeatureReranker:
        """Logistic regression over `features` (columns of `x`, which holds all `FEATURES`);
        each query's candidates weigh as much as any other query's."""
        x = x[:, _columns(features)]
        mean = x.mean(axis=0)
        std = x.std(axis=0)
        std[std < 1e-9] = 1.0
        z = (x - mean) / std
        _, inverse, counts = np.unique(group, return_inverse=True, return_counts=True)
        pos = np.bincount(inverse, weights=y)
        neg = counts - pos
        # Balance positives and negatives within each query, and queries against each other.
        sample_w = np.where(
            y > 0, 0.5 / np.maximum(pos[inverse], 1), 0.5 / np.maximum(neg[inverse], 1)
        )
        sample_w /= sample_w.sum()
        w = np.zeros(z.shape[1])
        b = 0.0
        for _ in range(epochs):
            p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
            g = sample_w * (p - y)
            w -= lr * (z.T @ g + l2 * w)
            b -= lr * g.sum()
        return cls(features, mean, std, w, b, info or {})


@lru_cache(maxsize=16)
def _columns(features: tuple[str, ...]) -> list[int]:
    return [FEATURES.index(f) for f in features]


@dataclass
class StyledReranker:
    """One feature reranker per query style (`retrieval.query_style`): a nickname is found
    through docstrings, a formula through the statement, a sentence through the dense
    channel, and one set of weights cannot say all three. Styles without their own weights
    use `fallback`'s."""

    models: dict[str, FeatureReranker]
    fallback: str
    info: dict[str, object]

    @classmethod
    def load(cls, path: Path = THEOREM_WEIGHTS_FILE) -> StyledReranker | FeatureReranker:
        """The weights in `path`: styled, or one reranker for every style (older files)."""
        data = json.loads(path.read_text())
        if "styles" not in data:
            return FeatureReranker.from_json(data, str(path))
        models = {
            st: FeatureReranker.from_json(d, f"{path} [{st}]") for st, d in data["styles"].items()
        }
        unknown = [st for st in models if st not in STYLES]
        if unknown or data["fallback"] not in models:
            raise ValueError(f"{path}: unknown styles {unknown} or fallback {data['fallback']}")
        return cls(models, data["fallback"], data.get("info", {}))

    def save(self, path: Path) -> None:
        data = {
            "fallback": self.fallback,
            "info": self.info,
            "styles": {st: m.to_json() for st, m in self.models.items()},
        }
        path.write_text(json.dumps(data, indent=1))

    def for_style(self, style: Style) -> FeatureReranker:
        return self.models.get(style) or self.models[self.fallback]


class CrossEncoderReranker:
    """Rescore the top candidates with a sentence-transformers CrossEncoder the user names."""

    def __init__(self, model: str, device: str | None = None, top: int = 50) -> None:
        from sentence_transformers import CrossEncoder

        from retrieval.embedder import EmbedderError, resolve_model

        path = resolve_model(model, "cross-encoder")
        try:
            self.model = CrossEncoder(path, device=device)
        except Exception as exc:
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise EmbedderError(f"cannot load cross-encoder {model!r}: {first}") from None
        self.top = top

    def rerank(self, query: str, texts: list[str]) -> np.ndarray:
        pairs = [(query, t) for t in texts]
        return np.asarray(self.model.predict(pairs, show_progress_bar=False), dtype=np.float64)
