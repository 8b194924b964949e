"""`autoformalizer check` and `autoformalizer formalize`, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "formalizer"))
from scripted_server import ScriptedLLMServer

ANSWER = "```lean\ntheorem t (G : Type) [Group G] (a : G) : IsSquare (a * a) := by sorry\n```"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AUTOFORMALIZER_")}
    return subprocess.run(
        [sys.executable, "-m", "autoformalizer", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**clean, **(env or {})},
    )


def test_check_reports_items_and_summary(fixture_index: Path, tmp_path: Path) -> None:
    rows = [
        {"id": "ok", "header": "", "formal_statement": "theorem a (n : Nat) : IsSquare n := sorry"},
        {"id": "typo", "header": "", "formal_statement": "theorem b : IsSqare 1 := sorry"},
        {
            "id": "old",
            "header": "",
            "formal_statement": "theorem c : Group.inv_mul_self = Group.inv_mul_self := sorry",
        },
        {"id": "evil", "header": "", "formal_statement": "theorem d : True := by native_decide"},
    ]
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out.json"
    proc = run(
        "check", "--index", str(fixture_index), "--input", str(inp), "--json", "--report", str(out)
    )
    assert proc.returncode == 1, proc.stderr  # not everything passed
    summary = json.loads(proc.stdout)["summary"]
    assert summary["items"] == 4 and summary["items_with_unknown"] == 1
    assert summary["items_refused"] == 1 and summary["items_rewritten"] == 1
    report = json.loads(out.read_text())
    by_id = {i["id"]: i for i in report["items"]}
    assert by_id["typo"]["unknown"] == ["IsSqare"] and by_id["ok"]["passed"]
    assert "Group.inv_mul =" in by_id["old"]["statement"]
    assert report["summary"] == summary


def test_check_bad_input(fixture_index: Path, tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": 1}\n')
    proc = run("check", "--index", str(fixture_index), "--input", str(inp))
    assert proc.returncode == 2 and "no `formal_statement`" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_formalize_without_a_model_lists_the_options(retrieval_index: Path) -> None:
    proc = run("formalize", "Every prime is odd", "--index", str(retrieval_index))
    assert proc.returncode == 2
    assert "no language model is configured" in proc.stderr and "smollm2" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_formalize_one_and_a_batch(retrieval_index: Path, tmp_path: Path) -> None:
    with ScriptedLLMServer(default=lambda b: {"answers": [ANSWER] * b["n"]}) as srv:
        spec = f"openai:m@{srv.url}"
        proc = run(
            "formalize",
            "The square of an element is a square",
            "--index",
            str(retrieval_index),
            "--llm",
            spec,
            "-n",
            "2",
            "--json",
        )
        assert proc.returncode == 0, proc.stderr
        result = json.loads(proc.stdout)
        assert result["ok"] and result["statement"].startswith("theorem t ")
        inp = tmp_path / "in.jsonl"
        inp.write_text('{"id": "a", "text": "squares"}\n{"id": "b", "text": "more squares"}\n')
        out = tmp_path / "out.jsonl"
        env = {"AUTOFORMALIZER_LLM": spec}
        proc = run(
            "formalize",
            "--input",
            str(inp),
            "--out",
            str(out),
            "--index",
            str(retrieval_index),
            "-n",
            "1",
            env=env,
        )
        assert proc.returncode == 0, proc.stderr
        assert "2 formalized" in proc.stderr
        proc = run(
            "formalize",
            "--input",
            str(inp),
            "--out",
            str(out),
            "--index",
            str(retrieval_index),
            "-n",
            "1",
            env=env,
        )
        assert "0 formalized" in proc.stderr and "2 already in" in proc.stderr
    assert len(out.read_text().splitlines()) == 2


def test_formalize_argument_errors(retrieval_index: Path) -> None:
    proc = run("formalize", "--index", str(retrieval_index))
    assert proc.returncode == 2 and "give a statement" in proc.stderr
    proc = run("formalize", "x", "--index", "/nonexistent/idx", "--llm", "openai:m@http://h/v1")
    assert proc.returncode == 2 and "no index at" in proc.stderr


class RecordingChecker:
    """A checker that only records being closed (the commands below fail before any check)."""

    identity = "recording"

    def __init__(self) -> None:
        self.closed = False

    def check(self, code: str, header: str = ""):
        raise AssertionError("nothing should reach Lean")

    def close(self) -> None:
        self.closed = True


def test_the_lean_checker_is_closed_when_a_command_fails(tmp_path: Path, monkeypatch) -> None:
    from autoformalizer import formalize_cli
    from autoformalizer.cli import main

    bench = tmp_path / "bench.jsonl"
    bench.write_text(
        json.dumps({"name": "a", "informal_statement": "x", "formal_statement": "theorem a : True"})
        + "\n"
    )
    missing = str(tmp_path / "no-index")
    commands = [
        ["formalize", "Every group is a monoid.", "--index", missing],
        ["eval", "formalization", "--bench", str(bench), "--index", missing, "--out", "o"],
    ]
    for argv in commands:
        checker = RecordingChecker()
        monkeypatch.setattr(formalize_cli, "make_checker", lambda args, c=checker: c)
        assert main(argv) == 2, argv
        assert checker.closed, argv
