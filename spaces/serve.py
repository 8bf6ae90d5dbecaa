"""Run the local Space replicas in ONE process, each on its own port on 127.0.0.1.

    python spaces/serve.py                          # all six on 7861..7866
    python spaces/serve.py --only qwen,phi3         # a subset
    python spaces/serve.py --port-base 8861         # qwen=8861 ... chatinterface=8866
    python spaces/serve.py --port tinyllama=9000    # one override (repeatable)
    python spaces/serve.py --port tinyllama=0       # 0 = any free port (printed on the ready line)
    python spaces/serve.py --port-base 0            # every replica on a free port

Prints `ready <name> http://127.0.0.1:<port>` per replica once it accepts connections, then
`ready all`, and blocks. SIGTERM/SIGINT stop every server and exit 0.
"""

from __future__ import annotations

import os

# Before gradio is imported: no phoning home on a closed network.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_SSR_MODE", "False")
os.environ.setdefault("GRADIO_MCP_SERVER", "False")

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import importlib  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import uvicorn  # noqa: E402

from apps import DEFAULT_PORTS, NAMES  # noqa: E402

HOST = "127.0.0.1"
SHUTDOWN_GRACE_S = 1  # open SSE streams (heartbeats) never end by themselves


class QuietServer(uvicorn.Server):
    """uvicorn.Server that leaves signals to us: several servers share one event loop."""

    @contextlib.contextmanager
    def capture_signals(self):  # type: ignore[override]
        yield


def parse_args(argv: list[str]) -> tuple[list[str], dict[str, int]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated replica names (default: all)")
    parser.add_argument("--port-base", type=int, help="port of the first replica; the others follow in table order (0: free ports)")
    parser.add_argument("--port", action="append", default=[], metavar="NAME=PORT", help="per-replica port override")
    args = parser.parse_args(argv)

    names = list(NAMES)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in NAMES]
        if unknown:
            parser.error(f"unknown replica(s): {', '.join(unknown)}; known: {', '.join(NAMES)}")

    ports = dict(DEFAULT_PORTS)
    if args.port_base is not None:
        # --port-base 0: every replica on a free port chosen by the OS (parallel test runs).
        ports = {name: args.port_base and args.port_base + i for i, name in enumerate(NAMES)}
    for item in args.port:
        name, _, port = item.partition("=")
        if name not in NAMES or not port.isdigit():
            parser.error(f"--port expects NAME=PORT with NAME in {', '.join(NAMES)}, got {item!r}")
        ports[name] = int(port)
    return names, {n: ports[n] for n in names}


def bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise SystemExit(f"cannot bind {HOST}:{port}: {exc}") from exc
    sock.listen(128)
    sock.setblocking(False)
    return sock


async def main(argv: list[str]) -> int:
    names, ports = parse_args(argv)
    # Bind every port first: a clash fails fast, before any app is built.
    sockets = {name: bind(port) for name, port in ports.items()}

    servers: dict[str, QuietServer] = {}
    for name in names:
        replica = importlib.import_module(f"apps.{name}").build()
        config = uvicorn.Config(
            replica.asgi_app(), log_level="warning", lifespan="on",
            timeout_graceful_shutdown=SHUTDOWN_GRACE_S, ws="none",
        )
        servers[name] = QuietServer(config)

    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()

    def stop() -> None:
        if stopping.is_set():  # second signal: stop waiting for open streams
            for server in servers.values():
                server.force_exit = True
        stopping.set()
        # Cutting open streams at shutdown is expected; keep its tracebacks out of the output.
        logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)
        for server in servers.values():
            server.should_exit = True

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop)

    tasks = {name: asyncio.create_task(servers[name].serve(sockets=[sockets[name]])) for name in names}

    async def announce(name: str) -> None:
        while not servers[name].started:
            if tasks[name].done():
                if not stopping.is_set():
                    print(f"replica {name} failed to start", file=sys.stderr, flush=True)
                return
            await asyncio.sleep(0.05)
        port = sockets[name].getsockname()[1]
        print(f"ready {name} http://{HOST}:{port}", flush=True)

    await asyncio.gather(*(announce(n) for n in names))
    if all(server.started for server in servers.values()) and not stopping.is_set():
        print("ready all", flush=True)

    done, _ = await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_COMPLETED)
    if not stopping.is_set():  # one server died on its own: take the others down too
        stop()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
        return 1
    try:
        await asyncio.wait_for(asyncio.gather(*tasks.values(), return_exceptions=True), SHUTDOWN_GRACE_S + 5)
    except TimeoutError:
        pass
    return 0


def run(argv: list[str]) -> None:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    code = loop.run_until_complete(main(argv))
    sys.stdout.flush()
    sys.stderr.flush()
    # Exit without asyncio's teardown: it would wait for Gradio's background tasks and executor
    # threads, which hold nothing worth keeping (the replicas keep no state on disk).
    os._exit(code)


if __name__ == "__main__":
    run(sys.argv[1:])
