"""The `autoformalizer` command line, run as a user would."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURE_PROJECT, copy_project, git_repo

from autoformalizer.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autoformalizer", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory: pytest.TempPathFactory, fixture_project: Path) -> Path:
    out = tmp_path_factory.mktemp("cli") / "idx"
    proc = run(
        "index",
        "--mathlib",
        str(fixture_project),
        "--out",
        str(out),
        "--no-history",
        "--quiet",
        "--workers",
        "1",
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["declarations"] > 50 and summary["out"] == str(out)
    return out


def test_kb_stats(cli_index: Path) -> None:
    proc = run("kb", "stats", "--index", str(cli_index), "--json")
    stats = json.loads(proc.stdout)
    assert stats["by_kind"]["class"] >= 4
    text = run("kb", "stats", "--index", str(cli_index)).stdout
    assert text.startswith("declarations:")


def test_kb_show(cli_index: Path) -> None:
    proc = run("kb", "show", "Group", "--index", str(cli_index), "--json")
    info = json.loads(proc.stdout)
    assert info["kind"] == "class" and "Monoid" in info["dependencies"]
    text = run("kb", "show", "continuous_id", "--index", str(cli_index)).stdout
    assert "theorem continuous_id" in text
    # a deprecated declaration is shown, with what to use instead
    proc = run("kb", "show", "Group.inv_mul_self", "--index", str(cli_index))
    assert "theorem Group.inv_mul_self" in proc.stdout
    assert "deprecated; use Group.inv_mul" in proc.stderr


def test_kb_resolve(cli_index: Path) -> None:
    proc = run("kb", "resolve", "inv_mul", "--open", "Group", "--index", str(cli_index), "--json")
    assert json.loads(proc.stdout)["name"] == "Group.inv_mul"
    proc = run("kb", "resolve", "inv_mul", "--index", str(cli_index))
    assert proc.returncode == 1 and "unknown" in proc.stdout and "did you mean" in proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["kb", "stats", "--index", "/nonexistent/idx"], "no index at /nonexistent/idx"),
        (["kb", "show", "x", "--index", "/nonexistent/idx"], "no index at"),
        (["index", "--mathlib", "/nonexistent/src", "--out", "/tmp/x"], "does not exist"),
        (["index", "--mathlib", "/etc/hostname", "--out", "/tmp/x"], "is not a directory"),
        (
            [
                "index",
                "--mathlib",
                str(FIXTURE_PROJECT),
                "--leandojo",
                "/nonexistent.jsonl",
                "--out",
                "/tmp/x",
            ],
            "does not exist",
        ),
    ],
)
def test_bad_input_is_one_clear_line(args: list[str], message: str, tmp_path: Path) -> None:
    # a fresh --out: the input's error must not depend on what a shared /tmp holds
    args = [str(tmp_path / "idx") if a == "/tmp/x" else a for a in args]
    proc = run(*args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in proc.stderr


def test_unknown_declaration_in_show(cli_index: Path) -> None:
    proc = run("kb", "show", "no_such_decl", "--index", str(cli_index))
    assert proc.returncode == 2 and "no declaration named no_such_decl" in proc.stderr


def test_argparse_errors_exit_2(capsys) -> None:
    assert main(["kb", "frobnicate"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "invalid choice: 'frobnicate'" in err[0]


def test_index_without_mathlib_clones_a_pinned_revision(tmp_path: Path, monkeypatch) -> None:
    src = copy_project(tmp_path / "src")
    repo = git_repo(src, [{"README": "fixture"}])
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)
    rev = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    monkeypatch.setenv("AUTOFORMALIZER_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "idx"
    code = main(
        [
            "index",
            "--mathlib-url",
            f"file://{bare}",
            "--mathlib-rev",
            rev,
            "--out",
            str(out),
            "--quiet",
            "--workers",
            "1",
            "--no-history",
        ]
    )
    assert code == 0
    assert (tmp_path / "cache" / "autoformalizer" / f"mathlib4-{rev[:12]}" / "FixtureLib").is_dir()
    from knowledge_base import KnowledgeBase

    with KnowledgeBase.open(out) as kb:
        assert kb.manifest.roots[0].commit == rev


def test_index_from_index_rebuilds_only_retrieval(cli_index: Path, tmp_path: Path) -> None:
    out = tmp_path / "swapped"
    shutil.copytree(cli_index, out)
    (out / "old.txt").write_text("left by the previous index")  # replaced as a whole
    proc = run("index", "--from-index", str(cli_index), "--out", str(out), "--quiet", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["from"] == str(cli_index)
    assert not (out / "old.txt").exists()
    assert (out / "kb.sqlite").read_bytes() == (cli_index / "kb.sqlite").read_bytes()
    meta = json.loads((out / "retrieval" / "meta.json").read_text())
    assert meta["dense"]["definitions"]["n"] > 10
    # the curated titles (docs/100.yaml "Two facts") come from the knowledge base, not from a
    # Mathlib checkout the rebuild is never given
    lexicon = json.loads((out / "retrieval" / "lexicon.json").read_text())
    assert lexicon == json.loads((cli_index / "retrieval" / "lexicon.json").read_text())
    assert "Fixture.Logic.logic_fact" in lexicon["fact"]  # "Two facts", stop word dropped
    query = ["search", "continuous functions", "-k", "3", "--json", "--index"]
    before = json.loads(run(*query, str(cli_index)).stdout)
    after = json.loads(run(*query, str(out)).stdout)
    assert [h["name"] for h in after] == [h["name"] for h in before]
    assert not list(tmp_path.glob(".swapped.tmp-*"))


def test_index_dense_view_formal_embeds_signatures(cli_index: Path, tmp_path: Path) -> None:
    out = tmp_path / "formal"
    proc = run(
        "index",
        "--from-index",
        str(cli_index),
        "--out",
        str(out),
        "--dense-view",
        "formal",
        "--quiet",
    )
    assert proc.returncode == 0, proc.stderr
    meta = json.loads((out / "retrieval" / "meta.json").read_text())
    assert meta["views"]["dense"] == "formal"
    before = json.loads((cli_index / "retrieval" / "meta.json").read_text())
    assert before["views"]["dense"] == "informal"
    vectors = [np.load(d / "retrieval" / "dense-definitions.npy") for d in (cli_index, out)]
    assert vectors[0].shape == vectors[1].shape and not np.allclose(*vectors)
    hits = json.loads(run("search", "continuous functions", "--json", "--index", str(out)).stdout)
    assert hits  # the index answers; its dense half now matches signatures


def test_index_from_index_errors(tmp_path: Path) -> None:
    proc = run("index", "--from-index", str(tmp_path / "none"), "--out", str(tmp_path / "o"))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "none" in proc.stderr
    proc = run("index", "--from-index", str(tmp_path), "--root", ".", "--out", str(tmp_path / "o"))
    assert proc.returncode != 0 and "no --root" in proc.stderr


def test_missing_input_named_before_the_output_is_judged(tmp_path: Path) -> None:
    """A wrong input is the first thing to fix, even when --out also needs --force."""
    taken = tmp_path / "userdata"
    taken.mkdir()
    (taken / "precious.txt").write_text("keep")
    proc = run("index", "--library", str(tmp_path / "missing.jsonl"), "--out", str(taken))
    assert proc.returncode == 2 and "--library" in proc.stderr and "does not exist" in proc.stderr
    assert (taken / "precious.txt").read_text() == "keep"


def test_informalized_descriptions_are_searchable_after_from_index(
    cli_index: Path, tmp_path: Path
) -> None:
    """The LeanSearch-style path end to end: a model describes undocumented declarations
    (`informalize`, against a scripted OpenAI-compatible server), `index --from-index`
    rebuilds retrieval, and a query in the model's words finds the declaration."""
    sys.path.insert(0, str(Path(__file__).parent / "formalizer"))
    from scripted_server import ScriptedLLMServer

    def answer(body: dict) -> dict:
        name = body["messages"][1]["content"].splitlines()[1].split()[0]
        words = "zorblaxian quux identity" if name == "root_level_fact" else "a fact"
        return {"answers": [f"States a {words} of {name}."]}

    src = tmp_path / "src"
    shutil.copytree(cli_index, src)
    query = ["search", "zorblaxian quux", "--corpus", "all", "-k", "3", "--json", "--index"]
    assert "root_level_fact" not in [h["name"] for h in json.loads(run(*query, str(src)).stdout)]
    with ScriptedLLMServer(default=answer) as server:
        proc = run(
            "informalize",
            "--index",
            str(src),
            "--llm",
            f"openai:m@{server.url}",
            "--cache",
            str(tmp_path / "cache.jsonl"),
            "--quiet",
        )
    assert proc.returncode == 0, proc.stderr
    assert "descriptions stored" in proc.stdout and "--from-index" in proc.stderr
    out = tmp_path / "described"
    proc = run("index", "--from-index", str(src), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    hits = json.loads(run(*query, str(out)).stdout)
    assert hits[0]["name"] == "root_level_fact"
    assert hits[0]["description_source"] == "model" and "zorblaxian" in hits[0]["description"]


def test_bm25_theorem_view_english_reads_statements_in_words(
    cli_index: Path, tmp_path: Path
) -> None:
    """`--bm25-theorem-view english`: "times" and "equals" are in no declaration's text, only
    in the English rendering of statements such as `1 * a = a`."""
    out = tmp_path / "english"
    proc = run(
        "index", "--from-index", str(cli_index), "--out", str(out), "--quiet",
        "--bm25-theorem-view", "english",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    meta = json.loads((out / "retrieval" / "meta.json").read_text())
    assert meta["views"]["bm25_theorems"] == "english"
    query = ["search", "times equals", "--corpus", "theorems", "-k", "5", "--json", "--index"]
    plain = json.loads(run(*query, str(cli_index)).stdout)
    english = json.loads(run(*query, str(out)).stdout)
    assert not any("bm25" in h["channels"] for h in plain)
    lexical = [h for h in english if "bm25" in h["channels"]]
    # `*` reads "times", `•` "scalar times"
    assert lexical and all(
        "=" in h["signature"] and ("*" in h["signature"] or "•" in h["signature"]) for h in lexical
    )
