// Shared by the security-*.test.ts files: run a scheme the way a route does, and read its error.
import { compileRoute, createRequest, type Dependency, Depends, HTTPException, type RequestInit } from "@depends/core";

/** Runs `scheme` as the only dependency of a compiled route and resolves to what it provides. */
export function provided<T>(scheme: Dependency<T>, init: RequestInit = {}): Promise<T> {
  const route = compileRoute({ method: "GET", path: "/", sources: { value: Depends(scheme) }, handler: ({ value }) => value });
  return route.execute(createRequest(init));
}

/** The error `promise` rejects with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

/** The parts of an HTTPException a response is made of, for exact comparison. */
export function response(error: unknown): { status: number; detail: unknown; headers: unknown } | unknown {
  return error instanceof HTTPException ? { status: error.status, detail: error.detail, headers: error.headers } : error;
}

/** What a scheme's default error looks like with `challenge`. */
export function notAuthenticated(challenge: string): { status: number; detail: unknown; headers: unknown } {
  return { status: 401, detail: "Not authenticated", headers: { "WWW-Authenticate": challenge } };
}

/** The response of running `scheme` for a request that must fail. */
export async function failure(scheme: Dependency<unknown>, init: RequestInit = {}): Promise<unknown> {
  return response(await rejection(provided(scheme, init)));
}
