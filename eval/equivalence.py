"""Equivalence judges behind one interface, and the benchmark runner that scores them.

Judges return a `Verdict` (equivalent or not, or None when they cannot tell; a score; the
evidence):
- `StructuralJudge`: equal normal forms (`formalizer.normal_form`); sound, incomplete.
- `EmbeddingJudge`: cosine similarity of the two Lean statements (and of the informal text and
  the candidate) under an encoder, with a threshold calibrated on development pairs.
- `BEqJudge` (`eval/beq.py`): RAutoformalizer's BEq through a `LeanChecker`; only with Lean.
- `CombinedJudge`: structural first (equal -> equivalent); then BEq when Lean is configured;
  otherwise the embedding judge at a high-precision threshold.

    autoformalizer eval equivalence --index DIR --pairs FILE.jsonl --json OUT
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
from pydantic import BaseModel, Field

from formalizer.normal_form import normal_form
from formalizer.statement import StatementError
from indexer.errors import UserError
from indexer.jsonl import iter_jsonl, stable_id, validated
from indexer.lean_terms.syntax import NO_OPERATORS

if TYPE_CHECKING:
    from formalizer.identifiers import IdentifierChecker


class Verdict(BaseModel):
    judge: str
    equivalent: bool | None  # None: this judge cannot tell
    score: float
    evidence: list[str] = Field(default_factory=list)


class EquivalenceJudge(Protocol):
    name: str

    def judge(
        self, reference: str, candidate: str, header: str = "", informal: str = ""
    ) -> Verdict: ...


class StructuralJudge:
    """Equal normal forms. With `names` (an identifier checker over the index), global names
    are first written out in full under the pair's header (`formalizer/statement_names.py`), so
    `card G` under `open Fintype` meets `Fintype.card G`, and operators are read with the
    precedences the index's notation declares."""

    name = "structural"

    def __init__(self, names: IdentifierChecker | None = None) -> None:
        self.names = names

    def _qualified(self, statement: str, header: str) -> str:
        if self.names is None:
            return statement
        from formalizer.statement_names import qualify_names

        return qualify_names(statement, header, self.names)

    def judge(
        self, reference: str, candidate: str, header: str = "", informal: str = ""
    ) -> Verdict:
        try:
            reference = self._qualified(reference, header)
            candidate = self._qualified(candidate, header)
            ops = self.names.kb.operators() if self.names is not None else NO_OPERATORS
            a = normal_form(reference, strict=True, operators=ops)
            b = normal_form(candidate, strict=True, operators=ops)
        except StatementError as e:
            return Verdict(judge=self.name, equivalent=False, score=0.0, evidence=[str(e)])
        if a == b:
            evidence = [f"same normal form: {a}"]
            return Verdict(judge=self.name, equivalent=True, score=1.0, evidence=evidence)
        evidence = [f"normal forms differ: {a!r} vs {b!r}"]
        return Verdict(judge=self.name, equivalent=False, score=0.0, evidence=evidence)


class EmbeddingJudge:
    """Lean<->Lean cosine (and NL<->Lean when the informal text is given, averaged in with
    weight `nl_weight`), compared with `threshold`."""

    def __init__(
        self,
        encode: Callable[[list[str]], np.ndarray],
        threshold: float = 0.95,
        nl_weight: float = 0.0,
        name: str = "embedding",
        cache: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.encode = encode
        self.threshold = threshold
        self.nl_weight = nl_weight
        self.name = name
        self._cache: dict[str, np.ndarray] = {} if cache is None else cache  # shareable

    @property
    def cache(self) -> dict[str, np.ndarray]:
        return self._cache

    def prefetch(self, rows: list[dict]) -> None:
        """Encode every text of `rows` in one batch (one call per pair is many times slower)."""
        from retrieval.joint_embedding import formal_text

        texts = [formal_text(r[k]) for r in rows for k in ("reference", "candidate")]
        self._vec(texts + [r["informal"] for r in rows if r.get("informal")])

    def _vec(self, texts: list[str]) -> list[np.ndarray]:
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if todo:
            for t, v in zip(todo, self.encode(todo)):
                self._cache[t] = v
        return [self._cache[t] for t in texts]

    def score(self, reference: str, candidate: str, informal: str = "") -> float:
        from retrieval.joint_embedding import formal_text

        ref, cand = formal_text(reference), formal_text(candidate)
        if self.nl_weight and informal:
            r, c, n = self._vec([ref, cand, informal])
            return float((1 - self.nl_weight) * r @ c + self.nl_weight * n @ c)
        r, c = self._vec([ref, cand])
        return float(r @ c)

    def judge(
        self, reference: str, candidate: str, header: str = "", informal: str = ""
    ) -> Verdict:
        s = self.score(reference, candidate, informal)
        return Verdict(
            judge=self.name,
            equivalent=s >= self.threshold,
            score=s,
            evidence=[f"similarity {s:.4f} vs threshold {self.threshold:.4f}"],
        )

    def calibrate(
        self, rows: list[dict], min_precision: float | None = None, min_support: int = 5
    ) -> float:
        """Best-accuracy threshold on `rows`; with `min_precision`, the lowest threshold whose
        positives on `rows` reach that precision with at least `min_support` true positives,
        or infinity (never says "equivalent") when none does."""
        scores = np.array(
            [self.score(r["reference"], r["candidate"], r.get("informal", "")) for r in rows]
        )
        labels = np.array([bool(r["label"]) for r in rows])
        if min_precision is not None:
            self.threshold = float("inf")
            for t in np.unique(scores):  # ascending: the first that qualifies is the lowest
                pred = scores >= t
                tp = int(np.sum(pred & labels))
                if tp >= min_support and tp / int(pred.sum()) >= min_precision:
                    self.threshold = float(t)
                    break
            return self.threshold
        best, best_t = -1.0, self.threshold
        for t in np.unique(scores):
            acc = float(np.mean((scores >= t) == labels))
            if acc > best:
                best, best_t = acc, float(t)
        self.threshold = best_t
        return self.threshold


class CombinedJudge:
    name = "combined"

    def __init__(
        self,
        structural: StructuralJudge,
        embedding: EmbeddingJudge | None = None,
        beq: EquivalenceJudge | None = None,
    ) -> None:
        self.structural = structural
        self.embedding = embedding
        self.beq = beq

    def judge(
        self, reference: str, candidate: str, header: str = "", informal: str = ""
    ) -> Verdict:
        s = self.structural.judge(reference, candidate, header, informal)
        if s.equivalent:
            return s.model_copy(update={"judge": self.name})
        for other in (self.beq, self.embedding):
            if other is None:
                continue
            v = other.judge(reference, candidate, header, informal)
            if v.equivalent is not None:
                return Verdict(
                    judge=self.name,
                    equivalent=v.equivalent,
                    score=v.score,
                    evidence=s.evidence + v.evidence,
                )
        return s.model_copy(update={"judge": self.name})


def metrics(labels: list[bool], preds: list[bool | None]) -> dict[str, float | int | None]:
    """Accuracy, precision, recall; an undecided verdict counts as "not equivalent". Precision
    is None when the judge called nothing equivalent (undefined, not perfect)."""
    p = [bool(x) for x in preds]
    tp = sum(a and b for a, b in zip(labels, p))
    fp = sum(b and not a for a, b in zip(labels, p))
    fn = sum(a and not b for a, b in zip(labels, p))
    n = len(labels)
    return {
        "accuracy": (n - fp - fn) / n if n else 0.0,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "items": n,
    }


def split_calibration(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """A deterministic half split by the source item (so rewrites of one gold statement stay on
    one side): thresholds are fitted on the first half, figures reported on the second."""

    def side(r: dict) -> int:
        item = r["id"].rsplit("/", 1)[0]
        return hashlib.sha1(item.encode()).digest()[0] % 2

    return [r for r in rows if side(r) == 0], [r for r in rows if side(r) == 1]


class PairsFileError(UserError, ValueError):
    """A file of labelled pairs that cannot be read."""


class EquivalencePair(BaseModel):
    """One labelled pair: is `candidate` a faithful restatement of `reference`? Every producer
    (`eval.equivalence_pairs`, `eval.human_equivalence`, `eval.proofnetverif`) writes these."""

    id: str | int | None = None
    reference: str
    candidate: str
    label: bool
    header: str = ""
    informal: str = ""
    kind: str = ""  # the rewrite that made a synthetic pair, for per-kind figures
    source: str = ""


def read_pairs(path: Path) -> list[dict]:
    rows = []
    for lineno, r in iter_jsonl(path, PairsFileError, "pairs"):
        pair = validated(EquivalencePair, r, f"{path}:{lineno}", PairsFileError)
        row = {**r, **pair.model_dump()}
        ident = pair.id if pair.id is not None else stable_id(f"{pair.reference}\n{pair.candidate}")
        row["id"] = str(ident)
        rows.append(row)
    if not rows:
        raise PairsFileError(f"{path} holds no pairs")
    return rows


def evaluate(rows: list[dict], judges: list[EquivalenceJudge]) -> dict:
    labels = [bool(r["label"]) for r in rows]
    out: dict = {"metrics": {}, "per_judge": {}, "by_kind": {}}
    verdicts: dict[str, list[Verdict]] = {}
    for j in judges:
        verdicts[j.name] = [
            j.judge(r["reference"], r["candidate"], r["header"], r["informal"]) for r in rows
        ]
        out["per_judge"][j.name] = metrics(labels, [v.equivalent for v in verdicts[j.name]])
    main = judges[0].name
    out["metrics"] = out["per_judge"][main]
    kinds = sorted({r.get("kind", "") for r in rows})
    for kind in kinds:
        idx = [i for i, r in enumerate(rows) if r.get("kind", "") == kind]
        out["by_kind"][kind or "-"] = {
            j.name: metrics([labels[i] for i in idx], [verdicts[j.name][i].equivalent for i in idx])
            for j in judges
        }
    out["scores"] = {
        name: [[v.score, labels[i]] for i, v in enumerate(vs)] for name, vs in verdicts.items()
    }
    return out


def markdown(report: dict) -> str:
    lines = ["| judge | accuracy | precision | recall | items |", "|---|---|---|---|---|"]
    for name, m in report["per_judge"].items():
        precision = "n/a" if m["precision"] is None else f"{m['precision']:.3f}"
        lines.append(
            f"| {name} | {m['accuracy']:.3f} | {precision} | {m['recall']:.3f} | {m['items']} |"
        )
    return "\n".join(lines)


def plot_scores(report: dict, path: Path, judge: str = "embedding") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pairs = report["scores"].get(judge)
    if not pairs:
        return
    pos = [s for s, label in pairs if label]
    neg = [s for s, label in pairs if not label]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist([pos, neg], bins=40, label=["equivalent", "not equivalent"], alpha=0.7)
    ax.set_xlabel(f"{judge} score")
    ax.set_ylabel("pairs")
    ax.legend()
    ax.set_title("Scores of equivalent vs non-equivalent pairs")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
