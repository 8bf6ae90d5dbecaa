"""Replica of Norod78/OpenELM_3B_Demo: gr.ChatInterface whose API names are odd.

The real Space's /chat parameters are `message`, `request` (max new tokens), then `param_3`..
`param_6` (temperature, top_p, top_k, repetition_penalty). Gradio names API parameters after
the function's positional parameters and falls back to `param_<index>` (index counting the
hidden history) where it cannot, e.g. for *args, so this signature reproduces those names.
"""

from __future__ import annotations

import gradio as gr

from replica_core import EventLog, Replica, build_answer, count_user_messages, stream_answer


def build() -> Replica:
    log = EventLog()

    async def chat(message, history, request, *args):
        temperature, top_p, top_k, repetition_penalty = args
        turns = count_user_messages(history)
        answer = build_answer(
            "OpenELM", message, turns,
            [
                ("max_new_tokens", request), ("temperature", temperature), ("top_p", top_p),
                ("top_k", top_k), ("repetition_penalty", repetition_penalty),
            ],
        )
        async for so_far in stream_answer(log, "/chat", message, answer, earlier_turns=turns):
            yield so_far

    demo = gr.ChatInterface(
        chat,
        title="OpenELM-3B (local replica)",
        additional_inputs=[
            gr.Slider(1, 2048, value=800, step=1, label="Max new tokens"),
            gr.Slider(0.1, 4.0, value=0.6, step=0.1, label="Temperature"),
            gr.Slider(0.05, 1.0, value=0.9, step=0.05, label="Top-p (nucleus sampling)"),
            gr.Slider(1, 1000, value=50, step=1, label="Top-k"),
            gr.Slider(1.0, 2.0, value=1.4, step=0.05, label="Repetition penalty"),
        ],
        api_name="chat",
    )
    return Replica("openelm", demo, log)
