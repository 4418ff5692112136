// Issue 20, item 14, in the core's own validation (adapters that do not validate natively).
import t from "tap";
import { Type } from "typebox";
import { compileRoute, createRequest, Query } from "@depends/core";

t.test("regression: a repeated scalar query value takes the last one; a list keeps them all", async (t) => {
  const route = compileRoute({
    method: "GET",
    path: "/",
    sources: { q: Query(Type.String()), limit: Query(Type.Integer()), tag: Query(Type.Array(Type.String())) },
    handler: (values) => values,
  });
  t.same(await route.execute(createRequest({ query: { q: ["a", "b"], limit: ["1", "2"], tag: ["x", "y"] } })), { q: "b", limit: 2, tag: ["x", "y"] });
});
