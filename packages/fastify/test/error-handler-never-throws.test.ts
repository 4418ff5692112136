// Regression (issue 20, item 6): the plugin's error handler could throw, and fastify's default
// handler then answered with the raw message: a thrown `Object.create(null)`, an error whose
// `status` getter throws, a look-alike named HTTPException with status 999 or 200 (a failure
// answered as a success), an HTTPException whose header holds CR/LF. Each must be a 500 (or the
// error's own valid 4xx/5xx) as {"detail": ...}, never the message of a 5xx; bad headers dropped.
import t from "tap";
import Fastify from "fastify";
import { HTTPException } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

type Log = { level: number; msg: string; header?: string };

function named(status: unknown, message = "secret message 42"): Error {
  return Object.assign(new Error(message), { name: "HTTPException", status, detail: "looks fine" });
}

async function app() {
  const logs: Log[] = [];
  const server = Fastify({ logger: { level: "info", stream: { write: (line: string) => logs.push(JSON.parse(line) as Log) } } });
  await server.register(dependsPlugin, { openapi: false });
  const api = router();
  const throwing = (value: () => unknown) => () => {
    throw value();
  };
  api.get("/null-prototype", throwing(() => Object.create(null)));
  api.get("/status-getter", throwing(() => Object.defineProperty(Object.assign(new Error("secret message 42"), { name: "HTTPException" }), "status", { get() { throw new Error("getter"); } })));
  api.get("/status-code-getter", throwing(() => Object.defineProperty(new Error("secret message 42"), "statusCode", { get() { throw new Error("getter"); } })));
  api.get("/message-getter", throwing(() => Object.defineProperty(Object.assign(new Error(), { statusCode: 409 }), "message", { get() { throw new Error("getter"); } })));
  api.get("/named-999", throwing(() => named(999)));
  api.get("/named-200", throwing(() => named(200)));
  api.get("/named-404", throwing(() => named(404)));
  api.get("/named-string-status", throwing(() => named("404")));
  api.get("/crlf-header", throwing(() => new HTTPException(401, "Not authenticated", { "WWW-Authenticate": "Bearer", "X-Evil": "a\r\nSet-Cookie: session=stolen" })));
  api.get("/bad-header-name", throwing(() => new HTTPException(403, "No", { "Bad Name": "x", "Content-Length": "1" })));
  api.get("/bigint-detail", throwing(() => new HTTPException(409, { n: 10n })));
  api.get("/revoked-proxy", throwing(() => {
    const { proxy, revoke } = Proxy.revocable(new Error("secret message 42"), {});
    revoke();
    return proxy;
  }));
  api.get("/mutated-status", throwing(() => Object.assign(new HTTPException(400, "x"), { status: 1000 })));
  await server.register(api.plugin());
  await server.ready();
  return { server, logs };
}

t.test("regression: the error handler never throws; every odd error is a {detail} answer", async (t) => {
  const { server, logs } = await app();
  t.teardown(() => server.close());
  const expected: Record<string, [number, unknown]> = {
    "/null-prototype": [500, "Internal Server Error"],
    "/status-getter": [500, "Internal Server Error"],
    "/status-code-getter": [500, "Internal Server Error"],
    "/message-getter": [409, "Conflict"],
    "/named-999": [500, "Internal Server Error"],
    "/named-200": [500, "Internal Server Error"],
    "/named-404": [404, "looks fine"],
    "/named-string-status": [500, "Internal Server Error"],
    "/bigint-detail": [500, "Internal Server Error"],
    "/revoked-proxy": [500, "Internal Server Error"],
    "/mutated-status": [500, "Internal Server Error"],
  };
  for (const [url, [status, detail]] of Object.entries(expected)) {
    const res = await server.inject(url);
    t.equal(res.statusCode, status, `${url}: ${status}`);
    t.match(res.headers["content-type"], /^application\/json/, `${url}: JSON`);
    t.strictSame(res.json(), { detail }, `${url}: {detail}`);
    t.notMatch(res.body, /secret message|getter/, `${url}: no message of the error`);
  }
  t.notOk(logs.some((line) => line.msg?.includes("Reply was already sent")), "nothing answered twice");
});

t.test("regression: headers with CR/LF, invalid names or framing are dropped and logged, the rest sent", async (t) => {
  const { server, logs } = await app();
  t.teardown(() => server.close());
  const crlf = await server.inject("/crlf-header");
  t.equal(crlf.statusCode, 401);
  t.strictSame(crlf.json(), { detail: "Not authenticated" });
  t.equal(crlf.headers["www-authenticate"], "Bearer", "the valid header is kept");
  t.equal(crlf.headers["x-evil"], undefined, "the header with CR/LF is dropped");
  t.equal(crlf.headers["set-cookie"], undefined, "nothing injected");
  const names = await server.inject("/bad-header-name");
  t.equal(names.statusCode, 403);
  t.strictSame(names.json(), { detail: "No" });
  t.equal(names.headers["content-length"], String(Buffer.byteLength(names.body)), "the body's own length");
  const dropped = logs.filter((line) => line.level === 40).map((line) => line.header);
  t.strictSame(dropped.sort(), ["Bad Name", "Content-Length", "X-Evil"], "each dropped header logged at warn by name");
});
