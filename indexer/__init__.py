"""Read Lean 4 sources into typed declaration records, without a Lean toolchain."""
