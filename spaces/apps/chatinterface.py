"""A plain Gradio 6 gr.ChatInterface (messages format), message only: the generic case."""

from __future__ import annotations

import gradio as gr

from replica_core import EventLog, Replica, build_answer, count_user_messages, stream_answer


def build() -> Replica:
    log = EventLog()

    async def chat(message: str, history: list):
        turns = count_user_messages(history)
        answer = build_answer("ChatInterface", message, turns)
        async for so_far in stream_answer(log, "/chat", message, answer, earlier_turns=turns):
            yield so_far

    demo = gr.ChatInterface(chat, title="ChatInterface (local replica)", api_name="chat")
    return Replica("chatinterface", demo, log)
