"""`autoformalizer train-joint` (the joint NL/Lean embedding, `retrieval.joint_embedding`),
`train-query` (the lookup query encoder, `retrieval.query_tuning`) and `train-static` (a static
document encoder distilled from an index's vectors, `retrieval.static_distill`)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from autoformalizer.errors import UsageError
from autoformalizer.eval_cli import _embedder
from autoformalizer.options import add_index, add_json, dumps, positive_int

if TYPE_CHECKING:
    import numpy as np

    from knowledge_base import KnowledgeBase
    from retrieval.documents import Doc


def cmd_train_joint(args: argparse.Namespace) -> int:
    from knowledge_base import KnowledgeBase
    from retrieval.joint_embedding import TrainConfig, file_pairs, mathlib_pairs, train

    kb = KnowledgeBase.open(args.index)
    pairs = mathlib_pairs(kb)
    for f in args.pairs or []:
        pairs += file_pairs(Path(f))
    hold_out = []
    for f in args.hold_out or []:
        hold_out += [p.informal for p in file_pairs(Path(f))]
    cfg = TrainConfig(
        base_model=args.base,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        temperature=args.temperature,
        seed=args.seed,
        max_pairs=args.max_pairs,
        hard_negatives=not args.no_hard_negatives,
        dense_negatives=args.dense_negatives,
        hold_out=hold_out,
        max_seq_length=args.max_seq_length,
        projection_dim=args.projection_dim,
        text_view=args.text_view,
    )
    from tqdm import tqdm

    bar = tqdm(desc="train-joint", unit="step", file=sys.stderr)

    def progress(step: int, total: int, loss: float) -> None:
        bar.total = total
        bar.update(step - bar.n)
        bar.set_postfix(loss=f"{loss:.3f}")

    miner = None
    if args.dense_negatives:  # the starting model, cached: Mathlib's formal texts embed once
        print("mining dense negatives with the starting model (minutes)", file=sys.stderr)
        # `train` hands it texts already in --text-view: it reads them as given
        miner = _embedder(args.base, cached=True, text_view="raw")
    record = train(pairs, Path(args.out), cfg, progress, miner=miner)
    bar.close()
    print(dumps(record) if args.json else f"trained model written to {args.out}")
    return 0


def cmd_train_query(args: argparse.Namespace) -> int:
    """Tune the query side against the index's stored theorem vectors (no re-embedding)."""
    from retrieval.documents import add_renderings
    from retrieval.embedder import weights_fingerprint
    from retrieval.query_tuning import (
        QueryTrainConfig,
        dense_recall,
        lookup_pairs,
        train,
        trained_against,
    )

    stored = _stored_vectors(args.index, "theorems")
    kb, info, encoder, model = stored.kb, stored.info, stored.encoder, stored.model
    theorems, vectors = stored.docs, stored.vectors
    weights = weights_fingerprint(model)
    if weights is None:
        raise UsageError(
            f"the theorem vectors of {args.index} were made by {model}, not a local model "
            "directory: a query encoder can only be tuned against a local one"
        )
    exclude = {g for f in args.exclude_bench or [] for item in _bench(kb, f) for g in item.gold}
    start = model
    if args.init:
        if trained_against(Path(args.init)) != weights:
            raise UsageError(
                f"--init {args.init} is not a train-query model trained against the theorem "
                f"vectors of {args.index}"
            )
        start = str(Path(args.init))
    cfg = QueryTrainConfig(
        base_model=start,
        steps=args.steps,
        batch_size=args.batch_size,
        lr=args.lr,
        renderings=args.renderings,
        text_view=str(encoder.get("text_view", "latex-symbols")),
        seed=args.seed,
    )
    pairs = lookup_pairs(
        theorems, exclude, cfg.renderings, cfg.seed, lambda some: add_renderings(kb, some)
    )
    evaluate = None
    if args.dev:
        dev = _dev_half(kb, args.dev, {d.name: i for i, d in enumerate(theorems)})

        def evaluate(encode):  # type: ignore[no-untyped-def]
            recall = dense_recall(encode, vectors, dev)
            return {"dev": Path(args.dev).name, "dense_R@10": round(recall, 4)}

    from tqdm import tqdm

    bar = tqdm(desc="train-query", unit="step", file=sys.stderr, total=cfg.steps)

    def progress(step: int, total: int, loss: float) -> None:
        bar.update(step - bar.n)
        bar.set_postfix(loss=f"{loss:.3f}")

    document_encoder = {"model": Path(model).name, "weights": weights, "view": info["view"]}
    record = train(pairs, vectors, Path(args.out), cfg, document_encoder, progress, evaluate)
    bar.close()
    print(dumps(record) if args.json else f"query encoder written to {args.out}")
    return 0


def cmd_train_static(args: argparse.Namespace) -> int:
    """Distil a static table from one corpus's stored vectors (the documents never run through
    the model)."""
    import numpy as np
    from tokenizers import Tokenizer

    from retrieval.embedder import view_function, weights_fingerprint
    from retrieval.joint_embedding import write_card
    from retrieval.onnx_encoder import query_encoder
    from retrieval.query_tuning import dense_recall
    from retrieval.static_distill import StaticConfig, distill, save_static
    from retrieval.static_encoder import StaticEncoder

    stored = _stored_vectors(args.index, args.corpus)
    kb, info, encoder = stored.kb, stored.info, stored.encoder
    docs, vectors = stored.docs, stored.vectors
    if encoder.get("backend") == "static":
        raise UsageError(f"the {args.corpus} vectors of {args.index} are static already")
    model = stored.model
    weights = weights_fingerprint(model)
    tokenizer_file = Path(model) / "tokenizer.json"
    if weights is None or not tokenizer_file.is_file():
        raise UsageError(f"{model} is not a local model directory with a tokenizer.json")
    view = view_function(str(encoder.get("text_view", "raw")))
    prefix = str(encoder.get("document_prefix", ""))
    texts = [prefix + view(d.text(info["view"])) for d in docs]
    row_of = {d.name: i for i, d in enumerate(docs)}
    exclude = {
        row_of[g]
        for f in args.exclude_bench or []
        for it in _bench(kb, f)
        for g in it.gold
        if g in row_of
    }
    cfg = StaticConfig(epochs=args.epochs, buckets=args.buckets, seed=args.seed)
    onnx = (info.get("query_encoder") or encoder).get("onnx")
    queries = None
    if args.query_pairs and args.corpus == "theorems" and onnx:
        queries = _query_pairs(kb, docs, exclude, args.query_pairs, args.seed, Path(onnx), view)
    from tqdm import tqdm

    bar = tqdm(desc="train-static", unit="step", file=sys.stderr)

    def progress(step: int, total: int, loss: float) -> None:
        bar.total = total
        bar.update(step - bar.n)
        bar.set_postfix(loss=f"{loss:.4f}")

    tables, record = distill(
        texts,
        np.asarray(vectors),
        Tokenizer.from_file(str(tokenizer_file)),
        cfg,
        exclude,
        progress,
        queries,
    )
    bar.close()
    card = {
        "title": f"Static {args.corpus} encoder distilled from {Path(model).name}",
        "about": [
            "Token and token-pair tables fitted to the document vectors of an index",
            "(`retrieval/static_distill.py`); documents only: queries are still encoded by the",
            "teacher (or a query encoder tuned against its vectors), whose space the tables",
            "imitate.",
        ],
        "teacher": Path(model).name,
        "teacher_weights": weights,
        "teacher_backend": encoder.get("backend"),
        "corpus": args.corpus,
        "view": info["view"],
        "text_view": encoder.get("text_view", "raw"),
        "max_seq_length": cfg.max_seq_length,
        "command": " ".join(["autoformalizer", *sys.argv[1:]]),
    } | record
    out = Path(args.out)
    save_static(out, tables, tokenizer_file, card)
    if args.dev and onnx:  # dense recall on the dev half: the teacher's vectors, then the table's
        ask = query_encoder(Path(onnx), view)
        dev = _dev_half(kb, args.dev, row_of)
        q = np.stack([ask(text) for text, _ in dev])
        student = StaticEncoder(out).encode(texts)
        card["metrics"] = {
            "dev": Path(args.dev).name,
            "queries": len(dev),
            "dense_R@10_teacher": round(dense_recall(lambda _t: q, vectors, dev), 4),
            "dense_R@10_static": round(dense_recall(lambda _t: q, student, dev), 4),
        }
        write_card(out, card)  # the tables stay as saved
    print(dumps(card) if args.json else f"static encoder written to {out}")
    return 0


def _query_pairs(
    kb: object,
    docs: list,  # type: ignore[type-arg]
    exclude: set[int],
    n: int,
    seed: int,
    onnx: Path,
    view: object,
) -> tuple:  # type: ignore[type-arg]
    """`n` (query vector, row) pairs mined as `train-query` mines them (docstrings and English
    renderings, each to its theorem), encoded by the index's query encoder."""
    import random

    import numpy as np

    from retrieval.documents import add_renderings
    from retrieval.onnx_encoder import OnnxEncoder
    from retrieval.query_tuning import lookup_pairs

    names = {docs[i].name for i in exclude}
    pairs = lookup_pairs(docs, names, n, seed, lambda some: add_renderings(kb, some))
    pairs = random.Random(seed).sample(pairs, min(n, len(pairs)))
    print(f"encoding {len(pairs)} mined queries (minutes)", file=sys.stderr)
    vecs = OnnxEncoder(onnx).encode([view(p.text) for p in pairs])  # type: ignore[operator]
    return vecs, np.array([p.row for p in pairs], dtype=np.int64)


@dataclass
class _StoredVectors:
    """One corpus's dense vectors in an index, with what made them."""

    kb: KnowledgeBase
    info: dict  # type: ignore[type-arg]  # the corpus's record in retrieval/meta.json
    encoder: dict  # type: ignore[type-arg]  # the encoder record that made the vectors
    model: str  # that encoder's model: a local directory, or a name
    docs: list[Doc]  # the corpus's documents, in vector order
    vectors: np.ndarray  # memory-mapped


def _stored_vectors(index: str, corpus: str) -> _StoredVectors:
    """A corpus's stored vectors and documents (what `train-query` and `train-static` learn
    from), or a one-line error when the index has none or they disagree with its documents."""
    import json

    import numpy as np

    from knowledge_base import KnowledgeBase
    from retrieval.documents import load_docs
    from retrieval.embedder import resolve_model
    from retrieval.retriever import RETRIEVAL_DIR

    kb = KnowledgeBase.open(index)  # a clear error if it is not an index
    rdir = Path(index) / RETRIEVAL_DIR
    what = corpus.removesuffix("s")
    try:
        info = json.loads((rdir / "meta.json").read_text())["dense"][corpus]
    except (OSError, ValueError, KeyError):
        raise UsageError(
            f"{index} has no {what} vectors: build it with `autoformalizer index` "
            "(every declaration embedded, the default)"
        ) from None
    encoder = dict(info.get("embedder") or {})
    model = resolve_model(encoder.get("model"))  # None: the packaged MiniLM
    start, n = int(info["offset"]), int(info["n"])
    docs = load_docs(kb)[start : start + n]
    vectors = np.load(rdir / f"dense-{corpus}.npy", mmap_mode="r")
    if len(docs) != n or len(vectors) != n or any(d.corpus != corpus for d in docs):
        raise UsageError(f"{index}: its {what} vectors do not match its knowledge base")
    return _StoredVectors(kb, info, encoder, model, docs, vectors)


def _dev_half(kb: object, path: str, row_of: dict[str, int]) -> list[tuple[str, set[int]]]:
    """(query, gold rows) of a lookup set's dev half, items without a stored gold left out."""
    from eval.retrieval_bench import select_split

    dev = [
        (item.query, {row_of[g] for g in item.gold if g in row_of})
        for item in select_split(_bench(kb, path), "dev")
    ]
    return [(q, gold) for q, gold in dev if gold]


def _bench(kb: object, path: str) -> list:  # type: ignore[type-arg]
    """A lookup set's items, gold names mapped to the index's current names."""
    from eval.retrieval_bench import read_bench, resolve_gold

    items = read_bench(Path(path))
    resolve_gold(kb, items)  # type: ignore[arg-type]
    return items


def add_parsers(sub: argparse._SubParsersAction) -> None:
    from retrieval.embedder import TEXT_VIEWS

    tj = sub.add_parser("train-joint", help="fine-tune the joint NL/Lean embedding")
    add_index(tj)
    tj.add_argument("--out", required=True, help="directory the trained model is written to")
    tj.add_argument("--pairs", action="append", help="extra JSONL pairs (miniF2F valid, ...)")
    tj.add_argument("--hold-out", action="append", help="JSONL whose informal texts are excluded")
    tj.add_argument("--base", help="starting model (default: the packaged all-MiniLM-L6-v2)")
    tj.add_argument("--epochs", type=positive_int, default=2, help="passes over the pairs")
    tj.add_argument("--batch-size", type=positive_int, default=64, help="pairs per step")
    tj.add_argument("--lr", type=float, default=3e-5, help="learning rate")
    tj.add_argument("--temperature", type=float, default=0.05, help="contrastive temperature")
    tj.add_argument(
        "--max-seq-length", type=positive_int, default=128, help="tokens per text (default 128)"
    )
    tj.add_argument("--max-pairs", type=positive_int, help="train on at most this many pairs")
    tj.add_argument("--no-hard-negatives", action="store_true", help="no BM25 negatives")
    tj.add_argument(
        "--dense-negatives",
        action="store_true",
        help="add, per pair, the starting model's nearest other formal text scoring below "
        "0.95 x its own",
    )
    tj.add_argument("--seed", type=int, default=0, help="random seed")
    tj.add_argument(
        "--projection-dim", type=positive_int, help="add a linear projection head of this size"
    )
    tj.add_argument(
        "--text-view",
        choices=TEXT_VIEWS,
        default="latex-symbols",
        help="latex-symbols (default): Lean symbols the encoder's vocabulary lacks (∀ ℕ ∑ ≠ ...)"
        " written as LaTeX on both sides; raw: texts as they are",
    )
    add_json(tj)
    tj.set_defaults(func=cmd_train_joint)

    tq = sub.add_parser(
        "train-query",
        help="tune a lookup query encoder against an index's theorem vectors (no re-embedding)",
    )
    add_index(tq)
    tq.add_argument("--out", required=True, help="directory the trained encoder is written to")
    tq.add_argument("--steps", type=positive_int, default=1400, help="training steps")
    tq.add_argument("--batch-size", type=positive_int, default=32, help="queries per step")
    tq.add_argument("--lr", type=float, default=4e-5, help="learning rate")
    tq.add_argument(
        "--renderings",
        type=positive_int,
        default=80_000,
        help="theorems whose English rendering becomes a training query (default 80000)",
    )
    tq.add_argument(
        "--exclude-bench",
        action="append",
        help="lookup set (JSONL with `gold`) whose gold theorems are never trained on",
    )
    tq.add_argument(
        "--dev", help="lookup set whose dev half is measured before and after (dense R@10)"
    )
    tq.add_argument(
        "--init",
        help="continue from this train-query model (trained against the same theorem vectors) "
        "instead of starting from the theorem model",
    )
    tq.add_argument("--seed", type=int, default=0, help="random seed")
    add_json(tq)
    tq.set_defaults(func=cmd_train_query)

    ts = sub.add_parser(
        "train-static",
        help="distil a static document encoder from an index's vectors (for "
        "`index --encoder-backend static`)",
    )
    add_index(ts)
    ts.add_argument("--out", required=True, help="directory the static encoder is written to")
    ts.add_argument(
        "--corpus", choices=["definitions", "theorems"], default="theorems", help="whose vectors"
    )
    ts.add_argument("--epochs", type=positive_int, default=3, help="passes over the texts")
    ts.add_argument(
        "--buckets",
        type=int,
        default=131_072,
        help="token-pair buckets (default 131072; 0: single tokens only)",
    )
    ts.add_argument(
        "--exclude-bench",
        action="append",
        help="lookup set (JSONL with `gold`) whose gold declarations are never trained on",
    )
    ts.add_argument(
        "--query-pairs",
        type=int,
        default=20_000,
        help="theorems: queries mined from the index (docstrings, English renderings) that "
        "must find their theorem (default 20000; 0: the cosine alone)",
    )
    ts.add_argument("--dev", help="lookup set whose dev half is measured (dense R@10)")
    ts.add_argument("--seed", type=int, default=0, help="random seed")
    add_json(ts)
    ts.set_defaults(func=cmd_train_static)
