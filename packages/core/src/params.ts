import type { TSchema } from "typebox";
import { DeclarationError, type ParamLocation } from "./errors.js";
import { type StandardParam, standardParam } from "./standard-param.js";
import { type AnySchema, isStandardSchema, type SchemaValue } from "./standard-schema.js";
import type { JsonSchemaOption } from "./validation/standard-json-schema.js";
import { kSource } from "./symbols.js";

/**
 * Where a request parameter is read from. `form` fields and `file` fields (made with `File` /
 * `Files`) are reported under `body`, as FastAPI does.
 *
 * @example
 * ```ts
 * const location: ParamSourceLocation = Form(Type.String()).location; // "form"
 * ```
 */
export type ParamSourceLocation = ParamLocation | "form" | "file";

/**
 * A request value declared with {@link Path}, {@link Query}, {@link Header}, {@link Cookie}, {@link Body} or {@link Form}.
 *
 * @example
 * ```ts
 * const q: ParamSource<string | undefined> = Query(Type.String(), { required: false });
 * ```
 */
export interface ParamSource<T> {
  readonly [kSource]: "param";
  readonly location: ParamSourceLocation;
  readonly schema: TSchema;
  /** The name on the wire; defaults to the source's key (for headers: `x_token` and `xToken` become `x-token`). */
  readonly alias: string | undefined;
  readonly required: boolean;
  readonly hasDefault: boolean;
  readonly default: unknown;
  readonly description: string | undefined;
  /** Body only: nest the value under its name even when it is the route's only body source. */
  readonly embed: boolean;
  /** Header only: turn `user_agent` and `userAgent` into `user-agent` (default `true`, as FastAPI does underscores). */
  readonly convertUnderscores: boolean;
  /** Phantom: the injected value's type. */
  readonly __value?: T;
  /** Set when the source was declared with a Standard Schema validator (zod, valibot...): `schema` is then its derived JSON Schema. */
  readonly standard?: StandardParam | undefined;
}

/**
 * Options shared by every request source.
 *
 * @example
 * ```ts
 * Query(Type.Integer(), { alias: "page-size", default: 10, description: "Items per page" });
 * ```
 */
export interface ParamOptions<T> {
  /** The name on the wire when it differs from the source's key. */
  readonly alias?: string;
  /** Value used when the request does not carry the parameter (makes it optional). */
  readonly default?: T;
  /** `false` makes the parameter optional: the value is then `undefined` when absent. */
  readonly required?: boolean;
  /** Shown in the OpenAPI document. */
  readonly description?: string;
  /**
   * Standard Schema sources only: the JSON Schema to document (and coerce text by) when the
   * validator has no converter the library knows (docs/standard-schema.md#json-schema), or a
   * function making it from the validator.
   */
  readonly jsonSchema?: JsonSchemaOption;
}

/**
 * Options of {@link Header}.
 *
 * @example
 * ```ts
 * Header(Type.String(), { alias: "X-Request-Id", convertUnderscores: false });
 * ```
 */
export interface HeaderOptions<T> extends ParamOptions<T> {
  /**
   * Derive the header name from the key in kebab case (default `true`): underscores become hyphens
   * (`x_token` reads `x-token`, as FastAPI's `convert_underscores`) and so do camelCase word
   * boundaries (`xToken`, `XRequestID` read `x-token`, `x-request-id`). `false` uses the key as it
   * is, lowercased.
   */
  readonly convertUnderscores?: boolean;
}

/**
 * Options of {@link Body}.
 *
 * @example
 * ```ts
 * Body(Item, { embed: true }); // expects {"item": {...}}
 * ```
 */
export interface BodyOptions<T> extends ParamOptions<T> {
  /** Expect `{ "<name>": value }` even when this is the only body source. */
  readonly embed?: boolean;
}

/**
 * The injected type of a parameter: optional ones may be `undefined`.
 *
 * @example
 * ```ts
 * type Limit = ParamValue<TInteger, { default: 10 }>; // number
 * ```
 */
export type ParamValue<S extends AnySchema, O> = O extends { readonly default: unknown }
  ? SchemaValue<S>
  : O extends { readonly required: false }
    ? SchemaValue<S> | undefined
    : S extends { readonly "~optional": true }
      ? SchemaValue<S> | undefined
      : SchemaValue<S>;

function param<T>(
  location: ParamSourceLocation,
  declared: AnySchema,
  options: (BodyOptions<unknown> & HeaderOptions<unknown>) | undefined,
): ParamSource<T> {
  const opts = options ?? {};
  let schema = declared as TSchema;
  let standard: StandardParam | undefined;
  if (isStandardSchema(declared)) ({ schema, standard } = standardParam(declared, opts.jsonSchema));
  else if (declared === null || typeof declared !== "object") {
    throw new DeclarationError("DEPENDS_INVALID_SCHEMA", `${location} source needs a typebox schema or a Standard Schema validator, got ${declared === null ? "null" : typeof declared}`);
  } else if (opts.jsonSchema !== undefined) {
    throw new DeclarationError("DEPENDS_INVALID_SCHEMA", `${location} source: the \`jsonSchema\` option is for Standard Schema validators; a typebox schema is a JSON Schema already`);
  }
  const hasDefault = "default" in opts;
  const optional = (schema as { "~optional"?: boolean })["~optional"] === true || standard?.acceptsUndefined === true;
  return Object.freeze({
    [kSource]: "param",
    location,
    schema: hasDefault ? { ...schema, default: opts.default } : schema,
    alias: opts.alias,
    required: !(hasDefault || optional || opts.required === false),
    hasDefault,
    default: opts.default,
    description: opts.description,
    embed: opts.embed ?? false,
    convertUnderscores: opts.convertUnderscores ?? true,
    ...(standard === undefined ? {} : { standard }),
  });
}

/**
 * A path parameter (`/items/:itemId` or `/items/{itemId}`), validated and coerced by its schema.
 *
 * @example
 * ```ts
 * api.get("/items/:itemId", { itemId: Path(Type.Integer({ minimum: 1 })) }, ({ itemId }) => ({ itemId }));
 * ```
 */
export function Path<S extends AnySchema, const O extends ParamOptions<SchemaValue<S>> = {}>(schema: S, options?: O): ParamSource<NoInfer<ParamValue<S, O>>> {
  return param("path", schema, options);
}

/**
 * A query-string parameter.
 *
 * @example
 * ```ts
 * const paging = dependency({ limit: Query(Type.Integer({ maximum: 100 }), { default: 10 }) }, ({ limit }) => limit);
 * const search = dependency({ q: Query(z.string().min(3)) }, ({ q }) => q); // zod, valibot...: docs/standard-schema.md
 * ```
 */
export function Query<S extends AnySchema, const O extends ParamOptions<SchemaValue<S>> = {}>(schema: S, options?: O): ParamSource<NoInfer<ParamValue<S, O>>> {
  return param("query", schema, options);
}

/**
 * A request header (case-insensitive). The key names it in kebab case: `user_agent` and `userAgent`
 * both read `user-agent`, unless `convertUnderscores: false` (or an `alias`) says otherwise. The
 * same name is documented in OpenAPI and used in validation errors' `loc`.
 *
 * @example
 * ```ts
 * const agent = dependency({ user_agent: Header(Type.String(), { required: false }) }, ({ user_agent }) => user_agent);
 * const token = dependency({ xToken: Header(Type.String()) }, ({ xToken }) => xToken); // reads `x-token`
 * ```
 */
export function Header<S extends AnySchema, const O extends HeaderOptions<SchemaValue<S>> = {}>(schema: S, options?: O): ParamSource<NoInfer<ParamValue<S, O>>> {
  return param("header", schema, options);
}

/**
 * A cookie.
 *
 * @example
 * ```ts
 * const session = dependency({ session: Cookie(Type.String({ minLength: 16 })) }, ({ session }) => session);
 * ```
 */
export function Cookie<S extends AnySchema, const O extends ParamOptions<SchemaValue<S>> = {}>(schema: S, options?: O): ParamSource<NoInfer<ParamValue<S, O>>> {
  return param("cookie", schema, options);
}

/**
 * The JSON body, or (with several body sources, or `embed: true`) one member of it.
 *
 * @example
 * ```ts
 * api.post("/items/", { item: Body(Type.Object({ name: Type.String() })) }, ({ item }) => item);
 * ```
 */
export function Body<S extends AnySchema, const O extends BodyOptions<SchemaValue<S>> = {}>(schema: S, options?: O): ParamSource<NoInfer<ParamValue<S, O>>> {
  return param("body", schema, options);
}

/**
 * A field of an `application/x-www-form-urlencoded` body. Empty values count as missing, as in FastAPI.
 *
 * @example
 * ```ts
 * const login = dependency({ username: Form(Type.String()), password: Form(Type.String()) }, (form) => form);
 * ```
 */
export function Form<S extends AnySchema, const O extends ParamOptions<SchemaValue<S>> = {}>(schema: S, options?: O): ParamSource<NoInfer<ParamValue<S, O>>> {
  return param("form", schema, options);
}

/** The wire name of a parameter declared under `key`. */
export function wireName(key: string, source: ParamSource<unknown>): string {
  if (source.alias !== undefined) return source.location === "header" ? source.alias.toLowerCase() : source.alias;
  if (source.location === "header") return (source.convertUnderscores ? kebabCase(key) : key).toLowerCase();
  return key;
}

/**
 * `x_token`, `xToken` and `XToken` -> `x-token`; `XRequestID` -> `x-request-id`. A JavaScript key is
 * usually camelCase where FastAPI's is snake_case; without this `xToken` would read `xtoken`, a header
 * nobody sends (issue 20, item 13).
 */
function kebabCase(key: string): string {
  return key
    .replaceAll("_", "-")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2");
}
