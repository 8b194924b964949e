"""Retrieval-grounded formalization of natural-language statements (issue: `formalize`)."""
