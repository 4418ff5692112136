import type { ParamLocation, ValidationErrorItem } from "../errors.js";
import type { HttpRequest } from "../request.js";
import { assertNoErrors, type BodyShape, compileLocationValidator, type LocationValidator } from "../validation/validator.js";
import { compileStandardLocationValidator } from "../validation/standard-validator.js";
import type { CompileCache } from "./cache.js";
import type { RequestSchemas } from "./request-schema.js";
import { MAX_VALIDATION_ITEMS } from "./limits.js";
import { INPUT } from "./steps.js";

/**
 * Reads one request's inputs for a plan: the array indexed by `INPUT` (path, query, header,
 * cookie, body), each location validated, coerced and defaulted against the schema of the tree
 * that runs, or `undefined` when the tree reads no request value. Throws a
 * `RequestValidationError` listing every problem, in FastAPI's location order, before any
 * dependency runs.
 */
export type InputsReader = ((request: HttpRequest) => readonly unknown[]) & { readonly mayAwait?: undefined };

/**
 * The reader of a route with Standard Schema parameters: as {@link InputsReader}, but a promise
 * when one of its validators answered asynchronously (`mayAwait` tells the plan to expect it).
 */
export type StandardInputsReader = ((request: HttpRequest) => readonly unknown[] | Promise<readonly unknown[]>) & { readonly mayAwait: true };

const LOCATIONS: readonly ParamLocation[] = ["path", "query", "header", "cookie", "body"];

function read(request: HttpRequest, location: ParamLocation): unknown {
  switch (location) {
    case "path":
      return request.params;
    case "query":
      return request.query;
    case "header":
      return request.headers;
    case "cookie":
      return request.cookies;
    case "body":
      return request.body;
  }
}

function readerOf(schemas: RequestSchemas): InputsReader | StandardInputsReader | undefined {
  const used = LOCATIONS.filter((location) => schemas[location] !== undefined);
  if (used.length === 0) return undefined;
  const body: BodyShape = { kind: schemas.bodyKind, required: schemas.bodyRequired, whole: schemas.wholeBody, files: schemas.files };
  if (schemas.standard !== undefined) return standardReaderOf(schemas, used, body);
  // Compiled on the route's first request: typebox's compiler is loaded, and each schema compiled,
  // only for routes that are called (a thousand registered routes boot without it).
  let validators: (readonly [number, ParamLocation, LocationValidator])[] | undefined;
  return (request) => {
    validators ??= used.map((location) => [INPUT[location], location, compileLocationValidator(location, schemas[location] as NonNullable<RequestSchemas["body"]>, body)] as const);
    const inputs: unknown[] = [undefined, undefined, undefined, undefined, undefined];
    const errors: ValidationErrorItem[] = [];
    for (const [index, location, validate] of validators) inputs[index] = validate(read(request, location), errors);
    assertNoErrors(errors);
    return inputs;
  };
}

/**
 * The reader of a route with Standard Schema parameters. Each location keeps its own list of
 * problems, so that the 422 lists them in FastAPI's location order even when an asynchronous
 * validator of an earlier location answers last; without an asynchronous answer no promise is made.
 */
function standardReaderOf(schemas: RequestSchemas, used: readonly ParamLocation[], body: BodyShape): StandardInputsReader {
  const standard = schemas.standard ?? {};
  let validators: (readonly [number, ParamLocation, LocationValidator])[] | undefined;
  const read_ = (request: HttpRequest): readonly unknown[] | Promise<readonly unknown[]> => {
    validators ??= used.map((location) => {
      const schema = schemas[location] as NonNullable<RequestSchemas["body"]>;
      const fields = standard[location];
      const validate = fields === undefined ? compileLocationValidator(location, schema, body) : compileStandardLocationValidator(location, schema, body, fields);
      return [INPUT[location], location, validate] as const;
    });
    const inputs: unknown[] = [undefined, undefined, undefined, undefined, undefined];
    const errors: ValidationErrorItem[][] = [];
    let pending: Promise<void>[] | undefined;
    for (const [index, location, validate] of validators) {
      const found: ValidationErrorItem[] = [];
      errors.push(found);
      const value = validate(read(request, location), found);
      if (value instanceof Promise) (pending ??= []).push(value.then((v: unknown) => void (inputs[index] = v)));
      else inputs[index] = value;
    }
    const finish = (): readonly unknown[] => {
      assertNoErrors(errors.flat().slice(0, MAX_VALIDATION_ITEMS));
      return inputs;
    };
    return pending === undefined ? finish() : Promise.all(pending).then(finish);
  };
  return Object.assign(read_, { mayAwait: true as const });
}

/**
 * The reader of these request schemas, built once per application (routes of one shape share
 * it); `undefined` when the tree reads no request value.
 */
export function inputsReaderOf(cache: CompileCache, schemas: RequestSchemas): InputsReader | StandardInputsReader | undefined {
  if (cache.readers.has(schemas)) return cache.readers.get(schemas);
  const reader = readerOf(schemas);
  cache.readers.set(schemas, reader);
  return reader;
}
