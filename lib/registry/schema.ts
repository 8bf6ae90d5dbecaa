import { z } from "zod";

/**
 * The shape of `models.registry.json`. Operators edit that file; this schema is the contract.
 * Adding a model whose Space follows a known call shape is a registry edit, not code: the
 * `inputs` list says where our request goes in the Space's API, `output` where the answer comes out.
 */

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, "must be a URL slug: lowercase letters, digits and single dots or dashes");

const publicAsset = z.string().regex(/^\/[\w./-]+$/, "must be a path under public/, starting with /");

export const SettingSchema = z
  .object({
    key: z.string().regex(/^[a-z_][a-z0-9_]*$/),
    label: z.string().min(1),
    min: z.number(),
    max: z.number(),
    step: z.number().positive(),
    default: z.number(),
    /** Integers are sent as integers (token counts), others as floats. */
    integer: z.boolean().default(false),
  })
  .refine((s) => s.min <= s.default && s.default <= s.max, {
    message: "default must lie between min and max",
  });
export type Setting = z.infer<typeof SettingSchema>;

/** One input of the upstream endpoint, in order. `name` is the API's parameter name. */
export const InputSlotSchema = z.discriminatedUnion("from", [
  /** The user's newest message (with earlier turns folded in when history is "prompt"). */
  z.object({ from: z.literal("prompt"), name: z.string() }),
  /** The earlier turns, as [user, assistant] pairs or as {role, content} messages. */
  z.object({ from: z.literal("history"), name: z.string(), format: z.enum(["pairs", "messages"]) }),
  /** The conversation's system prompt, or `default` when it has none. */
  z.object({ from: z.literal("system"), name: z.string(), default: z.string() }),
  /** One of the model's generation settings, by key. */
  z.object({ from: z.literal("setting"), name: z.string(), setting: z.string() }),
  /** A fixed value the API wants but the user never changes (e.g. a sampling flag). */
  z.object({ from: z.literal("const"), name: z.string(), value: z.json() }),
]);
export type InputSlot = z.infer<typeof InputSlotSchema>;

export const GradioUpstreamSchema = z.object({
  type: z.literal("gradio"),
  /** A Space id (`owner/name`) or the URL of a Gradio app. */
  space: z.union([
    z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/name"),
    z.url({ protocol: /^https?$/ }),
  ]),
  endpoint: z.string().regex(/^\/[\w-]+$/, "must look like /name"),
  /** Named calls send an object keyed by `name`; positional calls send the inputs in order. */
  call: z.enum(["named", "positional"]),
  inputs: z.array(InputSlotSchema).min(1),
  /**
   * How the Space sees earlier turns: `input` (a history slot), `session` (the Space keeps them in
   * its own session state, as gr.ChatInterface does), `prompt` (folded into the prompt text), `none`.
   */
  history: z.enum(["input", "session", "prompt", "none"]),
  /** Where the answer is in each output item: a text at `index`, or a chatbot history at `index`. */
  output: z.object({ kind: z.enum(["text", "chatbot"]), index: z.number().int().min(0).default(0) }),
  /** False for endpoints that return one final result instead of a growing text. */
  streaming: z.boolean(),
});
export type GradioUpstream = z.infer<typeof GradioUpstreamSchema>;

export const UpstreamSchema = z.discriminatedUnion("type", [GradioUpstreamSchema]);
export type Upstream = z.infer<typeof UpstreamSchema>;

/** Whether the upstream's API has an input of its own for a system prompt. */
export function takesSystemPrompt(upstream: Upstream): boolean {
  return upstream.inputs.some((input) => input.from === "system");
}

export const ModelSchema = z
  .object({
    id: slug,
    name: z.string().min(1),
    tagline: z.string().min(1),
    /** Download size of the weights, the figure the size limit is checked against. */
    sizeMB: z.number().positive(),
    parameters: z.string().min(1),
    specialization: z.string().min(1),
    capabilities: z.array(z.string().min(1)),
    usageTips: z.array(z.string().min(1)),
    /** Memory the model needs while serving, shown on its card. */
    memoryUseMB: z.number().positive(),
    speed: z.string().min(1),
    placeholder: z.string().min(1),
    avatar: publicAsset,
    logo: publicAsset,
    /** Auto-selection picks this model only when more memory than this is available. */
    minMemoryMB: z.number().nonnegative(),
    status: z.enum(["active", "legacy"]),
    settings: z.array(SettingSchema),
    upstream: UpstreamSchema,
  })
  .superRefine((model, ctx) => {
    const keys = new Set(model.settings.map((s) => s.key));
    if (keys.size !== model.settings.length) {
      ctx.addIssue({ code: "custom", path: ["settings"], message: "setting keys must be unique" });
    }
    const { inputs, history } = model.upstream;
    const count = (from: InputSlot["from"]) => inputs.filter((i) => i.from === from).length;
    if (count("prompt") !== 1) {
      ctx.addIssue({ code: "custom", path: ["upstream", "inputs"], message: "needs exactly one prompt input" });
    }
    if ((count("history") === 1) !== (history === "input") || count("history") > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["upstream", "history"],
        message: 'history "input" needs exactly one history input, and other modes none',
      });
    }
    inputs.forEach((input, i) => {
      if (input.from === "setting" && !keys.has(input.setting)) {
        ctx.addIssue({
          code: "custom",
          path: ["upstream", "inputs", i, "setting"],
          message: `no setting "${input.setting}" is defined`,
        });
      }
    });
  });
export type Model = z.infer<typeof ModelSchema>;

export const RegistrySchema = z
  .object({
    $schema: z.string().optional(),
    /** The most a served model may weigh; MODEL_SIZE_LIMIT_MB overrides it. */
    sizeLimitMB: z.number().positive(),
    models: z.array(ModelSchema).min(1),
  })
  .superRefine((registry, ctx) => {
    const seen = new Set<string>();
    registry.models.forEach((m, i) => {
      if (seen.has(m.id)) {
        ctx.addIssue({ code: "custom", path: ["models", i, "id"], message: `duplicate model id "${m.id}"` });
      }
      seen.add(m.id);
    });
  });
export type RegistryFile = z.infer<typeof RegistrySchema>;
