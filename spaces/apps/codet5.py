"""Replica of a CodeT5-small Space: gr.Interface, /predict, one final string (no streaming).

The app folds the conversation into the prompt; see replica_core.split_folded_prompt.
"""

from __future__ import annotations

import gradio as gr

from replica_core import EventLog, Replica, build_answer, final_answer, split_folded_prompt


def build() -> Replica:
    log = EventLog()

    async def generate(prompt: str, max_length: int, temperature: float) -> str:
        message, turns = split_folded_prompt(prompt)
        answer = build_answer(
            "CodeT5", message, turns, [("max_length", max_length), ("temperature", temperature)]
        )
        return await final_answer(log, "/predict", message, answer, earlier_turns=turns, prompt=prompt)

    demo = gr.Interface(
        generate,
        inputs=[
            gr.Textbox(label="Prompt", lines=4),
            gr.Slider(50, 500, value=150, step=10, label="Max length"),
            gr.Slider(0, 1, value=0.1, step=0.05, label="Temperature"),
        ],
        outputs=gr.Textbox(label="Generated code"),
        title="CodeT5-small (local replica)",
        flagging_mode="never",
        api_name="predict",
    )
    return Replica("codet5", demo, log)
