import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type SecurityReport, securityReportMarkdown } from "@depends/core";

/**
 * Where the CLI writes; a test passes its own.
 *
 * @example
 * ```ts
 * const io: CliIo = { out: (text) => process.stdout.write(text), err: (text) => console.error(text) };
 * ```
 */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const USAGE = `Usage: depends-security-report <app-module> [--export <name>] [--format json|markdown] [--fail-on-unsecured]

Loads <app-module>, takes its export (default: "default", then "app", then "buildApp"): a fastify
application, a promise of one, or a function returning one; waits for it to be ready and prints
the security report of every route. Exits 1 with --fail-on-unsecured when a route is not secured
(no security, or optional authentication) and is declared neither public nor optionalAuth, 2 when
the module cannot be loaded.`;

interface Args {
  module: string;
  exportName: string | undefined;
  format: "json" | "markdown";
  failOnUnsecured: boolean;
}

function parse(argv: readonly string[]): Args | string {
  let module: string | undefined;
  let exportName: string | undefined;
  let format: "json" | "markdown" = "markdown";
  let failOnUnsecured = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--export") exportName = argv[++i];
    else if (arg === "--format") {
      const value = argv[++i];
      if (value !== "json" && value !== "markdown" && value !== "md") return `--format must be json or markdown, got ${String(value)}`;
      format = value === "json" ? "json" : "markdown";
    } else if (arg === "--fail-on-unsecured") failOnUnsecured = true;
    else if (arg === "--help" || arg === "-h") return "";
    else if (arg.startsWith("-")) return `Unknown option ${arg}`;
    else if (module === undefined) module = arg;
    else return `Unexpected argument ${arg}`;
  }
  if (module === undefined) return "Missing <app-module>";
  return { module, exportName, format, failOnUnsecured };
}

interface ReportingApp {
  ready(): PromiseLike<unknown>;
  close(): PromiseLike<unknown>;
  securityReport(): SecurityReport;
}

function isApp(value: unknown): value is ReportingApp {
  return typeof value === "object" && value !== null && typeof (value as ReportingApp).ready === "function" && typeof (value as ReportingApp).securityReport === "function";
}

async function loadApp(args: Args): Promise<ReportingApp> {
  const loaded = (await import(pathToFileURL(resolve(args.module)).href)) as Record<string, unknown>;
  const names = args.exportName !== undefined ? [args.exportName] : ["default", "app", "buildApp"];
  const name = names.find((n) => loaded[n] !== undefined);
  if (name === undefined) throw new Error(`${args.module} exports none of: ${names.join(", ")}`);
  let value: unknown = loaded[name];
  if (typeof value === "function") value = (value as () => unknown)();
  value = await value;
  if (!isApp(value)) throw new Error(`export "${name}" of ${args.module} is not a fastify application with dependsPlugin registered`);
  return value;
}

/**
 * The `depends-security-report` command: prints an application's security report (Markdown or
 * JSON) and returns the exit code.
 *
 * @example
 * ```ts
 * const code = await runSecurityReportCli(["dist/app.js", "--format", "json", "--fail-on-unsecured"], { out: console.log, err: console.error });
 * ```
 */
export async function runSecurityReportCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parse(argv);
  if (typeof args === "string") {
    if (args !== "") io.err(args);
    io.err(USAGE);
    return args === "" ? 0 : 2;
  }
  let app: ReportingApp;
  try {
    app = await loadApp(args);
    await app.ready();
  } catch (error) {
    io.err(`Cannot load the application: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  try {
    const report = app.securityReport();
    io.out(args.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : securityReportMarkdown(report));
    if (args.failOnUnsecured && report.summary.unsecured > 0) {
      io.err(`${report.summary.unsecured} route(s) are not secured and are declared neither public nor optionalAuth`);
      return 1;
    }
    return 0;
  } finally {
    await app.close();
  }
}
