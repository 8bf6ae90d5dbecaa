"""Replica of Qwen/Qwen1.5-110B-Chat-demo (and the MoE demo): /model_chat.

The real Space is a Blocks app whose model_chat(query, history, system) streams
("", chatbot pairs including the new turn, system). History is an INPUT here (list of
[user, assistant] pairs), so gr.JSON stands in for the Gradio 4 tuple-format Chatbot.
"""

from __future__ import annotations

import gradio as gr

from replica_core import EventLog, Replica, build_answer, stream_answer

DEFAULT_SYSTEM = "You are a helpful assistant."


def build() -> Replica:
    log = EventLog()

    async def model_chat(query: str, history: list | None, system: str):
        pairs = [list(p) for p in (history or [])]
        answer = build_answer("Qwen", query, len(pairs), system=system)
        async for so_far in stream_answer(log, "/model_chat", query, answer, earlier_turns=len(pairs)):
            yield "", [*pairs, [query, so_far]], system

    with gr.Blocks(title="Qwen1.5 replica") as demo:
        gr.Markdown("# Qwen1.5 chat (local replica)")
        chatbot = gr.JSON(label="Chatbot", value=[])
        query = gr.Textbox(label="Input")
        system = gr.Textbox(label="System", value=DEFAULT_SYSTEM)
        submit = gr.Button("Submit")
        submit.click(model_chat, [query, chatbot, system], [query, chatbot, system], api_name="model_chat")
    return Replica("qwen", demo, log)
