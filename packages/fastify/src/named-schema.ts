import { DeclarationError } from "@depends/core";
import type { TSchema } from "typebox";
import { isComponentName } from "./schema-components.js";

/**
 * Names a schema in the OpenAPI document: the copy it returns is one `components.schemas.<name>`
 * entry, and each use of it a `$ref` to it (FastAPI does so for every pydantic model). It is the
 * same as giving typebox `{ $id: name }` when building the schema (`Type.Object({...}, { $id: "User" })`),
 * for a schema built elsewhere (a library's, or one shared under several names). The schema itself is
 * not changed; validation and serialisation are the same. `name` must be an OpenAPI component name
 * (letters, digits, `.`, `-`, `_`).
 *
 * @example
 * ```ts
 * const User = named("User", Type.Object({ username: Type.String() }));
 * api.get("/users/me/", { sources: { user: Depends(getUser) }, response: { 200: User } }, ({ user }) => user);
 * // /openapi.json: "schema": { "$ref": "#/components/schemas/User" }
 * ```
 */
export function named<const N extends string, const T extends TSchema>(name: N, schema: T): T & { readonly $id: N } {
  if (typeof name !== "string" || !isComponentName(name)) {
    throw new DeclarationError("DEPENDS_INVALID_SCHEMA_NAME", `named(): ${JSON.stringify(name)} cannot be an OpenAPI component name: use letters, digits, ".", "-" and "_" only`);
  }
  // Every own property, typebox's non-enumerable markers (`~kind`, `~optional`...) included.
  const copy = Object.defineProperties(Object.create(Object.getPrototypeOf(schema) as object | null) as object, Object.getOwnPropertyDescriptors(schema));
  return Object.assign(copy, { $id: name }) as unknown as T & { readonly $id: N };
}
