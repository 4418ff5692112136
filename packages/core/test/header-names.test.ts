// Issue 20, item 13: a header source named in camelCase (`xToken`) read the header `xtoken`, which
// nobody sends. Keys name headers in kebab case, as FastAPI converts underscores.
import t from "tap";
import { Type } from "typebox";
import { compileRoute, createRequest, Header, RequestValidationError } from "@depends/core";

t.test("regression: a camelCase header key reads the kebab-case header", async (t) => {
  const route = compileRoute({ method: "GET", path: "/", sources: { xToken: Header(Type.String()) }, handler: ({ xToken }) => xToken });
  t.equal(await route.execute(createRequest({ headers: { "x-token": "secret" } })), "secret");
  t.equal(await route.execute(createRequest({ headers: { "X-Token": "secret" } })), "secret", "case-insensitive");
  const error = await route.execute(createRequest({ headers: { xtoken: "secret" } })).then(() => undefined, (e: unknown) => e);
  t.type(error, RequestValidationError);
  t.match((error as RequestValidationError).errors, [{ type: "missing", loc: ["header", "x-token"] }], "the error names the header sent on the wire");
  t.match(route.requestSchemas.parameters, [{ name: "x-token", in: "header", required: true }], "OpenAPI names it x-token too");
});

t.test("key to header name: underscores, camelCase, acronyms; convertUnderscores: false and alias keep control", async (t) => {
  const names = {
    user_agent: "user-agent",
    userAgent: "user-agent",
    XRequestID: "x-request-id",
    xRequestId: "x-request-id",
    contentMD5: "content-md5",
    x2Factor: "x2-factor",
    accept: "accept",
  };
  for (const [key, wire] of Object.entries(names)) {
    const route = compileRoute({ method: "GET", path: "/", sources: { [key]: Header(Type.String()) }, handler: (values) => values[key] });
    t.equal(await route.execute(createRequest({ headers: { [wire]: "v" } })), "v", `${key} reads ${wire}`);
  }
  const raw = compileRoute({ method: "GET", path: "/", sources: { xToken: Header(Type.String(), { convertUnderscores: false }) }, handler: ({ xToken }) => xToken });
  t.equal(await raw.execute(createRequest({ headers: { xtoken: "v" } })), "v", "convertUnderscores: false uses the key, lowercased");
  const aliased = compileRoute({ method: "GET", path: "/", sources: { xToken: Header(Type.String(), { alias: "X-Api-Token" }) }, handler: ({ xToken }) => xToken });
  t.equal(await aliased.execute(createRequest({ headers: { "x-api-token": "v" } })), "v");
});
