// The guide's `GET /users/me/items/` written by hand on fastify + jose, the way people write it
// without a library: a preHandler that parses `Authorization: Bearer`, verifies the JWT with a key
// imported once, checks sub and the scopes, loads the user and refuses a disabled one. Same
// answers as the example (200 body, 401/400 details and challenges), same response schema.
import Fastify from "fastify";
import { jwtVerify } from "jose";
import { ITEM_LIST_RESPONSE, ITEMS_PATH, SECRET_KEY, USERS } from "../../lib/guide.mjs";

// The route's scope first, then getCurrentActiveUser's: FastAPI's order, hence its challenge.
const REQUIRED_SCOPES = ["items", "me"];
const CHALLENGE = `Bearer scope="${REQUIRED_SCOPES.join(" ")}"`;
const CACHE_LIMIT = 10_000;

function deny(reply, status, detail, challenge) {
  if (challenge !== undefined) reply.header("www-authenticate", challenge);
  return reply.code(status).send({ detail });
}

/**
 * `cache: false` is the baseline "hand-written today" (every request verifies its token);
 * `cache: true` adds the obvious Map of verified claims, kept until the token expires.
 */
export async function handWrittenItemsApp({ cache }) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET_KEY), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const users = new Map(USERS.map((user) => [user.username, user]));
  // A real user store is a database: asynchronous, as in the example.
  const getUser = async (username) => users.get(username);
  const verified = new Map();

  async function claimsOf(token) {
    if (cache) {
      const hit = verified.get(token);
      if (hit !== undefined && hit.exp * 1000 > Date.now()) return hit;
    }
    const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], requiredClaims: ["exp"] });
    if (cache) {
      if (verified.size >= CACHE_LIMIT) verified.clear();
      verified.set(token, payload);
    }
    return payload;
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
    const { sub, scope = "" } = claims;
    if (typeof sub !== "string" || sub === "" || typeof scope !== "string") return deny(reply, 401, "Could not validate credentials", CHALLENGE);
    const user = await getUser(sub);
    if (user === undefined) return deny(reply, 401, "Could not validate credentials", CHALLENGE);
    const granted = scope.split(" ");
    for (const required of REQUIRED_SCOPES) if (!granted.includes(required)) return deny(reply, 401, "Not enough permissions", CHALLENGE);
    if (user.disabled) return deny(reply, 400, "Inactive user");
    request.user = user;
  }

  const app = Fastify({ logger: false });
  app.decorateRequest("user", null);
  app.get(ITEMS_PATH, { schema: { response: ITEM_LIST_RESPONSE }, preHandler: authenticate }, (request) => [{ item_id: "Foo", owner: request.user.username }]);
  return app;
}
