"""Distil a static document encoder (`retrieval.static_encoder`) from the vectors an index
already stores: the documents never run through the teacher, only their texts and vectors.

The tables are fitted so that each text's summed, normalised vector has the largest cosine
with the teacher's vector for it (a regression; an in-batch contrastive term against the
teacher's vectors measured no better on the FormL4 dev set), and, given query vectors mined
from the index (docstrings and English renderings, each encoded by the index's query encoder),
so that each query finds its own declaration first among the batch's (FormL4 dev, the dense
channel alone: 0.633 -> 0.647, the encoder's vectors 0.652). Per-token weights are learned
beside the token table and folded into it when saved; tokens and pair buckets the training
texts never hold are zero, so an unseen token adds nothing rather than noise.

    autoformalizer train-static --index DIR --corpus theorems --out DIR [--exclude-bench F]
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from indexer.errors import UserError
from retrieval.static_encoder import (
    TOKENIZER_FILE,
    WEIGHTS_FILE,
    pair_buckets,
    token_ids,
)

Progress = Callable[[int, int, float], None]


@dataclass(frozen=True)
class StaticConfig:
    epochs: int = 3
    batch_size: int = 1024
    lr: float = 0.01
    buckets: int = 131_072  # token-pair buckets (0: tokens only)
    pair_dim: int = 96  # the pair table is low-rank: buckets x pair_dim, then a projection
    pair_weight: float = 0.1  # pairs' share at the start (folded into the table when saved)
    validation: int = 3000  # texts held out of training for the card's cosine
    seed: int = 0
    max_seq_length: int = 128  # the teacher's truncation, special tokens included
    query_weight: float = 1.5  # the query term's weight beside the cosine's (x10, below)
    query_batch: int = 512
    temperature: float = 0.05


def _gather(offsets: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions of the rows' segments in the flat array, the batch's segment offsets)."""
    lengths = offsets[rows + 1] - offsets[rows]
    batch_offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=batch_offsets[1:])
    positions = (
        np.arange(batch_offsets[-1])
        - np.repeat(batch_offsets[:-1], lengths)
        + np.repeat(offsets[rows], lengths)
    )
    return positions, batch_offsets


def distill(
    texts: list[str],
    vectors: np.ndarray,
    tokenizer: object,
    cfg: StaticConfig,
    exclude: set[int] = frozenset(),  # type: ignore[assignment]
    progress: Progress | None = None,
    queries: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """(the tables to save, the training record). `exclude`: rows never trained on nor
    validated on (the gold of evaluation sets). `queries`: (query vectors, the row each one
    names), in the teacher's space."""
    import torch

    if len(texts) != len(vectors):
        raise UserError(f"{len(texts)} texts but {len(vectors)} vectors")
    usable = np.array([i for i in range(len(texts)) if i not in exclude], dtype=np.int64)
    if len(usable) < 2:
        raise UserError("too few texts to distil a static encoder from")
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    n_val = min(cfg.validation, len(usable) // 10)
    shuffled = rng.permutation(usable)
    val, train_rows = shuffled[:n_val], shuffled[n_val:]

    tokenizer.no_padding()  # type: ignore[attr-defined]
    tokenizer.enable_truncation(cfg.max_seq_length)  # type: ignore[attr-defined]
    ids_np, offsets = token_ids(tokenizer, texts)
    vocab = int(tokenizer.get_vocab_size())  # type: ignore[attr-defined]
    dim = int(vectors.shape[1])
    buckets_np, pair_offsets = pair_buckets(ids_np, offsets, cfg.buckets)
    ids, buckets = torch.from_numpy(ids_np), torch.from_numpy(buckets_np)
    teacher = torch.from_numpy(np.array(vectors, dtype=np.float32))  # a copy: vectors may be mapped

    counts = torch.bincount(ids, minlength=vocab).float()
    frequency = counts / counts.sum().clamp(min=1)
    tokens = torch.nn.Parameter(torch.randn(vocab, dim) * 0.05)
    log_weight = torch.nn.Parameter(torch.log(1e-3 / (1e-3 + frequency)))  # SIF-like start
    params = [tokens, log_weight]
    if cfg.buckets:
        pairs = torch.nn.Parameter(torch.randn(cfg.buckets, cfg.pair_dim) * 0.01)
        projection = torch.nn.Parameter(torch.randn(cfg.pair_dim, dim) / cfg.pair_dim**0.5)
        params += [pairs, projection]
    opt = torch.optim.Adam(params, lr=cfg.lr)
    q_vecs, q_rows = _usable_queries(queries, set(val.tolist()) | set(exclude))

    def embed(rows: np.ndarray) -> torch.Tensor:
        positions, batch_offsets = _gather(offsets, rows)
        tok = ids[positions]
        offs = torch.from_numpy(batch_offsets[:-1])
        weight = torch.exp(log_weight)[tok]
        v = torch.nn.functional.embedding_bag(
            tok, tokens, offs, mode="sum", per_sample_weights=weight
        )
        if cfg.buckets:
            positions, batch_offsets = _gather(pair_offsets, rows)
            bag = torch.nn.functional.embedding_bag(
                buckets[positions], pairs, torch.from_numpy(batch_offsets[:-1]), mode="sum"
            )
            v = v + cfg.pair_weight * bag @ projection
        return torch.nn.functional.normalize(v, dim=1)

    def cosine(rows: np.ndarray) -> float:
        with torch.no_grad():
            return float((embed(rows) * teacher[rows]).sum(1).mean()) if len(rows) else 0.0

    steps = cfg.epochs * max(1, len(train_rows) // cfg.batch_size)
    step, start, losses = 0, time.perf_counter(), []
    for _ in range(cfg.epochs):
        order = rng.permutation(train_rows)
        for at in range(0, max(1, len(order) - cfg.batch_size + 1), cfg.batch_size):
            rows = order[at : at + cfg.batch_size]
            vecs = embed(rows)
            loss = 10 * (1 - (vecs * teacher[rows]).sum(1)).mean()
            if len(q_rows) >= cfg.query_batch and cfg.query_weight:
                pick = rng.choice(len(q_rows), cfg.query_batch, replace=False)
                own = embed(q_rows[pick])  # each query's declaration; the rest are negatives
                logits = q_vecs[pick] @ torch.cat([own, vecs]).T / cfg.temperature
                target = torch.arange(cfg.query_batch)
                loss = loss + cfg.query_weight * torch.nn.functional.cross_entropy(logits, target)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
            step += 1
            if progress:
                progress(step, steps, float(np.mean(losses[-20:])))
    seconds = time.perf_counter() - start

    with torch.no_grad():
        seen = torch.bincount(ids[_gather(offsets, train_rows)[0]], minlength=vocab) > 0
        table = (tokens * torch.exp(log_weight)[:, None]) * seen[:, None]
        tables = {"tokens": table.numpy().astype(np.float16)}
        if cfg.buckets:
            hit = torch.bincount(
                buckets[_gather(pair_offsets, train_rows)[0]], minlength=cfg.buckets
            )
            tables["pairs"] = (
                ((pairs * cfg.pair_weight) * (hit > 0)[:, None]).numpy().astype(np.float16)
            )
            tables["pairs_projection"] = projection.numpy().astype(np.float16)
    record = {
        "config": asdict(cfg),
        "texts": len(texts),
        "trained_on": len(train_rows),
        "query_pairs": len(q_rows),
        "excluded": len(exclude),
        "validation_texts": len(val),
        "validation_cosine": round(cosine(val), 4),
        "train_cosine_sample": round(cosine(train_rows[: cfg.validation]), 4),
        "final_loss": round(float(np.mean(losses[-50:])), 4) if losses else None,
        "seconds": round(seconds, 1),
    }
    return tables, record


def _usable_queries(
    queries: tuple[np.ndarray, np.ndarray] | None, held: set[int]
) -> tuple[object, np.ndarray]:
    """The query pairs whose declaration is neither validated on nor excluded."""
    import torch

    if queries is None:
        return torch.zeros((0, 0)), np.zeros(0, dtype=np.int64)
    vecs, rows = queries
    keep = np.array([int(r) not in held for r in rows], dtype=bool)
    return torch.from_numpy(np.array(vecs, dtype=np.float32)[keep]), np.asarray(rows)[keep]


def save_static(
    out_dir: Path, tables: dict[str, np.ndarray], tokenizer_file: Path, card: dict[str, object]
) -> None:
    """The folder `StaticEncoder` reads: fp16 safetensors, the teacher's tokenizer, the card
    (`training.json` and a README.md made from it)."""
    from safetensors.numpy import save_file

    from retrieval.joint_embedding import write_card

    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(tables, str(out_dir / WEIGHTS_FILE))
    shutil.copyfile(tokenizer_file, out_dir / TOKENIZER_FILE)
    write_card(out_dir, card)
