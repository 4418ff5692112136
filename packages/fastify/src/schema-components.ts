import { DeclarationError } from "@depends/core";

type Json = Record<string, unknown>;

/** Where the document keeps its named schemas. */
export const SCHEMAS_PREFIX = "#/components/schemas/";

/**
 * The key a reference to a component is written under until the document's final pass makes it a
 * `$ref`: @fastify/swagger drops the keys beside a `$ref` (a response's description among them)
 * and keeps `x-` keys.
 */
const X_REF = "x-depends-ref";

/** A reference to the component `name`, as the route schemas handed to @fastify/swagger hold it. */
export function componentReference(name: string): Json {
  return { [X_REF]: name };
}

// OpenAPI's rule for the keys of `components` (3.1, section 4.8.7.1).
const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;

// Values of these keywords are data (examples, defaults, constants), not schemas: a `$id` in them is
// an example's field, not a name.
const DATA_KEYWORDS: ReadonlySet<string> = new Set(["examples", "example", "default", "const", "enum"]);

/** Whether `name` may be a key of `components.schemas`. */
export function isComponentName(name: string): boolean {
  return COMPONENT_NAME.test(name);
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The component name a schema declares with `$id`, or `undefined`. */
function nameOf(schema: Json): string | undefined {
  return typeof schema.$id === "string" ? schema.$id : undefined;
}

function sameSchema(a: object, b: object): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Copies a schema with each named subschema (one with a `$id`) replaced: by `{ $ref }` to its
 * component when `known` has it, otherwise by itself without its `$id` (a schema only an override
 * brought in after registration stays inline rather than pointing at a missing component). `top`
 * says whether the root itself may become a reference (not when it is the component being written).
 */
function rewrite(value: unknown, known: ReadonlyMap<string, unknown>, top: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => rewrite(item, known, true));
  if (!isObject(value)) return value;
  const name = nameOf(value);
  if (name !== undefined && top && known.has(name)) return componentReference(name);
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "$id" && typeof child === "string") continue;
    out[key] = DATA_KEYWORDS.has(key) ? structuredClone(child) : rewrite(child, known, true);
  }
  return out;
}

/**
 * The named schemas of an application's OpenAPI document, FastAPI's way: a typebox schema with a
 * `$id` (`Type.Object({...}, { $id: "User" })`) is one `components.schemas` entry, titled with its
 * name unless it has a title, and every use of it (request and response bodies, parameters,
 * nested properties, array items) is a `$ref` to it; the body of several fields or of a form is
 * `Body_<operationId>`. Two different schemas under one name are refused at registration, naming
 * both routes. With `inline`, schemas stay where they are used (without their `$id`).
 */
export class SchemaComponents {
  /** Handed to @fastify/swagger as `components.schemas`; filled as documented routes are mounted. */
  readonly components: Record<string, Json> = {};
  readonly inline: boolean;
  readonly #byName = new Map<string, { schema: object; route: string }>();

  constructor(inline: boolean) {
    this.inline = inline;
  }

  /** Registers every named schema in `schema`, used by `route`. */
  collect(schema: unknown, route: string): void {
    if (this.inline) return;
    this.#walk(schema, route, []);
  }

  /** Registers `schema` (and the named schemas in it) under `name`, which it does not declare itself. */
  name(name: string, schema: Json, route: string): void {
    if (this.inline) return;
    const named = nameOf(schema) === name ? schema : { ...schema, $id: name };
    if (this.#known(name, named, route)) return;
    this.#walk(schema, route, []);
    this.#store(name, named, route);
  }

  /** Whether `name` is a component (an override's body, unknown at registration, is not). */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** A copy of `schema` for the document: named schemas as references, or inlined without `$id`. */
  reference(schema: unknown): unknown {
    return rewrite(schema, this.#byName, true);
  }

  // Inner schemas first, so that a component refers to the components inside it.
  #walk(value: unknown, route: string, stack: object[]): void {
    if (Array.isArray(value)) {
      for (const item of value) this.#walk(item, route, stack);
      return;
    }
    if (!isObject(value) || stack.includes(value)) return;
    const name = nameOf(value);
    if (name !== undefined && this.#known(name, value, route)) return;
    stack.push(value);
    for (const [key, child] of Object.entries(value)) if (!DATA_KEYWORDS.has(key)) this.#walk(child, route, stack);
    stack.pop();
    if (name !== undefined) this.#store(name, value, route);
  }

  /** Whether `name` already holds `schema`; refuses a name that is not one, or holds another schema. */
  #known(name: string, schema: Json, route: string): boolean {
    if (!isComponentName(name)) {
      throw new DeclarationError(
        "DEPENDS_INVALID_SCHEMA_NAME",
        `The schema name ${JSON.stringify(name)} (its $id) cannot be an OpenAPI component name: use letters, digits, ".", "-" and "_" only`,
        { route },
      );
    }
    const known = this.#byName.get(name);
    if (known === undefined) return false;
    if (sameSchema(known.schema, schema)) return true;
    throw new DeclarationError(
      "DEPENDS_SCHEMA_NAME_CONFLICT",
      `Two different schemas are both named "${name}": one is used by ${known.route}, the other by ${route}; give one another $id, or use the same schema in both`,
      { route },
    );
  }

  #store(name: string, schema: Json, route: string): void {
    this.#byName.set(name, { schema, route });
    const component = rewrite(schema, this.#byName, false) as Json;
    this.components[name] = typeof component.title === "string" ? component : { title: name, ...component };
  }
}

/**
 * The document's final pass over references: each `{ "x-depends-ref": name }` becomes
 * `{ $ref: "#/components/schemas/<name>" }` (keeping what @fastify/swagger put beside it).
 */
export function resolveComponentReferences(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = resolveComponentReferences(value[i]);
    return value;
  }
  if (!isObject(value)) return value;
  const name = value[X_REF];
  if (typeof name === "string") {
    const { [X_REF]: _, ...rest } = value;
    return { $ref: SCHEMAS_PREFIX + name, ...rest };
  }
  for (const [key, child] of Object.entries(value)) if (!DATA_KEYWORDS.has(key)) value[key] = resolveComponentReferences(child);
  return value;
}
