/**
 * The user-id and password of an HTTP Basic `Authorization` header (RFC 7617).
 *
 * @example
 * ```ts
 * const credentials: HTTPBasicCredentials = { username: "johndoe", password: "secret" };
 * ```
 */
export interface HTTPBasicCredentials {
  readonly username: string;
  readonly password: string;
}

// Canonical base64 (RFC 4648 section 4): the standard alphabet, whole 4-character groups, padding
// only at the end. Buffer's decoder would accept anything (it skips unknown characters and missing
// padding), and a lenient decoder lets two different headers name the same credentials.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// `fatal` rejects invalid UTF-8 instead of replacing it with U+FFFD (which would again make two
// different byte strings equal); `ignoreBOM` keeps a leading BOM as part of the user-id rather than
// silently dropping it.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes the parameter of `Authorization: Basic <param>`: strict base64, then UTF-8, then a split at
 * the first `:` (the user-id cannot contain one; the password may). Returns `undefined` when any
 * step fails.
 *
 * UTF-8 rather than FastAPI's ASCII: RFC 7617 section 2.1 names UTF-8 as the only charset a server
 * may announce, and browsers send UTF-8; every ASCII header decodes exactly as in FastAPI.
 *
 * @example
 * ```ts
 * decodeBasicCredentials("am9obmRvZTpzZWM6cmV0"); // { username: "johndoe", password: "sec:ret" }
 * decodeBasicCredentials("not base64!");           // undefined
 * ```
 */
export function decodeBasicCredentials(param: string): HTTPBasicCredentials | undefined {
  if (!BASE64.test(param)) return undefined;
  let text: string;
  try {
    text = UTF8.decode(Buffer.from(param, "base64"));
  } catch {
    return undefined;
  }
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}
