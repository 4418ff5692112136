// The limits that bound what one request can cost, pinned: body size (fastify's bodyLimit, 413),
// header size (Node's maxHeaderSize, 431 before fastify), token length (refused before any base64
// decoding or cryptography), JSON nesting, and the number of form fields (a bug: unbounded today).
import { connect } from "node:net";
import t from "tap";
import { createJwtVerifier } from "@depends/core/jwt";
import { contractProblem, fuzzedApp, injectAnswer, listen } from "./support/hardening.js";
import { GUIDE_SECRET_KEY } from "./support/settings.js";
import { inHalfAnHour, pyjwtToken } from "./support/tokens.js";

const FORM = "application/x-www-form-urlencoded";
const MiB = 1024 * 1024;

/** Writes raw bytes to 127.0.0.1:port and collects everything until the server closes or 2 s pass. */
function rawExchange(port: number, request: string): Promise<{ status: number; text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = () => {
      const text = Buffer.concat(chunks).toString("latin1");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text, closed });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      finish();
    }, 2_000);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      closed = true;
      clearTimeout(timer);
      finish();
    });
    socket.on("connect", () => socket.write(request));
  });
}

t.test("body size: fastify's 1 MiB bodyLimit answers 413 {detail} before parsing", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  const atLimit = `username=johndoe&password=${"x".repeat(MiB - "username=johndoe&password=".length)}`;
  t.equal(Buffer.byteLength(atLimit), MiB);
  const ok = await injectAnswer(app, { method: "POST", url: "/token", headers: { "content-type": FORM }, payload: atLimit });
  t.equal(ok.status, 400, "exactly 1 MiB is read (and the password is wrong)");
  for (const [label, headers] of [
    ["form", { "content-type": FORM }],
    ["JSON", { "content-type": "application/json" }],
    ["unknown route", { "content-type": "text/plain" }],
  ] as const) {
    const url = label === "unknown route" ? "/nowhere" : "/token";
    const answer = await injectAnswer(app, { method: "POST", url, headers, payload: `${atLimit}x` });
    t.equal(answer.status, 413, `${label}: 1 MiB + 1 byte is 413`);
    t.equal(contractProblem(answer), undefined, `${label}: with a detail`);
    t.strictSame(JSON.parse(answer.body), { detail: "Request body is too large" });
  }
  // Over a socket without Content-Length: fastify counts the chunks as they arrive and stops reading.
  const wire = await listen(t, app);
  const chunked = await rawExchange(
    wire.port,
    `POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nTransfer-Encoding: chunked\r\n\r\n${(MiB + 1).toString(16)}\r\n${"a".repeat(MiB + 1)}\r\n0\r\n\r\n`,
  );
  t.equal(chunked.status, 413, "a chunked body over the limit is 413 too");
  t.match(chunked.text, /"detail":"Request body is too large"/);
  t.strictSame(errors(), []);
});

t.test("header size: Node refuses more than 16 KiB of headers with 431 before fastify sees the request", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  const wire = await listen(t, app);
  const token = "a".repeat(12_000);
  const under = await rawExchange(wire.port, `GET /status/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
  t.equal(under.status, 401, "12 KB of headers reach the route (a too-long token: 401)");
  t.match(under.text, /"detail":"Could not validate credentials"/);
  const over = await rawExchange(wire.port, `GET /status/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${"a".repeat(17_000)}\r\n\r\n`);
  t.equal(over.status, 431, "17 KB of headers: 431 Request Header Fields Too Large");
  t.ok(over.closed, "and the connection is closed");
  // Answered by fastify's clientErrorHandler, outside any route: JSON, but fastify's shape.
  t.match(over.text, /Content-Type: application\/json/);
  const longUrl = await rawExchange(wire.port, `GET /status/?q=${"a".repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  t.equal(longUrl.status, 431, "the request line counts toward the same limit");
  const control = await rawExchange(wire.port, `GET /status/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\u0001b\r\n\r\n`);
  t.equal(control.status, 400, "a control character in a header value is refused by Node's parser (400)");
  t.strictSame(errors(), [], "protocol errors are not application errors");
});

t.test("token length: a token over maxTokenLength is refused before any base64 decoding or cryptography", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  type Subtle = typeof globalThis.crypto.subtle;
  const subtle = globalThis.crypto.subtle;
  const counts = { verify: 0, atob: 0 };
  const verify = subtle.verify;
  const atob = globalThis.atob;
  subtle.verify = function countedVerify(this: Subtle, ...args: Parameters<Subtle["verify"]>) {
    counts.verify++;
    return verify.apply(this, args);
  };
  globalThis.atob = (data: string) => {
    counts.atob++;
    return atob(data);
  };
  t.teardown(() => {
    delete (subtle as Partial<Subtle>).verify;
    globalThis.atob = atob;
  });

  // Well-formed HS256 tokens signed with the wrong key, padded to an exact length.
  const tokenOfLength = (length: number): string => {
    const bare = pyjwtToken({ sub: "johndoe", scope: "me", exp: inHalfAnHour(), padding: "" }, "another-secret-key-that-is-long-enough-0123456789");
    for (let pad = Math.floor(((length - bare.length) * 3) / 4); ; pad++) {
      const token = pyjwtToken({ sub: "johndoe", scope: "me", exp: inHalfAnHour(), padding: "p".repeat(pad) }, "another-secret-key-that-is-long-enough-0123456789");
      if (token.length === length) return token;
      if (token.length > length) return `${token.slice(0, length)}`;
    }
  };
  const measure = async (token: string) => {
    const before = { ...counts };
    const answer = await injectAnswer(app, { url: "/status/", headers: { authorization: `Bearer ${token}` } });
    return { status: answer.status, body: answer.body, verify: counts.verify - before.verify, atob: counts.atob - before.atob };
  };

  const atLimit = tokenOfLength(8192);
  t.equal(atLimit.length, 8192);
  const checked = await measure(atLimit);
  t.equal(checked.status, 401);
  t.equal(checked.verify, 1, "control: a token of exactly 8192 characters is decoded and its signature checked once");
  t.ok(checked.atob > 0, "control: the spy sees jose's base64url decoding");

  for (const length of [8193, 16_000, 100_000]) {
    const refused = await measure(length === 8193 ? tokenOfLength(8193) : `${atLimit}${"A".repeat(length - 8192)}`);
    t.equal(refused.status, 401, `${length} characters: 401`);
    t.strictSame(JSON.parse(refused.body), { detail: "Could not validate credentials" });
    t.equal(refused.verify, 0, `${length} characters: no signature check`);
    t.equal(refused.atob, 0, `${length} characters: no base64 decoding`);
  }

  // The verifier itself: JWT_TOO_LONG, and the cache is not even consulted (no miss counted).
  const verifier = await createJwtVerifier({ secret: GUIDE_SECRET_KEY, algorithms: ["HS256"], cache: { maxEntries: 10 } });
  const before = counts.verify;
  await t.rejects(verifier.verify("x".repeat(8193)), { code: "JWT_TOO_LONG" });
  t.equal(verifier.lookup("x".repeat(8193)), undefined);
  t.equal(verifier.cacheStats().misses, 0, "the cache was not consulted");
  t.equal(counts.verify, before);
  t.strictSame(errors(), []);
});

t.test("JSON nesting: a deeply nested body is a quick 4xx, never a stack overflow", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  for (const [label, payload] of [
    ["300,000 nested arrays", `${"[".repeat(300_000)}${"]".repeat(300_000)}`],
    ["nested arrays around __proto__", `${"[".repeat(300_000)}{"__proto__":1}${"]".repeat(300_000)}`],
    ["unterminated nesting", "[".repeat(500_000)],
    ["nested objects", `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`],
  ]) {
    const answer = await injectAnswer(app, { method: "POST", url: "/token", headers: { "content-type": "application/json" }, payload });
    t.ok(answer.status >= 400 && answer.status < 500, `${label}: ${answer.status}`);
    t.equal(contractProblem(answer), undefined, `${label}: with a detail`);
  }
  t.strictSame(errors(), []);
});

t.test("slow clients: the example bounds the whole request, idle sockets and keep-alive (regression: no request timeout)", async (t) => {
  const { app } = await fuzzedApp(t);
  await listen(t, app);
  // Pinned so that a change is noticed (docs/security.md): fastify's defaults set no request timeout.
  t.equal(app.server.requestTimeout, 30_000, "the whole request must arrive within 30 s");
  t.equal(app.server.headersTimeout, 60_000, "headers must arrive within 60 s (and within the whole request's 30 s)");
  t.equal(app.server.timeout, 30_000, "an idle socket closes after 30 s (connectionTimeout)");
  t.equal(app.server.keepAliveTimeout, 5_000);
  t.equal(app.initialConfig.bodyLimit, MiB);
});

// Regression, fixed (adapter, packages/fastify/src/plugin.ts): @fastify/formbody is registered without a bound on
// the number of fields, so one 1 MiB body of ~100,000 distinct fields costs about half a second of
// CPU (fast-querystring, then Object.entries, dropEmptyFormValues and validation over every key),
// thousands of times the cost of a login form; a few clients can keep a core busy.
// Fix: register formbody with a parser that counts fields first, e.g.
//   await fastify.register(formbody, { parser: (body) => parseFormBody(body, options.maxFormFields ?? 1000) })
// where parseFormBody counts "&" separators and throws
//   new HTTPException(400, "Too many fields. Maximum number of fields is 1000.")
// (Starlette's limit and message for multipart forms) before calling fast-querystring's parse;
// fastify's content-type parser wrapper catches a throwing parser and hands the error to the
// plugin's error handler. Expose `maxFormFields` in DependsPluginOptions.
t.test("regression (adapter): a form with more than 1,000 fields is refused before it is parsed", async (t) => {
  const { app, errors } = await fuzzedApp(t);
  const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}=1`).join("&");
  const bounded = await injectAnswer(app, { method: "POST", url: "/token", headers: { "content-type": FORM }, payload: `username=johndoe&password=x&${fields(998)}` });
  t.equal(bounded.status, 400, "1,000 fields are still a form (wrong password: 400)");
  const started = performance.now();
  const many = await injectAnswer(app, { method: "POST", url: "/token", headers: { "content-type": FORM }, payload: fields(100_000) });
  t.comment(`100,000 fields answered ${many.status} in ${(performance.now() - started).toFixed(0)} ms`);
  t.equal(many.status, 400, "100,000 fields: 400 (today: parsed in full, then 422 for the missing username and password)");
  t.match(JSON.parse(many.body), { detail: /fields/i }, "the detail says why");
  t.strictSame(errors(), []);
});
