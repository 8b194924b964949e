import json
from pathlib import Path

import pytest

from indexer.leandojo import CorpusError, read_corpus


def test_reads_premises_with_signatures(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps(
            {
                "path": "Mathlib/Algebra/Foo.lean",
                "imports": ["Mathlib/Init.lean"],
                "premises": [
                    {
                        "full_name": "Foo.bar",
                        "code": "theorem bar (n : Nat) : n = n := rfl",
                        "start": [3, 1],
                        "end": [3, 40],
                        "kind": "commands",
                    },
                    {
                        "full_name": "Foo.Baz",
                        "code": "/-- A baz. -/\nstructure Baz where\n  x : Nat",
                        "start": [5, 1],
                        "end": [7, 9],
                        "kind": "structure",
                    },
                ],
            }
        )
        + "\n"
    )
    decls, warnings = read_corpus(corpus)
    assert warnings == []
    bar, baz = decls
    assert (bar.name, bar.kind, bar.signature, bar.line_start) == (
        "Foo.bar",
        "theorem",
        "(n : Nat) : n = n",
        3,
    )
    assert bar.module == "Mathlib.Algebra.Foo" and bar.origin == "leandojo"
    assert baz.kind == "structure" and baz.docstring == "A baz."


def test_code_the_parser_cannot_read_keeps_its_type(tmp_path: Path) -> None:
    code = "weird_command bar (n : Nat := 0) : letI := inst; n = n := rfl"
    premise = {"full_name": "Foo.bar", "code": code, "start": [1, 1], "kind": "theorem"}
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"path": "Foo.lean", "premises": [premise]}) + "\n")
    (bar,), _ = read_corpus(corpus)
    assert bar.signature == "weird_command bar (n : Nat := 0) : letI := inst; n = n"


def test_bad_corpus_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "c.jsonl"
    bad.write_text("{not json\n")
    with pytest.raises(CorpusError, match=r"c\.jsonl:1"):
        read_corpus(bad)
    with pytest.raises(CorpusError, match="does not exist"):
        read_corpus(tmp_path / "none.jsonl")
