// Imported first by the servers that do not use the library (which does the same when imported):
// keeps one process.nextTick queue entry alive, so that V8 never marks nextTick's inline caches
// megamorphic after full collections on an empty queue. Without it, whether a server pays 4 to 5 µs
// more CPU per request depends on when its collections happened while it booted, not on its code
// (docs/performance.md#nexttick-shape): every server, ours and theirs, is measured in the same state.
import { executionAsyncResource } from "node:async_hooks";

const kept = [];
process.nextTick(() => kept.push(executionAsyncResource()));
