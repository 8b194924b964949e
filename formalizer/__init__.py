"""Retrieval-grounded formalization of natural-language statements into Lean 4 + Mathlib.

The public names load on first use (PEP 562), so that importing a text-only module of this
package (`formalizer.statement`, `formalizer.security`, ...) does not load the retrieval stack
(faiss, bm25s) that `formalize` needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from formalizer.batch import BatchItem, formalize_batch
    from formalizer.models import Candidate, Formalization
    from formalizer.pipeline import Resources, Settings, formalize, open_resources

_HOME = {
    "BatchItem": "formalizer.batch",
    "formalize_batch": "formalizer.batch",
    "Resources": "formalizer.pipeline",
    "Settings": "formalizer.pipeline",
    "formalize": "formalizer.pipeline",
    "open_resources": "formalizer.pipeline",
    "Candidate": "formalizer.models",
    "Formalization": "formalizer.models",
}
__all__ = [
    "BatchItem",
    "Candidate",
    "Formalization",
    "Resources",
    "Settings",
    "formalize",
    "formalize_batch",
    "open_resources",
]


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'formalizer' has no attribute {name!r}")
