from __future__ import annotations

import json
from pathlib import Path

import pytest
from scripted_server import ScriptedLLMServer

from formalizer import BatchItem, Settings, formalize_batch, open_resources
from formalizer.batch import BatchInputError, done_ids, read_items
from formalizer.openai_backend import OpenAIBackend

ANSWER = "```lean\ntheorem t (G : Type) [Group G] (a : G) : IsSquare (a * a) := by sorry\n```"
SETTINGS = Settings(n=2, repair_rounds=0)


def items(k: int) -> list[BatchItem]:
    return [BatchItem(id=f"i{j}", text=f"statement number {j} about squares") for j in range(k)]


@pytest.fixture(scope="module")
def server():
    def answer(body: dict) -> dict:
        return {"delay": 0.1, "answers": [ANSWER] * body["n"]}

    with ScriptedLLMServer(default=answer) as s:
        yield s


@pytest.fixture(scope="module")
def resources(retrieval_index: Path, server: ScriptedLLMServer):
    llm = OpenAIBackend(base_url=server.url, model="m", concurrency=16)
    return open_resources(retrieval_index, llm, mathlib_examples=False)


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines()]


def test_appends_every_result_and_resumes(resources, server, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    got = formalize_batch(items(6), resources, out, concurrency=4, settings=SETTINGS)
    assert len(got) == 6 and all(r.ok for r in got)
    assert sorted(r["id"] for r in lines(out)) == [f"i{j}" for j in range(6)]
    assert 1 < server.max_in_flight <= 4
    before = len(server.requests)
    again = formalize_batch(items(6), resources, out, concurrency=4, settings=SETTINGS)
    assert again == [] and len(server.requests) == before  # nothing redone


def test_resume_after_a_crash_mid_line(resources, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    formalize_batch(items(2), resources, out, concurrency=2, settings=SETTINGS)
    with out.open("a") as f:
        f.write('{"id": "i2", "input": "half a li')  # killed while writing
    assert done_ids(out) == {"i0", "i1"}
    got = formalize_batch(items(5), resources, out, concurrency=2, settings=SETTINGS)
    assert sorted(r.id for r in got) == ["i2", "i3", "i4"]
    assert sorted(r["id"] for r in lines(out)) == [f"i{j}" for j in range(5)]  # all parse


def test_failures_are_recorded_and_the_batch_goes_on(retrieval_index: Path, tmp_path: Path):
    script = [{"status": 400, "body": {"error": {"message": "context too long"}}}]
    with ScriptedLLMServer(script, default=lambda b: {"answers": [ANSWER] * b["n"]}) as srv:
        llm = OpenAIBackend(base_url=srv.url, model="m")
        res = open_resources(retrieval_index, llm, mathlib_examples=False)
        got = formalize_batch(items(3), res, tmp_path / "o.jsonl", concurrency=1, settings=SETTINGS)
    errors = [r for r in got if r.error]
    assert len(errors) == 1 and "context too long" in errors[0].error
    assert sum(r.ok for r in got) == 2


def test_input_rows(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": "a", "text": "x"}\n{"name": "b", "informal_statement": "y"}\n')
    assert [(i.id, i.text) for i in read_items(f)] == [("a", "x"), ("b", "y")]
    f.write_text('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n')
    with pytest.raises(BatchInputError, match="duplicate id 'a'"):
        read_items(f)
    f.write_text('{"id": "a"}\n')
    with pytest.raises(BatchInputError, match=":1: no `text`"):
        read_items(f)
