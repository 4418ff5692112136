import type { DependencyOverrides } from "@depends/core";
import type { FastifyReply, FastifyRequest } from "fastify";

// Types `RawRequest` / `RawReply` sources (and `HttpRequest.raw` / `.reply`) as fastify's objects
// wherever this package is imported.
declare module "@depends/core" {
  interface AdapterTypes {
    request: FastifyRequest;
    reply: FastifyReply;
  }
}

declare module "fastify" {
  interface FastifyInstance {
    /**
     * The overrides every `@depends/fastify` route of this application honours (FastAPI's
     * `app.dependency_overrides`). Routes re-plan once when it changes, never per request.
     */
    readonly dependencyOverrides: DependencyOverrides;
  }
}
