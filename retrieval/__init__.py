"""Dense and BM25 retrieval over the knowledge base (issue: hybrid concept retrieval)."""
