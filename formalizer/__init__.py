"""Retrieval-grounded formalization of natural-language statements into Lean 4 + Mathlib."""

from formalizer.batch import BatchItem, formalize_batch
from formalizer.formalize import Resources, Settings, formalize, open_resources
from formalizer.models import Candidate, Formalization

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
