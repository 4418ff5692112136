type Json = Record<string, unknown>;

const DATA_KEYWORDS: ReadonlySet<string> = new Set(["examples", "example", "default", "const", "enum"]);

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function dedupe(value: unknown, seen: Set<string>): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = dedupe(item, seen);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  if (!isObject(value)) return value;
  let out: Json | undefined;
  if (typeof value.$id === "string") {
    if (seen.has(value.$id)) {
      const { $id: _, ...rest } = value;
      out = rest;
    } else seen.add(value.$id);
  }
  for (const [key, child] of Object.entries(value)) {
    if (DATA_KEYWORDS.has(key)) continue;
    const next = dedupe(child, seen);
    if (next !== child) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}

/**
 * The response schema fastify compiles: the one declared, except that a `$id` met again (one
 * named schema used twice in a response: `{ first: Item, rest: Type.Array(Item) }`) is dropped from
 * the later copies, whose content stays. fast-json-stringify's Ajv refuses a schema in which one id
 * names two subschemas ("reference resolves to more than one schema"), however equal they are.
 * The declared schema is returned as it is when no id repeats.
 */
export function serializationSchema<T>(schema: T): T {
  return dedupe(schema, new Set()) as T;
}
