// The fair hand-written rival of the example's token cache: the same server plus a Map of verified claims.
// Keeps nextTick out of its slow state, as importing @depends/fastify does (docs/performance.md#nexttick-shape).
import "../../packages/fastify/dist/tick-shape.js";
import { handWrittenItemsApp } from "./lib/hand-items.mjs";
import { listenAndReport } from "./lib/listen.mjs";

await listenAndReport(await handWrittenItemsApp({ cache: true }));
