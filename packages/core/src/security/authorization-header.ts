import type { HttpRequest } from "../request.js";
import type { NotAuthenticatedReason } from "./not-authenticated.js";

/**
 * The two halves of an `Authorization` header: the scheme as sent and its parameter.
 *
 * @example
 * ```ts
 * const parts: AuthorizationParts = { scheme: "Bearer", param: "abc" };
 * ```
 */
export interface AuthorizationParts {
  /** The auth-scheme as sent (compare it case-insensitively: RFC 9110 section 11.1). */
  readonly scheme: string;
  /** Everything after the first space, without surrounding whitespace; `""` when absent. */
  readonly param: string;
}

const EMPTY: AuthorizationParts = Object.freeze({ scheme: "", param: "" });

/**
 * Splits an `Authorization` value as FastAPI's `get_authorization_scheme_param` does: at the first
 * space, trimming the parameter. A missing or empty value gives two empty strings.
 *
 * @example
 * ```ts
 * splitAuthorization("Bearer  abc "); // { scheme: "Bearer", param: "abc" }
 * splitAuthorization("Bearer");       // { scheme: "Bearer", param: "" }
 * splitAuthorization(undefined);      // { scheme: "", param: "" }
 * ```
 */
export function splitAuthorization(value: string | undefined): AuthorizationParts {
  if (!value) return EMPTY;
  const space = value.indexOf(" ");
  if (space < 0) return { scheme: value, param: "" };
  return { scheme: value.slice(0, space), param: value.slice(space + 1).trim() };
}

/**
 * Reads a request header by its lower-case name. An adapter may hand over a repeated header as an
 * array: the first value is used, as Starlette's `headers.get` does.
 *
 * @example
 * ```ts
 * firstHeader(createRequest({ headers: { Authorization: ["Bearer a", "Bearer b"] } }), "authorization"); // "Bearer a"
 * ```
 */
export function firstHeader(request: HttpRequest, lowerCaseName: string): string | undefined {
  const value: unknown = request.headers[lowerCaseName];
  if (typeof value === "string") return value;
  // Type checks rather than trust: a header map may be a plain object, where a name such as
  // "constructor" reads an inherited function.
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  return typeof first === "string" ? first : undefined;
}

/**
 * The request's `Authorization` header, split into scheme and parameter.
 *
 * @example
 * ```ts
 * readAuthorization(createRequest({ headers: { authorization: "Basic dTpw" } })); // { scheme: "Basic", param: "dTpw" }
 * ```
 */
export function readAuthorization(request: HttpRequest): AuthorizationParts {
  return splitAuthorization(firstHeader(request, "authorization"));
}

/**
 * Whether a sent auth-scheme is `expected`, ignoring ASCII case only (RFC 9110 section 11.1).
 * `expected` must be lower case. Unicode case folding is avoided on purpose: with it, the Kelvin
 * sign (U+212A) would match `k`.
 *
 * @example
 * ```ts
 * isScheme("BEARER", "bearer"); // true
 * ```
 */
export function isScheme(sent: string, expected: string): boolean {
  if (sent.length !== expected.length) return false;
  for (let i = 0; i < sent.length; i++) {
    let code = sent.charCodeAt(i);
    if (code >= 0x41 && code <= 0x5a) code += 0x20; // A-Z to a-z
    if (code !== expected.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Lower-cases the ASCII letters of an auth-scheme, leaving any other character alone, so that
 * {@link isScheme} can compare against it.
 *
 * @example
 * ```ts
 * asciiLowerCase("Bearer"); // "bearer"
 * ```
 */
export function asciiLowerCase(value: string): string {
  return value.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/**
 * Why `Authorization` carries no usable `<expected> <credentials>`, or `undefined` when it does.
 * An empty parameter (`Authorization: Bearer`) counts as missing credentials, never as `""`.
 *
 * @example
 * ```ts
 * authorizationProblem({ scheme: "Basic", param: "dTpw" }, "bearer"); // "wrongScheme"
 * authorizationProblem({ scheme: "Bearer", param: "" }, "bearer");    // "missing"
 * authorizationProblem({ scheme: "bearer", param: "abc" }, "bearer"); // undefined
 * ```
 */
export function authorizationProblem(parts: AuthorizationParts, expectedScheme: string): NotAuthenticatedReason | undefined {
  if (parts.scheme === "") return "missing";
  if (!isScheme(parts.scheme, expectedScheme)) return "wrongScheme";
  return parts.param === "" ? "missing" : undefined;
}
