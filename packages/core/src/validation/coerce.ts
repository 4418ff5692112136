import type { JsonSchema } from "../compile/request-schema.js";

// Text from the query string, path, headers and cookies is coerced the way fastify's Ajv does it
// (`coerceTypes: "array"`, `useDefaults: true`), so the core and the adapter agree on every value.

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

function typesOf(schema: JsonSchema): readonly string[] {
  const type = schema.type;
  if (typeof type === "string") return [type];
  if (Array.isArray(type)) return type as string[];
  return [];
}

function coerceScalar(types: readonly string[], value: unknown): unknown {
  if (typeof value !== "string") return value;
  for (const type of types) {
    if (type === "string") return value;
    if ((type === "number" || type === "integer") && NUMBER.test(value)) {
      const n = Number(value);
      if (type === "number" || Number.isInteger(n)) return n;
    }
    if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
    if (type === "null" && value === "") return null;
  }
  return value;
}

/** Coerces one value to its schema: text to numbers/booleans, a single value to an array. */
export function coerceValue(schema: JsonSchema, value: unknown): unknown {
  const types = typesOf(schema);
  if (types.includes("array")) {
    const items = (schema.items ?? {}) as JsonSchema;
    const list = Array.isArray(value) ? value : value === undefined ? value : [value];
    return Array.isArray(list) ? list.map((item) => coerceValue(items, item)) : list;
  }
  // A repeated scalar (`?q=a&q=b`) takes its last value, as FastAPI (Starlette's multidict `get`).
  if (Array.isArray(value) && types.length > 0 && !types.includes("array") && value.length > 0) value = value[value.length - 1];
  if (types.length > 0) return coerceScalar(types, value);
  for (const branch of ((schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined) ?? []) {
    const coerced = coerceValue(branch, value);
    if (coerced !== value) return coerced;
  }
  return value;
}

/**
 * Fills `default`s of an object schema's absent properties, recursively; returns a new object.
 * `container` (a request location: the path, query, headers, cookies or a body of fields) makes
 * that object null-prototype and copies only own properties, so a parameter named `toString` or
 * `constructor` reads what the request sent, never what `Object.prototype` has.
 */
export function withDefaults(schema: JsonSchema, value: unknown, coerce: boolean, container = false): unknown {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  if (!properties && !container) return value;
  const out: Record<string, unknown> = container ? (Object.create(null) as Record<string, unknown>) : {};
  for (const name of Object.keys(value)) out[name] = (value as Record<string, unknown>)[name];
  for (const [name, property] of Object.entries(properties ?? {})) {
    let v = Object.hasOwn(out, name) ? out[name] : undefined;
    if (v === undefined && "default" in property) v = structuredClone(property.default);
    if (v === undefined) continue;
    if (coerce) v = coerceValue(property, v);
    out[name] = withDefaults(property, v, false);
  }
  return out;
}
