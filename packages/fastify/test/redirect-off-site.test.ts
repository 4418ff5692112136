// Regression (issue 20, item 5): the trailing-slash 307 was an open redirect. The Location was built
// from `request.url`, which for an absolute-form request target (`GET http://evil.example/users/me
// HTTP/1.1`) holds the client's host, and for a path-parameter route `GET /\evil.example` became
// `Location: /\evil.example/`, which browsers follow to evil.example.
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import t from "tap";
import Fastify from "fastify";
import Type from "typebox";
import { Path } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";

async function app() {
  const server = Fastify();
  await server.register(dependsPlugin, { openapi: false });
  const api = router();
  api.get("/users/me", () => ({ me: true }));
  // A one-segment path parameter with a trailing slash: any `/<x>` has a registered twin `/<x>/`.
  api.get("/{name}/", { name: Path(Type.String()) }, ({ name }) => ({ name }));
  await server.register(api.plugin());
  await server.listen({ host: "127.0.0.1", port: 0 });
  return server;
}

/** Sends `GET <target> HTTP/1.1` as raw bytes and returns the status and the Location header. */
function rawGet(port: number, target: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(`GET ${target} HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n`));
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const location = /\r\nlocation: ([^\r]*)/i.exec(text)?.[1];
      resolve({ status, location });
    });
  });
}

t.test("regression: an absolute-form request target is redirected to its path, never to its host", async (t) => {
  const server = await app();
  t.teardown(() => server.close());
  const { port } = server.server.address() as AddressInfo;
  for (const target of ["http://evil.example/users/me/", "HTTP://evil.example/users/me/?x=1", "https://evil.example:8443/users/me/"]) {
    const answer = await rawGet(port, target);
    t.equal(answer.status, 307, `${target}: redirected`);
    t.match(answer.location, /^\/users\/me(\?x=1)?$/, `${target}: Location ${answer.location} is a path on this host`);
  }
});

t.test("regression: a twin starting with // or /\\ (raw or percent-encoded) is a 404, not an off-site redirect", async (t) => {
  const server = await app();
  t.teardown(() => server.close());
  const { port } = server.server.address() as AddressInfo;
  for (const target of ["/\\evil.example", "/%5Cevil.example", "/%5cevil.example", "/%255Cevil.example", "/%2Fevil.example", "/%09/evil.example", "http://x/\\evil.example"]) {
    const answer = await rawGet(port, target);
    t.equal(answer.location, undefined, `${target}: no Location (got ${answer.location})`);
    t.equal(answer.status, 404, `${target}: 404`);
  }
  const fine = await rawGet(port, "/alice");
  t.strictSame(fine, { status: 307, location: "/alice/" }, "an ordinary twin is still redirected");
});

t.test("regression: Swagger UI's /docs/static/index.html redirect keeps an absolute-form target's host out of Location", async (t) => {
  const server = Fastify();
  await server.register(dependsPlugin, { openapi: { info: { title: "t", version: "1" } } });
  await server.listen({ port: 0, host: "127.0.0.1" });
  t.teardown(() => server.close());
  const { port } = server.server.address() as AddressInfo;
  for (const target of ["http://evil.example/docs/static/index.html", "/docs/static/index.html"]) {
    const { status, location } = await rawGet(port, target);
    t.ok(status >= 300 && status < 400, `${target}: ${status}`);
    t.equal(location, "/docs/", target);
  }
});
