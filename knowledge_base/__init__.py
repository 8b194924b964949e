"""The store of declarations, names, dependencies, renames and concepts built from Lean sources."""

from knowledge_base.store import IndexOpenError, KnowledgeBase

__all__ = ["IndexOpenError", "KnowledgeBase"]
