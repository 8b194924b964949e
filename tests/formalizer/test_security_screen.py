import pytest

from formalizer.security import UnsafeLeanError, require_safe, screen

SAFE = "import Mathlib\nopen Real\ntheorem t (x : ℝ) : x ≤ |x| := by sorry"


def test_a_plain_statement_passes() -> None:
    assert screen(SAFE).allowed


@pytest.mark.parametrize(
    "code, why",
    [
        ('#eval IO.println "hi"', "runs code"),
        ('run_cmd Lean.logInfo "x"', "metaprogram"),
        ("def f : IO Unit := pure ()", "`IO`"),
        ("unsafe def f : Nat := 1", "unsafe"),
        ('@[extern "c_fn"] opaque f : Nat → Nat', "extern"),
        ("import Mathlib\nimport Evil.Module", "outside the project"),
        ('def g := System.FilePath.mk "/etc/passwd"', "file system"),
        ('elab "x" : term => pure default', "elaborators"),
        ("axiom cheat : False", "axiom"),
        ("theorem t : 2 + 2 = 4 := by native_decide", "native_decide"),
        ('macro "go" : tactic => `(tactic| rfl)', "syntax"),
    ],
)
def test_dangerous_commands_are_refused(code: str, why: str) -> None:
    result = screen(code)
    assert not result.allowed
    assert any(why in p for p in result.problems), result.problems


def test_comments_and_strings_do_not_trigger_and_cannot_hide() -> None:
    assert screen('-- #eval 1\n/- run_cmd foo -/\ntheorem t : "IO" = "IO" := by sorry').allowed
    assert not screen("/- comment -/ #eval 1").allowed


def test_project_imports_can_be_allowed() -> None:
    assert screen("import MyProject.Basic", ("Mathlib", "MyProject")).allowed
    with pytest.raises(UnsafeLeanError, match="refused to send to Lean"):
        require_safe("#eval 1")
