// The validation route on plain fastify: the same schemas with fastify's default Ajv (first error
// only, fastify's 400 shape). The reference for what validation costs without @depends/fastify.
import Fastify from "fastify";
import { listenAndReport } from "./lib/listen.mjs";

const app = Fastify({ logger: false });
app.get(
  "/items/:itemId",
  {
    schema: {
      params: { type: "object", properties: { itemId: { type: "integer" } }, required: ["itemId"] },
      querystring: { type: "object", properties: { q: { type: "string", minLength: 1 }, limit: { type: "integer", minimum: 1, maximum: 100, default: 10 } }, required: ["q"] },
      headers: { type: "object", properties: { "x-token": { type: "string" } }, required: ["x-token"] },
    },
  },
  (request) => ({ itemId: request.params.itemId, q: request.query.q, limit: request.query.limit, token: request.headers["x-token"] }),
);
await listenAndReport(app);
