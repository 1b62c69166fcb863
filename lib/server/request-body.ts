import "server-only";
import type { z } from "zod";
import { API_ERRORS, HttpError } from "./http.ts";

/** JSON bodies of the API are small; anything larger is refused before parsing. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

/**
 * Reads and validates a JSON body: 413 when too large, 415 when not JSON,
 * 400 when malformed, 422 when it does not match the schema. Never a 500.
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, API_ERRORS.UNSUPPORTED_MEDIA_TYPE, "Send the body as JSON with Content-Type: application/json.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) throw tooLarge();
  const text = await readLimited(request, MAX_JSON_BODY_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, API_ERRORS.INVALID_JSON, "The request body is not valid JSON.");
  }
  return parseInput(schema, value);
}

/** Validates input against one of the API's schemas: 422 with every issue when it does not match. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    const first = issues[0];
    throw new HttpError(422, API_ERRORS.VALIDATION, first ? `${first.path || "body"}: ${first.message}` : "Invalid request body.", {}, issues);
  }
  return parsed.data;
}

/**
 * Numeric form fields (a server action's FormData) as the JSON API would
 * receive them, for the same schema: an absent field stays absent (its
 * default applies), anything that is not a number becomes NaN (and fails).
 */
export function readFormNumbers<K extends string>(form: FormData, names: readonly K[]): Partial<Record<K, number>> {
  const values: Partial<Record<K, number>> = {};
  for (const name of names) {
    const raw = form.get(name);
    if (raw === null) continue;
    values[name] = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  }
  return values;
}

function tooLarge() {
  return new HttpError(413, API_ERRORS.BODY_TOO_LARGE, `The request body is larger than ${MAX_JSON_BODY_BYTES} bytes.`);
}

async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}
