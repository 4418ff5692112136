import { createRequire } from "node:module";
import type { JsonSchema } from "../compile/request-schema.js";
import type { StandardSchemaV1 } from "../standard-schema.js";

/**
 * A JSON Schema for a Standard Schema source, or the function that makes one from the validator
 * (e.g. `toJsonSchema` of `@valibot/to-json-schema`, or `(s) => z.toJSONSchema(s)`).
 *
 * @example
 * ```ts
 * Query(v.number(), { jsonSchema: toJsonSchema });
 * Query(v.number(), { jsonSchema: { type: "number" } });
 * ```
 */
export type JsonSchemaOption = JsonSchema | ((schema: never) => Readonly<Record<string, unknown>>);

/**
 * Which side of a validator is described: what it accepts (requests) or what it produces (responses).
 *
 * @example
 * ```ts
 * deriveJsonSchema(schema, "output" satisfies SchemaSide, undefined);
 * ```
 */
export type SchemaSide = "input" | "output";

/**
 * A derived JSON Schema, or why none could be had.
 *
 * @example
 * ```ts
 * const derived: Derived = deriveJsonSchema(z.string(), "input", undefined); // { schema: { type: "string" } }
 * ```
 */
export type Derived = { readonly schema: JsonSchema; readonly problem?: undefined } | { readonly schema?: undefined; readonly problem: string };

const TARGET = "draft-2020-12";

/** Drops the root `$schema`: the schema is embedded in an OpenAPI 3.1 document (whose dialect is 2020-12). */
function embeddable(schema: unknown, how: string): Derived {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return { problem: `${how} did not return a JSON Schema object` };
  const { $schema: _dialect, ...rest } = schema as Record<string, unknown>;
  return { schema: rest };
}

function attempt(how: string, convert: () => unknown): Derived {
  try {
    return embeddable(convert(), how);
  } catch (error) {
    return { problem: `${how} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

interface ValibotConverter {
  toJsonSchema(schema: unknown, config?: Record<string, unknown>): unknown;
}

/**
 * `@valibot/to-json-schema`, when the application installed it (an optional peer dependency): found
 * from the core's own location, loaded only for a valibot schema that lacks `~standard.jsonSchema`.
 */
function valibotConverter(): ValibotConverter | undefined {
  try {
    return createRequire(import.meta.url)("@valibot/to-json-schema") as ValibotConverter;
  } catch {
    return undefined;
  }
}

/**
 * The JSON Schema of a Standard Schema validator, by the first way that applies:
 * 1. the source's own `jsonSchema` option (an object, or a function of the validator);
 * 2. the Standard JSON Schema interface, `~standard.jsonSchema.input/output({ target: "draft-2020-12" })`
 *    (zod 4.2+, valibot through `toStandardJsonSchema`, ArkType);
 * 3. the validator's own `toJSONSchema()` method (zod 4 schemas, for a version without the interface);
 * 4. for valibot schemas, `toJsonSchema` of `@valibot/to-json-schema` when it is installed.
 * Returns why not when none applies or the converter refuses the schema (a zod `z.date()`, a
 * transform's output...): the route's registration then fails, naming the source.
 *
 * @example
 * ```ts
 * deriveJsonSchema(z.object({ name: z.string() }), "input", undefined).schema;
 * // { type: "object", properties: { name: { type: "string" } }, required: ["name"] }
 * ```
 */
export function deriveJsonSchema(validator: StandardSchemaV1, side: SchemaSide, explicit: JsonSchemaOption | undefined): Derived {
  if (typeof explicit === "function") return attempt("the `jsonSchema` option", () => (explicit as (schema: unknown) => unknown)(validator));
  if (explicit !== undefined) return embeddable(explicit, "the `jsonSchema` option");
  const props = validator["~standard"] as StandardSchemaV1.Props & { jsonSchema?: { input?: unknown; output?: unknown } };
  const converter = props.jsonSchema?.[side];
  if (typeof converter === "function") return attempt(`~standard.jsonSchema.${side}()`, () => (converter as (o: object) => unknown).call(props.jsonSchema, { target: TARGET }));
  const method = (validator as { toJSONSchema?: unknown }).toJSONSchema;
  if (props.vendor === "zod" && typeof method === "function") return attempt("toJSONSchema()", () => (method as (o: object) => unknown).call(validator, { target: TARGET, io: side }));
  if (props.vendor === "valibot") {
    const valibot = valibotConverter();
    if (valibot !== undefined) return attempt("@valibot/to-json-schema", () => valibot.toJsonSchema(validator, { errorMode: "ignore", typeMode: side }));
    return { problem: "valibot schemas need @valibot/to-json-schema: install it, or wrap the schema with its toStandardJsonSchema(), or pass the `jsonSchema` option" };
  }
  return {
    problem: `the ${JSON.stringify(props.vendor)} schema offers no JSON Schema (no ~standard.jsonSchema): pass the \`jsonSchema\` option (a JSON Schema, or a function making one from the schema)`,
  };
}
