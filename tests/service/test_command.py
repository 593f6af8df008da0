"""``unspun serve`` as a user runs it: a real process, answering on the port it was given."""

from __future__ import annotations

import socket
import subprocess
import sys

import httpx
import pytest

from unspun.cli import main


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_health_and_check(example_path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "unspun", "serve", "--port", str(port), "--time-limit", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        # Read the server's log until it says it listens: a blocking read, no polling or sleep.
        seen = []
        for line in proc.stdout:
            seen.append(line)
            if "Uvicorn running on" in line:
                break
        assert any("Uvicorn running on" in line for line in seen), "".join(seen)
        with httpx.Client(timeout=30) as client:
            assert client.get(f"{base}/api/health").json()["status"] == "ok"
            r = client.post(f"{base}/api/check", json={"text": example_path.read_text(encoding="utf-8")})
            assert r.status_code == 200
            assert r.json()["verdict"]["label"] == "polluted"
            assert "server" not in r.headers  # no server banner
    finally:
        proc.terminate()
        proc.wait(30)


def test_sources_that_cannot_be_opened_is_exit_2(capsys, tmp_path):
    missing = tmp_path / "refs.duckdb"
    assert main(["serve", "--sources", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"unspun: {missing}: ")


@pytest.mark.parametrize("bad", [["--port", "x"], ["--time-limit", "0"], ["--max-request-bytes", "-5"]])
def test_bad_options_are_refused(bad, capsys):
    with pytest.raises(SystemExit) as e:
        main(["serve", *bad])
    assert e.value.code == 2


def test_worker_processes_build_the_app_from_the_settings(monkeypatch):
    from fastapi.testclient import TestClient

    from unspun.service import command

    monkeypatch.setenv(command.ENV, '{"max_request_bytes": 100}')
    with TestClient(command.app_from_env()) as client:
        assert client.get("/api/health").json()["sources"] is False
        assert client.post("/api/check", json={"text": "x" * 200}).status_code == 413
