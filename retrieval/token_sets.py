"""The distinct math-aware tokens of every document's statement and description, read once.

The reranker asks, for the best candidates of each search, what share of the query's tokens a
candidate's signature and docstring hold (`rerank.feature_matrix`). Tokenizing those texts at
search time was a third of a search's time on a fresh process; the index build tokenizes every
document once and stores the token ids (CSR arrays), and a search counts overlaps with numpy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from retrieval.documents import Doc
from retrieval.math_text import tokenize

TOKEN_SETS_FILE = "token-sets.npz"
FIELDS = ("signature", "about")  # the texts whose tokens are kept, per document


@dataclass(frozen=True)
class TokenSets:
    """Row `r`'s distinct tokens of field `f` are `ids[ptr[2r + f] : ptr[2r + f + 1]]`."""

    vocab: dict[str, int]
    ptr: np.ndarray  # int64, 2 * rows + 1
    ids: np.ndarray  # uint32 token ids

    @classmethod
    def build(cls, docs: Iterable[Doc]) -> TokenSets:
        vocab: dict[str, int] = {}
        ids: list[int] = []
        ptr = [0]
        for d in docs:
            for text in (d.signature, d.about):
                ids += sorted({vocab.setdefault(t, len(vocab)) for t in tokenize(text)})
                ptr.append(len(ids))
        return cls(vocab, np.asarray(ptr, np.int64), np.asarray(ids, np.uint32))

    def save(self, path: Path) -> None:
        words = "\n".join(self.vocab).encode()  # tokens never hold whitespace
        np.savez(path, ptr=self.ptr, ids=self.ids, vocab=np.frombuffer(words, np.uint8))

    @classmethod
    def load(cls, path: Path) -> TokenSets:
        with np.load(path, allow_pickle=False) as data:
            words = data["vocab"].tobytes().decode()
            vocab = {w: i for i, w in enumerate(words.split("\n"))} if words else {}
            return cls(vocab, data["ptr"], data["ids"])

    @property
    def rows(self) -> int:
        return (len(self.ptr) - 1) // 2

    @cached_property
    def idf(self) -> np.ndarray:
        """Each token's inverse document frequency, log(1 + texts / texts holding it), where
        every row's signature and docstring count as two texts."""
        df = np.bincount(self.ids, minlength=len(self.vocab))
        return np.log1p(2 * self.rows / np.maximum(df, 1))

    def coverage(
        self, query: set[str], rows: np.ndarray, field: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each of `rows`, the share of `query`'s tokens its `field` holds, and the same
        share with each token counted by its idf, so `the` or `of` in a sentence weigh little
        and a rare word (`Sylow`, `dvd`) much. Both from one pass over the rows' token ids."""
        known = [self.vocab[t] for t in query if t in self.vocab]
        if not known or not len(rows):
            return np.zeros(len(rows)), np.zeros(len(rows))
        wanted = np.zeros(len(self.vocab), dtype=bool)
        wanted[known] = True
        at = 2 * np.asarray(rows, np.int64) + FIELDS.index(field)
        starts, ends = self.ptr[at], self.ptr[at + 1]
        lengths = ends - starts
        # positions of every row's ids, laid end to end, and the row each one belongs to
        owner = np.repeat(np.arange(len(rows)), lengths)
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        ids = self.ids[starts[owner] + offsets]
        hits = wanted[ids]
        share = np.bincount(owner[hits], minlength=len(rows)) / len(query)
        idf = self.idf
        # a query token no document holds weighs as the rarest token would
        total = idf[known].sum() + (len(query) - len(known)) * math.log1p(2 * self.rows)
        weighted = np.bincount(owner[hits], weights=idf[ids[hits]], minlength=len(rows)) / total
        return share, weighted
