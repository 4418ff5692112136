// The fair hand-written rival of the example's token cache: the same server plus a Map of verified claims.
import { handWrittenItemsApp } from "./lib/hand-items.mjs";
import { listenAndReport } from "./lib/listen.mjs";

await listenAndReport(await handWrittenItemsApp({ cache: true }));
