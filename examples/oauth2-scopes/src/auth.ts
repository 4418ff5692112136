import { bearerChallenge, Depends, dependency, HTTPException, Security, SecurityScopes } from "@depends/core";
import type { JwtVerifier, VerifiedJwtPayload } from "@depends/core/jwt";
import { APIKeyQuery, OAuth2PasswordBearer, OAuth2PasswordRequestForm } from "@depends/core/security";
import { getJwtSigner, getJwtVerifier, getPasswordVerifier, getSettings, getUserStore } from "./services.js";
import type { UserInDB, UserStore } from "./users.js";

/** The guide's scheme: password flow at `token`, two scopes. */
export const oauth2Scheme = new OAuth2PasswordBearer({
  tokenUrl: "token",
  scopes: { me: "Read information about the current user.", items: "Read items." },
});

/**
 * The same access token in the `token` query parameter, for WebSocket routes: a browser cannot set
 * `Authorization` on a WebSocket handshake. (A query string can end up in access logs: keep the
 * tokens short-lived, or use a cookie.)
 */
export const queryTokenScheme = new APIKeyQuery({ name: "token", schemeName: "AccessTokenQuery", description: "The access token of /token, for WebSocket routes." });

// The services are app-scoped: made once per application at startup (see services.ts).
const app = { scope: "app" } as const;
const declaredScopes = Object.keys(oauth2Scheme.scopes);

// `Bearer scope="items me"`, or plain `Bearer` when the node requires no scope (as the guide).
function credentialsError(securityScopes: SecurityScopes, detail: string): HTTPException {
  return new HTTPException(401, detail, { "WWW-Authenticate": bearerChallenge(securityScopes) });
}

// The guide's checks on verified claims: a subject, a known user, every required scope.
function authorize(users: UserStore, payload: VerifiedJwtPayload, securityScopes: SecurityScopes): UserInDB | Promise<UserInDB> {
  const { sub, scope = "" } = payload;
  if (typeof sub !== "string" || sub === "" || typeof scope !== "string") throw credentialsError(securityScopes, "Could not validate credentials");
  const granted = scope.split(" ");
  const check = (user: UserInDB | undefined): UserInDB => {
    if (user === undefined) throw credentialsError(securityScopes, "Could not validate credentials");
    for (const required of securityScopes.scopes) {
      if (!granted.includes(required)) throw credentialsError(securityScopes, "Not enough permissions");
    }
    return user;
  };
  const user = users.get(sub);
  return user instanceof Promise ? user.then(check) : check(user);
}

// A token verified before (and not expired) is answered from the verifier's cache without a
// promise; with a synchronous user store the whole request then runs synchronously.
function userOf(verifier: JwtVerifier, users: UserStore, token: string, securityScopes: SecurityScopes): UserInDB | Promise<UserInDB> {
  const cached = verifier.lookup(token);
  if (cached !== undefined) return authorize(users, cached, securityScopes);
  return verifier.verify(token).then(
    (payload) => authorize(users, payload, securityScopes),
    () => {
      throw credentialsError(securityScopes, "Could not validate credentials");
    },
  );
}

/** The guide's `get_current_user`: token, user and scope checks, with `SecurityScopes`. */
export const getCurrentUser = dependency(
  { securityScopes: SecurityScopes, token: Depends(oauth2Scheme), verifier: Depends(getJwtVerifier, app), users: Depends(getUserStore, app) },
  function getCurrentUser({ securityScopes, token, verifier, users }) {
    return userOf(verifier, users, token, securityScopes);
  },
);

/** `getCurrentUser` for WebSocket routes: the same checks, on the token of the `token` query parameter. */
export const getWebSocketUser = dependency(
  { securityScopes: SecurityScopes, token: Depends(queryTokenScheme), verifier: Depends(getJwtVerifier, app), users: Depends(getUserStore, app) },
  function getWebSocketUser({ securityScopes, token, verifier, users }) {
    return userOf(verifier, users, token, securityScopes);
  },
);

/** Requires `me` and refuses disabled users. */
export const getCurrentActiveUser = dependency(
  { currentUser: Security(getCurrentUser, { scopes: ["me"] }) },
  function getCurrentActiveUser({ currentUser }) {
    if (currentUser.disabled) throw new HTTPException(400, "Inactive user");
    return currentUser;
  },
);

/** `getCurrentActiveUser` for WebSocket routes (token in the query string). */
export const getActiveWebSocketUser = dependency(
  { currentUser: Security(getWebSocketUser, { scopes: ["me"] }) },
  function getActiveWebSocketUser({ currentUser }) {
    if (currentUser.disabled) throw new HTTPException(400, "Inactive user");
    return currentUser;
  },
);

/** `POST /token`: checks the password and signs a token with the scopes granted. */
export const login = dependency(
  {
    form: Depends(OAuth2PasswordRequestForm),
    users: Depends(getUserStore, app),
    passwords: Depends(getPasswordVerifier, app),
    signer: Depends(getJwtSigner, app),
    settings: Depends(getSettings, app),
  },
  async function login({ form, users, passwords, signer, settings }) {
  const user = await users.get(form.username);
  // An unknown user costs one verification too, so that timing does not reveal who exists.
  const ok = user ? await passwords.verify(form.password, user.hashed_password) : await passwords.verifyDummy(form.password);
  if (!user || !ok) throw new HTTPException(400, "Incorrect username or password");
  // Grant only what the client asked for, the user holds and the scheme declares
  // (the guide grants whatever is asked).
  const scopes = form.scopes.filter((s, i) => user.scopes.includes(s) && declaredScopes.includes(s) && form.scopes.indexOf(s) === i);
  const expiresIn = settings.accessTokenExpireMinutes * 60;
  const accessToken = await signer.sign({ sub: user.username, scope: scopes.join(" ") }, { expiresInSeconds: expiresIn });
  return { access_token: accessToken, token_type: "bearer", scope: scopes.join(" "), expires_in: expiresIn };
  },
);
