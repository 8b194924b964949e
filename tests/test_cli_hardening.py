"""What a user gets from bad input and faults: one line and status 2, never a traceback, never
lost data, and an index left exactly as it was."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURE_PROJECT

from autoformalizer.cli import build_parser, main
from retrieval.joint_embedding import JOINT_MODEL_DIR

sys.path.insert(0, str(Path(__file__).parent / "formalizer"))
from scripted_server import ScriptedLLMServer

CLI = [sys.executable, "-m", "autoformalizer"]


def run(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AUTOFORMALIZER_")}
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**clean, **(env or {})},
        timeout=timeout,
    )


def one_line_error(code: int, err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith("autoformalizer: error: ") and "Traceback" not in err
    for f in fragments:
        assert f in lines[0], (f, lines[0])


def digest(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# ------------------------------------------------------------------ index --out
def test_index_never_replaces_what_is_not_an_index(tmp_path: Path, fixture_index: Path) -> None:
    lib = tmp_path / "lib.jsonl"
    lib.write_text(json.dumps({"full_name": "foo", "code": "theorem foo : True := trivial"}) + "\n")
    userdata = tmp_path / "userdata"
    userdata.mkdir()
    (userdata / "precious.txt").write_text("keep me")
    proc = run("index", "--library", str(lib), "--out", str(userdata), "--no-embed", "--quiet")
    one_line_error(proc.returncode, proc.stderr, "not an index", "--force")
    assert (userdata / "precious.txt").read_text() == "keep me"
    plain = tmp_path / "plain.txt"
    plain.write_text("a file")
    proc = run("index", "--library", str(lib), "--out", str(plain), "--no-embed", "--quiet")
    one_line_error(proc.returncode, proc.stderr, "is a file")
    assert plain.read_text() == "a file"
    proc = subprocess.run(
        [*CLI, "index", "--library", str(lib), "--out", ".", "--force", "--quiet"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    one_line_error(proc.returncode, proc.stderr, "the current directory")
    # an earlier index, an empty directory and --force are replaced
    earlier = tmp_path / "earlier"
    shutil.copytree(fixture_index, earlier)
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (earlier, empty):
        proc = run("index", "--library", str(lib), "--out", str(out), "--no-embed", "--quiet")
        assert proc.returncode == 0, proc.stderr
        assert (out / "manifest.json").is_file()
    proc = run(
        "index", "--library", str(lib), "--out", str(userdata), "--no-embed", "--quiet", "--force"
    )
    assert proc.returncode == 0 and not (userdata / "precious.txt").exists()


# ------------------------------------------------------------- shown signatures
def test_variable_binders_are_part_of_the_signature(cli_index_kb: Path) -> None:
    proc = run("kb", "show", "Subgroup.Normal", "--index", str(cli_index_kb), "--json")
    assert proc.returncode == 0, proc.stderr
    sig = json.loads(proc.stdout)["signature"]
    assert sig.startswith("{G : Type*}") and "[Group G] (H : Subgroup G)" in sig


@pytest.fixture(scope="module")
def cli_index_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kbonly") / "idx"
    proc = run(
        "index", "--mathlib", str(FIXTURE_PROJECT), "--out", str(out), "--no-history",
        "--no-embed", "--quiet", "--workers", "1",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return out


# --------------------------------------------------------------- damaged files
DAMAGES = {
    "truncated kb.sqlite": ("kb.sqlite", lambda p: p.write_bytes(p.read_bytes()[:5000])),
    "garbage kb.sqlite": ("kb.sqlite", lambda p: p.write_bytes(b"\0" * p.stat().st_size)),
    "missing lexicon": ("retrieval/lexicon.json", lambda p: p.unlink()),
    "truncated lexicon": ("retrieval/lexicon.json", lambda p: p.write_text("{")),
    "truncated vectors": (
        "retrieval/dense-definitions.npy",
        lambda p: p.write_bytes(p.read_bytes()[:200]),
    ),
    "missing docs table": ("retrieval/docs.npz", lambda p: p.unlink()),
    "truncated manifest": ("manifest.json", lambda p: p.write_text('{"schema_version": 2')),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_index_is_named_and_left_alone(
    damage: str, retrieval_index: Path, tmp_path: Path, capsys
) -> None:
    idx = tmp_path / "idx"
    shutil.copytree(retrieval_index, idx)
    rel, hurt = DAMAGES[damage]
    hurt(idx / rel)
    before = digest(idx)
    for argv in (
        ["search", "continuous maps", "--index", str(idx)],
        ["kb", "stats", "--index", str(idx)],
    ):
        code = main(argv)
        err = capsys.readouterr().err
        if argv[0] == "kb" and rel.startswith("retrieval/"):
            assert code == 0  # the knowledge base itself is intact
            continue
        one_line_error(code, err, "damaged", "rebuild")
        assert rel.rpartition("/")[2].split(".")[0] in err
    assert digest(idx) == before


def test_an_index_from_a_newer_release_asks_for_an_upgrade(
    retrieval_index: Path, tmp_path: Path, capsys
) -> None:
    idx = tmp_path / "idx"
    shutil.copytree(retrieval_index, idx)
    manifest = json.loads((idx / "manifest.json").read_text())
    manifest["schema_version"] = 99
    (idx / "manifest.json").write_text(json.dumps(manifest))
    one_line_error(main(["kb", "stats", "--index", str(idx)]), capsys.readouterr().err, "upgrade")


# -------------------------------------------------------------- hostile input
def hostile_cases(tmp: Path, index: Path) -> list[list[str]]:
    nonutf8 = tmp / "latin1.jsonl"
    nonutf8.write_bytes('{"formal_statement": "théorème"}\n'.encode("latin-1"))
    badtypes = tmp / "types.jsonl"
    badtypes.write_text('{"id": 5, "header": 7, "formal_statement": "theorem t : 1 = 1"}\n')
    notjson = tmp / "notjson.jsonl"
    notjson.write_text("{not json\n")
    folder = tmp / "folder"
    folder.mkdir(exist_ok=True)
    missing = str(tmp / "missing")
    bench = tmp / "bench.jsonl"
    bench.write_text('{"query": "continuous maps", "gold": ["Continuous"]}\n')
    badbench = tmp / "badbench.jsonl"
    badbench.write_text('{"query": 3, "gold": "Continuous"}\n')
    i = ["--index", str(index)]
    return [
        ["search", "", *i],
        ["search", "   ", *i],
        ["search", "x", "-k", "-1", *i],
        ["search", "x", "-k", "0", *i],
        ["search", "x", "-k", "many", *i],
        ["search", "x", "--corpus", "nonsense", *i],
        ["search", "x", "--index", missing],
        ["search", "x", "--index", str(bench)],
        ["search", "x", "--cross-encoder", "no-such-org/no-such-model", *i],
        ["search", "x", "--cross-encoder", missing, *i],
        ["kb", "stats", "--index", missing],
        ["kb", "show", "no_such_declaration", *i],
        ["kb", "frobnicate"],
        ["check", "--input", missing, *i],
        ["check", "--input", str(folder), *i],
        ["check", "--input", str(nonutf8), *i],
        ["check", "--input", str(badtypes), *i],
        ["check", "--input", str(notjson), *i],
        ["check", "--input", str(bench), "--report", str(tmp / "nodir" / "r.json"), *i],
        ["eval", "retrieval", "--bench", str(bench), "--k", "0,5", *i],
        ["eval", "retrieval", "--bench", str(bench), "--k", "", *i],
        ["eval", "retrieval", "--bench", str(bench), "--report", str(tmp / "nodir/r.json"), *i],
        ["eval", "retrieval", "--bench", str(badbench), *i],
        ["eval", "retrieval", "--bench", str(nonutf8), *i],
        ["eval", "retrieval", "--bench", str(folder), *i],
        ["eval", "equivalence", "--pairs", missing],
        ["eval", "equivalence", "--pairs", str(notjson)],
        ["eval", "equivalence", "--pairs", str(bench), "--report", str(folder)],
        ["eval", "crossmodal", "--pairs", str(bench), "--bm25-weight", "-1", *i],
        ["eval", "formalization", "--bench", missing, "--out", str(tmp / "o.jsonl"), *i],
        ["eval", "formalization", "--bench", str(bench), "--out", str(tmp / "nodir/o.jsonl"), *i],
        ["formalize", "", *i],
        ["formalize", "x", "--llm", "openai:m@localhost:8000/v1", *i],
        ["formalize", "x", "--llm", "nonsense", *i],
        ["formalize", "x", "--deadline", "-3", *i],
        ["formalize", "x", "--header-file", str(nonutf8), *i],
        ["formalize", "--input", str(badtypes), "--out", str(tmp / "o.jsonl"), *i],
        ["formalize", "--input", str(bench)],
        ["index", "--mathlib", missing, "--out", str(tmp / "new")],
        ["index", "--library", str(nonutf8), "--out", str(tmp / "new")],
        ["index", "--library", str(bench), "--out", str(tmp / "new"), "--workers", "0"],
        ["index", "--from-index", missing, "--out", str(tmp / "new")],
        [
            "index",
            "--from-index",
            str(index),
            "--out",
            str(tmp / "new"),
            "--theorem-query-model",
            missing,
        ],
        ["train-joint", "--out", str(tmp / "m"), "--index", missing],
        ["train-joint", "--out", str(tmp / "m"), "--epochs", "0", *i],
        ["train-query", "--out", str(tmp / "m"), "--index", missing],
        ["train-query", "--out", str(tmp / "m"), "--steps", "0", *i],
        ["train-query", "--out", str(tmp / "m"), "--exclude-bench", missing, *i],
        ["train-query", "--out", str(tmp / "m"), "--dev", str(badbench), *i],
        ["train-query", "--out", str(tmp / "m"), "--init", missing, *i],
        ["train-query", "--out", str(tmp / "m"), "--init", str(JOINT_MODEL_DIR), *i],
        ["train-static", "--out", str(tmp / "m"), "--index", missing],
        ["train-static", "--out", str(tmp / "m"), "--epochs", "0", *i],
        ["train-static", "--out", str(tmp / "m"), "--exclude-bench", missing, *i],
        ["index", "--from-index", str(index), "--out", str(tmp / "new"), "--static-model", missing],
        [
            "index",
            "--from-index",
            str(index),
            "--out",
            str(tmp / "new"),
            "--static-model",
            str(folder),
        ],
    ]


def test_hostile_arguments_get_one_line_and_status_2(
    retrieval_index: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    for key in [k for k in os.environ if k.startswith("AUTOFORMALIZER_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("AUTOFORMALIZER_CACHE", str(tmp_path / "cache"))
    before = digest(retrieval_index)
    for argv in hostile_cases(tmp_path, retrieval_index):
        t = time.perf_counter()
        code = main(argv)
        err = capsys.readouterr().err
        one_line_error(code, err)
        assert time.perf_counter() - t < 30, argv  # no silent minute of retries
    assert digest(retrieval_index) == before
    assert not (tmp_path / "new").exists() and not (tmp_path / "nodir").exists()


def test_arguments_that_are_not_utf8(retrieval_index: Path) -> None:
    proc = subprocess.run(
        [*CLI, "search", b"abc\xff", "--index", str(retrieval_index)],
        capture_output=True,
        check=False,
    )
    one_line_error(proc.returncode, proc.stderr.decode(), "not valid UTF-8")


def test_a_closed_pipe_ends_the_output_quietly(retrieval_index: Path) -> None:
    proc = subprocess.Popen(
        [*CLI, "kb", "stats", "--index", str(retrieval_index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and proc.returncode in (0, 141)


# ---------------------------------------------------------------- conventions
def test_every_option_has_help_and_json_means_stdout(retrieval_index: Path) -> None:
    import argparse

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif action.help is None and action.dest != "help":
                raise AssertionError(f"{path}: {action.option_strings or action.dest} has no help")
            if "--json" in action.option_strings:
                assert action.nargs == 0, f"{path}: --json takes no file (use --report)"

    walk(build_parser(), "autoformalizer")
    i = ["--index", str(retrieval_index)]
    for argv in (
        ["kb", "stats", *i, "--json"],
        ["kb", "show", "Group", *i, "--json"],
        ["kb", "resolve", "inv_mul", "--open", "Group", *i, "--json"],
        ["search", "continuous maps", *i, "--json"],
    ):
        proc = run(*argv)
        assert proc.returncode == 0, proc.stderr
        json.loads(proc.stdout)
        assert "Loading weights" not in proc.stderr and "Traceback" not in proc.stderr


def test_the_index_option_defaults_to_the_environment_then_index(
    retrieval_index: Path, tmp_path: Path
) -> None:
    proc = run("kb", "stats", "--json", env={"AUTOFORMALIZER_INDEX": str(retrieval_index)})
    assert proc.returncode == 0 and json.loads(proc.stdout)["declarations"] > 50
    (tmp_path / "index").symlink_to(retrieval_index)
    proc = subprocess.run(
        [*CLI, "kb", "stats", "--json"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_search_finds_all_results_and_names_first(retrieval_index: Path) -> None:
    proc = run("search", "Group.inv_mul", "--index", str(retrieval_index), "--json")
    hits = json.loads(proc.stdout)
    assert hits[0]["name"] == "Group.inv_mul" and hits[0]["why"][0] == "exact name"
    hits = json.loads(run("search", "inv_mul", "--index", str(retrieval_index), "--json").stdout)
    assert hits[0]["name"] == "Group.inv_mul"  # by its last component
    old = json.loads(
        run("search", "Group.inv_mul_self", "--index", str(retrieval_index), "--json").stdout
    )
    assert old[0]["name"] in ("Group.inv_mul_self", "Group.inv_mul")
    kinds = {h["kind"] for h in json.loads(
        run("search", "continuous", "--index", str(retrieval_index), "-k", "20", "--json").stdout
    )}  # fmt: skip
    assert kinds & {"theorem", "lemma"}  # the default corpus is everything


# ------------------------------------------------------------ honest formalize
VACUOUS = "```lean\ntheorem t (G : Type) [Group G] (a : G) : a = a := by sorry\n```"


def test_a_best_effort_statement_is_marked_in_output_and_status(
    retrieval_index: Path, tmp_path: Path
) -> None:
    with ScriptedLLMServer(default=lambda b: {"answers": [VACUOUS] * b["n"]}) as srv:
        proc = run(
            "formalize", "Every element equals itself", "--index", str(retrieval_index),
            "--llm", f"openai:m@{srv.url}", "-n", "2", "--repair-rounds", "0",
        )  # fmt: skip
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout.startswith("-- best effort: this statement failed the content check")


def test_ids_come_from_the_text_so_edits_keep_resume_right(
    retrieval_index: Path, tmp_path: Path
) -> None:
    from formalizer.batch import read_items

    inp = tmp_path / "in.jsonl"
    inp.write_text('{"text": "A"}\n{"text": "B"}\n')
    first = {i.text: i.id for i in read_items(inp)}
    inp.write_text('{"text": "C"}\n{"text": "A"}\n{"text": "B"}\n')
    second = {i.text: i.id for i in read_items(inp)}
    assert second["A"] == first["A"] and second["B"] == first["B"]


def _interactive_sigint() -> None:
    """Ctrl-C as a terminal delivers it: a shell starts background jobs (`.ci/run &`) with
    SIGINT ignored, and a child inherits that, so the CLI would rightly not stop."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_a_batch_at_once_and_keeps_finished_results(
    retrieval_index: Path, tmp_path: Path
) -> None:
    answer = "```lean\ntheorem t (G : Type) [Group G] (a : G) : a * a = a := by sorry\n```"

    def step(body: dict) -> dict:
        text = body["messages"][-1]["content"]
        slow = "hangs" in text
        return {"delay": 60.0 if slow else 0.0, "answers": [answer] * body["n"]}

    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "fast", "text": "quick one"}\n{"id": "slow", "text": "this hangs"}\n')
    out = tmp_path / "out.jsonl"
    with ScriptedLLMServer(default=step) as srv:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("AUTOFORMALIZER_")}
        proc = subprocess.Popen(
            [*CLI, "formalize", "--input", str(inp), "--out", str(out), "--index",
             str(retrieval_index), "--llm", f"openai:m@{srv.url}", "-n", "1",
             "--concurrency", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean,
            preexec_fn=_interactive_sigint,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not (out.is_file() and out.read_text().strip()):
            time.sleep(0.2)
        time.sleep(0.5)
        t = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        stopped = time.perf_counter() - t
    assert proc.returncode == 130 and stopped < 5, (stopped, err)
    assert "1 of 2 items finished and kept" in err
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["fast"]


def _children(pid: int) -> list[int]:
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(proc.name))
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the workers")
def test_killing_an_index_build_takes_its_workers_with_it(tmp_path: Path) -> None:
    root = tmp_path / "big"
    (root / "Big").mkdir(parents=True)
    (root / "lakefile.toml").write_text('name = "big"\ndefaultTargets = ["Big"]\n')
    body = "\n".join(f"theorem t{i} (n : Nat) : n + {i} = {i} + n := sorry" for i in range(400))
    for i in range(300):
        (root / "Big" / f"F{i}.lean").write_text(body)
    out = tmp_path / "idx"
    proc = subprocess.Popen(
        [*CLI, "index", "--root", str(root), "--out", str(out), "--no-embed", "--quiet",
         "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the build finished before its workers could be seen")
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists() and _state(w) != "Z"]
    assert not alive, f"workers outlived the build: {alive}"
    assert not out.exists()  # nothing half-built was swapped in


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
