// The WebSocket source is framework-neutral: the plan reads `request.websocket`, which the adapter
// supplies; WebSocketException checks its code and fits its reason in a close frame.
import t from "tap";
import { compileRoute, createRequest, Depends, dependency, WebSocket, WebSocketException } from "@depends/core";
import { closeReason } from "@depends/core/adapter";

t.test("the WebSocket source injects request.websocket, with codegen and in the interpreter", async (t) => {
  const socket = { send() {} };
  for (const codegen of [true, false]) {
    const route = compileRoute({ method: "WEBSOCKET", path: "/ws", sources: { socket: WebSocket, n: Depends(dependency(() => 1)) }, handler: ({ socket, n }) => ({ socket, n }) }, { codegen });
    const value = await route.execute(createRequest({ websocket: socket as never }));
    t.equal(value.socket, socket, `codegen: ${codegen}`);
    t.equal((await route.execute(createRequest())).socket, undefined, "absent on a request without one");
  }
});

t.test("WebSocketException: 1008 by default, sendable codes only, reasons cut to 123 bytes", async (t) => {
  const error = new WebSocketException();
  t.equal(error.code, 1008);
  t.equal(error.reason, "");
  t.equal(error.name, "WebSocketException");
  t.equal(new WebSocketException(4000, "bye").reason, "bye");
  for (const code of [999, 1004, 1005, 1006, 1015, 2999, 5000, 1000.5]) t.throws(() => new WebSocketException(code), RangeError, `refuses ${code}`);
  t.throws(() => new WebSocketException(1008, 42 as never), TypeError);
  const long = new WebSocketException(1008, "é".repeat(100));
  t.equal(Buffer.byteLength(long.reason), 122, "cut at a character boundary (2-byte characters)");
  t.equal(closeReason("a".repeat(123)), "a".repeat(123));
  t.equal(closeReason("😀".repeat(40)).length, 60, "30 four-byte characters (surrogate pairs) fit");
});
