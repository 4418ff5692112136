import type { SecuritySchemeInfo } from "../dependency.js";
import type { ParamLocation } from "../errors.js";
import { SecurityScopes } from "../security-scopes.js";
import type { SecurityRequirement } from "./security.js";
import type { Arg, Step } from "./steps.js";

// Routes that share dependencies compile to the same steps: the same call, the same arguments from
// the same slots. Each distinct step (and each distinct list of steps) is kept once per process and
// shared by every plan that contains it, so that 1,000 routes over one tree cost one tree, not
// 1,000 copies of it. Steps are frozen, so sharing is safe; the tables are keyed by the step's call
// (weakly), so a dependency that is garbage collected takes its entries with it.

const stepsByCall = new WeakMap<Step["call"], Map<string, Step>>();
const planStepsByLast = new WeakMap<Step, Map<string, readonly Step[]>>();
const stepIds = new WeakMap<Step, number>();
let nextStepId = 1;

// `SecurityScopes` values are immutable; one instance per distinct list of scopes. The lists come
// from declarations, so this table is bounded by the application's code.
const securityScopesByList = new Map<string, SecurityScopes>();

/** The shared `SecurityScopes` holding `scopes` (in this order). */
export function securityScopesOf(scopes: readonly string[]): SecurityScopes {
  const key = scopes.join(" ");
  let value = securityScopesByList.get(key);
  if (value === undefined) securityScopesByList.set(key, (value = new SecurityScopes(scopes)));
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

function internStep(step: Step): Step {
  if (stepIds.has(step)) return step; // already the shared copy
  let byKey = stepsByCall.get(step.call);
  if (byKey === undefined) stepsByCall.set(step.call, (byKey = new Map()));
  const key = stepKey(step);
  let shared = byKey.get(key);
  if (shared === undefined) {
    byKey.set(key, (shared = freezeStep(step)));
    stepIds.set(shared, nextStepId++);
  }
  return shared;
}

/**
 * The plan's steps, each replaced by the process-wide shared copy of an identical step, in a list
 * that is itself shared with every plan made of the same steps. Call once the steps are final.
 */
export function internSteps(steps: readonly Step[]): readonly Step[] {
  const shared = steps.map(internStep);
  const last = shared[shared.length - 1];
  if (last === undefined) return Object.freeze(shared);
  let byIds = planStepsByLast.get(last);
  if (byIds === undefined) planStepsByLast.set(last, (byIds = new Map()));
  const key = shared.map((step) => stepIds.get(step)).join(",");
  let list = byIds.get(key);
  if (list === undefined) byIds.set(key, (list = Object.freeze(shared)));
  return list;
}

const locationSets = new Map<string, ReadonlySet<ParamLocation>>();

/** A shared set of request locations (at most one per combination). */
export function locationSet(locations: readonly ParamLocation[]): ReadonlySet<ParamLocation> {
  const key = [...new Set(locations)].sort().join(",");
  let set = locationSets.get(key);
  if (set === undefined) locationSets.set(key, (set = new Set(locations)));
  return set;
}

const NO_SCHEMES: readonly SecuritySchemeInfo[] = Object.freeze([]);
const schemeIds = new WeakMap<SecuritySchemeInfo, number>();
const schemeListsByFirst = new WeakMap<SecuritySchemeInfo, Map<string, readonly SecuritySchemeInfo[]>>();
let nextSchemeId = 1;

/** A shared, frozen list of these schemes (same schemes, same order: same list). */
export function sharedSchemeList(schemes: readonly SecuritySchemeInfo[]): readonly SecuritySchemeInfo[] {
  const first = schemes[0];
  if (first === undefined) return NO_SCHEMES;
  const key = schemes
    .map((scheme) => {
      let id = schemeIds.get(scheme);
      if (id === undefined) schemeIds.set(scheme, (id = nextSchemeId++));
      return id;
    })
    .join(",");
  let byKey = schemeListsByFirst.get(first);
  if (byKey === undefined) schemeListsByFirst.set(first, (byKey = new Map()));
  let list = byKey.get(key);
  if (list === undefined) byKey.set(key, (list = Object.freeze([...schemes])));
  return list;
}

const NO_REQUIREMENTS: readonly SecurityRequirement[] = Object.freeze([]);
// Keyed by their JSON: scheme names and scopes, which come from declarations (bounded by the code).
const requirementLists = new Map<string, readonly SecurityRequirement[]>();

/** A shared, deeply frozen copy of these OpenAPI security requirements. */
export function sharedRequirements(requirements: readonly SecurityRequirement[]): readonly SecurityRequirement[] {
  if (requirements.length === 0) return NO_REQUIREMENTS;
  const key = JSON.stringify(requirements);
  let list = requirementLists.get(key);
  if (list === undefined) {
    const frozen = requirements.map((requirement) =>
      Object.freeze(Object.fromEntries(Object.entries(requirement).map(([name, scopes]) => [name, Object.freeze([...scopes])]))),
    );
    requirementLists.set(key, (list = Object.freeze(frozen)));
  }
  return list;
}
