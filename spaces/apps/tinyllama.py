"""Replica of a TinyLlama-1.1B-Chat Space: gr.ChatInterface with additional inputs.

API /chat takes (message, max_new_tokens, temperature, top_p); history is session state.
"""

from __future__ import annotations

import gradio as gr

from replica_core import EventLog, Replica, build_answer, count_user_messages, stream_answer


def build() -> Replica:
    log = EventLog()

    async def chat(message: str, history: list, max_new_tokens: int, temperature: float, top_p: float):
        turns = count_user_messages(history)
        answer = build_answer(
            "TinyLlama", message, turns,
            [("max_new_tokens", max_new_tokens), ("temperature", temperature), ("top_p", top_p)],
        )
        async for so_far in stream_answer(log, "/chat", message, answer, earlier_turns=turns):
            yield so_far

    demo = gr.ChatInterface(
        chat,
        title="TinyLlama-1.1B-Chat (local replica)",
        additional_inputs=[
            gr.Slider(50, 1000, value=250, step=10, label="Max new tokens"),
            gr.Slider(0, 1, value=0.7, step=0.05, label="Temperature"),
            gr.Slider(0.1, 1, value=0.9, step=0.05, label="Top-p"),
        ],
        api_name="chat",
    )
    return Replica("tinyllama", demo, log)
