import { z } from "zod";
import type { RegistryModel } from "../registry/check";
import { CONVERSATION_ID_PATTERN, MAX_MESSAGE_CHARS, MAX_MESSAGES } from "./limits";

/**
 * The request contract of `POST /api/chat`. Tight limits; unknown keys are rejected at every
 * level. The route holds no validation code of its own: it parses with this and looks up.
 */
const MessageSchema = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string().max(MAX_MESSAGE_CHARS, `a message may hold at most ${MAX_MESSAGE_CHARS} characters`),
});

export const ChatRequestSchema = z
  .strictObject({
    model: z.string().min(1).max(128),
    messages: z.array(MessageSchema).min(1).max(MAX_MESSAGES, `at most ${MAX_MESSAGES} messages`),
    params: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a setting key"), z.number()).optional(),
    conversationId: z
      .string()
      .regex(CONVERSATION_ID_PATTERN, "must be 8 to 128 letters, digits, '-' or '_'")
      .optional(),
  })
  .superRefine((body, ctx) => {
    const last = body.messages.at(-1);
    if (last && (last.role !== "user" || !last.content.trim())) {
      ctx.addIssue({
        code: "custom",
        path: ["messages", body.messages.length - 1],
        message: "the last message must be the user's, and not empty",
      });
    }
    body.messages.forEach((m, i) => {
      if (m.role === "system" && i !== 0) {
        ctx.addIssue({ code: "custom", path: ["messages", i, "role"], message: "only the first message may be a system message" });
      }
    });
  });
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

/** One line per problem, for the 400 answer's message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`)
    .join("; ");
}

export type SettingsResult = { ok: true; settings: Record<string, number> } | { ok: false; problems: string[] };

/**
 * The model's settings for this request: its defaults, overridden by `params`. A key the model
 * does not have, a value outside the registry's min/max, or a fraction for an integer setting is
 * a problem.
 */
export function resolveSettings(model: RegistryModel, params: Record<string, number> = {}): SettingsResult {
  const problems: string[] = [];
  const byKey = new Map(model.settings.map((s) => [s.key, s]));
  for (const key of Object.keys(params)) {
    if (!byKey.has(key)) {
      const known = model.settings.map((s) => s.key).join(", ") || "none";
      problems.push(`params.${key}: ${model.name} has no setting "${key}" (its settings: ${known})`);
    }
  }
  const settings: Record<string, number> = {};
  for (const setting of model.settings) {
    const value = params[setting.key] ?? setting.default;
    if (!Number.isFinite(value) || value < setting.min || value > setting.max) {
      problems.push(`params.${setting.key}: must be between ${setting.min} and ${setting.max}`);
    } else if (setting.integer && !Number.isInteger(value)) {
      problems.push(`params.${setting.key}: must be a whole number`);
    }
    settings[setting.key] = value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, settings };
}
