// GET /heroes/{hero_id} written by hand on fastify + pg (or PGlite): the same checks as the example
// (bearer token, JWT with a key imported once and a Map of verified claims, a jti not in a revoked
// set, the user read from the users table, scope heroes:read, disabled user) and the same hero
// query, with the same response schema. No revocation list refresh: the rival does less, not more.
import Fastify from "fastify";
import { jwtVerify } from "jose";
import pg from "pg";
import { SECRET_KEY } from "../lib/guide.mjs";
import { databaseUrl, seededPGlite } from "./lib/heroes-db.mjs";
import { listenAndReport } from "./lib/listen.mjs";

const query = databaseUrl
  ? ((pool) => (sql, params) => pool.query(sql, params))(new pg.Pool({ connectionString: databaseUrl, max: 10 }))
  : ((db) => (sql, params) => db.query(sql, params))(await seededPGlite());

const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET_KEY), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
const verified = new Map();
const revoked = new Set();
const CHALLENGE = 'Bearer scope="heroes:read"';

async function claimsOf(token) {
  const hit = verified.get(token);
  if (hit !== undefined && hit.exp * 1000 > Date.now()) return hit;
  const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], requiredClaims: ["exp"] });
  if (verified.size >= 10_000) verified.clear();
  verified.set(token, payload);
  return payload;
}

function deny(reply, status, detail, challenge) {
  if (challenge !== undefined) reply.header("www-authenticate", challenge);
  return reply.code(status).send({ detail });
}

async function authenticate(request, reply) {
  const header = request.headers.authorization;
  if (typeof header !== "string" || !header.startsWith("Bearer ") || header.length === 7) return deny(reply, 401, "Not authenticated", "Bearer");
  let claims;
  try {
    claims = await claimsOf(header.slice(7));
  } catch {
    return deny(reply, 401, "Could not validate credentials", CHALLENGE);
  }
  const { sub, scope = "", jti } = claims;
  if (typeof sub !== "string" || typeof scope !== "string" || typeof jti !== "string" || revoked.has(jti)) return deny(reply, 401, "Could not validate credentials", CHALLENGE);
  const { rows } = await query("SELECT username, email, full_name, hashed_password, disabled, scopes FROM users WHERE username = $1", [sub]);
  const user = rows[0];
  if (user === undefined) return deny(reply, 401, "Could not validate credentials", CHALLENGE);
  if (!scope.split(" ").includes("heroes:read")) return deny(reply, 401, "Not enough permissions", CHALLENGE);
  if (user.disabled) return deny(reply, 400, "Inactive user");
}

const app = Fastify({ logger: false });
const HERO = { type: "object", properties: { name: { type: "string" }, age: { type: ["integer", "null"] }, id: { type: "integer" } }, required: ["name", "age", "id"] };
app.get("/heroes/:hero_id", { preHandler: authenticate, schema: { params: { type: "object", properties: { hero_id: { type: "integer" } } }, response: { 200: HERO } } }, async (request, reply) => {
  const id = request.params.hero_id;
  const { rows } = await query("SELECT id, name, age, secret_name FROM hero WHERE id = $1", [id]);
  if (rows[0] === undefined) return reply.code(404).send({ detail: "Hero not found" });
  return rows[0];
});
await listenAndReport(app);
