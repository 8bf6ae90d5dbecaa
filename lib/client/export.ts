import type { Conversation } from "../store/types";

/**
 * Conversation export, the successor of the old pages' `chathistory<Model>.txt` files. Loaded
 * only when the user exports.
 */

export type ExportFormat = "markdown" | "json";
export type ExportModel = { id: string; name: string };

export const EXPORT_FORMAT_ID = "variabot-conversation";
export const EXPORT_FORMAT_VERSION = 1;

const STATUS_NOTE: Record<string, string> = {
  stopped: "_(stopped by the user)_",
  interrupted: "_(interrupted: the page closed before the answer finished)_",
  error: "_(failed)_",
};

export function toMarkdown(conversation: Conversation, model: ExportModel, now = new Date()): string {
  const lines = [
    `# ${conversation.title}`,
    "",
    `- Model: ${model.name} (\`${model.id}\`)`,
    `- Started: ${new Date(conversation.createdAt).toISOString()}`,
    `- Exported: ${now.toISOString()}`,
  ];
  if (conversation.systemPrompt.trim()) lines.push(`- System prompt: ${conversation.systemPrompt.trim()}`);
  for (const m of conversation.messages) {
    lines.push("", `## ${m.role}`, "", m.content || "_(no text)_");
    const note = m.status ? STATUS_NOTE[m.status] : undefined;
    if (note) lines.push("", note + (m.error ? ` ${m.error.message}` : ""));
  }
  return lines.join("\n") + "\n";
}

export function toJSON(conversation: Conversation, model: ExportModel, now = new Date()): string {
  return (
    JSON.stringify(
      {
        format: EXPORT_FORMAT_ID,
        version: EXPORT_FORMAT_VERSION,
        exportedAt: now.toISOString(),
        model,
        conversation: {
          id: conversation.id,
          title: conversation.title,
          systemPrompt: conversation.systemPrompt,
          createdAt: new Date(conversation.createdAt).toISOString(),
          messages: conversation.messages.map((m) => ({
            role: m.role,
            content: m.content,
            createdAt: new Date(m.createdAt).toISOString(),
            ...(m.status ? { status: m.status } : {}),
            ...(m.error ? { error: m.error } : {}),
            ...(m.stats ? { stats: m.stats } : {}),
          })),
        },
      },
      null,
      2,
    ) + "\n"
  );
}

export function exportFileName(conversation: Conversation, model: ExportModel, format: ExportFormat, now = new Date()) {
  const slug =
    conversation.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "chat";
  return `variabot-${model.id}-${slug}-${now.toISOString().slice(0, 10)}.${format === "json" ? "json" : "md"}`;
}

/** Builds the file and hands it to the browser as a download. */
export function downloadConversation(conversation: Conversation, model: ExportModel, format: ExportFormat) {
  const text = format === "json" ? toJSON(conversation, model) : toMarkdown(conversation, model);
  const blob = new Blob([text], { type: format === "json" ? "application/json" : "text/markdown" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = exportFileName(conversation, model, format);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
