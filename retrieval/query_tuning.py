"""A query encoder trained for lookup against the theorem vectors an index already holds.

Retraining the theorem encoder means re-embedding Mathlib's ~218k theorems (~28 min on 2 CPU
cores, every user, every build). Tuning only the query side against the stored vectors needs no
re-embedding (query-side fine-tuning): each step encodes a batch of queries and scores them
against *every* stored theorem vector — a full-corpus softmax, so each other theorem is a
negative, the hard ones included — and only the query encoder learns. Pairs are mined from the
knowledge base: theorem docstrings and the English renderings of statements
(`knowledge_base.rendering`), each to its own theorem; gold names of evaluation sets are left out.

The model is saved as fp16 safetensors with a model card recording the document vectors it was
trained against (`document_weights`): a build uses it for queries only over vectors made by
those weights (`retrieval.build`).

    autoformalizer train-query --index DIR --out DIR [--steps 1400] [--exclude-bench F.jsonl]
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from indexer.errors import UserError
from retrieval.documents import Doc
from retrieval.embedder import model_card, resolve_model, view_function
from retrieval.joint_embedding import JOINT_MODEL_DIR, save

LOOKUP_QUERY_MODEL_DIR = Path(__file__).parent / "lookup_query_model"
# Renderings that fall back to the Lean text (unreadable statements) are not English.
_NOT_ENGLISH = ("{", "(", "[")


@dataclass(frozen=True)
class QueryPair:
    text: str
    row: int  # the gold theorem's row among the stored theorem vectors
    source: str  # "docstring" or "rendering"


@dataclass
class QueryTrainConfig:
    base_model: str = str(JOINT_MODEL_DIR)  # the theorem vectors' own model: same space at step 0
    steps: int = 1400
    batch_size: int = 32
    lr: float = 4e-5
    temperature: float = 0.05
    renderings: int = 80_000  # theorems sampled for rendering -> theorem pairs
    max_seq_length: int = 128
    text_view: str = "latex-symbols"  # as the theorem vectors' model reads texts
    seed: int = 0


def lookup_pairs(
    theorems: list[Doc],
    exclude: set[str],
    renderings: int,
    seed: int,
    render: Callable[[list[Doc]], None],
) -> list[QueryPair]:
    """(docstring | English rendering) -> theorem pairs over `theorems` (in vector order),
    skipping `exclude`d names; shuffled. `render` fills `rendering` of the sampled theorems
    (`documents.add_renderings` with the knowledge base)."""
    rng = random.Random(seed)
    usable = [
        (i, d)
        for i, d in enumerate(theorems)
        if d.name not in exclude and d.kind in ("theorem", "lemma")
    ]
    pairs = [
        QueryPair(" ".join(d.docstring.split()), i, "docstring")
        for i, d in usable
        if len(d.docstring) > 40
    ]
    stated = [(i, d) for i, d in usable if d.signature]
    sample = rng.sample(stated, min(renderings, len(stated)))
    render([d for _, d in sample])
    for i, d in sample:
        text = d.rendering
        english = text != d.signature and not text.startswith(_NOT_ENGLISH)
        if english and 30 <= len(text) <= 600:
            pairs.append(QueryPair(text, i, "rendering"))
    rng.shuffle(pairs)
    return pairs


def train(
    pairs: list[QueryPair],
    vectors: np.ndarray,
    out_dir: Path,
    cfg: QueryTrainConfig,
    document_encoder: dict[str, object],
    progress: Callable[[int, int, float], None] | None = None,
    evaluate: Callable[[Callable[[list[str]], np.ndarray]], dict[str, float]] | None = None,
) -> dict:
    """Fine-tune the query encoder against the frozen `vectors` and save it with its card.
    `evaluate(encode)`: metrics of the trained encoder for the card (e.g. dense R@10 on a dev
    set), called before and after training. On a GPU when there is one; a CPU run of the same
    recipe works (1,500 steps: about 65 minutes on 2 cores)."""
    import torch
    from sentence_transformers import SentenceTransformer

    if not pairs:
        raise UserError(
            "no training pairs: the index has no theorems with docstrings or statements"
        )
    torch.manual_seed(cfg.seed)
    view = view_function(cfg.text_view)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    corpus = torch.from_numpy(np.array(vectors, dtype=np.float32)).to(device)  # a copy
    model = SentenceTransformer(
        resolve_model(cfg.base_model), device=device, model_kwargs={"dtype": torch.float32}
    )
    model.float()
    model.max_seq_length = cfg.max_seq_length

    def encode(texts: list[str]) -> np.ndarray:
        model.eval()
        with torch.no_grad():
            out = model.encode([view(t) for t in texts], batch_size=64, normalize_embeddings=True)
        model.train()
        return np.asarray(out)

    before = evaluate(encode) if evaluate else {}
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.01)
    warm = max(1, cfg.steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt,
        lambda s: min(1.0, (s + 1) / warm) * max(0.0, (cfg.steps - s) / max(1, cfg.steps - warm)),
    )
    model.train()
    losses: list[float] = []
    start = time.perf_counter()
    for step in range(cfg.steps):
        at = (step * cfg.batch_size) % len(pairs)
        batch = pairs[at : at + cfg.batch_size]
        feats = model.preprocess([view(p.text) for p in batch])
        feats = {k: v.to(device) if hasattr(v, "to") else v for k, v in feats.items()}
        emb = torch.nn.functional.normalize(model(feats)["sentence_embedding"], dim=-1)
        logits = emb @ corpus.T / cfg.temperature  # every stored theorem is a candidate
        target = torch.tensor([p.row for p in batch], device=device)
        loss = torch.nn.functional.cross_entropy(logits, target)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        losses.append(float(loss.detach()))
        if progress:
            progress(step + 1, cfg.steps, float(np.mean(losses[-20:])))
    seconds = time.perf_counter() - start
    after = evaluate(encode) if evaluate else {}
    record = {
        "title": "Lookup query encoder",
        "about": [
            f"Fine-tuned from {Path(cfg.base_model).name} on the query side only, against the",
            "frozen theorem vectors of an index (`retrieval/query_tuning.py`): it encodes search",
            "queries for vectors made by `document_encoder`, and is used for nothing else.",
        ],
        "base_model": Path(cfg.base_model).name,
        "text_view": cfg.text_view,
        "document_encoder": document_encoder,
        "document_weights": document_encoder["weights"],
        "config": asdict(cfg) | {"base_model": Path(cfg.base_model).name},
        "pairs": len(pairs),
        "pairs_by_source": dict(Counter(p.source for p in pairs)),
        "pairs_seen": cfg.steps * cfg.batch_size,
        "final_loss": float(np.mean(losses[-50:])) if losses else None,
        "seconds": round(seconds, 1),
        "device": device,
        "metrics": {"before": before, "after": after},
    }
    save(model, out_dir, record)  # fp16 safetensors and the card
    return record


def trained_against(query_model: Path) -> str | None:
    """The weights fingerprint of the document vectors a query model was trained against."""
    return model_card(query_model).get("document_weights")


def dense_recall(
    encode: Callable[[list[str]], np.ndarray],
    vectors: np.ndarray,
    queries: list[tuple[str, set[int]]],
    k: int = 10,
) -> float:
    """Mean Recall@k of the gold rows among all stored vectors, by the dense channel alone."""
    from retrieval.metrics import pessimistic_ranks, recall_at_k

    q = encode([text for text, _ in queries])
    scores = q @ np.asarray(vectors, dtype=np.float32).T
    return float(
        np.mean(
            [
                recall_at_k(pessimistic_ranks(row, sorted(gold)), len(gold), k)
                for row, (_, gold) in zip(scores, queries, strict=True)
            ]
        )
    )
