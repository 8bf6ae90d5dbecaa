"""Shared logic of the local Space replicas: answers, streaming, test hooks, the event log.

Every replica answers with a deterministic text built from its inputs (see README.md for the
exact formats), streamed token by token. Each yield carries the WHOLE answer so far, as the real
Spaces do. Magic words in the user's message trigger test hooks (errors, slowness, silence).

Every generator run is recorded in a per-replica EventLog, served as JSON at
GET /replica/events, so tests can see what the upstream saw and whether a job was cancelled.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import gradio as gr
from fastapi import FastAPI

# --- configuration (read at import; serve.py runs one process per configuration) -------------


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError as exc:  # a typo in a test's env should fail loudly, not silently
        raise SystemExit(f"{name} must be a number, got {raw!r}") from exc


def _env_int(name: str, default: int) -> int:
    return int(_env_float(name, default))


TOKEN_DELAY_S = _env_float("REPLICA_TOKEN_DELAY_MS", 30) / 1000
SLOW_TOKEN_DELAY_S = _env_float("REPLICA_SLOW_TOKEN_DELAY_MS", 300) / 1000
SLOW_EXTRA_TOKENS = _env_int("REPLICA_SLOW_TOKENS", 200)
SILENT_S = _env_float("REPLICA_SILENT_SECONDS", 60)
QUEUE_MAX_SIZE = _env_int("REPLICA_QUEUE_MAX_SIZE", 8)
TOKENS_BEFORE_MIDSTREAM_ERROR = 3

# Magic words (checked in the user's current message only).
ERROR_BEFORE = "[[error-before]]"
ERROR_DURING = "[[error-during]]"
CRASH_DURING = "[[crash-during]]"
SLOW = "[[slow]]"
SILENT = "[[silent]]"

ERROR_BEFORE_TEXT = "Replica error before streaming"
ERROR_DURING_TEXT = "Replica error during streaming"
# Looks like something that must never reach a user: the app must show a generic error.
CRASH_TEXT = "internal stack detail: db_password=hunter2 token=hf_REPLICA_SECRET_do_not_show"

# --- answer text ----------------------------------------------------------------------------


def fmt(value: Any) -> str:
    """Format a setting the way JavaScript's String() would for ordinary values.

    Booleans are true/false, integral numbers have no ".0", other floats use the shortest
    repr (0.7 -> "0.7"), so TypeScript tests can build the same text with String(value).
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def settings_text(settings: list[tuple[str, Any]]) -> str:
    if not settings:
        return ""
    return " Settings: " + " ".join(f"{k}={fmt(v)}" for k, v in settings) + "."


def build_answer(
    label: str,
    message: str,
    earlier_turns: int,
    settings: list[tuple[str, Any]] | None = None,
    system: str | None = None,
) -> str:
    """`<Label> replica. [System: "<system>". ]You said: "<message>". Earlier turns: <n>.[ Settings: k=v ...]`"""
    text = f"{label} replica. "
    if system is not None:
        text += f'System: "{system}". '
    text += f'You said: "{message}". Earlier turns: {earlier_turns}.'
    return text + settings_text(settings or [])


def slow_answer(answer: str) -> str:
    return answer + " tick" * SLOW_EXTRA_TOKENS


def tokenize(text: str) -> list[str]:
    """Words with their trailing whitespace (leading whitespace is its own token):
    "".join(tokenize(t)) == t for every t."""
    return re.findall(r"\S+\s*|\s+", text)


def split_folded_prompt(prompt: str) -> tuple[str, int]:
    """For prompt-folding upstreams (CodeT5): the current message and the earlier-turn count.

    Rule: lines are split on "\\n". Earlier turns = number of lines starting with "user:"
    before the LAST line starting with "user:". The current message is the text from that last
    "user:" line to the end, without the "user:" prefix and without a final bare "assistant:"
    cue line, trimmed. A prompt with no "user:" line is the message itself (0 earlier turns).
    """
    lines = prompt.split("\n")
    user_lines = [i for i, line in enumerate(lines) if line.startswith("user:")]
    if not user_lines:
        return prompt, 0
    last = user_lines[-1]
    tail = lines[last:]
    tail[0] = tail[0][len("user:") :]
    if len(tail) > 1 and tail[-1].strip() == "assistant:":
        tail = tail[:-1]
    return "\n".join(tail).strip(), len(user_lines) - 1


def count_user_messages(history: list[Any] | None) -> int:
    """Earlier turns in a gr.ChatInterface history (messages format): the user messages."""
    count = 0
    for item in history or []:
        role = item.get("role") if isinstance(item, dict) else getattr(item, "role", None)
        if role == "user":
            count += 1
    return count


# --- event log ------------------------------------------------------------------------------


class EventLog:
    """What one replica saw: one record per job, in order. Thread-safe (sync fns run in threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: list[dict[str, Any]] = []
        self._next_id = 1

    def start(self, endpoint: str, message: str, **extra: Any) -> dict[str, Any]:
        from gradio.context import LocalContext

        request = LocalContext.request.get(None)
        with self._lock:
            record = {
                "id": self._next_id,
                "endpoint": endpoint,
                "message": message,
                "started_at": time.time() * 1000,
                "ended_at": None,
                "status": "running",
                "tokens_sent": 0,
                "error": None,
                "session_hash": getattr(request, "session_hash", None),
                "event_id": LocalContext.event_id.get(None),
                **extra,
            }
            self._next_id += 1
            self._events.append(record)
        return record

    def finish(self, record: dict[str, Any], status: str, error: str | None = None) -> None:
        with self._lock:
            if record["status"] == "running":
                record["status"] = status
                record["error"] = error
                record["ended_at"] = time.time() * 1000

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(e) for e in self._events]

    def reset(self) -> None:
        with self._lock:
            self._events.clear()
            self._next_id = 1


# --- streaming ------------------------------------------------------------------------------


async def _wait_silent() -> None:
    # asyncio.sleep is where a cancelled job gets its CancelledError; small steps keep the
    # wait responsive even if a future Gradio only closes the generator between steps.
    deadline = time.monotonic() + SILENT_S
    while (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(min(0.25, left))


async def stream_answer(
    log: EventLog, endpoint: str, message: str, answer: str, **extra: Any
) -> AsyncIterator[str]:
    """Yield the cumulative answer token by token, honouring the magic words, and record the
    job's lifecycle. A generator closed before it finished is recorded as "cancelled"."""
    record = log.start(endpoint, message, **extra)
    try:
        if ERROR_BEFORE in message:
            raise gr.Error(ERROR_BEFORE_TEXT)
        delay = TOKEN_DELAY_S
        if SILENT in message:
            await _wait_silent()
        if SLOW in message:
            answer = slow_answer(answer)
            delay = SLOW_TOKEN_DELAY_S
        so_far = ""
        for index, token in enumerate(tokenize(answer)):
            if index == TOKENS_BEFORE_MIDSTREAM_ERROR:
                if ERROR_DURING in message:
                    raise gr.Error(ERROR_DURING_TEXT)
                if CRASH_DURING in message:
                    raise RuntimeError(CRASH_TEXT)
            await asyncio.sleep(delay)
            so_far += token
            record["tokens_sent"] += 1
            yield so_far
        log.finish(record, "completed")
    except gr.Error as exc:
        log.finish(record, "error", exc.message)
        raise
    except (GeneratorExit, asyncio.CancelledError):
        log.finish(record, "cancelled")
        raise
    except Exception as exc:
        log.finish(record, "error", repr(exc))
        raise
    finally:
        # Closed without reaching the end and without an exception we saw: still a cancel.
        log.finish(record, "cancelled")


async def final_answer(
    log: EventLog, endpoint: str, message: str, answer: str, **extra: Any
) -> str:
    """The non-streaming variant (CodeT5's /predict): the same hooks, one final string."""
    last = ""
    async for last in stream_answer(log, endpoint, message, answer, **extra):
        pass
    return last


# --- app assembly ---------------------------------------------------------------------------


class Replica:
    """One replica: its name, its Gradio Blocks and its event log."""

    def __init__(self, name: str, blocks: gr.Blocks, log: EventLog) -> None:
        self.name = name
        self.blocks = blocks
        self.log = log

    def asgi_app(self) -> FastAPI:
        app = FastAPI(title=f"{self.name} replica", docs_url=None, redoc_url=None)
        log = self.log

        @app.get("/replica/events")
        def events() -> dict[str, Any]:
            return {"replica": self.name, "events": log.snapshot()}

        @app.post("/replica/reset")
        def reset() -> dict[str, Any]:
            log.reset()
            return {"replica": self.name, "ok": True}

        self.blocks.queue(default_concurrency_limit=1, max_size=QUEUE_MAX_SIZE)
        # show_error=False as on a real Space's launch(): a plain exception becomes a generic
        # error, only gr.Error messages reach the client.
        return gr.mount_gradio_app(
            app, self.blocks, path="/", show_error=False, ssr_mode=False, mcp_server=False,
            footer_links=["api"], run_history=False,
        )


ReplicaFactory = Callable[[], Replica]
