import type { SecuritySchemeInfo } from "../dependency.js";
import { SecurityScopes } from "../security-scopes.js";
import type { CompileCache } from "./cache.js";
import type { SecurityRequirement } from "./security.js";
import type { Arg, Step } from "./steps.js";

// Routes that share dependencies compile to the same steps: the same call, the same arguments from
// the same slots. Each distinct step (and each distinct list of steps) is kept once per application
// (in its CompileCache) and shared by every plan that contains it, so that 1,000 routes over one
// tree cost one tree, not 1,000 copies of it. Steps are frozen, so sharing is safe; the tables are
// keyed by the step's call (weakly), so a dependency that is garbage collected takes its entries with it.

/** The shared `SecurityScopes` holding `scopes` (in this order). */
export function securityScopesOf(cache: CompileCache, scopes: readonly string[]): SecurityScopes {
  const key = scopes.join(" ");
  let value = cache.securityScopes.get(key);
  if (value === undefined) cache.securityScopes.set(key, (value = new SecurityScopes(scopes)));
  return value;
}

/** `text` prefixed with its length, so that concatenated fields cannot be confused. */
const field = (text: string): string => `${text.length}:${text}`;

function argKey(arg: Arg): string {
  switch (arg.kind) {
    case "slot":
      return `${arg.slot}`;
    case "const":
      // Only `SecurityScopes` constants are compiled into arguments, and they are interned above.
      if (arg.value instanceof SecurityScopes) return `s${field(arg.value.scopeStr)}`;
      throw new Error("unreachable: a step constant that is not a SecurityScopes");
    case "input":
      return arg.name === undefined ? `i${arg.input}` : `i${arg.input}n${field(arg.name)}`;
    default:
      return arg.kind;
  }
}

function stepKey(step: Step): string {
  let key = `${step.callKind}|${step.teardown}|${step.interpreted === true ? 1 : 0}|${field(step.name)}`;
  for (const arg of step.args) key += `|${field(arg.key)}=${argKey(arg)}`;
  return key;
}

function freezeStep(step: Step): Step {
  const args = Object.freeze(step.args.map((arg) => Object.freeze({ ...arg })));
  const frozen: Step = step.interpreted === true ? { ...step, args } : { name: step.name, call: step.call, callKind: step.callKind, args, teardown: step.teardown };
  return Object.freeze(frozen);
}

function internStep(cache: CompileCache, step: Step): Step {
  if (cache.stepIds.has(step)) return step; // already the shared copy
  let byKey = cache.stepsByCall.get(step.call);
  if (byKey === undefined) cache.stepsByCall.set(step.call, (byKey = new Map()));
  const key = stepKey(step);
  let shared = byKey.get(key);
  if (shared === undefined) {
    byKey.set(key, (shared = freezeStep(step)));
    cache.stepIds.set(shared, cache.nextId++);
  }
  return shared;
}

/**
 * The plan's steps, each replaced by the application's shared copy of an identical step, in a list
 * that is itself shared with every plan made of the same steps. Call once the steps are final.
 */
export function internSteps(cache: CompileCache, steps: readonly Step[]): readonly Step[] {
  const shared = steps.map((step) => internStep(cache, step));
  const last = shared[shared.length - 1];
  if (last === undefined) return Object.freeze(shared);
  let byIds = cache.stepListsByLast.get(last);
  if (byIds === undefined) cache.stepListsByLast.set(last, (byIds = new Map()));
  const key = shared.map((step) => cache.stepIds.get(step)).join(",");
  let list = byIds.get(key);
  if (list === undefined) byIds.set(key, (list = Object.freeze(shared)));
  return list;
}

const NO_SCHEMES: readonly SecuritySchemeInfo[] = Object.freeze([]);

/** A shared, frozen list of these schemes (same schemes, same order: same list). */
export function sharedSchemeList(cache: CompileCache, schemes: readonly SecuritySchemeInfo[]): readonly SecuritySchemeInfo[] {
  const first = schemes[0];
  if (first === undefined) return NO_SCHEMES;
  const key = schemes.map((scheme) => cache.idOf(scheme)).join(",");
  let byKey = cache.schemeListsByFirst.get(first);
  if (byKey === undefined) cache.schemeListsByFirst.set(first, (byKey = new Map()));
  let list = byKey.get(key);
  if (list === undefined) byKey.set(key, (list = Object.freeze([...schemes])));
  return list;
}

const NO_REQUIREMENTS: readonly SecurityRequirement[] = Object.freeze([]);

/** A shared, deeply frozen copy of these OpenAPI security requirements. */
export function sharedRequirements(cache: CompileCache, requirements: readonly SecurityRequirement[]): readonly SecurityRequirement[] {
  if (requirements.length === 0) return NO_REQUIREMENTS;
  // Keyed by their JSON: scheme names and scopes, which come from declarations (bounded by the code).
  const key = JSON.stringify(requirements);
  let list = cache.requirementLists.get(key);
  if (list === undefined) {
    const frozen = requirements.map((requirement) =>
      Object.freeze(Object.fromEntries(Object.entries(requirement).map(([name, scopes]) => [name, Object.freeze([...scopes])]))),
    );
    cache.requirementLists.set(key, (list = Object.freeze(frozen)));
  }
  return list;
}
