"""Both Lean backends against recorded transcripts (see tests/fixtures/lean_transcripts)."""

from __future__ import annotations

import pytest
from lean_replay import ReplayKiminaServer, ReplayLeanServer, load

from formalizer.kimina_checker import KiminaChecker
from formalizer.lean_interact_checker import LeanInteractChecker

HEADER = "import Mathlib\nopen Real Nat"


def test_repl_session_reuses_the_header_environment() -> None:
    steps = load("repl_session.jsonl")
    server = ReplayLeanServer(steps)
    checker = LeanInteractChecker(server=server)
    good, bad, coerced = (s["request"]["cmd"] for s in steps[1:])
    r = checker.check(good, HEADER)
    assert r.ok and r.messages[0].severity == "warning" and r.error is None
    r = checker.check(bad, HEADER)
    assert not r.ok
    assert r.errors[0].text == "unknown identifier 'Nat.Primee'"
    assert (r.errors[0].line, r.errors[0].column) == (1, 24)
    assert r.error_text() == "1:24: unknown identifier 'Nat.Primee'"
    assert checker.check(coerced, HEADER).ok
    assert not server.transcript  # the header ran once, every statement once
    assert [s.get("env") for s in server.seen] == [None, 0, 0, 0]


def test_repl_failures_are_results_not_exceptions() -> None:
    steps = load("repl_failures.jsonl")
    server = ReplayLeanServer(steps)
    checker = LeanInteractChecker(server=server, timeout=5)
    r = checker.check("theorem x : True := sorry", steps[0]["request"]["cmd"])
    assert not r.ok and r.error.startswith("the header failed: unknown module prefix")
    good, bad = steps[2]["request"]["cmd"], steps[3]["request"]["cmd"]
    r = checker.check(good, HEADER)
    assert r.error == "Lean REPL error: Lean server crashed (out of memory)" and not r.timed_out
    r = checker.check(bad, HEADER)
    assert r.error == "Lean did not answer within 5 s" and r.timed_out
    assert not server.transcript


def test_refused_code_never_reaches_lean() -> None:
    server = ReplayLeanServer([])  # any request would fail the test
    r = LeanInteractChecker(server=server).check('#eval IO.println "x"', HEADER)
    assert not r.ok and r.refused and "runs code" in r.error_text()
    assert server.seen == []
    kimina = ReplayKiminaServer([])
    try:
        r = KiminaChecker(kimina.url).check("theorem t : True := by native_decide", HEADER)
        assert r.refused and kimina.bodies == []
    finally:
        kimina.close()


def test_kimina_check_protocol() -> None:
    steps = load("kimina_check.jsonl")
    server = ReplayKiminaServer(steps)
    try:
        checker = KiminaChecker(server.url, timeout=60)
        codes = [s["request"]["code"].split("\n\n", 1)[1] for s in steps]
        r = checker.check(codes[0], HEADER)
        assert r.ok and r.messages[0].text == "declaration uses 'sorry'"
        r = checker.check(codes[1], HEADER)
        assert not r.ok and "unknown identifier 'Nat.Primee'" in r.error_text()
        assert not r.timed_out
        r = checker.check(codes[2], HEADER)
        assert not r.ok and r.error == "Lean REPL command timed out in 60 seconds"
        assert r.timed_out
        assert server.mismatch is None, server.mismatch
        body = server.bodies[0]
        assert server.paths[0] == "/api/check"
        assert body["timeout"] == 60 and body["reuse"] is True and len(body["snippets"]) == 1
    finally:
        server.close()


def test_kimina_legacy_verify_and_retries() -> None:
    steps = load("kimina_check.jsonl")
    legacy = [
        {**s, "response": {"results": [{**s["response"]["results"][0], "custom_id": "ID"}]}}
        for s in steps[:1]
    ]
    server = ReplayKiminaServer(legacy, fail_first=1)
    try:
        code = steps[0]["request"]["code"].split("\n\n", 1)[1]
        r = KiminaChecker(server.url, protocol="verify").check(code, HEADER)
        assert r.ok
        assert server.paths == ["/verify", "/verify"]  # one 503, then the answer
        assert "codes" in server.bodies[1]
    finally:
        server.close()


@pytest.mark.parametrize("url", ["http://127.0.0.1:9"])
def test_kimina_unreachable(url: str) -> None:
    r = KiminaChecker(url, max_retries=0).check("theorem t : True := sorry", HEADER)
    assert not r.ok and "cannot reach the Lean server" in r.error
