// Property: whatever method, path and query string a client sends (dot segments, encoded slashes,
// NULs, unicode, long paths, nested-looking and prototype-named query keys, documentation and
// static-file paths, absolute-form and backslash request targets), the example answers with a 4xx
// and `{"detail": ...}`, a redirect (307 trailing slash, 302 into /docs/) whose Location stays on
// this host, or a documentation page; a protected route answers 200 only to a valid token. Never a
// 5xx, never a secret. Clearly named tests pin bugs found here.
import fc from "fast-check";
import type { InjectOptions } from "fastify";
import t from "tap";
import { type Answer, contractProblem, described, fuzzedApp, fuzzParameters, injectAnswer, listen, short } from "./support/hardening.js";
import { pyjwtToken, inHalfAnHour } from "./support/tokens.js";

const VALID = `Bearer ${pyjwtToken({ sub: "johndoe", scope: "me items", exp: inHalfAnHour() })}`;

const segment = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("users", "me", "items", "status", "token", "docs", "openapi.json", "static", "json", "yaml", "index.html", "swagger-initializer.js") },
  { weight: 3, arbitrary: fc.constantFrom("..", ".", "%2e%2e", "%2E", "%2F", "%2f..", "%00", "%20", "", "%25", ";x=y", "*", "~", "%5C", "\\", "%C3%A9", "%E2%80%AE") },
  fc.string({ unit: "grapheme", maxLength: 6 }).map(encodeURIComponent),
  fc.integer({ min: 100, max: 5_000 }).map((n) => "a".repeat(n)),
);
const queryKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "a[b]", "a[]", "constructor[prototype][x]", "q", "scope", "token", "access_token", ""), fc.string({ maxLength: 6 }));
const queryValue = fc.oneof(fc.string({ unit: "grapheme", maxLength: 10 }).map(encodeURIComponent), fc.constantFrom("%", "%zz", "%FF", "%E0%A4%A", "+", "==", "&"));
const query = fc.option(
  fc.array(fc.tuple(queryKey.map(encodeURIComponent), queryValue), { maxLength: 5 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`),
  { nil: "", freq: 3 },
);

// Request targets an attacker would use against a redirect: absolute-form (RFC 9112 section 3.2.2,
// its host is the attacker's) and paths a browser reads as `//host` (backslashes, encoded slashes
// and backslashes, nested encodings, the tab and line breaks browsers ignore).
const OFF_SITE_HOST = "evil.example";
const slashLike = fc.constantFrom("/", "\\", "%5C", "%5c", "%2F", "%2f", "%255C", "%252F", "%09/", "%0a\\", "%25255C");
const backslashPath = fc
  .record({ first: slashLike, rest: fc.array(segment, { maxLength: 3 }), slash: fc.constantFrom("", "/") })
  .map(({ first, rest, slash }) => `/${first}${OFF_SITE_HOST}${rest.map((s) => `/${s}`).join("")}${slash}`);

const KNOWN = ["/users/me/", "/users/me/items/", "/status/", "/token", "/docs", "/docs/", "/openapi.json", "/docs/json", "/docs/static/index.html", "/docs/static/"];

/** A known path or its trailing-slash twin (which the example redirects to the known one). */
const knownOrTwin = fc.record({ known: fc.constantFrom(...KNOWN), twin: fc.boolean() }).map(({ known, twin }) => (!twin || known === "/" ? known : known.endsWith("/") ? known.slice(0, -1) : `${known}/`));

interface PathCase {
  readonly method: string;
  readonly url: string;
  readonly withToken: boolean;
}

function pathCase(methods: readonly string[], offSite = false): fc.Arbitrary<PathCase> {
  const paths: fc.Arbitrary<string>[] = [
    fc
      .record({ segments: fc.array(segment, { minLength: 1, maxLength: 5 }), slash: fc.constantFrom("", "", "/", "//"), lead: fc.constantFrom("/", "/", "/", "//") })
      .map(({ segments, slash, lead }) => `${lead}${segments.join("/")}${slash}`),
    // The example's own paths, sometimes bent: the routes, their trailing-slash twins, the docs.
    fc
      .record({ known: fc.constantFrom(...KNOWN), extra: fc.option(segment, { nil: undefined, freq: 3 }), cut: fc.boolean() })
      .map(({ known, extra, cut }) => (extra !== undefined ? `${known}${known.endsWith("/") ? "" : "/"}${extra}` : cut && known.length > 1 ? known.replace(/\/$/, "") : known)),
  ];
  // Only over a socket: `inject` parses its URL with WHATWG rules, where these name a host.
  if (offSite) {
    paths.push(
      backslashPath,
      fc
        .record({ scheme: fc.constantFrom("http", "https", "HTTP"), port: fc.constantFrom("", ":80", ":8443"), path: fc.oneof(knownOrTwin, backslashPath) })
        .map(({ scheme, port, path }) => `${scheme}://${OFF_SITE_HOST}${port}${path}`),
    );
  }
  return fc
    .record({
      method: fc.oneof({ weight: 6, arbitrary: fc.constantFrom("GET", "HEAD") }, fc.constantFrom(...methods)),
      path: fc.oneof(...paths),
      query,
      withToken: fc.boolean(),
    })
    .map(({ method, path, query, withToken }) => {
      const url = `${path}${query}`;
      return described({ method, url, withToken }, `${method} ${short(url, 200)}${withToken ? " (valid token)" : ""}`);
    });
}

const DOC_PAGE = /^\/(docs(\/|$)|openapi\.json$)/;

/** 200 is for documentation pages, or for a protected route given the valid token; 302/307 are redirects. */
function allowance(c: PathCase): { ok: (status: number) => boolean; head: boolean } {
  let pathname = c.url;
  try {
    pathname = new URL(c.url, "http://x").pathname;
  } catch {
    // An unparsable URL: only errors are acceptable.
  }
  return { ok: (status) => status === 302 || status === 307 || (status === 200 && (DOC_PAGE.test(pathname) || c.withToken)), head: c.method === "HEAD" };
}

/**
 * Why a redirect's Location could take a browser off-site, or `undefined`: it must be a path
 * (starting with one "/"), and resolve against this host to this host, as written and after
 * percent-decoding (a proxy or a client may decode it once more).
 */
function offSiteLocation(location: string): string | undefined {
  const here = "http://app.example/";
  let candidate = location;
  for (let round = 0; round < 4; round++) {
    if (!candidate.startsWith("/")) return `Location ${JSON.stringify(location)} is not a path`;
    let host: string;
    try {
      host = new URL(candidate, here).host;
    } catch {
      return `Location ${JSON.stringify(location)} does not parse as a URL`;
    }
    if (host !== "app.example") return `Location ${JSON.stringify(location)} leads to ${JSON.stringify(host)}`;
    let decoded: string;
    try {
      decoded = decodeURIComponent(candidate);
    } catch {
      return undefined; // Not decodable further: nothing more a decoder could reveal.
    }
    if (decoded === candidate) return undefined;
    candidate = decoded;
  }
  return undefined;
}

function check(answer: Answer, c: PathCase): void {
  const problem = contractProblem(answer, allowance(c));
  if (problem !== undefined) throw new Error(problem);
  if (answer.status >= 300 && answer.status < 400) {
    const where = offSiteLocation(String(answer.headers.location ?? ""));
    if (where !== undefined) throw new Error(`${answer.status} off-site: ${where}`);
  }
  if (answer.status === 405 && c.method !== "GET" && c.method !== "HEAD") {
    const allow = String(answer.headers.allow ?? "");
    if (allow === "" || allow.split(", ").includes(c.method)) throw new Error(`405 with Allow ${JSON.stringify(allow)} for ${c.method}`);
  }
}

t.test("inject: any method, path and query string keeps the contract", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  const seen = new Map<number, number>();
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(pathCase(["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "SEARCH"]), async (c) => {
      cases++;
      // light-my-request parses the URL with WHATWG rules, where "//x" (or "/\\x") names a host: the
      // socket test sends those as they are.
      const url = c.url.replace(/^[/\\]+/, "/");
      const headers: Record<string, string> = c.withToken ? { authorization: VALID } : {};
      const answer = await injectAnswer(app, { method: c.method as InjectOptions["method"], url, headers });
      check(answer, { ...c, url });
      seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
    }),
    fuzzParameters(2_000),
  );
  t.comment(`hardening-paths inject: ${cases} cases; statuses ${JSON.stringify(Object.fromEntries(seen))}`);
  t.strictSame(errors(), [], "nothing logged at error level");
});

t.test("real socket: any path and query string keeps the contract", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  const wire = await listen(t, app);
  let cases = 0;
  await fc.assert(
    // Node's parser knows a fixed list of methods; anything else is refused before fastify (a 400 of Node's).
    fc.asyncProperty(pathCase(["POST", "PUT", "DELETE", "PATCH", "OPTIONS"], true), async (c) => {
      cases++;
      // Node's client refuses raw spaces and non-latin1 characters in a request target.
      const path = c.url.replace(/[^\x21-\x7e]/g, (ch) => encodeURIComponent(ch));
      const answer = await wire.send({ method: c.method, path, headers: c.withToken ? { authorization: VALID } : {} });
      check(answer, { ...c, url: path });
    }),
    fuzzParameters(300),
  );
  t.comment(`hardening-paths socket: ${cases} cases`);
  t.strictSame(errors(), [], "nothing logged at error level");
});

// Regression, fixed (example, src/app.ts): fastify answers a malformed percent-encoding in the path itself, before
// any route or error handler, with its own body {"error","code":"FST_ERR_BAD_URL","message","statusCode"}
// unless the server option `frameworkErrors` is set. Fix: create the app with
// `Fastify({ frameworkErrors: dependsErrorHandler, ...options.fastify })` (dependsErrorHandler is
// exported by @depends/fastify and already maps the error's statusCode 400 to {"detail": ...}).
t.test("regression (example): a malformed percent-encoding in the path answers {detail}, not fastify's own body", async (t) => {
  const { app } = await fuzzedApp(t);
  const malformed = fc.tuple(fc.constantFrom("/", "/users/me/", "/status/", "/docs/", "/token/"), fc.constantFrom("%", "%zz", "%E0%A4%A", "%C3", "%FF%FE", "a%"), fc.constantFrom("", "?x=1", "/"));
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(malformed, async ([prefix, bad, suffix]) => {
      cases++;
      const answer = await injectAnswer(app, { method: "GET", url: `${prefix}${bad}${suffix}` });
      const problem = contractProblem(answer);
      if (problem !== undefined) throw new Error(`GET ${prefix}${bad}${suffix}: ${problem}`);
    }),
    { numRuns: 30 },
  );
  t.comment(`hardening-paths malformed encodings: ${cases} cases`);
});

// Regression, fixed (adapter, packages/fastify/src/not-found.ts, dependsNotFound): a route that exists for the
// method but declines the request (here @fastify/static's wildcard `/docs/static/*` for a file that
// does not exist, which calls reply.callNotFound()) reaches the not-found handler, which finds the
// wildcard in its route mirror and answers 405 "Method Not Allowed" with `Allow: GET, HEAD` to a
// GET. Fix: in dependsNotFound, answer 404 when `allowed.includes(request.method)`.
t.test("regression (adapter): a GET of a missing static file is 404, not 405 with Allow: GET", async (t) => {
  const { app } = await fuzzedApp(t);
  for (const url of ["/docs/static/nope.js", "/docs/static/%2e%2e%2fpackage.json"]) {
    for (const method of ["GET", "HEAD"] as const) {
      const answer = await injectAnswer(app, { method, url });
      t.strictSame({ status: answer.status, allow: answer.headers.allow }, { status: 404, allow: undefined }, `${method} ${url}: 404, not 405 "Allow: GET, HEAD"`);
    }
  }
});
