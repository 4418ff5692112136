import { BackgroundTasks, Body, Depends, dependency, DependencyOverrides, File, Form, HTTPException, Path, Query, RawReply, Security, StreamingResponse, WebSocket } from "@depends/core";
import { dependsErrorHandler, dependsPlugin, router } from "@depends/fastify";
import websocket from "@fastify/websocket";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import Type from "typebox";
import { listAudit, recordAudit } from "./audit.js";
import { AVATAR_MAX_SIZE, AVATAR_TYPES, avatarBytes, findAvatar, saveAvatar } from "./avatars.js";
import { getActiveWebSocketUser, getCurrentActiveUser, queryTokenScheme, tokenGrant } from "./auth.js";
import type { Database } from "./db/database.js";
import { announce, deleteHero, findHero, insertHero, isStorableId, listHeroes, publicHero, refuseNul, refuseNullColumns, updateHero } from "./heroes.js";
import { AuditListSchema, DeletedSchema, HeroCreateSchema, HeroListSchema, HeroPublicSchema, HeroUpdateSchema, TokenSchema, UserSchema } from "./models.js";
import { OAuthError } from "./oauth-error.js";
import type { PasswordVerifier } from "./passwords.js";
import { getDatabase, getHeroFeed, getJwtVerifier, getPasswordVerifier, getRevocations, getSettings } from "./services.js";
import type { Settings } from "./settings.js";
import { revoke } from "./tokens.js";
import { getTransaction } from "./transaction.js";

/** What {@link buildApp} may be given instead of the app-scoped services it makes at startup. */
export interface AppOptions {
  readonly settings?: Settings;
  /** A database opened elsewhere (several instances on one database); the app does not close it. */
  readonly database?: Database;
  readonly passwords?: PasswordVerifier;
  readonly fastify?: FastifyServerOptions;
}

const app = { scope: "app" } as const;
const heroNotFound = () => new HTTPException(404, "Hero not found");

/**
 * FastAPI's SQL tutorial (tutorial002: `/heroes/`) on PostgreSQL, secured as the OAuth2 scopes
 * guide, with refresh tokens, revocation shared by every instance, and the WebSocket `/heroes/feed`.
 */
export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const overrides = new DependencyOverrides();
  const { settings, database, passwords } = options;
  if (settings !== undefined) overrides.set(getSettings, dependency(() => settings));
  if (database !== undefined) overrides.set(getDatabase, dependency(() => database));
  if (passwords !== undefined) overrides.set(getPasswordVerifier, dependency(() => passwords));

  const readers = { currentUser: Security(getCurrentActiveUser, { scopes: ["heroes:read"] }), db: Depends(getDatabase, app) };
  // The user is read first, outside the transaction (see transaction.ts).
  // Every write is audited by a background task, after the response (on the pool: the request's
  // transaction has committed by then).
  const writers = {
    currentUser: Security(getCurrentActiveUser, { scopes: ["heroes:write"] }),
    tx: Depends(getTransaction, { scope: "function" }),
    tasks: BackgroundTasks,
    db: Depends(getDatabase, app),
  };
  const heroId = Path(Type.Integer({ title: "Hero Id" }));

  const api = router();
  api.post("/token", { sources: { grant: Depends(tokenGrant), reply: RawReply }, response: { 200: TokenSchema }, public: true }, function loginForAccessToken({ grant, reply }) {
    // RFC 6749 section 5.1: token answers (and their errors) must not be cached.
    reply.header("cache-control", "no-store").header("pragma", "no-cache");
    if (grant instanceof OAuthError) {
      return reply.code(400).send(grant.body);
    }
    return grant;
  });
  api.post(
    "/revoke",
    {
      sources: {
        token: Form(Type.String()),
        token_type_hint: Form(Type.String(), { required: false }),
        db: Depends(getDatabase, app),
        verifier: Depends(getJwtVerifier, app),
        revocations: Depends(getRevocations, app),
        settings: Depends(getSettings, app),
      },
      response: { 200: Type.Null() },
      public: true,
      description: "RFC 7009: revokes an access token, or a refresh token and every token of its login. Answers 200 for any token, known or not.",
    },
    async function revokeToken({ token, token_type_hint, db, verifier, revocations, settings }) {
      await revoke({ db, verifier, revocations, settings }, token, token_type_hint);
      return null;
    },
  );
  api.get("/users/me/", { sources: { currentUser: Security(getCurrentActiveUser, { scopes: ["me"] }) }, response: { 200: UserSchema } }, function readUsersMe({ currentUser }) {
    return currentUser;
  });

  api.post("/heroes/", { sources: { hero: Body(HeroCreateSchema), ...writers }, response: { 200: HeroPublicSchema } }, async function createHero({ hero, tx, tasks, db, currentUser }) {
    refuseNul(hero);
    const created = await insertHero(tx, hero);
    await announce(tx, { event: "created", hero: publicHero(created) });
    tasks.addTask(recordAudit, db, currentUser.username, "hero.created", created.id);
    return created;
  });
  api.get(
    "/heroes/",
    {
      sources: { ...readers, offset: Query(Type.Integer({ minimum: 0, title: "Offset" }), { default: 0 }), limit: Query(Type.Integer({ minimum: 0, maximum: 100, title: "Limit" }), { default: 100 }) },
      response: { 200: HeroListSchema },
    },
    function readHeroes({ db, offset, limit }) {
      return listHeroes(db, offset, limit);
    },
  );
  api.get("/heroes/{hero_id}", { sources: { hero_id: heroId, ...readers }, response: { 200: HeroPublicSchema } }, async function readHero({ hero_id, db }) {
    const hero = await findHero(db, hero_id);
    if (hero === undefined) throw heroNotFound();
    return hero;
  });
  api.patch("/heroes/{hero_id}", { sources: { hero_id: heroId, hero: Body(HeroUpdateSchema), ...writers }, response: { 200: HeroPublicSchema } }, async function updateHeroRoute({ hero_id, hero, tx, tasks, db, currentUser }) {
    const stored = await findHero(tx, hero_id, true);
    if (stored === undefined) throw heroNotFound();
    refuseNul(hero);
    refuseNullColumns(hero);
    // model_dump(exclude_unset=True): only the fields sent, a null sent included.
    const changed = { name: stored.name, age: stored.age, secret_name: stored.secret_name, ...hero };
    const updated = await updateHero(tx, hero_id, changed);
    await announce(tx, { event: "updated", hero: publicHero(updated) });
    tasks.addTask(recordAudit, db, currentUser.username, "hero.updated", hero_id);
    return updated;
  });
  api.delete("/heroes/{hero_id}", { sources: { hero_id: heroId, ...writers }, response: { 200: DeletedSchema } }, async function deleteHeroRoute({ hero_id, tx, tasks, db, currentUser }) {
    const stored = await findHero(tx, hero_id, true);
    if (stored === undefined) throw heroNotFound();
    await deleteHero(tx, hero_id);
    await announce(tx, { event: "deleted", hero: publicHero(stored) });
    tasks.addTask(recordAudit, db, currentUser.username, "hero.deleted", hero_id);
    return { ok: true };
  });

  // A PNG or JPEG of at most 1 MiB: File() answers 413 above maxSize and 422 for another type;
  // avatarBytes() checks the bytes are what the type says. 204: the avatar is stored, nothing to answer.
  api.put(
    "/heroes/{hero_id}/avatar",
    { sources: { hero_id: heroId, file: File({ maxSize: AVATAR_MAX_SIZE, accept: [...AVATAR_TYPES], description: "A PNG or JPEG image, at most 1 MiB" }), ...writers }, status: 204 },
    async function uploadAvatar({ hero_id, file, tx, tasks, db, currentUser }) {
      const stored = await findHero(tx, hero_id, true);
      if (stored === undefined) throw heroNotFound();
      const bytes = await avatarBytes(file);
      await saveAvatar(tx, hero_id, file.contentType, bytes);
      tasks.addTask(recordAudit, db, currentUser.username, "avatar.updated", hero_id);
    },
  );
  api.get("/heroes/{hero_id}/avatar", { sources: { hero_id: heroId, ...readers } }, async function readAvatar({ hero_id, db }) {
    const avatar = isStorableId(hero_id) ? await findAvatar(db, hero_id) : undefined;
    if (avatar === undefined) throw new HTTPException(404, "Avatar not found");
    return new StreamingResponse(avatar.bytes, { mediaType: avatar.contentType, headers: { "content-length": String(avatar.bytes.length) } });
  });

  api.get(
    "/audit/",
    {
      sources: {
        currentUser: Security(getCurrentActiveUser, { scopes: ["audit:read"] }),
        db: Depends(getDatabase, app),
        offset: Query(Type.Integer({ minimum: 0, title: "Offset" }), { default: 0 }),
        limit: Query(Type.Integer({ minimum: 0, maximum: 100, title: "Limit" }), { default: 100 }),
      },
      response: { 200: AuditListSchema },
    },
    function readAudit({ db, offset, limit }) {
      return listAudit(db, offset, limit);
    },
  );

  // Changes of every instance, as they commit: {"event": "created"|"updated"|"deleted", "hero": {...}}.
  api.websocket(
    "/heroes/feed",
    {
      socket: WebSocket,
      currentUser: Security(getActiveWebSocketUser, { scopes: ["heroes:read"] }),
      token: Depends(queryTokenScheme),
      feed: Depends(getHeroFeed, app),
      verifier: Depends(getJwtVerifier, app),
      revocations: Depends(getRevocations, app),
    },
    async function watchHeroes({ socket, token, feed, verifier, revocations }) {
      // The token was checked before the handshake; a connection outlives that check, so it is
      // checked again before each message and every bound: revoked, expired or uncheckable closes it.
      const { jti, sid, exp } = verifier.lookup(token) ?? (await verifier.verify(token));
      const stillValid = (): boolean => {
        try {
          return typeof exp === "number" && exp * 1000 > Date.now() && !revocations.isRevoked(String(jti), typeof sid === "string" ? sid : undefined);
        } catch {
          return false;
        }
      };
      const close = () => socket.close(1008, "token revoked or expired");
      const unsubscribe = feed.subscribe((message) => (stillValid() ? socket.send(message) : close()));
      const timer = setInterval(() => stillValid() || close(), revocations.boundMs);
      timer.unref();
      socket.on("close", () => {
        unsubscribe();
        clearInterval(timer);
      });
      socket.on("message", () => socket.close(1003, "the feed only sends"));
    },
  );

  // pluginTimeout: the app-scoped services start in onReady, and opening PGlite (WASM) plus the
  // migrations takes seconds on a busy machine; fastify's default 10 s stopped a start in a test.
  const server = Fastify({ frameworkErrors: dependsErrorHandler, pluginTimeout: 60_000, connectionTimeout: 30_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, ...options.fastify });
  await server.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await server.register(dependsPlugin, { openapi: { info: { title: "FastAPI", version: "0.1.0" } }, docs: "/docs", secureByDefault: true, timeout: 10_000, overrides });
  await server.register(api.plugin());
  return server;
}
