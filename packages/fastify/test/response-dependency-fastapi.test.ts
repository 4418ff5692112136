// FastAPI's tests/test_response_dependency.py (0.141.1), case by case, with RawReply for FastAPI's
// `response: Response`; plus issue 16 item 4: a dependency (sync or async) or a handler that
// returns the reply never hangs the request. fastify's reply is thenable (it settles once the
// response is sent), and JavaScript awaits whatever an async function returns. The BackgroundTasks
// case of that file is in background-tasks-fastapi.test.ts.
import t from "tap";
import Fastify, { type FastifyReply } from "fastify";
import { CurrentRequest, Depends, dependency, HTTPException, RawReply } from "@depends/core";
import { dependsPlugin, router, type Router } from "@depends/fastify";

async function appWith(declare: (api: Router) => void) {
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  const api = router();
  declare(api);
  await app.register(api.plugin());
  t.teardown(() => app.close());
  return app;
}

function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`hung: no response within ${ms} ms`)), ms))]);
}

const sync = (reply: FastifyReply) => reply;
// TypeScript types `async () => reply` as Promise<never> (fastify's `then` passes no value):
// annotate the promise of the reply.
const later = async (reply: FastifyReply): Promise<FastifyReply> => reply;

for (const [kind, give] of [["sync", sync], ["async", later]] as const) {
  // FastAPI's test_response_with_depends_annotated and test_response_with_depends_default differ
  // only in Python's syntax (Annotated vs a default): here, a sync and an async dependency.
  t.test(`test_response_with_depends: a ${kind} dependency sets a header on the reply and returns it`, async (t) => {
    const modifyResponse = dependency({ reply: RawReply }, function modify_response({ reply }) {
      reply.header("X-Custom", "modified");
      return give(reply);
    });
    const app = await appWith((api) => api.get("/", { response: Depends(modifyResponse) }, function endpoint() {
      return { status: "ok" };
    }));
    const resp = await within(app.inject("/"));
    t.equal(resp.statusCode, 200);
    t.same(resp.json(), { status: "ok" });
    t.equal(resp.headers["x-custom"], "modified");
  });

  t.test(`test_response_dependency_chain (${kind} dependencies)`, async (t) => {
    const firstModifier = dependency({ reply: RawReply }, function first_modifier({ reply }) {
      reply.header("X-First", "1");
      return give(reply);
    });
    const secondModifier = dependency({ response: Depends(firstModifier) }, function second_modifier({ response }) {
      response.header("X-Second", "2");
      return give(response);
    });
    const app = await appWith((api) => api.get("/", { response: Depends(secondModifier) }, () => ({ status: "ok" })));
    const resp = await within(app.inject("/"));
    t.equal(resp.statusCode, 200);
    t.equal(resp.headers["x-first"], "1");
    t.equal(resp.headers["x-second"], "2");
  });

  t.test(`a ${kind} dependency sets a header and a cookie through the reply (issue 16)`, async (t) => {
    const session = dependency({ reply: RawReply }, function session({ reply }) {
      reply.header("x-request-id", "abc");
      reply.header("set-cookie", "session=s3cr3t; Path=/; HttpOnly; SameSite=Lax");
      return give(reply);
    });
    const app = await appWith((api) => api.get("/", { reply: Depends(session) }, async ({ reply }) => ({ sent: reply.sent })));
    const resp = await within(app.inject("/"));
    t.same(resp.json(), { sent: false });
    t.equal(resp.headers["x-request-id"], "abc");
    t.same(resp.cookies, [{ name: "session", value: "s3cr3t", path: "/", httpOnly: true, sameSite: "Lax" }]);
  });
}

t.test("test_response_without_depends: the handler receives the reply itself", async (t) => {
  const app = await appWith((api) => api.get("/", { response: RawReply }, function endpoint({ response }) {
    response.header("X-Direct", "set");
    return { status: "ok" };
  }));
  const resp = await app.inject("/");
  t.equal(resp.statusCode, 200);
  t.same(resp.json(), { status: "ok" });
  t.equal(resp.headers["x-direct"], "set");
});

t.test("test_response_dependency_returns_different_response_instance: the dependency prepares the reply, the handler sends it", async (t) => {
  // FastAPI: the dependency returns a JSONResponse, the endpoint changes a header and returns it.
  // fastify has one reply per request: the dependency prepares it; the handler sends it and
  // returns it (fastify's `return reply` once sent), sync or async.
  const defaultResponse = dependency({ reply: RawReply }, function default_response({ reply }) {
    reply.header("X-Custom", "initial").type("application/json");
    return reply;
  });
  const app = await appWith((api) => {
    api.get("/", { response: Depends(defaultResponse) }, function endpoint({ response }) {
      response.header("X-Custom", "modified");
      return response.send({ status: "ok" });
    });
    api.get("/async", { response: Depends(defaultResponse) }, async function endpoint({ response }) {
      response.header("X-Custom", "modified");
      return response.send({ status: "ok" });
    });
  });
  for (const url of ["/", "/async"]) {
    const resp = await within(app.inject(url));
    t.equal(resp.statusCode, 200, url);
    t.same(resp.json(), { status: "ok" }, url);
    t.equal(resp.headers["x-custom"], "modified", url);
  }
});

t.test("test_request_with_depends_annotated: a dependency reads the request", async (t) => {
  const extractRequestInfo = dependency({ request: CurrentRequest }, function extract_request_info({ request }) {
    return { path: new URL(request.url, "http://x").pathname, user_agent: request.headers["user-agent"] ?? "unknown" };
  });
  const app = await appWith((api) => api.get("/", { info: Depends(extractRequestInfo) }, ({ info }) => info));
  const resp = await app.inject({ url: "/", headers: { "user-agent": "test-agent" } });
  t.equal(resp.statusCode, 200);
  t.same(resp.json(), { path: "/", user_agent: "test-agent" });
});

t.test("a dependency returning the whole request view (CurrentRequest), whose reply is thenable, does not hang", async (t) => {
  const view = dependency({ request: CurrentRequest }, async ({ request }): Promise<FastifyReply> => request.reply);
  const app = await appWith((api) => api.get("/", { reply: Depends(view) }, async ({ reply }) => ({ code: reply.statusCode })));
  t.same((await within(app.inject("/"))).json(), { code: 200 });
});

t.test("a handler returning the reply it did not send: fastify's contract, the application sends it later", async (t) => {
  const app = await appWith((api) => api.get("/", { reply: RawReply }, async ({ reply }) => {
    setTimeout(() => reply.send({ later: true }), 20);
    return reply;
  }));
  const resp = await within(app.inject("/"));
  t.same(resp.json(), { later: true });
});

t.test("awaiting the reply after the run behaves as fastify's: a plain fastify route's `return reply` after send", async (t) => {
  const app = Fastify();
  await app.register(dependsPlugin, { openapi: false });
  app.get("/plain", async (_request, reply) => {
    setTimeout(() => reply.send("from a timer"), 10);
    return reply;
  });
  t.teardown(() => app.close());
  const resp = await within(app.inject("/plain"));
  t.equal(resp.body, "from a timer");
});

t.test("headers set on the reply by a dependency stay on an error response (fastify's reply; FastAPI drops its sub-response's)", async (t) => {
  const tag = dependency({ reply: RawReply }, ({ reply }) => void reply.header("x-trace", "1").code(201));
  const app = await appWith((api) => api.get("/", { t: Depends(tag) }, () => {
    throw new HTTPException(400, "bad");
  }));
  const resp = await app.inject("/");
  t.equal(resp.statusCode, 400, "the error's status wins");
  t.equal(resp.headers["x-trace"], "1");
});
