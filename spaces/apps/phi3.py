"""Replica of eswardivi/Phi-3-mini-128k-instruct: gr.ChatInterface with additional inputs.

API /chat takes (message, temperature, do_sample, max_new_tokens); the conversation lives in
ChatInterface's per-session state, not in the request.
"""

from __future__ import annotations

import gradio as gr

from replica_core import EventLog, Replica, build_answer, count_user_messages, stream_answer


def build() -> Replica:
    log = EventLog()

    async def chat(message: str, history: list, temperature: float, do_sample: bool, max_new_tokens: int):
        turns = count_user_messages(history)
        answer = build_answer(
            "Phi-3", message, turns,
            [("temperature", temperature), ("do_sample", do_sample), ("max_new_tokens", max_new_tokens)],
        )
        async for so_far in stream_answer(log, "/chat", message, answer, earlier_turns=turns):
            yield so_far

    demo = gr.ChatInterface(
        chat,
        title="Phi-3-mini-128k-instruct (local replica)",
        additional_inputs=[
            gr.Slider(0, 1, value=0, step=0.05, label="Temperature"),
            gr.Checkbox(value=True, label="Sampling"),
            gr.Slider(128, 4096, value=800, step=1, label="Max new tokens"),
        ],
        api_name="chat",
    )
    return Replica("phi3", demo, log)
