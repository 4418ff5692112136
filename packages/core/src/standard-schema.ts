import type { Static, TSchema } from "typebox";

// The interfaces of the Standard Schema spec (`@standard-schema/spec` v1, MIT), restated: the spec
// invites libraries to copy them rather than depend on the package, and the core takes no
// dependency on a validation library. zod 4, valibot 1, ArkType and others implement them; a
// schema of any of them is assignable here structurally.

/**
 * A Standard Schema (`@standard-schema/spec` v1) validator: zod 4, valibot 1, ArkType... Parameter
 * sources (`Query`, `Body`...) and response schemas accept one where they accept a typebox schema.
 *
 * @example
 * ```ts
 * import * as z from "zod";
 * const limit: StandardSchemaV1<unknown, number> = z.coerce.number();
 * ```
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1.Props<Input, Output>;
}

/**
 * The spec's companion types: `Props`, `Result`, `Issue`, `PathSegment`, `InferInput`, `InferOutput`.
 *
 * @example
 * ```ts
 * type Limit = StandardSchemaV1.InferOutput<typeof limitSchema>; // number
 * ```
 */
export declare namespace StandardSchemaV1 {
  /** The `~standard` property of a validator. */
  interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown, options?: Options | undefined) => Result<Output> | Promise<Result<Output>>;
    readonly types?: Types<Input, Output> | undefined;
  }
  interface Options {
    readonly libraryOptions?: Record<string, unknown> | undefined;
  }
  type Result<Output> = SuccessResult<Output> | FailureResult;
  interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One problem a validator found; vendors add fields of their own (zod's `code`, valibot's `type`). */
  interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  interface PathSegment {
    readonly key: PropertyKey;
  }
  interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["input"];
  type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["output"];
}

/**
 * The Standard JSON Schema interface (`~standard.jsonSchema`), by which a validator describes
 * itself as JSON Schema; the library's preferred way to document a Standard Schema source (zod 4.2
 * and later implement it, valibot through `toStandardJsonSchema` of `@valibot/to-json-schema`).
 *
 * @example
 * ```ts
 * const described = (schema as StandardJSONSchemaV1)["~standard"].jsonSchema.input({ target: "draft-2020-12" });
 * ```
 */
export interface StandardJSONSchemaV1 {
  readonly "~standard": {
    readonly vendor: string;
    readonly jsonSchema: {
      readonly input: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> }) => Record<string, unknown>;
      readonly output: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> }) => Record<string, unknown>;
    };
  };
}

/**
 * What a parameter source or response schema accepts: a typebox schema or a Standard Schema validator.
 *
 * @example
 * ```ts
 * const schemas: AnySchema[] = [Type.Integer(), z.number().int(), v.pipe(v.number(), v.integer())];
 * ```
 */
export type AnySchema = TSchema | StandardSchemaV1;

/**
 * The value a schema produces: `Static<S>` for typebox, the validator's output type
 * (`StandardSchemaV1.InferOutput`) for a Standard Schema.
 *
 * @example
 * ```ts
 * type A = SchemaValue<typeof Type.Integer>;        // number
 * type B = SchemaValue<ReturnType<typeof z.string>>; // string
 * ```
 */
export type SchemaValue<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : S extends TSchema ? Static<S> : never;

/**
 * Whether `value` is a Standard Schema validator (it has `~standard.validate`).
 *
 * @example
 * ```ts
 * isStandardSchema(z.string()); // true
 * isStandardSchema(Type.String()); // false
 * ```
 */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
  const props = (value as { "~standard"?: { validate?: unknown } })["~standard"];
  return props !== null && typeof props === "object" && typeof props.validate === "function";
}
