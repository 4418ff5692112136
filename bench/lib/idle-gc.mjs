// Preloaded by `bench/tick-shape.mjs --idle-gc` (with node --expose-gc): what a boot can do by
// chance, on purpose. The tick queue is used, then full collections run while it is empty, as
// while an app loads; afterwards Node's nextTick is in the slow state unless
// @depends/fastify/tick-shape ran before (docs/performance.md#nexttick-shape).
if (typeof globalThis.gc !== "function") throw new Error("idle-gc.mjs: run with node --expose-gc");
const tick = () => new Promise((resolve) => process.nextTick(resolve));
const idle = () => new Promise((resolve) => setTimeout(resolve, 1));
for (let i = 0; i < 50; i++) await tick();
await idle();
for (let i = 0; i < 3; i++) globalThis.gc();
await idle();
