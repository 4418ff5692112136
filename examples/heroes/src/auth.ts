import { bearerChallenge, Depends, dependency, Form, HTTPException, RequestValidationError, Security, SecurityScopes } from "@depends/core";
import type { JwtVerifier, VerifiedJwtPayload } from "@depends/core/jwt";
import { APIKeyQuery, OAuth2PasswordBearer } from "@depends/core/security";
import Type from "typebox";
import type { Database } from "./db/database.js";
import { OAuthError } from "./oauth-error.js";
import { type RevocationList, StaleRevocationListError } from "./revocations.js";
import { getDatabase, getJwtSigner, getJwtVerifier, getPasswordVerifier, getRevocations, getSettings } from "./services.js";
import { grantable, issueForLogin, refresh, type TokenAnswer } from "./tokens.js";
import { findUser, type UserInDB } from "./users.js";

/** The password flow at `token`, with the example's four scopes. */
export const oauth2Scheme = new OAuth2PasswordBearer({
  tokenUrl: "token",
  scopes: {
    me: "Read information about the current user.",
    "heroes:read": "Read heroes.",
    "heroes:write": "Create, update and delete heroes.",
    "audit:read": "Read the audit log.",
  },
});

/** The access token in the `token` query parameter, for the WebSocket feed (a browser cannot set headers there). */
export const queryTokenScheme = new APIKeyQuery({ name: "token", schemeName: "AccessTokenQuery", description: "The access token of /token, for the WebSocket feed." });

const app = { scope: "app" } as const;
const declaredScopes = Object.keys(oauth2Scheme.scopes);

function credentialsError(securityScopes: SecurityScopes, detail: string): HTTPException {
  return new HTTPException(401, detail, { "WWW-Authenticate": bearerChallenge(securityScopes) });
}

/** The verified claims of a token that is not revoked, or a 401 (a 503 when revocations cannot be checked). */
async function claimsOf(verifier: JwtVerifier, revocations: RevocationList, token: string, securityScopes: SecurityScopes): Promise<VerifiedJwtPayload> {
  let claims = verifier.lookup(token);
  if (claims === undefined) {
    try {
      claims = await verifier.verify(token);
    } catch {
      throw credentialsError(securityScopes, "Could not validate credentials");
    }
  }
  const { jti, sid } = claims;
  if (typeof jti !== "string" || (sid !== undefined && typeof sid !== "string")) throw credentialsError(securityScopes, "Could not validate credentials");
  try {
    // Checked on every request, cached signature or not: the cache must not hide a revocation.
    if (revocations.isRevoked(jti, sid)) throw credentialsError(securityScopes, "Could not validate credentials");
  } catch (error) {
    if (error instanceof StaleRevocationListError) throw new HTTPException(503, "Token revocation list unavailable", { "Retry-After": "1" });
    throw error;
  }
  return claims;
}

// The guide's checks: a subject, a known user, every required scope.
async function userOf(db: Database, verifier: JwtVerifier, revocations: RevocationList, token: string, securityScopes: SecurityScopes): Promise<UserInDB> {
  const claims = await claimsOf(verifier, revocations, token, securityScopes);
  const { sub, scope = "" } = claims;
  if (typeof sub !== "string" || sub === "" || typeof scope !== "string") throw credentialsError(securityScopes, "Could not validate credentials");
  const user = await findUser(db, sub);
  if (user === undefined) throw credentialsError(securityScopes, "Could not validate credentials");
  const granted = scope.split(" ");
  for (const required of securityScopes.scopes) {
    if (!granted.includes(required)) throw credentialsError(securityScopes, "Not enough permissions");
  }
  return user;
}

const services = { verifier: Depends(getJwtVerifier, app), revocations: Depends(getRevocations, app), db: Depends(getDatabase, app) };

/** `get_current_user`: token (verified, not revoked), user, and the scopes `SecurityScopes` carries. */
export const getCurrentUser = dependency(
  { securityScopes: SecurityScopes, token: Depends(oauth2Scheme), ...services },
  function getCurrentUser({ securityScopes, token, db, verifier, revocations }) {
    return userOf(db, verifier, revocations, token, securityScopes);
  },
);

/** Refuses disabled users; no scope of its own, so a route's challenge names only the route's scopes. */
export const getCurrentActiveUser = dependency({ currentUser: Depends(getCurrentUser) }, function getCurrentActiveUser({ currentUser }) {
  if (currentUser.disabled) throw new HTTPException(400, "Inactive user");
  return currentUser;
});

/** `getCurrentUser` for the WebSocket feed: the token of the `token` query parameter. */
export const getWebSocketUser = dependency(
  { securityScopes: SecurityScopes, token: Depends(queryTokenScheme), ...services },
  function getWebSocketUser({ securityScopes, token, db, verifier, revocations }) {
    return userOf(db, verifier, revocations, token, securityScopes);
  },
);

export const getActiveWebSocketUser = dependency({ currentUser: Depends(getWebSocketUser) }, function getActiveWebSocketUser({ currentUser }) {
  if (currentUser.disabled) throw new HTTPException(400, "Inactive user");
  return currentUser;
});

const optionalField = (description: string) => Form(Type.String({ description }), { required: false });
const missing = (field: string) => ({ type: "missing", loc: ["body", field], msg: "Field required", input: null });

/**
 * `POST /token`: OAuth2PasswordRequestForm's fields plus `refresh_token`. `grant_type=password`
 * (the default, as in the guide's form) checks the password; `grant_type=refresh_token` rotates.
 */
export const tokenGrant = dependency(
  {
    grant_type: Form(Type.String({ pattern: "^(password|refresh_token)$" }), { required: false }),
    username: optionalField("The user's name (password grant)."),
    password: Form(Type.String({ format: "password" }), { required: false }),
    scope: Form(Type.String(), { default: "" }),
    refresh_token: optionalField("A refresh token of this server (refresh_token grant)."),
    client_id: optionalField("Ignored: the clients are public."),
    client_secret: Form(Type.String({ format: "password" }), { required: false }),
    db: Depends(getDatabase, app),
    passwords: Depends(getPasswordVerifier, app),
    signer: Depends(getJwtSigner, app),
    settings: Depends(getSettings, app),
    revocations: Depends(getRevocations, app),
  },
  async function tokenGrant({ grant_type, username, password, scope, refresh_token, db, passwords, signer, settings, revocations }): Promise<TokenAnswer | OAuthError> {
    const asked = scope.split(" ").filter((s) => s !== "");
    if (grant_type === "refresh_token") {
      if (refresh_token === undefined) throw new RequestValidationError([missing("refresh_token")]);
      // An RFC 6749 error is the value, not thrown: the route answers it in the RFC's shape.
      return refresh({ db, signer, settings, revocations }, refresh_token, scope === "" ? undefined : asked, (name, tx) => findUser(tx, name), declaredScopes).catch((error: unknown) => {
        if (error instanceof OAuthError) return error;
        throw error;
      });
    }
    const problems = [...(username === undefined ? [missing("username")] : []), ...(password === undefined ? [missing("password")] : [])];
    if (username === undefined || password === undefined) throw new RequestValidationError(problems);
    const user = await findUser(db, username);
    // An unknown user costs one verification too, so that timing does not reveal who exists.
    const ok = user ? await passwords.verify(password, user.hashed_password) : await passwords.verifyDummy(password);
    if (!user || !ok) throw new HTTPException(400, "Incorrect username or password");
    return issueForLogin({ db, signer, settings }, user, grantable(asked, user, declaredScopes));
  },
);
