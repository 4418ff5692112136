// The guide's `GET /users/me/items/` the way a fastify user writes it today (issue 17): fastify +
// `@fastify/jwt` + `@fastify/auth`, as their READMEs show. `@fastify/jwt` verifies the bearer token
// (`request.jwtVerify()`); `@fastify/auth` composes the route's preHandlers with `relation: "and"`:
// authenticate (the token, through the same verified-token Map as lib/hand-items.mjs and the
// example's cache), then the scopes, then the active user (loaded asynchronously, as from a
// database). Errors are thrown with their status and challenge, and one error handler answers them
// in the guide's `{"detail": ...}` shape. Same answers, same response schema as the example.
import fastifyAuth from "@fastify/auth";
import fastifyJwt from "@fastify/jwt";
import Fastify from "fastify";
import { ITEM_LIST_RESPONSE, ITEMS_PATH, SECRET_KEY, USERS } from "../lib/guide.mjs";
import { listenAndReport } from "./lib/listen.mjs";

const CACHE_LIMIT = 10_000;
const users = new Map(USERS.map((user) => [user.username, user]));
// A real user store is a database: asynchronous, as in the example's guide.
const getUser = async (username) => users.get(username);

class AuthError extends Error {
  constructor(statusCode, message, challenge) {
    super(message);
    this.statusCode = statusCode;
    this.challenge = challenge;
  }
}

/** The challenge of a node requiring `scopes` (FastAPI's `Bearer scope="..."`). */
const challengeOf = (scopes) => `Bearer scope="${scopes.join(" ")}"`;

const app = Fastify({ logger: false });
await app.register(fastifyJwt, { secret: SECRET_KEY, verify: { algorithms: ["HS256"], requiredClaims: ["exp"] } });
await app.register(fastifyAuth);

const verified = new Map();

// Verifies the bearer token once, then answers it from the Map until it expires.
app.decorate("authenticate", async function authenticate(request) {
  const header = request.headers.authorization;
  if (typeof header !== "string" || !header.startsWith("Bearer ") || header.length === 7) throw new AuthError(401, "Not authenticated", "Bearer");
  const token = header.slice(7);
  const hit = verified.get(token);
  if (hit !== undefined && hit.exp * 1000 > Date.now()) {
    request.user = hit;
    return;
  }
  try {
    await request.jwtVerify();
  } catch {
    throw new AuthError(401, "Could not validate credentials", challengeOf(request.routeOptions.config.scopes));
  }
  if (verified.size >= CACHE_LIMIT) verified.clear();
  verified.set(token, request.user);
});

// The route's scopes (its config), then the user they belong to.
app.decorate("requireScopes", async function requireScopes(request) {
  const required = request.routeOptions.config.scopes;
  const { sub, scope = "" } = request.user;
  if (typeof sub !== "string" || sub === "" || typeof scope !== "string") throw new AuthError(401, "Could not validate credentials", challengeOf(required));
  const user = await getUser(sub);
  if (user === undefined) throw new AuthError(401, "Could not validate credentials", challengeOf(required));
  const granted = scope.split(" ");
  for (const needed of required) if (!granted.includes(needed)) throw new AuthError(401, "Not enough permissions", challengeOf(required));
  request.currentUser = user;
});

app.decorate("activeUser", async function activeUser(request) {
  if (request.currentUser.disabled) throw new AuthError(400, "Inactive user");
});

app.decorateRequest("currentUser", null);
app.setErrorHandler(function answerError(error, request, reply) {
  if (error.challenge !== undefined) reply.header("www-authenticate", error.challenge);
  reply.code(error.statusCode ?? 500).send({ detail: error.statusCode === undefined ? "Internal Server Error" : error.message });
});

app.get(
  ITEMS_PATH,
  {
    schema: { response: ITEM_LIST_RESPONSE },
    // The route's scope first, then the active user's: FastAPI's order, hence its challenge.
    config: { scopes: ["items", "me"] },
    preHandler: app.auth([app.authenticate, app.requireScopes, app.activeUser], { relation: "and" }),
  },
  async (request) => [{ item_id: "Foo", owner: request.currentUser.username }],
);
await listenAndReport(app);
