// The validation route on @depends/fastify with dependsPlugin's defaults (see lib/validated.mjs).
import { Header, Path, Query } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import Fastify from "fastify";
import Type from "typebox";
import { listenAndReport } from "./lib/listen.mjs";

const api = router();
api.get(
  "/items/{itemId}",
  {
    itemId: Path(Type.Integer()),
    q: Query(Type.String({ minLength: 1 })),
    limit: Query(Type.Integer({ minimum: 1, maximum: 100 }), { default: 10 }),
    x_token: Header(Type.String()),
  },
  ({ itemId, q, limit, x_token }) => ({ itemId, q, limit, token: x_token }),
);

const app = Fastify({ logger: false });
await app.register(dependsPlugin);
await app.register(api.plugin());
await listenAndReport(app);
