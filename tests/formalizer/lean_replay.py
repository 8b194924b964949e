"""Replays of recorded Lean transcripts: a lean-interact server stand-in and a Kimina server.

Both check that the checker sends exactly the recorded requests, in order, and fail the test
otherwise: the transcripts pin down the protocol, not only the parsing of answers.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TRANSCRIPTS = Path(__file__).parents[1] / "fixtures" / "lean_transcripts"


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (TRANSCRIPTS / name).read_text().splitlines() if line]


class ReplayLeanServer:
    """Has lean-interact's `run(request, timeout=)`; answers with lean-interact's own models."""

    def __init__(self, transcript: list[dict]) -> None:
        self.transcript = list(transcript)
        self.seen: list[dict] = []

    def run(self, request, timeout: float | None = None):
        from lean_interact.interface import CommandResponse, LeanError

        sent = {"cmd": request.cmd}
        if request.env is not None:
            sent["env"] = request.env
        self.seen.append(sent)
        assert self.transcript, f"unexpected request {sent}"
        step = self.transcript.pop(0)
        assert sent == step["request"], f"sent {sent}, transcript has {step['request']}"
        if step.get("timeout"):
            raise TimeoutError("no answer")
        if "lean_error" in step:
            return LeanError(message=step["lean_error"])
        return CommandResponse.model_validate(step["response"])


class ReplayKiminaServer:
    def __init__(self, transcript: list[dict], fail_first: int = 0) -> None:
        self.transcript = list(transcript)
        self.bodies: list[dict] = []
        self.paths: list[str] = []
        self.fail_first = fail_first
        self.mismatch: str | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.paths.append(self.path)
                server.bodies.append(body)
                if server.fail_first > 0:
                    server.fail_first -= 1
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path == "/verify":
                    sid, code = body["codes"][0]["custom_id"], body["codes"][0]["proof"]
                else:
                    sid, code = body["snippets"][0]["id"], body["snippets"][0]["code"]
                step = server.transcript.pop(0)
                if code != step["request"]["code"]:
                    server.mismatch = f"sent {code!r}, transcript has {step['request']['code']!r}"
                reply = json.loads(json.dumps(step["response"]).replace('"ID"', json.dumps(sid)))
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
