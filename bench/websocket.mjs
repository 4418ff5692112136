// WebSocket connection setup: what a handshake costs on the example's `/ws/items` (scope `items`,
// token in the query string, resolved by depends before the upgrade) against a plain
// @fastify/websocket route doing the same checks by hand (query token, verified-claims cache,
// user lookup, scopes, disabled user). One connection = handshake, the first message (the items),
// a client close, the server's close. The token is verified once, then served from each server's
// cache: the figure is the setup cost, not the JWT's. Both servers run in this process and are
// alternated round by round. Exports runWebSocketBench for bench/run.mjs (--only=websocket).
import websocket from "@fastify/websocket";
import { createJwtSigner } from "@depends/core/jwt";
import Fastify from "fastify";
import { jwtVerify } from "jose";
import { WebSocket } from "ws";
import { buildApp } from "../examples/oauth2-scopes/dist/app.js";
import { readSettings } from "../examples/oauth2-scopes/dist/settings.js";
import { SECRET_KEY, USERS } from "./lib/guide.mjs";
import { median, pairedRatio, ratioRow } from "./lib/measure.mjs";

const REQUIRED_SCOPES = ["items", "me"];

/** The hand-written twin of the example's `/ws/items`. */
async function handWrittenApp() {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET_KEY), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const users = new Map(USERS.map((user) => [user.username, user]));
  const getUser = async (username) => users.get(username);
  const verified = new Map();
  async function claimsOf(token) {
    const hit = verified.get(token);
    if (hit !== undefined && hit.exp * 1000 > Date.now()) return hit;
    const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], requiredClaims: ["exp"] });
    if (verified.size >= 10_000) verified.clear();
    verified.set(token, payload);
    return payload;
  }
  const deny = (reply, status, detail) => reply.code(status).send({ detail });
  async function authenticate(request, reply) {
    const token = request.query.token;
    if (typeof token !== "string" || token === "") return deny(reply, 401, "Not authenticated");
    let claims;
    try {
      claims = await claimsOf(token);
    } catch {
      return deny(reply, 401, "Could not validate credentials");
    }
    const { sub, scope = "" } = claims;
    if (typeof sub !== "string" || typeof scope !== "string") return deny(reply, 401, "Could not validate credentials");
    const user = await getUser(sub);
    if (user === undefined) return deny(reply, 401, "Could not validate credentials");
    const granted = scope.split(" ");
    for (const required of REQUIRED_SCOPES) if (!granted.includes(required)) return deny(reply, 401, "Not enough permissions");
    if (user.disabled) return deny(reply, 400, "Inactive user");
    request.user = user;
  }
  const app = Fastify({ logger: false });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  app.decorateRequest("user", null);
  app.get("/ws/items", { websocket: true, preHandler: authenticate }, (socket, request) => {
    const items = () => JSON.stringify([{ item_id: "Foo", owner: request.user.username }]);
    socket.send(items());
    socket.on("message", (data) => (String(data) === "items" ? socket.send(items()) : socket.close(1003, 'send "items"')));
  });
  return app;
}

async function listen(app) {
  await app.listen({ host: "127.0.0.1", port: 0 });
  return `ws://127.0.0.1:${app.server.address().port}`;
}

/** One connection: handshake, first message, client close, close frame back. */
function connectOnce(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    let first;
    socket.once("message", (data) => {
      first = String(data);
      socket.close(1000);
    });
    socket.once("close", () => resolve(first));
    socket.once("error", reject);
  });
}

async function timeConnections(url, count) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await connectOnce(url);
  return Number(process.hrtime.bigint() - start) / count / 1000;
}

/** Runs the cases, prints them, and returns the figure as a table row for run.mjs's summary. */
export async function runWebSocketBench({ quick = false } = {}) {
  const rounds = Number(process.env.ROUNDS ?? (quick ? 3 : 9));
  const perRound = quick ? 200 : 1000;
  const signer = await createJwtSigner({ secret: SECRET_KEY, algorithm: "HS256", expiresInSeconds: 1800 });
  const token = await signer.sign({ sub: "johndoe", scope: "me items" });
  const dependsApp = await buildApp({ settings: readSettings({ SECRET_KEY }), fastify: { logger: false } });
  const handApp = await handWrittenApp();
  const urls = { depends: `${await listen(dependsApp)}/ws/items?token=${token}`, hand: `${await listen(handApp)}/ws/items?token=${token}` };
  try {
    const expected = JSON.stringify([{ item_id: "Foo", owner: "johndoe" }]);
    for (const [name, url] of Object.entries(urls)) {
      const first = await connectOnce(url);
      if (first !== expected) throw new Error(`${name} answered ${first}`);
      await timeConnections(url, perRound / 2);
    }
    const samples = { depends: [], hand: [] };
    for (let round = 0; round < rounds; round++) {
      for (const name of round % 2 ? ["hand", "depends"] : ["depends", "hand"]) samples[name].push(await timeConnections(urls[name], perRound));
    }
    const us = { depends: median(samples.depends), hand: median(samples.hand) };
    console.log(`\nWebSocket connection setup (handshake + first message + close, cached token), Node ${process.version}, median of ${rounds} rounds of ${perRound} sequential connections`);
    console.log(`  depends (example /ws/items)          ${us.depends.toFixed(1).padStart(8)} µs/connection (${(1e6 / us.depends).toFixed(0)}/s)`);
    console.log(`  plain @fastify/websocket, by hand    ${us.hand.toFixed(1).padStart(8)} µs/connection (${(1e6 / us.hand).toFixed(0)}/s)`);
    return [
      ratioRow("WebSocket setup, depends vs by hand (cached token)", {
        measured: `${us.depends.toFixed(0)} µs`,
        baseline: `${us.hand.toFixed(0)} µs`,
        ratio: pairedRatio(samples.depends, samples.hand),
        atMost: 1.15,
      }),
    ];
  } finally {
    await Promise.all([dependsApp.close(), handApp.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runWebSocketBench({ quick: process.argv.includes("--quick") });
