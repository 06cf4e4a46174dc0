"""``connect-stub serve``, also ``python -m pytest_connect_stub serve``: the stub over HTTP.

It prints the endpoint URL alone on its first line of standard output, for a script to
read, and serves until Ctrl-C or SIGTERM. Its options are the stub's, generated from the one
definition in ``options.py``: a bool is ``--name`` / ``--no-name``, a list of rules is
``--disable-rules CODE ...``, any other option takes a JSON value.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from . import options

PROG = "connect-stub"


def _json_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a JSON value: {text!r}") from None


def _add_stub_options(parser: argparse.ArgumentParser) -> None:
    """One flag per option of ``StubOptions``, with its help and default."""
    group = parser.add_argument_group("stub options (as ConnectStub's)")
    for field in options.fields():
        flag = "--" + field.name.replace("_", "-")
        help = f"{field.metadata['help']} (default: {json.dumps(field.default)})"
        # Only the options given reach ConnectStub (SUPPRESS): the others keep its defaults.
        if isinstance(field.default, bool):
            group.add_argument(
                flag, action=argparse.BooleanOptionalAction, default=argparse.SUPPRESS, help=help
            )
        elif field.metadata["ini"] == "args":
            group.add_argument(
                flag, nargs="+", metavar="CODE", default=argparse.SUPPRESS, help=help
            )
        else:
            group.add_argument(
                flag,
                type=_json_value,
                metavar="JSON",
                default=argparse.SUPPRESS,
                help=f"{help}; a JSON value",
            )


def _parser(prog: str) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The command line's parser, and that of its ``serve`` command."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Amazon Connect's BatchPutContact, stubbed, over HTTP."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve the stub on a local HTTP endpoint",
        description="Serve the stub on a local HTTP endpoint until Ctrl-C or SIGTERM. The "
        "endpoint URL is printed alone on the first line of standard output.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    serve.add_argument(
        "--port", type=int, default=0, help="port to listen on; 0 picks a free one (%(default)s)"
    )
    _add_stub_options(serve)
    return parser, serve


def main(argv: Sequence[str] | None = None, prog: str = PROG) -> int:
    """Run the command line; returns the exit status."""
    from .server import ConnectStubServer

    parser, serve = _parser(prog)
    args = vars(parser.parse_args(argv))
    if args.pop("command") is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        server = ConnectStubServer(**args)
    except (TypeError, ValueError) as error:
        serve.error(str(error))  # exits with status 2, as for any bad argument
    try:
        server.start()
    except OSError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 1
    stop = threading.Event()
    # Both signals only set the event: the main thread then stops the server itself, so no
    # request is cut off in the middle by an exception raised wherever the signal landed.
    previous = {
        signum: signal.signal(signum, lambda *_: stop.set())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        # A reader that took the URL and closed its end is no reason to stop serving.
        with contextlib.suppress(BrokenPipeError):
            print(server.endpoint_url, flush=True)
        print(
            f"{prog}: serving BatchPutContact at {server.endpoint_url}; Ctrl-C stops it.",
            file=sys.stderr,
            flush=True,
        )
        stop.wait()
    finally:
        server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a subprocess, measured there
    sys.exit(main(prog="python -m pytest_connect_stub"))
