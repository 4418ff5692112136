import type { AppScope, DependencyOverrides, SecurityReport } from "@depends/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { WebSocket } from "ws";

// Types `RawRequest` / `RawReply` / `WebSocket` sources (and `HttpRequest.raw` / `.reply`) as fastify's objects
// wherever this package is imported.
declare module "@depends/core" {
  interface AdapterTypes {
    request: FastifyRequest;
    reply: FastifyReply;
    websocket: WebSocket;
  }
}

declare module "fastify" {
  interface FastifyInstance {
    /**
     * The overrides every `@depends/fastify` route of this application honours (FastAPI's
     * `app.dependency_overrides`). Routes re-plan once when it changes, never per request.
     */
    readonly dependencyOverrides: DependencyOverrides;
    /**
     * The application's app-scoped values (`Depends(dep, { scope: "app" })`): made in `onReady`,
     * torn down in `onClose`. Pass it to `resolve()` to reuse them outside HTTP.
     */
    readonly appScope: AppScope;
    /**
     * Every route's effective security requirements (alternatives of schemes required together),
     * each scope with the dependency path that contributed it, teardown dependencies, and the
     * public and unsecured routes. Render it with `securityReportMarkdown` from `@depends/core`.
     */
    securityReport(): SecurityReport;
  }
}
