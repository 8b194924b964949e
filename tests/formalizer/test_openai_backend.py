"""The OpenAI-compatible client against a real scripted HTTP server."""

from __future__ import annotations

import threading
import time

import pytest
from scripted_server import ScriptedLLMServer

from formalizer.llm import LLMError
from formalizer.openai_backend import OpenAIBackend

MSGS = [{"role": "user", "content": "state it"}]


def backend(url: str, **kw) -> OpenAIBackend:
    kw.setdefault("backoff", 0.01)
    return OpenAIBackend(base_url=url, model="m", api_key="k", **kw)


def test_answers_and_request_shape() -> None:
    with ScriptedLLMServer([{"answers": ["a", "b", "c"]}]) as srv:
        out = backend(srv.url).complete(MSGS, n=3, temperature=0.2, max_tokens=50)
    assert out == ["a", "b", "c"]
    req = srv.requests[0]
    assert req["model"] == "m" and req["n"] == 3 and req["max_tokens"] == 50
    assert req["messages"] == MSGS and req["temperature"] == 0.2


def test_server_ignoring_n_is_asked_again() -> None:
    with ScriptedLLMServer([{"answers": ["a"]}, {"answers": ["b"]}, {"answers": ["c"]}]) as srv:
        out = backend(srv.url).complete(MSGS, n=3)
    assert out == ["a", "b", "c"]
    assert [r["n"] for r in srv.requests] == [3, 2, 1]


def test_429_with_retry_after_then_success() -> None:
    script = [{"status": 429, "retry_after": "0.3"}, {"answers": ["ok"]}]
    with ScriptedLLMServer(script) as srv:
        t = time.perf_counter()
        out = backend(srv.url).complete(MSGS)
        waited = time.perf_counter() - t
    assert out == ["ok"] and len(srv.requests) == 2
    assert waited >= 0.3  # Retry-After was honoured


def test_500s_are_retried_with_backoff() -> None:
    with ScriptedLLMServer([{"status": 500}, {"status": 503}, {"answers": ["ok"]}]) as srv:
        assert backend(srv.url).complete(MSGS) == ["ok"]
    assert len(srv.requests) == 3


def test_persistent_errors_give_up_naming_the_cause() -> None:
    with (
        ScriptedLLMServer([{"status": 502}] * 3) as srv,
        pytest.raises(LLMError, match=r"gave up after 3 attempts: HTTP 502"),
    ):
        backend(srv.url, max_retries=2).complete(MSGS)
    assert len(srv.requests) == 3


def test_client_errors_are_not_retried() -> None:
    step = {"status": 401, "body": {"error": {"message": "bad key"}}}
    with (
        ScriptedLLMServer([step, {"answers": ["never"]}]) as srv,
        pytest.raises(LLMError, match="HTTP 401 bad key"),
    ):
        backend(srv.url).complete(MSGS)
    assert len(srv.requests) == 1


def test_malformed_answers_are_retried_then_reported() -> None:
    script = [{"raw": b"<html>oops"}, {"raw": b'{"choices": "no"}'}, {"answers": ["fine"]}]
    with ScriptedLLMServer(script) as srv:
        assert backend(srv.url).complete(MSGS) == ["fine"]
    with (
        ScriptedLLMServer([{"raw": b"not json"}] * 2) as srv,
        pytest.raises(LLMError, match="malformed response"),
    ):
        backend(srv.url, max_retries=1).complete(MSGS)


def test_null_content_is_an_empty_answer() -> None:
    with ScriptedLLMServer([{"raw": b'{"choices": [{"message": {"content": null}}]}'}]) as srv:
        assert backend(srv.url).complete(MSGS) == [""]


def test_slow_answer_times_out_and_is_retried() -> None:
    with ScriptedLLMServer([{"delay": 1.5, "answers": ["late"]}, {"answers": ["fast"]}]) as srv:
        t = time.perf_counter()
        out = backend(srv.url, timeout=0.4).complete(MSGS)
        took = time.perf_counter() - t
    assert out == ["fast"] and took < 1.4


def test_time_outs_exhaust_retries() -> None:
    with (
        ScriptedLLMServer([{"delay": 1.0, "answers": ["x"]}] * 2) as srv,
        pytest.raises(LLMError, match=r"no answer within 0.3 s"),
    ):
        backend(srv.url, timeout=0.3, max_retries=1).complete(MSGS)


def test_unreachable_server() -> None:
    with pytest.raises(LLMError, match="cannot reach the server"):
        backend("http://127.0.0.1:9/v1", max_retries=0).complete(MSGS)


def test_concurrency_is_bounded_across_threads() -> None:
    with ScriptedLLMServer(default=lambda body: {"delay": 0.15, "answers": ["x"]}) as srv:
        b = backend(srv.url, concurrency=3)
        threads = [threading.Thread(target=b.complete, args=(MSGS,)) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(srv.requests) == 12
    assert srv.max_in_flight == 3


def test_a_refused_connection_fails_at_once_without_retries() -> None:
    t = time.perf_counter()
    with pytest.raises(LLMError, match=r"cannot reach the server.*is it running"):
        backend("http://127.0.0.1:9/v1", max_retries=5, backoff=1.0).complete(MSGS)
    assert time.perf_counter() - t < 1.0  # no backoff waits for an error that will not pass


@pytest.mark.parametrize("url", ["localhost:8000/v1", "ftp://h/v1", "http:///v1", ""])
def test_a_url_without_an_http_scheme_is_refused_before_any_request(url: str) -> None:
    with pytest.raises(LLMError, match="not an http:// or https:// URL"):
        backend(url)


def test_every_retry_is_reported_with_its_cause_and_wait() -> None:
    said: list[str] = []
    with ScriptedLLMServer([{"status": 503}, {"status": 429}, {"answers": ["ok"]}]) as srv:
        assert backend(srv.url, report=said.append).complete(MSGS) == ["ok"]
    assert len(said) == 2
    assert "HTTP 503" in said[0] and "retry 1 of 4 in" in said[0] and said[0].endswith(" s")
    assert "HTTP 429" in said[1] and "retry 2 of 4" in said[1]


def test_not_found_is_not_retried() -> None:
    with (
        ScriptedLLMServer([{"status": 404}, {"answers": ["never"]}]) as srv,
        pytest.raises(LLMError, match="HTTP 404"),
    ):
        backend(srv.url).complete(MSGS)
    assert len(srv.requests) == 1


def test_a_deadline_bounds_the_whole_call_retries_included() -> None:
    with ScriptedLLMServer(default=lambda body: {"delay": 5.0, "answers": ["late"]}) as srv:
        t = time.perf_counter()
        with pytest.raises(LLMError, match="deadline passed"):
            backend(srv.url, timeout=30, max_retries=4, report=None).complete(
                MSGS, deadline=time.monotonic() + 0.8
            )
        took = time.perf_counter() - t
    assert took < 2.0  # not 5 attempts x 30 s


def test_retry_settings_come_from_the_environment() -> None:
    from formalizer.llm_config import load_config

    env = {
        "AUTOFORMALIZER_LLM": "openai:m@http://h:1/v1",
        "AUTOFORMALIZER_LLM_MAX_RETRIES": "1",
        "AUTOFORMALIZER_LLM_TIMEOUT": "7.5",
    }
    cfg = load_config(env=env, config_files=())
    assert cfg.max_retries == 1 and cfg.timeout == 7.5
