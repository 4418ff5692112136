// Every bench server listens on 127.0.0.1 with an ephemeral port, tells the parent which one in a
// JSON line (see bench/lib/child.mjs), answers "cpu" on the IPC channel with its CPU time (CPU
// per request is steadier than requests/s on a busy machine), and closes on SIGTERM.
export async function listenAndReport(app) {
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.on("message", (message) => {
    if (message === "cpu") process.send(process.cpuUsage());
  });
  // The IPC channel must not keep a closed server alive.
  process.channel?.unref();
  process.once("SIGTERM", () => {
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}
