"""Static document encoders: a table of token vectors, and of token-pair vectors, distilled
from a sentence encoder's own document vectors (`retrieval.static_distill`).

A document's vector is the sum of its WordPiece tokens' rows plus the sum of its adjacent
token pairs' rows (hashed into buckets, stored low-rank with a projection), normalised. No
network runs: on 2 CPU cores it embeds Mathlib's 218k theorems in seconds instead of the
encoder's 45 minutes, at a measured cost in lookup quality (`docs/results.md`). Queries are
still encoded by the encoder the table was distilled from, so they land in the same space.

A model is a folder: `model.safetensors` (fp16 `tokens`, `pairs`, `pairs_projection`),
`tokenizer.json` (the teacher's) and `training.json`, whose `teacher_weights` names the
encoder weights it imitates; `find_static` picks a table by those weights.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from indexer.errors import UserError

STATIC_MODELS_DIR = Path(__file__).parent / "static_models"
WEIGHTS_FILE = "model.safetensors"
TOKENIZER_FILE = "tokenizer.json"
CARD_FILE = "training.json"
_PAIR_MULTIPLIER = 1_000_003  # pair (a, b) -> bucket (a * M + b) mod buckets


class StaticModelError(UserError, ValueError):
    """A folder that is not a static encoder, or no table for an encoder."""


def token_ids(tokenizer: object, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(flat token ids, offsets of each text's first id; len(texts) + 1 entries), without the
    special tokens, truncated as the teacher truncates (the tokenizer's settings)."""
    encodings = tokenizer.encode_batch(list(texts))  # type: ignore[attr-defined]
    parts = [
        np.asarray(e.ids, dtype=np.int64)[np.asarray(e.special_tokens_mask, dtype=bool) == 0]
        for e in encodings
    ]
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return flat, offsets


def pair_buckets(
    ids: np.ndarray, offsets: np.ndarray, buckets: int
) -> tuple[np.ndarray, np.ndarray]:
    """(bucket of each adjacent token pair inside one text, offsets of each text's first pair).
    A text of n tokens has n - 1 pairs; no pair crosses two texts."""
    n = len(offsets) - 1
    if len(ids) == 0 or buckets <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(n + 1, dtype=np.int64)
    keep = np.ones(len(ids), dtype=bool)
    ends = offsets[1:][offsets[1:] > offsets[:-1]] - 1  # each nonempty text's last token
    keep[ends] = False
    first = np.flatnonzero(keep)
    hashed = (ids[first] * _PAIR_MULTIPLIER + ids[first + 1]) % buckets
    counts = np.maximum(offsets[1:] - offsets[:-1] - 1, 0)
    pair_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=pair_offsets[1:])
    return hashed, pair_offsets


def _bag_sums(table: object, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Sum of table[ids[offsets[i]:offsets[i+1]]] for each i (zeros for an empty segment),
    without materialising the gathered rows (torch's embedding bag)."""
    import torch

    return (
        torch.nn.functional.embedding_bag(
            torch.from_numpy(ids), table, torch.from_numpy(offsets[:-1]), mode="sum"
        )
        .numpy()
        .astype(np.float32, copy=False)
    )


class StaticEncoder:
    """Normalised document vectors from a distilled table."""

    def __init__(self, directory: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.directory = Path(directory)
        self.card = read_card(self.directory)
        try:
            tables = load_file(str(self.directory / WEIGHTS_FILE))
            self.tokenizer = Tokenizer.from_file(str(self.directory / TOKENIZER_FILE))
        except Exception as exc:  # a missing or damaged file: name the folder
            raise StaticModelError(f"static encoder {self.directory}: {exc}") from None
        import torch

        self.tokens = torch.from_numpy(tables["tokens"].astype(np.float32))
        pairs = tables.get("pairs")
        self.pairs = None if pairs is None else torch.from_numpy(pairs.astype(np.float32))
        projection = tables.get("pairs_projection")
        self.projection = None if projection is None else projection.astype(np.float32)
        self.max_seq_length = int(self.card.get("max_seq_length", 128))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_seq_length)
        self.dim = int(self.tokens.shape[1])

    def encode(self, texts: Sequence[str], batch_size: int = 8192) -> np.ndarray:
        """One unit row per text (a text without tokens gets a zero row)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            out[start : start + batch_size] = self._encode(texts[start : start + batch_size])
        return out

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        ids, offsets = token_ids(self.tokenizer, texts)
        vecs = _bag_sums(self.tokens, ids, offsets)
        if self.pairs is not None and self.projection is not None:
            buckets, pair_offsets = pair_buckets(ids, offsets, len(self.pairs))
            vecs += _bag_sums(self.pairs, buckets, pair_offsets) @ self.projection
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)


def read_card(directory: Path) -> dict:  # type: ignore[type-arg]
    try:
        card = json.loads((Path(directory) / CARD_FILE).read_text())
    except (OSError, ValueError):
        raise StaticModelError(
            f"{directory} is not a static encoder (no readable {CARD_FILE}); make one with "
            "`autoformalizer train-static`"
        ) from None
    if not isinstance(card, dict) or "teacher_weights" not in card:
        raise StaticModelError(f"{directory}/{CARD_FILE} names no teacher_weights")
    return card


def find_static(teacher_weights: str | None, extra: Iterable[Path] = ()) -> Path | None:
    """The static encoder distilled from these encoder weights: among `extra` folders first,
    then the shipped ones."""
    if teacher_weights is None:
        return None
    shipped = sorted(STATIC_MODELS_DIR.iterdir()) if STATIC_MODELS_DIR.is_dir() else []
    for directory in [*extra, *(p for p in shipped if (p / CARD_FILE).is_file())]:
        if read_card(directory)["teacher_weights"] == teacher_weights:  # a bad folder: an error
            return Path(directory)
    return None
