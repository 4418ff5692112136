// The ceiling: a bare fastify route answering the same JSON with the same response schema, no auth.
import Fastify from "fastify";
import { ITEM_LIST_RESPONSE, ITEMS_PATH } from "../lib/guide.mjs";
import { listenAndReport } from "./lib/listen.mjs";

const app = Fastify({ logger: false });
app.get(ITEMS_PATH, { schema: { response: ITEM_LIST_RESPONSE } }, () => [{ item_id: "Foo", owner: "johndoe" }]);
await listenAndReport(app);
