// Type tests for Standard Schema routes on fastify (issue 18, item 2): `npm run typecheck` compiles
// this file; every `@ts-expect-error` must be an error and every `Equal` must hold. tap mounts the routes.
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import * as v from "valibot";
import * as z from "zod";
import { Body, Path, Query } from "@depends/core";
import { dependsPlugin, type HandlerValue, router, type Router } from "@depends/fastify";
import type { FastifyReply } from "fastify";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const ZUser = z.object({ username: z.string(), email: z.string().optional() });
const VUser = v.object({ username: v.string() });

assertType<Equal<HandlerValue<{ 200: typeof ZUser }>, { username: string; email?: string | undefined } | FastifyReply>>();
assertType<Equal<HandlerValue<{ 200: typeof VUser }>, { username: string } | FastifyReply>>();

const api = router();
api.get("/users/{id}", { sources: { id: Path(z.number().int()), q: Query(v.optional(v.string())) }, response: { 200: ZUser } }, ({ id, q }) => {
  assertType<Equal<typeof id, number>>();
  assertType<Equal<typeof q, string | undefined>>();
  return { username: `user${id}` };
});
api.post("/users", { sources: { user: Body(VUser) }, response: { 201: VUser, 200: Type.Object({ ok: Type.Boolean() }) }, status: 201 }, ({ user }) => user);

export function typeErrorsOnly(bad: Router): void {
  // @ts-expect-error: `username` must be a string per the zod 200 schema
  bad.get("/wrong", { sources: {}, response: { 200: ZUser } }, () => ({ username: 42 }));
  // @ts-expect-error: `username` is required by the valibot 200 schema
  bad.get("/wrong2", { sources: {}, response: { 200: VUser } }, () => ({ name: "x" }));
  // @ts-expect-error: the handler cannot read a source it did not declare
  bad.get("/undeclared", { a: Query(z.string()) }, ({ b }) => b);
}

t.test("the routes declared above mount and answer", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  await app.register(api.plugin());
  t.strictSame((await app.inject("/users/3")).json(), { username: "user3" });
  const created = await app.inject({ method: "POST", url: "/users", payload: { username: "amy", extra: 1 } });
  t.equal(created.statusCode, 201);
  t.strictSame(created.json(), { username: "amy" }, "serialised by the derived JSON Schema");
  await app.close();
});
