"""`Retriever.open(index_dir).search(query)`: hybrid retrieval over a built index.

Candidates come from four channels — dense (FAISS), BM25 (bm25s), concept mentions (the
lexicon), and popularity (the most used declarations of the corpus) — and are ranked by the
feature reranker, or by fusing the channels' rankings when reranking is off.
"""

from __future__ import annotations

import json
import re
import threading
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np
from pydantic import BaseModel, Field

from indexer.errors import UserError, UserNote
from knowledge_base import KnowledgeBase
from knowledge_base.concepts import first_sentence
from knowledge_base.store import damaged
from retrieval.augment import AugmentedQuery, DomainModel, Lexicon, augment
from retrieval.bm25_channel import BM25Channel
from retrieval.dense_channel import DenseChannel
from retrieval.documents import DOCS_FILE, Corpus, DocTable, load_docs
from retrieval.embedder import Embedder
from retrieval.fusion import rrf, weighted
from retrieval.query_style import detect_style
from retrieval.rerank import (
    THEOREM_WEIGHTS_FILE,
    WEIGHTS_FILE,
    Candidate,
    CrossEncoderReranker,
    FeatureReranker,
    StyledReranker,
    feature_matrix,
)
from retrieval.token_sets import TOKEN_SETS_FILE, TokenSets

RETRIEVAL_DIR = "retrieval"
# A query that is one Lean name (`Matrix.det_mul`, `Nat.Prime.two_le`, `det_mul`).
_NAME_QUERY = re.compile(r"[^\W\d][\w'!?₀-₉]*(?:\.[^\W\d][\w'!?₀-₉]*)*")
T = TypeVar("T")
Task = Literal["dependencies", "lookup"]
# One worker per query encoder (definitions and theorems may use different models).
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="query-encoder")


class RetrievalIndexError(UserError):
    """The index has no retrieval channels, or they do not match this version."""


def _load(directory: Path, what: str, reader: Callable[[], T]) -> T:
    """`reader()`, with any failure reported as damage to the named file of the index."""
    try:
        return reader()
    except Exception as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        raise RetrievalIndexError(
            damaged(directory, f"{RETRIEVAL_DIR}/{what} cannot be read: {first}")
        ) from None


@dataclass(frozen=True)
class SearchConfig:
    """Which channels to use and how to combine them (the ablation switches)."""

    dense: bool = True
    bm25: bool = True
    mentions: bool = True
    popularity: bool = True
    rerank: Literal["feature", "none", "cross-encoder"] = "feature"
    fusion: Literal["rrf", "weighted"] = "rrf"
    dense_k: int = 100
    bm25_k: int = 100
    popular_k: int = 50
    rrf_k: float = 60.0


class ChannelScore(BaseModel):
    score: float
    rank: int


class Hit(BaseModel):
    """One retrieved declaration, with what each channel said about it and why it ranks."""

    name: str
    kind: str
    module: str
    signature: str
    description: str
    # "docstring", "model" (written by `autoformalizer informalize`) or "" (none)
    description_source: str = ""
    score: float
    channels: dict[str, ChannelScore] = Field(default_factory=dict)
    why: list[str] = Field(default_factory=list)


class Retriever:
    def __init__(
        self,
        kb: KnowledgeBase,
        docs: DocTable,
        bm25: BM25Channel,
        dense: dict[str, DenseChannel],
        lexicon: Lexicon,
        domains: DomainModel,
        meta: dict[str, object],
        embedder_factory: object,
        reranker: FeatureReranker | None,
        cross_encoder: CrossEncoderReranker | None,
        tokens: TokenSets,
        theorem_reranker: FeatureReranker | StyledReranker | None = None,
    ):
        self.kb = kb
        self.docs = docs
        self.tokens = tokens
        self.bm25 = bm25
        self.dense = dense
        self.lexicon = lexicon
        self.domains = domains
        self.meta = meta
        self._embedder_factory = embedder_factory
        self._embedder: Embedder | None = None
        self._embedder_lock = threading.Lock()
        self.reranker = reranker
        self.theorem_reranker = theorem_reranker
        self.cross_encoder = cross_encoder
        self.masks = {c: docs.mask(c) for c in ("definitions", "theorems", "all")}
        by_pop = np.argsort(-docs.in_degree, kind="stable")
        self.popular = {
            c: [int(i) for i in by_pop[self.masks[c][by_pop] > 0][:1000]]
            for c in ("definitions", "theorems", "all")
        }
        self.config = SearchConfig()
        self._encoder_keys: dict[str, str] = {}  # corpus -> its query encoder's settings, as JSON
        self._encoders: dict[str, Callable[[str], np.ndarray]] = {}

    # ------------------------------------------------------------------ open
    @classmethod
    def open(
        cls,
        index_dir: str | Path,
        *,
        model: str | None = None,
        device: str | None = None,
        reranker: str | None = "feature",
        cross_encoder: str | None = None,
        config: SearchConfig | None = None,
    ) -> Retriever:
        directory = Path(index_dir).expanduser()
        kb = KnowledgeBase.open(directory)
        rdir = directory / RETRIEVAL_DIR
        if not (rdir / "meta.json").is_file():
            raise RetrievalIndexError(
                f"{directory} has no retrieval channels: rebuild it with `autoformalizer index`"
            )
        problems = kb.manifest.damaged_files(directory, RETRIEVAL_DIR + "/")
        if problems:
            raise RetrievalIndexError(damaged(directory, problems))
        meta = _load(directory, "meta.json", lambda: json.loads((rdir / "meta.json").read_text()))
        docs = _load(directory, DOCS_FILE, lambda: DocTable.load(kb.con, rdir / DOCS_FILE))
        dense = {
            c: _load(directory, f"dense-{c}", lambda c=c: DenseChannel.load(rdir, f"dense-{c}"))
            for c in meta.get("dense", {})
        }
        emb_settings = meta.get("embedder", {})

        def factory(settings: dict = emb_settings) -> Embedder:  # type: ignore[type-arg]
            return Embedder(
                model or settings.get("model"),
                device=device,
                query_prefix=settings.get("query_prefix", ""),
                document_prefix=settings.get("document_prefix", ""),
                max_seq_length=settings.get("max_seq_length", 128),
                # as the stored vectors were made (None: none stored, the model's own view);
                # indexes from before views existed are raw
                text_view=settings.get("text_view", "raw"),
            )

        rr = FeatureReranker.load() if reranker == "feature" and WEIGHTS_FILE.is_file() else None
        trr = (
            StyledReranker.load(THEOREM_WEIGHTS_FILE)
            if reranker == "feature" and THEOREM_WEIGHTS_FILE.is_file()
            else None
        )
        ce = CrossEncoderReranker(cross_encoder, device=device) if cross_encoder else None
        r = cls(
            kb,
            docs,
            _load(directory, "bm25", lambda: BM25Channel.load(rdir / "bm25")),
            dense,
            _load(directory, "lexicon.json", lambda: Lexicon.load(rdir / "lexicon.json")),
            _load(directory, "domain model", lambda: DomainModel.load(rdir)),
            meta,
            factory,
            rr,
            ce,
            _load(directory, TOKEN_SETS_FILE, lambda: _token_sets(rdir, kb)),
            trr,
        )
        cfg = config or SearchConfig()
        if rr is None and cfg.rerank == "feature":
            cfg = replace(cfg, rerank="none")
        if ce is not None:
            cfg = replace(cfg, rerank="cross-encoder")
        r.config = cfg
        # Each dense corpus's vectors were made by one encoder (`meta.dense[c].embedder`;
        # older indexes: the one `meta.embedder`): its queries are encoded the same way, or by
        # a lookup query encoder tuned against those vectors (`meta.dense[c].query_encoder`).
        for corpus, info in meta.get("dense", {}).items():
            settings = dict(info.get("query_encoder") or info.get("embedder") or emb_settings)
            if model is not None:  # `--model` overrides the index's (torch, no export)
                settings = {**settings, "model": model, "onnx": None}
            r._encoder_keys[corpus] = json.dumps(settings, sort_keys=True)
        return r

    @property
    def embedder(self) -> Embedder:
        with self._embedder_lock:  # batch threads may all ask first at once
            if self._embedder is None:
                self._embedder = self._embedder_factory()  # type: ignore[operator]
        return self._embedder

    @lru_cache(maxsize=4096)  # noqa: B019 - one retriever per process; queries repeat in evals
    def _query_vector(self, text: str, encoder: str) -> np.ndarray:
        """The query's vector for the corpora whose vectors `encoder` (a key of
        `_encoder_keys`) made: through its ONNX graph when the build exported one (no torch
        to import), else the PyTorch encoder."""
        with self._embedder_lock:
            if encoder not in self._encoders:
                self._encoders[encoder] = self._query_encoder(json.loads(encoder))
        return self._encoders[encoder](text)

    def _query_encoder(self, settings: dict) -> Callable[[str], np.ndarray]:  # type: ignore[type-arg]
        onnx = settings.get("onnx")
        if onnx and (Path(onnx) / "model.onnx").is_file():
            from retrieval.embedder import view_function
            from retrieval.onnx_encoder import query_encoder

            view = view_function(settings.get("text_view", "raw"))
            try:
                return query_encoder(Path(onnx), view, str(settings.get("query_prefix", "")))
            except Exception:  # a damaged cache entry: the PyTorch encoder still works
                pass
        embedder = self._embedder_factory(settings)  # type: ignore[operator]
        return lambda text: embedder.encode_queries([text])[0]

    # ---------------------------------------------------------------- search
    def candidates(
        self, aug: AugmentedQuery, corpus: Corpus, cfg: SearchConfig, exclude: set[int]
    ) -> dict[int, Candidate]:
        cands: dict[int, Candidate] = {}

        def cand(row: int) -> Candidate:
            c = cands.get(row)
            if c is None:
                c = cands[row] = Candidate(row)
            return c

        # Encode the query on a second thread while the cheap channels run: torch releases the
        # GIL, and the encoder is most of a search's time on a CPU.
        parts = [c for c in self.dense if corpus in ("all", c)] if cfg.dense else []
        keys = {part: self._encoder_keys.get(part, "{}") for part in parts}
        vectors = {k: _POOL.submit(self._query_vector, aug.text, k) for k in set(keys.values())}

        if cfg.bm25:
            mask = self.masks[corpus] if corpus != "all" or exclude else None
            if exclude:
                mask = mask.copy()  # type: ignore[union-attr]
                mask[list(exclude)] = 0.0
            scores, rows = self.bm25.search(aug.tokens, cfg.bm25_k, mask)
            for rank, (s, row) in enumerate(zip(scores, rows, strict=True), start=1):
                c = cand(int(row))
                c.bm25_score, c.bm25_rank = float(s), rank
        if cfg.mentions:
            for name, (n, rank) in aug.mentions.items():
                row = self.docs.row(name)
                if row is None or row in exclude:
                    continue
                if corpus != "all" and self.docs.corpus(row) != corpus:
                    continue
                c = cand(row)
                c.mention_len, c.mention_rank = n, rank
        if cfg.popularity:
            rank = 0
            for row in self.popular[corpus]:
                if row in exclude:
                    continue
                rank += 1
                if rank > cfg.popular_k:
                    break
                cand(row).popular_rank = rank
        if parts:
            # Each corpus's vectors come from its own encoder, whose cosines are on their own
            # scale: merge the corpora's rankings by rank (each one's 1st, then each one's
            # 2nd, ...), never by comparing scores of different models.
            hits: list[tuple[int, float, int]] = []
            for part in parts:
                q = vectors[keys[part]].result()[None, :]
                offset = int(self.meta["dense"][part]["offset"])
                scores, rows = self.dense[part].search(q, cfg.dense_k + len(exclude))
                found = [
                    (float(s), int(r) + offset)
                    for s, r in zip(scores[0], rows[0], strict=True)
                    if r >= 0 and int(r) + offset not in exclude
                ]
                hits += [(i, s, row) for i, (s, row) in enumerate(found)]
            hits.sort(key=lambda x: (x[0], -x[1]))
            for rank, (_, s, row) in enumerate(hits[: cfg.dense_k], start=1):
                c = cand(row)
                c.dense_score, c.dense_rank = s, rank
        return cands

    def search(
        self,
        query: str,
        k: int = 10,
        corpus: Corpus = "definitions",
        exclude: Iterable[str] = (),
        config: SearchConfig | None = None,
        task: Task | None = None,
    ) -> list[Hit]:
        """The `k` best declarations of `corpus` for `query`, best first.

        `task` picks the reranker: "dependencies" (what a formal statement of `query` would use;
        the default for the definitions corpus) or "lookup" (the result `query` states; the
        default for `theorems` and `all`).
        """
        if corpus not in ("definitions", "theorems", "all"):
            raise ValueError(f"corpus must be definitions, theorems or all, not {corpus!r}")
        cfg = config or self.config
        aug = augment(query, self.lexicon, self.domains)
        excluded = {r for n in exclude if (r := self.docs.row(n)) is not None}
        cands = list(self.candidates(aug, corpus, cfg, excluded).values())
        if not cands:
            return self._name_hits(query, corpus, excluded, cands, aug)[:k]
        self._fuse(cands, cfg)
        task = task or ("dependencies" if corpus == "definitions" else "lookup")
        model = self.reranker if task == "dependencies" else self.theorem_reranker
        self.docs.prefetch([c.row for c in cands])
        if cfg.rerank == "feature" and model is not None:
            weights = model.for_style(detect_style(query))
            scores = weights.score(feature_matrix(cands, self.docs, aug, self.tokens))
            for c, s in zip(cands, scores, strict=True):
                c.score = float(s)
        else:
            for c in cands:
                c.score = c.fused
        cands.sort(key=lambda c: (-c.score, self.docs[c.row].name))
        if cfg.rerank == "cross-encoder" and self.cross_encoder is not None:
            top = cands[: self.cross_encoder.top]
            ce = self.cross_encoder.rerank(query, [self.docs[c.row].text("combined") for c in top])
            for c, s in zip(top, ce, strict=True):
                c.score = float(s)
            top.sort(key=lambda c: -c.score)
            cands = top + cands[len(top) :]
        hits = [self._hit(c, aug) for c in cands[:k]]
        named = self._name_hits(query, corpus, excluded, cands, aug)
        if named:
            names = {h.name for h in named}
            hits = (named + [h for h in hits if h.name not in names])[:k]
        return hits

    def _name_hits(
        self,
        query: str,
        corpus: Corpus,
        exclude: set[int],
        cands: list[Candidate],
        aug: AugmentedQuery,
    ) -> list[Hit]:
        """Declarations the query names: itself (`Matrix.det_mul`), through a rename or a
        deprecated alias, or by its trailing components (`det_mul`, `Matrix.det_mul` for
        `det_mul` in any namespace) — shown first, as people who type a name expect."""
        q = query.strip()
        if not _NAME_QUERY.fullmatch(q):
            return []
        found: dict[int, str] = {}
        res = self.kb.resolve(q)
        if res.name and res.status in ("found", "deprecated", "renamed"):
            why = "exact name" if res.name == q else f"{q} is now {res.name}"
            found.setdefault(_row(self.docs, res.name), why)
        for name in res.candidates:
            found.setdefault(_row(self.docs, name), f"a declaration named {q}")
        tail = "." + q
        for name in self.kb.suggestions(q, limit=20):
            if name.endswith(tail):
                found.setdefault(_row(self.docs, name), f"name ends in {q}")
        found.pop(-1, None)
        by_row = {c.row: c for c in cands}
        out = []
        for row, why in list(found.items())[:5]:
            if row in exclude or (corpus != "all" and self.docs.corpus(row) != corpus):
                continue
            hit = self._hit(by_row.get(row) or Candidate(row), aug)
            hit.why.insert(0, why)
            out.append(hit)
        return out

    def _fuse(self, cands: list[Candidate], cfg: SearchConfig) -> None:
        rankings: dict[str, list[int]] = {}
        scores: dict[str, dict[int, float]] = {}
        for name, rank_of, score_of in (
            ("dense", lambda c: c.dense_rank, lambda c: c.dense_score),
            ("bm25", lambda c: c.bm25_rank, lambda c: c.bm25_score),
            (
                "mentions",
                lambda c: (c.mention_rank + 1) if c.mention_len else 0,
                lambda c: c.mention_len - 0.1 * c.mention_rank,
            ),
            ("popularity", lambda c: c.popular_rank, lambda c: -float(c.popular_rank)),
        ):
            present = [c for c in cands if rank_of(c) > 0]
            if name == "mentions":
                present.sort(key=lambda c: (-c.mention_len, c.mention_rank, c.row))
            else:
                present.sort(key=rank_of)
            rankings[name] = [c.row for c in present]
            scores[name] = {c.row: score_of(c) for c in present}
        fused = rrf(rankings, cfg.rrf_k) if cfg.fusion == "rrf" else weighted(scores)
        for c in cands:
            c.fused = fused.get(c.row, 0.0)

    def _hit(self, c: Candidate, aug: AugmentedQuery) -> Hit:
        d = self.docs[c.row]
        channels: dict[str, ChannelScore] = {}
        why: list[str] = []
        if c.dense_rank:
            channels["dense"] = ChannelScore(score=round(c.dense_score, 4), rank=c.dense_rank)
            why.append(f"dense #{c.dense_rank}")
        if c.bm25_rank:
            channels["bm25"] = ChannelScore(score=round(c.bm25_score, 4), rank=c.bm25_rank)
            why.append(f"BM25 #{c.bm25_rank}")
        if c.mention_len:
            channels["mention"] = ChannelScore(score=float(c.mention_len), rank=c.mention_rank + 1)
            why.append("concept named in the query")
        if c.popular_rank:
            channels["popularity"] = ChannelScore(score=float(d.in_degree), rank=c.popular_rank)
            why.append(f"used by {d.in_degree} declarations")
        if aug.domains:
            top = aug.top_domains(1)[0][0]
            if d.domain.split(".")[0] == top:
                why.append(f"in the predicted domain {top}")
        return Hit(
            name=d.name,
            kind=d.kind,
            module=d.module,
            signature=d.signature,
            description=first_sentence(d.about) if d.about else "",
            description_source="docstring" if d.docstring else "model" if d.description else "",
            score=round(c.score, 4),
            channels=channels,
            why=why,
        )


def _token_sets(rdir: Path, kb: KnowledgeBase) -> TokenSets:
    """The index's token sets; an index built before they were stored has them made now, from
    the documents as the build reads them (seconds on Mathlib, at every open, until `index
    --from-index` rebuilds it)."""
    if (rdir / TOKEN_SETS_FILE).is_file():
        return TokenSets.load(rdir / TOKEN_SETS_FILE)
    warnings.warn(
        f"{rdir.parent} predates {TOKEN_SETS_FILE}: tokenizing its documents now "
        "(`autoformalizer index --from-index` stores them)",
        UserNote,
        stacklevel=2,
    )
    return TokenSets.build(load_docs(kb))


def _row(docs: DocTable, name: str) -> int:
    row = docs.row(name)
    return -1 if row is None else row
