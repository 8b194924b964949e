"""A real HTTP server speaking the OpenAI chat-completions protocol, replaying scripted answers.

Each request takes the next step of the script (then `default`, a function of the request
body). A step is a dict: `answers` (list of texts -> 200 with one choice each), `status` (+
optional `retry_after`, `body`), `raw` (bytes sent as a 200 body), `delay` (seconds to wait
before answering). The server records every request body and the most requests in flight.
Used by the tests and by `benchmarks/formalize_batch.py`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Step = dict[str, Any]


class ScriptedLLMServer:
    def __init__(
        self,
        script: list[Step] | None = None,
        default: Callable[[dict], Step] | None = None,
    ) -> None:
        self.script = list(script or [])
        self.default = default
        self.requests: list[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with server._lock:
                    server.requests.append(body)
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                    step = server.script.pop(0) if server.script else None
                done = [False]

                def finished() -> None:  # before the reply is sent: the client may go on
                    if not done[0]:
                        done[0] = True
                        with server._lock:
                            server.in_flight -= 1

                try:
                    if step is None:
                        step = server.default(body) if server.default else {"answers": [""]}
                    server._answer(self, step, body, finished)
                finally:
                    finished()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> ScriptedLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _answer(
        self,
        handler: BaseHTTPRequestHandler,
        step: Step,
        body: dict,
        finished: Callable[[], None],
    ) -> None:
        if step.get("delay"):
            time.sleep(step["delay"])
        status = step.get("status", 200)
        headers = {"Content-Type": "application/json"}
        if "raw" in step:
            payload = step["raw"]
        elif status != 200:
            payload = json.dumps(step.get("body", {"error": {"message": f"status {status}"}}))
            if "retry_after" in step:
                headers["Retry-After"] = str(step["retry_after"])
        else:
            payload = json.dumps(
                {
                    "id": "scripted",
                    "object": "chat.completion",
                    "model": body.get("model", ""),
                    "choices": [
                        {
                            "index": i,
                            "message": {"role": "assistant", "content": a},
                            "finish_reason": "stop",
                        }
                        for i, a in enumerate(step["answers"])
                    ],
                }
            )
        data = payload if isinstance(payload, bytes) else payload.encode()
        finished()
        try:
            handler.send_response(status)
            for k, v in headers.items():
                handler.send_header(k, v)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (time-out tests)
