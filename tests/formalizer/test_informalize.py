"""`informalize`: descriptions written dependencies first, cached, resumable, stored in the KB."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from scripted_server import ScriptedLLMServer

from autoformalizer.cli import main
from formalizer.informalize import (
    DescriptionCache,
    Target,
    build_prompt,
    cache_key,
    clean_answer,
    dependency_waves,
    informalize,
    select_targets,
)
from formalizer.openai_backend import OpenAIBackend
from knowledge_base import KnowledgeBase
from knowledge_base.descriptions import read_descriptions


def _declared(body: dict) -> str:
    """The declaration's name in a request (first line after the header)."""
    text = body["messages"][1]["content"]
    return text.splitlines()[1].split()[0]


def describe_everything(body: dict) -> dict:
    return {"answers": [f"Description: the fact called {_declared(body)}."]}


@pytest.fixture()
def index(fixture_index: Path, tmp_path: Path) -> Path:
    out = tmp_path / "idx"
    shutil.copytree(fixture_index, out)
    return out


def backend(server: ScriptedLLMServer, concurrency: int = 4) -> OpenAIBackend:
    return OpenAIBackend(base_url=server.url, model="m", concurrency=concurrency, max_retries=0)


# ------------------------------------------------------------------ pure parts
def T(i: int, *mentions: int) -> Target:
    return Target(i, f"d{i}", "theorem", "(n : ℕ) : n = n", "", mentions)


def test_waves_put_dependencies_first() -> None:
    waves = dependency_waves([T(1, 2), T(2, 3), T(3), T(4, 99)])  # 99: not a target
    assert [[t.decl_id for t in w] for w in waves] == [[3, 4], [2], [1]]


def test_a_cycle_ends_in_one_last_wave_instead_of_hanging() -> None:
    waves = dependency_waves([T(1, 2), T(2, 1), T(3)])
    assert [[t.decl_id for t in w] for w in waves] == [[3], [1, 2]]


def test_prompt_quotes_what_the_mentioned_constants_mean() -> None:
    t = Target(1, "Nat.gcd_comm", "theorem", "(a b : ℕ) : Nat.gcd a b = Nat.gcd b a", "", (7, 8))
    text = build_prompt(t, {7: ("Nat.gcd", "the greatest common divisor")}, {})[1]["content"]
    assert "Nat.gcd_comm (a b : ℕ)" in text
    assert "- Nat.gcd: the greatest common divisor" in text
    assert "for all natural numbers a, b" in text  # the literal reading
    assert "8" not in text.split("Constants it uses:")[1]  # unknown meaning: not listed


def test_cache_key_changes_with_the_declaration_and_the_model() -> None:
    t = T(1)
    m = build_prompt(t, {}, {})
    other = build_prompt(Target(1, "d1", "theorem", "(n : ℤ) : n = n", "", ()), {}, {})
    assert cache_key("a", m) == cache_key("a", build_prompt(t, {}, {}))
    assert cache_key("a", m) != cache_key("b", m)
    assert cache_key("a", m) != cache_key("a", other)


@pytest.mark.parametrize(
    "answer, expected",
    [
        (
            "Description: The sum of two even numbers is even.",
            "The sum of two even numbers is even.",
        ),
        ("```\nThe gcd is symmetric.\n```", "The gcd is symmetric."),
        ('  "Every prime is at least 2."  ', "Every prime is at least 2."),
        ("", None),
        ("```lean\n```", None),
        ("1 = 1", None),  # no words
    ],
)
def test_clean_answer(answer: str, expected: str | None) -> None:
    assert clean_answer(answer) == expected


def test_clean_answer_cuts_a_long_answer_at_a_sentence_end() -> None:
    got = clean_answer("A long sentence about groups. " * 40)
    assert got is not None and len(got) <= 600 and got.endswith(".")


def test_cache_survives_a_half_written_last_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    DescriptionCache(path).add("k1", "a", "first")
    with path.open("a") as f:
        f.write('{"key": "k2", "name": "b", "te')  # killed while writing
    cache = DescriptionCache(path)
    assert cache.get("k1") == "first" and cache.get("k2") is None
    cache.add("k3", "c", "third")
    assert DescriptionCache(path).entries == {"k1": "first", "k3": "third"}


# ------------------------------------------------------------------ against a served model
def test_describes_undocumented_declarations_into_the_knowledge_base(
    index: Path, tmp_path: Path
) -> None:
    cache = DescriptionCache(tmp_path / "cache.jsonl")
    with ScriptedLLMServer(default=describe_everything) as server:
        report = informalize(index, backend(server), cache, concurrency=4)
        assert server.max_in_flight <= 4
        requests = list(server.requests)
    assert report.failures == [] and report.stored == report.selected == report.from_model > 0
    with KnowledgeBase.open(index) as kb:  # the manifest was resealed: the index still opens
        stored = read_descriptions(kb.con)
        names = dict(kb.con.execute("SELECT id, name FROM declarations"))
        documented = {
            i for (i,) in kb.con.execute("SELECT id FROM declarations WHERE docstring != ''")
        }
    assert len(stored) == report.stored and not set(stored) & documented
    assert all(text == f"the fact called {names[i]}." for i, text in stored.items())
    # a theorem's prompt quotes the description written for the structure it mentions
    prompts = {_declared(b): b["messages"][1]["content"] for b in requests}
    assert "- AddMonoid: the fact called AddMonoid." in prompts["succ_nsmul_fixture"]


def test_a_rerun_asks_the_model_nothing(index: Path, tmp_path: Path) -> None:
    cache = DescriptionCache(tmp_path / "cache.jsonl")
    with ScriptedLLMServer(default=describe_everything) as server:
        first = informalize(index, backend(server), cache)
        asked = len(server.requests)
        again = informalize(index, backend(server), DescriptionCache(tmp_path / "cache.jsonl"))
        assert len(server.requests) == asked
    assert again.from_cache == first.from_model and again.from_model == 0


def test_one_failing_declaration_does_not_stop_the_run(index: Path, tmp_path: Path) -> None:
    def answer(body: dict) -> dict:
        if _declared(body) == "root_level_fact":
            return {"status": 400, "body": {"error": {"message": "too long"}}}
        return describe_everything(body)

    with ScriptedLLMServer(default=answer) as server:
        report = informalize(index, backend(server), DescriptionCache(tmp_path / "c.jsonl"))
    assert [n for n, _ in report.failures] == ["root_level_fact"]
    assert "HTTP 400" in report.failures[0][1]
    assert report.stored == report.selected - 1


class _InterruptedBackend:
    """Answers `n` requests, then the user presses Ctrl-C."""

    identity = "scripted:interrupted"

    def __init__(self, n: int) -> None:
        self.left = n

    def complete(self, messages, **_: object) -> list[str]:
        self.left -= 1
        if self.left < 0:
            raise KeyboardInterrupt
        return ["A description."]


def test_ctrl_c_stores_what_was_described_and_a_rerun_resumes(index: Path, tmp_path: Path) -> None:
    cache_path = tmp_path / "c.jsonl"
    with pytest.raises(KeyboardInterrupt, match=r"(\d+) descriptions stored"):
        informalize(index, _InterruptedBackend(5), DescriptionCache(cache_path), concurrency=1)
    with KnowledgeBase.open(index) as kb:
        assert len(read_descriptions(kb.con)) == 5
    report = informalize(index, _InterruptedBackend(10_000), DescriptionCache(cache_path))
    assert report.from_cache == 5 and report.failures == []


def test_select_by_module_and_names(index: Path) -> None:
    with KnowledgeBase.open(index) as kb:
        algebra = select_targets(kb, module_prefix="FixtureLib.Algebra")
        named = select_targets(kb, names={"root_level_fact"})
        everything = select_targets(kb, undocumented_only=False)
        undocumented = select_targets(kb)
    assert algebra and all(t.name for t in algebra)
    assert [t.name for t in named] == ["root_level_fact"]
    assert len(everything) > len(undocumented)


def test_cli(index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ScriptedLLMServer(default=describe_everything) as server:
        code = main(
            [
                "informalize",
                "--index",
                str(index),
                "--llm",
                f"openai:m@{server.url}",
                "--cache",
                str(tmp_path / "c.jsonl"),
                "--limit",
                "3",
                "--quiet",
                "--json",
            ]
        )
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["stored"] == out["selected"] == 3 and out["failed"] == 0


def test_cli_without_a_model_names_the_options(index: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("AUTOFORMALIZER_LLM", raising=False)
    monkeypatch.chdir(index.parent)
    monkeypatch.setenv("HOME", str(index.parent))
    assert main(["informalize", "--index", str(index)]) == 2
    assert re.search(r"no language model is configured", capsys.readouterr().err)


def test_writing_descriptions_leaves_an_index_sharing_its_files_intact(
    fixture_index: Path, tmp_path: Path
) -> None:
    """A copy made with hard links (`cp -al`) shares every file with the original: storing
    descriptions in the copy must replace its files, never edit a shared one in place (the
    manifest once was, and the original then read as damaged)."""
    import os

    from knowledge_base.descriptions import Description, write_descriptions

    original = tmp_path / "original"
    shutil.copytree(fixture_index, original)
    linked = tmp_path / "linked"
    shutil.copytree(original, linked, copy_function=os.link)
    before = (original / "manifest.json").read_text()
    with KnowledgeBase.open(original) as kb:
        ids = [i for (i,) in kb.con.execute("SELECT id FROM declarations")]
    long = "a description " * 100  # enough rows to grow the database file
    write_descriptions(linked, [Description(i, long, "m", "k") for i in ids])
    assert (linked / "kb.sqlite").stat().st_size > (original / "kb.sqlite").stat().st_size
    assert (original / "manifest.json").read_text() == before
    with KnowledgeBase.open(original) as kb:  # not "damaged"
        assert read_descriptions(kb.con) == {}
    with KnowledgeBase.open(linked) as kb:
        assert len(read_descriptions(kb.con)) == len(ids)
