import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";

type PluginFunction = (instance: FastifyInstance, options: Record<string, never>, done: (error?: Error) => void) => void;

/**
 * Installs @fastify/multipart's `multipart/form-data` content-type parser and request methods
 * (`request.parts()`, `isMultipart()`...) without the `onRequest` and `onResponse` hooks it adds
 * to every route of the application: they only clean up `saveRequestFiles()`, which depends does
 * not use (its uploads are deleted by the routes that spool them), and every plain route would pay
 * for them. An app that wants `saveRequestFiles()` registers @fastify/multipart itself before
 * `dependsPlugin`, which then uses that registration as it is.
 */
export function installMultipart(fastify: FastifyInstance): Promise<void> {
  const view: FastifyInstance = Object.create(fastify, {
    addHook: {
      value(name: string, hook: never) {
        if (name !== "onRequest" && name !== "onResponse") fastify.addHook(name as "preHandler", hook);
        return view;
      },
    },
  }) as FastifyInstance;
  return new Promise((resolve, reject) => {
    (multipart as unknown as PluginFunction)(view, {}, (error) => (error ? reject(error) : resolve()));
  });
}
