"""Importing a text-only module loads no retrieval or model stack; the layers never import
upward."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("torch", "faiss", "bm25s", "transformers", "sentence_transformers", "onnxruntime")
TEXT_ONLY = [
    "formalizer.statement",
    "formalizer.security",
    "formalizer.identifiers",
    "formalizer.selection",
    "formalizer.checks",
    "formalizer.normal_form",
    "eval.equivalence",
    "indexer.lean_terms",
    "knowledge_base",
    "retrieval.math_text",
]
ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["indexer", "knowledge_base", "retrieval", "formalizer", "eval", "autoformalizer"]


@pytest.mark.parametrize("module", TEXT_ONLY)
def test_text_only_modules_load_no_heavy_package(module: str) -> None:
    code = f"import sys, {module}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"{module} loads {out.stdout.strip()}"


def test_the_public_formalizer_names_still_resolve() -> None:
    import formalizer

    assert callable(formalizer.formalize) and formalizer.formalize.__name__ == "formalize"
    assert formalizer.BatchItem.__name__ == "BatchItem"
    with pytest.raises(AttributeError, match="no attribute"):
        formalizer.not_a_name  # noqa: B018


def test_no_layer_imports_a_higher_one() -> None:
    upward = []
    for rank, layer in enumerate(LAYERS):
        higher = set(LAYERS[rank + 1 :])
        for path in (ROOT / layer).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                upward += [
                    f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in higher
                ]
    assert upward == []
