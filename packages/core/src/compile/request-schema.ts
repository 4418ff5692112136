import { DeclarationError, type ParamLocation } from "../errors.js";
import type { StandardParam } from "../standard-param.js";
import { type FileFieldSpec, isFileSource } from "../uploads/file-sources.js";
import type { ParamUse } from "./tree.js";

/**
 * A JSON Schema object, as typebox produces and fastify/OpenAPI consume.
 *
 * @example
 * ```ts
 * const schema: JsonSchema | undefined = route.requestSchemas.query;
 * ```
 */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * One documented parameter (path, query, header or cookie).
 *
 * @example
 * ```ts
 * for (const p of route.requestSchemas.parameters) console.log(p.in, p.name, p.required);
 * ```
 */
export interface ParameterDoc {
  readonly in: Exclude<ParamLocation, "body">;
  readonly name: string;
  readonly required: boolean;
  readonly schema: JsonSchema;
  readonly description: string | undefined;
}

/**
 * The request schemas of a route, merged from every source in its tree.
 *
 * @example
 * ```ts
 * const { path, query, header, body, bodyKind } = route.requestSchemas;
 * ```
 */
export interface RequestSchemas {
  /** Object schemas per location, or `undefined` when the route reads nothing there. */
  readonly path: JsonSchema | undefined;
  readonly query: JsonSchema | undefined;
  readonly header: JsonSchema | undefined;
  readonly cookie: JsonSchema | undefined;
  readonly body: JsonSchema | undefined;
  /** `"json"` for Body sources, `"form"` for Form and File sources. */
  readonly bodyKind: "json" | "form" | undefined;
  /** Whether the body is required (some body source is required). */
  readonly bodyRequired: boolean;
  /** The body is one non-embedded Body source: its value is the whole body. */
  readonly wholeBody: boolean;
  readonly parameters: readonly ParameterDoc[];
  /**
   * The Standard Schema (zod, valibot...) parameters per location, which the core validates with
   * their own validators after typebox checked the rest; `undefined` when there are none.
   * Not enumerable: the schemas above stay plain JSON.
   */
  readonly standard?: StandardFields | undefined;
  /**
   * The body's file fields (`File` / `Files` sources), by wire name, in declaration order: a route
   * with any is documented as `multipart/form-data`; without, a form body stays
   * `application/x-www-form-urlencoded`, as FastAPI does.
   */
  readonly files: readonly FileField[];
}

/**
 * A file field of a route's body.
 *
 * @example
 * ```ts
 * for (const field of route.requestSchemas.files) console.log(field.name, field.multiple, field.maxSize);
 * ```
 */
export interface FileField extends FileFieldSpec {
  /** The field's name on the wire. */
  readonly name: string;
  readonly required: boolean;
}

/**
 * One parameter declared with a Standard Schema validator.
 *
 * @example
 * ```ts
 * for (const field of route.requestSchemas.standard?.query ?? []) console.log(field.wire, field.param.vendor);
 * ```
 */
export interface StandardField {
  /** The name on the wire (the key of the location's object). */
  readonly wire: string;
  readonly required: boolean;
  readonly param: StandardParam;
}

/**
 * The Standard Schema parameters of a route, by location (form fields under `body`).
 *
 * @example
 * ```ts
 * const fields: StandardFields = { query: [{ wire: "q", required: true, param }] };
 * ```
 */
export type StandardFields = { readonly [L in ParamLocation]?: readonly StandardField[] };

interface ObjectBuilder {
  properties: Record<string, JsonSchema>;
  required: string[];
  uses: Map<string, ParamUse>;
}

function sameSchema(a: ParamUse["source"], b: ParamUse["source"]): boolean {
  // Two validators that derive the same JSON Schema may still refine differently: only the same one is the same.
  if (a.standard !== undefined || b.standard !== undefined) return a.standard?.validator === b.standard?.validator;
  return a.schema === b.schema || JSON.stringify(a.schema) === JSON.stringify(b.schema);
}

/** Merges the parameters of a route's tree into per-location schemas; detects conflicts. */
export function buildRequestSchemas(route: string, params: readonly ParamUse[], pathParamNames: readonly string[]): RequestSchemas {
  const objects = new Map<ParamLocation, ObjectBuilder>();
  const parameters: ParameterDoc[] = [];
  const standard: Partial<Record<ParamLocation, StandardField[]>> = {};
  let hasStandard = false;
  const files: FileField[] = [];
  let bodyKind: "json" | "form" | undefined;
  let firstBody: ParamUse | undefined;
  for (const use of params) {
    const { source, wire } = use;
    const location: ParamLocation = source.location === "form" || source.location === "file" ? "body" : source.location;
    if (source.standard?.problem !== undefined) {
      throw new DeclarationError("DEPENDS_NO_JSON_SCHEMA", `${location} source "${use.key}" (a ${source.standard.vendor} schema) has no JSON Schema for validation and OpenAPI: ${source.standard.problem}`, {
        route,
        path: use.path,
      });
    }
    if (location === "path" && !pathParamNames.includes(wire)) {
      throw new DeclarationError(
        "DEPENDS_UNKNOWN_PATH_PARAM",
        `Path source "${use.key}" reads ":${wire}", which the route path does not declare (it has: ${pathParamNames.join(", ") || "none"})`,
        { route, path: use.path },
      );
    }
    if (location === "body") {
      const kind = source.location === "form" || source.location === "file" ? "form" : "json";
      if (bodyKind !== undefined && bodyKind !== kind) {
        throw new DeclarationError("DEPENDS_BODY_AND_FORM", `Source "${use.key}" mixes a ${kind} body with a ${bodyKind} body in one route`, { route, path: use.path });
      }
      bodyKind = kind;
      firstBody ??= use;
    }
    let builder = objects.get(location);
    if (!builder) objects.set(location, (builder = { properties: {}, required: [], uses: new Map() }));
    const earlier = builder.uses.get(wire);
    if (earlier) {
      if (!sameSchema(earlier.source, source) || earlier.source.required !== source.required || JSON.stringify(fileSpecOf(earlier.source)) !== JSON.stringify(fileSpecOf(source))) {
        throw new DeclarationError(
          "DEPENDS_CONFLICTING_PARAM",
          `${location} parameter "${wire}" is declared twice with different schemas (first at ${earlier.path.join(" -> ")})`,
          { route, path: use.path },
        );
      }
      continue;
    }
    builder.uses.set(wire, use);
    if (isFileSource(source)) files.push({ name: wire, required: source.required, ...source.file });
    const required = location === "path" ? true : source.required;
    const declared = source.schema as unknown as JsonSchema;
    const schema = source.description !== undefined ? { ...declared, description: source.description } : declared;
    builder.properties[wire] = schema;
    if (required) builder.required.push(wire);
    if (source.standard !== undefined) {
      (standard[location] ??= []).push({ wire, required, param: source.standard });
      hasStandard = true;
    }
    if (location !== "body") parameters.push({ in: location, name: wire, required, schema, description: source.description });
  }
  const objectSchema = (location: ParamLocation): JsonSchema | undefined => {
    const builder = objects.get(location);
    if (!builder) return undefined;
    return builder.required.length > 0
      ? { type: "object", properties: builder.properties, required: builder.required }
      : { type: "object", properties: builder.properties };
  };
  const bodyUses = objects.get("body")?.uses;
  const wholeBody = bodyKind === "json" && bodyUses?.size === 1 && firstBody !== undefined && !firstBody.source.embed;
  const schemas: RequestSchemas = {
    path: objectSchema("path"),
    query: objectSchema("query"),
    header: objectSchema("header"),
    cookie: objectSchema("cookie"),
    body: wholeBody ? (firstBody?.source.schema as unknown as JsonSchema | undefined) : objectSchema("body"),
    bodyKind,
    bodyRequired: (objects.get("body")?.required.length ?? 0) > 0,
    wholeBody,
    parameters,
    files,
  };
  if (hasStandard) Object.defineProperty(schemas, "standard", { value: Object.freeze(standard), enumerable: false });
  return schemas;
}

function fileSpecOf(source: ParamUse["source"]): unknown {
  return isFileSource(source) ? source.file : undefined;
}

/**
 * The names of a route path's parameters, in fastify (`/items/:id`) or FastAPI/OpenAPI
 * (`/items/{id}`) syntax.
 *
 * @example
 * ```ts
 * pathParamNames("/users/:userId/items/{itemId}"); // ["userId", "itemId"]
 * ```
 */
export function pathParamNames(path: string): string[] {
  const names: string[] = [];
  for (const match of path.matchAll(/:([A-Za-z0-9_]+)|\{([A-Za-z0-9_]+)\}/g)) names.push((match[1] ?? match[2]) as string);
  return names;
}
