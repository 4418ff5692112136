// Type tests (checked by `npm run typecheck`): what the streaming API accepts and gives.
import t from "tap";
import { EventStream, JsonLines, jsonLines, LastEventId, ServerSentEvent, sse, StreamingResponse, type ValueOf } from "@depends/core";

const lastEventId: ValueOf<typeof LastEventId> = undefined;
const fromHeader: ValueOf<typeof LastEventId> = "42";
// @ts-expect-error the header is a string or undefined, never a number
const notNumber: ValueOf<typeof LastEventId> = 42;

new StreamingResponse((async function* () { yield "text"; yield new Uint8Array(1); })());
new StreamingResponse((signal: AbortSignal) => (async function* () { if (!signal.aborted) yield "x"; })(), { mediaType: "text/plain", status: 201 });
// @ts-expect-error raw chunks are strings or bytes: objects go through jsonLines() or sse()
new StreamingResponse((async function* () { yield { a: 1 }; })());
// @ts-expect-error headers are strings
new StreamingResponse("x", { headers: { "x-n": 1 } });
const lines: JsonLines = jsonLines([{ a: 1 }, 2]);
const events: EventStream = sse([new ServerSentEvent({ data: { a: 1 }, id: "1" }), { plain: "object" }], { keepAlive: false });
// Type errors only: these would also throw when run.
export function refused() {
  // @ts-expect-error retry is a number of milliseconds
  new ServerSentEvent({ retry: "5s" });
  // @ts-expect-error keepAlive is milliseconds or false
  sse([], { keepAlive: true });
}

t.test("streaming types", async (t) => {
  t.equal(lastEventId, undefined);
  t.equal(fromHeader, "42");
  t.equal(notNumber, 42);
  t.ok(lines instanceof StreamingResponse && events instanceof StreamingResponse);
  t.throws(refused, { code: "DEPENDS_SSE_FIELD" }, "and at run time, the invalid retry is refused too");
});
