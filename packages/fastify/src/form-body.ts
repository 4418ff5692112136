import type { JsonSchema } from "@depends/core";
import type { FastifyRequest } from "fastify";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

function isFormContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const type = header.trimStart().toLowerCase();
  for (const form of FORM_TYPES) if (type.startsWith(form)) return true;
  return false;
}

/** Whether a parameter's schema admits a list (its repeated values then stay a list). */
export function isArraySchema(schema: unknown): boolean {
  if (schema === null || typeof schema !== "object") return false;
  const s = schema as { type?: unknown; anyOf?: unknown; oneOf?: unknown };
  if (s.type === "array" || (Array.isArray(s.type) && s.type.includes("array"))) return true;
  const branches = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : [];
  return branches.some(isArraySchema);
}

/**
 * Reads a form route's body with FastAPI's form semantics, before the core validates it (the core
 * then drops empty values, which count as missing):
 * - a body that is not a form (JSON, say) is an empty form, so its fields are reported missing
 *   (422), not 415;
 * - a repeated field keeps its last value unless its schema is an array (Starlette's `form.get`).
 */
export class FormReader {
  readonly #arrayFields: ReadonlySet<string>;

  constructor(bodySchema: JsonSchema | undefined) {
    const properties = (bodySchema?.properties ?? {}) as Record<string, unknown>;
    this.#arrayFields = new Set(Object.keys(properties).filter((name) => isArraySchema(properties[name])));
  }

  read(request: FastifyRequest): unknown {
    const body = request.body;
    if (body === undefined || body === null || typeof body !== "object") return undefined;
    if (!isFormContentType(request.headers["content-type"])) return undefined;
    let folded: Record<string, unknown> | undefined;
    for (const [name, value] of Object.entries(body)) {
      if (Array.isArray(value) && !this.#arrayFields.has(name)) {
        folded ??= { ...body };
        folded[name] = value[value.length - 1];
      }
    }
    return folded ?? body;
  }
}
