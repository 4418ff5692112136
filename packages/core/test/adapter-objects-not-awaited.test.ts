// Issue 16 item 4: a dependency that returns the adapter's reply (thenable in fastify: it settles
// once the response is sent, after the run) must not make the run wait for it. The rule: a step's
// value is awaited when it is a thenable the application made; the adapter's own objects (the
// request view, raw request, raw reply, socket) are passed on as they are.
import t from "tap";
import { allOf, anyOf, compileRoute, createRequest, CurrentRequest, Depends, dependency, RawReply, RawRequest } from "@depends/core";

/** A reply like fastify's: thenable, settling only when "sent" (never, here). */
function thenableReply() {
  return { headers: {} as Record<string, string>, then(_resolve: (v: unknown) => void) { /* settles when the response is sent */ } };
}

function within<T>(value: T | Promise<T>, ms = 1000): Promise<T> {
  return Promise.race([Promise.resolve(value), new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`hung: not settled within ${ms} ms`)), ms))]);
}

for (const codegen of [true, false]) {
  t.test(`a sync dependency returning the reply is a value, in an all-sync plan (codegen: ${codegen})`, async (t) => {
    const reply = thenableReply();
    const modify = dependency({ reply: RawReply }, ({ reply }) => {
      (reply as unknown as ReturnType<typeof thenableReply>).headers["x-custom"] = "modified";
      return reply;
    });
    const route = compileRoute({ method: "GET", path: "/", sources: { response: Depends(modify) }, handler: ({ response }) => response === (reply as unknown) }, { codegen });
    const result = route.run(createRequest({ reply: reply as never }));
    t.equal(result, true, "answered synchronously, without a promise");
    t.equal(reply.headers["x-custom"], "modified");
  });

  t.test(`in a plan with async steps, and through a chain (codegen: ${codegen})`, async (t) => {
    const reply = thenableReply();
    const first = dependency({ reply: RawReply }, ({ reply }) => reply);
    const slow = dependency(async () => "slow");
    const second = dependency({ reply: Depends(first), slow: Depends(slow) }, ({ reply }) => reply);
    const raw = dependency({ req: RawRequest }, ({ req }) => req);
    const view = dependency({ request: CurrentRequest }, ({ request }) => request);
    const rawRequest = thenableReply();
    const request = createRequest({ reply: reply as never, raw: rawRequest as never });
    const route = compileRoute(
      { method: "GET", path: "/", sources: { r: Depends(second), raw: Depends(raw), view: Depends(view) }, handler: ({ r, raw, view }) => [r === (reply as unknown), raw === (rawRequest as unknown), view === request] },
      { codegen },
    );
    t.same(await within(route.run(request)), [true, true, true]);
  });

  t.test(`anyOf / allOf alternatives returning the reply (codegen: ${codegen})`, async (t) => {
    const reply = thenableReply();
    const viaReply = dependency({ reply: RawReply }, ({ reply }) => reply);
    const route = compileRoute(
      { method: "GET", path: "/", sources: { any: Depends(anyOf({ r: Depends(viaReply) })), all: Depends(allOf({ r: Depends(viaReply) })) }, handler: ({ any, all }) => [any.value === (reply as unknown), all.r === (reply as unknown)] },
      { codegen },
    );
    t.same(await within(route.run(createRequest({ reply: reply as never }))), [true, true]);
  });

  t.test(`a thenable the application made is still awaited (codegen: ${codegen})`, async (t) => {
    const own = dependency(() => ({ then: (resolve: (v: string) => void) => resolve("resolved") }) as unknown as string);
    const route = compileRoute({ method: "GET", path: "/", sources: { v: Depends(own) }, handler: ({ v }) => v }, { codegen });
    t.equal(await within(route.run(createRequest({ reply: thenableReply() as never }))), "resolved");
  });
}
