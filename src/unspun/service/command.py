"""``unspun serve``: the web page and the HTTP API under uvicorn.

Registering the subcommand imports nothing heavy; FastAPI and uvicorn load only when it runs."""

from __future__ import annotations

import argparse
import json
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the report page and the HTTP API",
        description="Serve the page (at /) and the HTTP API (POST /api/check, GET /api/health, docs at /docs). "
        "The server analyses the text or HTML it is sent and never fetches URLs.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--sources", metavar="DB", help="a reference index (built with the provenance tools) to trace "
                   "sentences to their sources; opened read-only")  # fmt: skip
    p.add_argument("--max-request-bytes", type=_positive_int, default=None, metavar="N",
                   help="largest request body accepted (default: about 6 MB)")  # fmt: skip
    p.add_argument("--time-limit", type=_positive_float, default=None, metavar="SECONDS",
                   help="longest an analysis may take, waiting included (default 30)")  # fmt: skip
    p.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                   help="server processes (default 1); analyses run one at a time in each, so use up to "
                   "one per core for more throughput")  # fmt: skip
    p.set_defaults(run=run)


def _positive_int(value: str) -> int:
    n = int(value)
    if n <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return n


def _positive_float(value: str) -> float:
    n = float(value)
    if not n > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return n


def open_sources(path: str):
    """The reference index at ``path``, read-only; InputError when it cannot be opened."""
    from pathlib import Path

    from unspun.errors import InputError

    import unspun

    index_class = getattr(unspun, "SourceIndex", None)
    if index_class is None:
        raise InputError(path, "--sources needs the provenance support (unspun.SourceIndex), "
                         "which this installation of unspun lacks")  # fmt: skip
    if not Path(path).is_file():
        raise InputError(path, "no such reference index (build one first)")
    try:
        return index_class(path, read_only=True)
    except InputError:
        raise
    except Exception as e:  # the index's own errors (DuckDB's included) all mean the same here
        raise InputError(path, f"cannot open the reference index ({type(e).__name__}: {e})") from None


def run(args: argparse.Namespace) -> int:
    from unspun.errors import InputError

    try:
        import uvicorn

        from unspun.service.app import create_app
    except ImportError as e:
        print(f"unspun: serve needs the web extras ({e.name} is missing): pip install 'unspun[serve]'", file=sys.stderr)
        return 2
    sources = None
    if args.sources:
        try:
            sources = open_sources(args.sources)
        except InputError as e:
            print(f"unspun: {e}", file=sys.stderr)
            return 2
    options = {}
    if args.max_request_bytes:
        options["max_request_bytes"] = args.max_request_bytes
    if args.time_limit:
        options["time_limit"] = args.time_limit
    common = {"host": args.host, "port": args.port, "log_level": "info", "server_header": False}
    if args.workers > 1:
        # Each worker process builds its own app (and opens the index itself, read-only) from
        # these settings; the index was opened above only to fail early and clearly.
        if sources is not None:
            sources.close()
        os.environ[ENV] = json.dumps({"sources": args.sources, **options})
        uvicorn.run("unspun.service.command:app_from_env", factory=True, workers=args.workers, **common)
        return 0
    app = create_app(sources=sources, **options)
    try:
        uvicorn.run(app, **common)
    finally:
        if sources is not None:
            sources.close()
    return 0


ENV = "UNSPUN_SERVE_SETTINGS"


def app_from_env():
    """The app of one worker process, built from the settings ``run`` left in the environment."""
    from unspun.service.app import create_app

    settings = json.loads(os.environ.get(ENV) or "{}")
    path = settings.pop("sources", None)
    return create_app(sources=open_sources(path) if path else None, **settings)
