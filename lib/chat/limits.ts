/**
 * The limits of a `POST /api/chat` request. Plain constants, free of zod, so the browser can fit
 * its requests to them without loading the schema that enforces them (lib/chat/schema.ts).
 */
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_MESSAGES = 200;
export const MAX_MESSAGE_CHARS = 32_000;
export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;
