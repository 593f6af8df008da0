"""The command line: a thin layer over the library."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from unspun.errors import InputError
from unspun.service import command as serve_command
from unspun.run import command as scan_command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unspun",
        description="Find what is wrong with scraped web news: page furniture, injected spam, "
        "stitching and spinning.",
    )
    from unspun import __version__

    parser.add_argument("--version", action="version", version=f"unspun {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="analyse one article and print its report")
    check.add_argument("path", help="a .txt file, an .html/.htm page, or - for standard input")
    check.add_argument(
        "--format",
        choices=("terminal", "json", "html"),
        default="terminal",
        help="terminal: a readable report (default); json: the report as JSON (schema unspun.report/1); "
        "html: one standalone page with the findings highlighted",
    )
    check.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")
    check.set_defaults(run=_check)
    # Further subcommands live in their own modules, each with register(sub) setting run=.
    serve_command.register(sub)
    from unspun.provenance import cli as index_cli

    index_cli.register(sub)
    scan_command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        # Ctrl-C: a line saying what is left, not a traceback; 130 is the shells' code for it.
        print(f"unspun {args.command}: interrupted{getattr(args, 'interrupted', '')}", file=sys.stderr)
        return 130


def _check(args: argparse.Namespace) -> int:
    from unspun import default_pipeline
    from unspun.source import read_path

    try:
        source = read_path(args.path)
        report = default_pipeline().check(source, sources=getattr(args, "sources", None))
    except InputError as e:
        print(f"unspun: {e}", file=sys.stderr)
        return 2
    data = report.to_dict()
    if args.format == "json":
        out = report.to_json(indent=2) + "\n"
    elif args.format == "html":
        from unspun.render.html import render

        out = render(data)
    else:
        from rich.console import Console

        from unspun.render.terminal import render

        if args.output:
            console = Console(record=True, width=100, file=io.StringIO())
            render(data, console)
            out = console.export_text()
        else:
            render(data, Console())
            return 0
    if args.output:
        try:
            Path(args.output).write_text(out, encoding="utf-8")
        except OSError as e:
            print(f"unspun: {args.output}: cannot write the report ({e.strerror or e})", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
