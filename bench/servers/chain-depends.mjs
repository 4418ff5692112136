// A route whose handler needs a 5-deep chain of sync dependencies, mounted by @depends/fastify
// with dependsPlugin's defaults (what a user gets).
import { Depends, dependency, CurrentRequest } from "@depends/core";
import { dependsPlugin, router } from "@depends/fastify";
import Fastify from "fastify";
import { answer, CHAIN_PATH, CHAIN_RESPONSE, first, next } from "./lib/chain.mjs";
import { listenAndReport } from "./lib/listen.mjs";

let link = dependency({ request: CurrentRequest }, first);
for (let i = 1; i < 5; i++) link = dependency({ v: Depends(link) }, next);

const api = router();
api.get(CHAIN_PATH, { sources: { v: Depends(link) }, response: CHAIN_RESPONSE }, answer);

const app = Fastify({ logger: false });
await app.register(dependsPlugin);
await app.register(api.plugin());
await listenAndReport(app);
