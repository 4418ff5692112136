#!/usr/bin/env node
// Prints the security report of a fastify application built with @depends/fastify.
import { runSecurityReportCli } from "../dist/cli/security-report.js";

const code = await runSecurityReportCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(`${text}\n`),
});
process.exitCode = code;
