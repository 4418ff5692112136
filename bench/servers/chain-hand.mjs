// The same 5 functions as chain-depends.mjs, called by hand in one fastify handler.
import Fastify from "fastify";
import { answer, CHAIN_PATH, CHAIN_RESPONSE, first, next } from "./lib/chain.mjs";
import { listenAndReport } from "./lib/listen.mjs";

const app = Fastify({ logger: false });
app.get(CHAIN_PATH, { schema: { response: CHAIN_RESPONSE } }, (request) => answer({ v: next({ v: next({ v: next({ v: next({ v: first({ request }) }) }) }) }) }));
await listenAndReport(app);
