// Type tests of the OpenAPI declarations: `npm run typecheck` compiles this file; every
// `@ts-expect-error` must be an error and every `Equal` must hold. tap runs it too.
import t from "tap";
import Fastify from "fastify";
import Type, { type Static } from "typebox";
import { Body, Header, Security } from "@depends/core";
import { type HTTPAuthorizationCredentials, HTTPBearer } from "@depends/core/security";
import { dependsPlugin, named, router, webhooks } from "@depends/fastify";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const Person = Type.Object({ name: Type.String(), age: Type.Optional(Type.Integer()) });
const NamedPerson = named("Person", Person);
// The named copy validates, types and serialises as the original.
assertType<Equal<Static<typeof NamedPerson>, Static<typeof Person>>>();
assertType<Equal<typeof NamedPerson.$id, "Person">>();

const Subscription = Type.Object({ username: Type.String(), monthly_fee: Type.Number() }, { $id: "Subscription" });
const bearer = new HTTPBearer();
const hooks = webhooks();

// The description function receives exactly the declared values, as a route handler does.
hooks.post("new-subscription", { body: Body(Subscription), token: Security(bearer), signature: Header(Type.String()) }, function new_subscription(values) {
  assertType<Equal<typeof values, { readonly body: { username: string; monthly_fee: number }; readonly token: HTTPAuthorizationCredentials; readonly signature: string }>>();
  // @ts-expect-error: no such source
  void values.missing;
});
hooks.put("person-updated", { sources: { person: Body(NamedPerson) }, description: "Sent when a person changes." }, ({ person }) => {
  assertType<Equal<typeof person, { name: string; age?: number }>>();
});
// A webhook may have no description function at all.
hooks.delete("person-deleted", { sources: { id: Header(Type.Integer()) }, status: 204 });
hooks.get("ping");
// Refused at run time too (DEPENDS_UNKNOWN_ROUTE_OPTION): never called.
function mistakes(): void {
  // @ts-expect-error: a webhook option that does not exist (and is not a source)
  hooks.post("typo", { sources: {}, sumary: "x" });
  // @ts-expect-error: webhooks have a fixed set of methods
  hooks.webhook({ method: "CONNECT", webhook: "x" });
}
void mistakes;

const api = router();
api.post("/people/", { sources: { person: Body(NamedPerson) }, response: { 200: NamedPerson } }, ({ person }) => {
  assertType<Equal<typeof person, { name: string; age?: number }>>();
  return person;
});
// @ts-expect-error: the response schema still checks the handler's value
api.get("/people/", { response: { 200: NamedPerson } }, () => ({ name: 1 }));

t.test("the declarations above mount and document", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin);
  await app.register(api.plugin());
  await app.register(hooks.plugin());
  const doc = (await app.inject("/openapi.json")).json() as { webhooks: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
  t.strictSame(Object.keys(doc.webhooks).sort(), ["new-subscription", "person-deleted", "person-updated", "ping"]);
  t.ok(doc.components.schemas.Person && doc.components.schemas.Subscription);
  await app.close();
});
