from indexer.lexer import lex


def test_code_keeps_offsets_and_blanks_comments_and_strings() -> None:
    src = 'def a := "x -- y" -- tail\n/- nested /- inner -/ still -/ def b := 1\n'
    out = lex(src)
    assert len(out.code) == len(src)
    assert "tail" not in out.code and "nested" not in out.code and "x -- y" not in out.code
    assert "def b := 1" in out.code
    assert out.code.count("\n") == src.count("\n")


def test_doc_comments_and_module_docs_are_collected() -> None:
    out = lex("/-! # Module\ntext -/\n/-- Doc of\n  `f`. -/\ndef f := 1\n")
    kinds = [(d.kind, d.text) for d in out.docs]
    assert kinds == [("module_doc", "# Module\ntext"), ("doc", "Doc of\n`f`.")]


def test_char_literals_raw_strings_and_primes() -> None:
    out = lex("def c := '\"' def r := r#\"a \" b\"# theorem mul_comm' : x' = x' := rfl")
    assert "mul_comm'" in out.code and "x' = x'" in out.code
    assert 'a " b' not in out.code


def test_unterminated_comment_is_reported_not_raised() -> None:
    out = lex("def a := 1\n/- never closed\ndef b := 2")
    assert out.problems and out.problems[0][1] == "unterminated comment"
    assert out.line_of(out.problems[0][0]) == 2
