"""Benchmarks: retrieval Recall@k, equivalence judges, BEq and reports."""
