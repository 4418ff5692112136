/**
 * Where a trailing-slash redirect may point. The `Location` is built from the request's path only:
 * an absolute-form request target (`GET http://evil.example/users/me HTTP/1.1`, RFC 9112 section
 * 3.2.2) names a host the client chose, and a path whose start a browser reads as an authority
 * (`//evil.example`, `/\evil.example`) would send the user off-site.
 */

/** A request target split into its origin-form path and its query (with the `?`, or ""). */
export interface RequestTarget {
  readonly path: string;
  readonly query: string;
}

// find-my-way routes an absolute-form target by its path (`getPathFromAbsoluteUrl`, http and https
// only); the mirror and the redirect must read the same path, or a redirect could name a path the
// router never matched.
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * The origin-form path and query of a request target (`request.url`), or `undefined` for a target
 * that has no path to redirect to (asterisk-form, another scheme, no leading slash).
 *
 * @example
 * ```ts
 * requestTarget("http://evil.example/users/me?x=1"); // { path: "/users/me", query: "?x=1" }
 * requestTarget("/users/me");                          // { path: "/users/me", query: "" }
 * ```
 */
export function requestTarget(url: string): RequestTarget | undefined {
  let target = url;
  if (!target.startsWith("/")) {
    const authority = ABSOLUTE_FORM.exec(target);
    if (authority === null) return undefined;
    target = target.slice(authority[0].length);
    if (target === "" || target.startsWith("?")) target = `/${target}`;
    if (!target.startsWith("/")) return undefined;
  }
  const q = target.indexOf("?");
  return q < 0 ? { path: target, query: "" } : { path: target.slice(0, q), query: target.slice(q) };
}

// Percent-encoded octets, decoded as many times as they are nested (`%255C` -> `%5C` -> `\`): a
// proxy or a client that decodes once more must not find an authority either.
const ENCODED = /%([0-9a-fA-F]{2})/g;
const MAX_DECODING_ROUNDS = 8;
// Browsers drop tab, LF and CR anywhere in a URL (WHATWG URL parser), so `/\t/evil` is `//evil`.
const IGNORED_BY_BROWSERS = /[\t\n\r]/g;

/**
 * Whether `path` (origin-form, starting with `/`) is safe as a redirect's `Location`: it must not
 * start with two slashes or a slash and a backslash, raw or percent-encoded, at any depth of
 * encoding, with or without the tabs and line breaks browsers ignore, since a browser (or a proxy
 * that decodes the path) would read what follows as another host.
 *
 * @example
 * ```ts
 * isSafeRedirectPath("/users/me/");      // true
 * isSafeRedirectPath("//evil.example/"); // false
 * isSafeRedirectPath("/%5Cevil.example/"); // false
 * ```
 */
export function isSafeRedirectPath(path: string): boolean {
  if (!path.startsWith("/")) return false;
  // Only the start matters: look at a bounded prefix, so a long path costs nothing more.
  let head = path.slice(0, 256);
  for (let round = 0; round < MAX_DECODING_ROUNDS; round++) {
    const visible = head.replace(IGNORED_BY_BROWSERS, "");
    if (/^[/\\][/\\]/.test(visible)) return false;
    const decoded = head.replace(ENCODED, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    if (decoded === head) return true;
    head = decoded;
  }
  // Nested deeper than any decoder goes: refuse rather than guess.
  return false;
}
