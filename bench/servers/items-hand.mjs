// "Hand-written today": fastify + jose, every request verifies its token (see lib/hand-items.mjs).
import { handWrittenItemsApp } from "./lib/hand-items.mjs";
import { listenAndReport } from "./lib/listen.mjs";

await listenAndReport(await handWrittenItemsApp({ cache: false }));
