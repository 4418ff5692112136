import type { ParamLocation, ValidationErrorItem } from "../errors.js";
import type { HttpRequest } from "../request.js";
import { assertNoErrors, compileLocationValidator, type LocationValidator } from "../validation/validator.js";
import type { RequestScope } from "../run/teardown.js";
import { resumeIn } from "../run/execute.js";
import { type GeneratedRunner, generateRunner, type StaleGuard } from "./codegen.js";
import type { RequestSchemas } from "./request-schema.js";
import { INPUT, type Step } from "./steps.js";

/**
 * A route's compiled plan: flat steps (the handler last) and how to read request inputs.
 *
 * @example
 * ```ts
 * const steps = route.plan.steps.length; // calls per request, the handler included
 * ```
 */
export interface Plan {
  readonly steps: readonly Step[];
  /** The per-request inputs array (path, query, header, cookie, body), validated where the adapter does not. */
  readonly inputs: (request: HttpRequest) => readonly unknown[] | undefined;
  /** Whether `inputs` validates (otherwise it only reads what the adapter parsed). */
  readonly validates: boolean;
  /** The generated straight-line runner, for plans without generator dependencies. */
  readonly runner: GeneratedRunner | undefined;
}

const LOCATIONS: readonly ParamLocation[] = ["path", "query", "header", "cookie", "body"];

function raw(request: HttpRequest): readonly unknown[] {
  return [request.params, request.query, request.headers, request.cookies, request.body];
}

const none = (): undefined => undefined;

/**
 * Builds the inputs reader: nothing when the route reads no request value, the adapter's parsed
 * values when it validates every location the route uses, otherwise a typebox validation of the
 * other locations that fails with a 422 listing every problem before any dependency runs.
 */
export function inputsReader(schemas: RequestSchemas, native: ReadonlySet<ParamLocation>): Pick<Plan, "inputs" | "validates"> {
  const validators: [number, ParamLocation, LocationValidator][] = [];
  let used = false;
  for (const location of LOCATIONS) {
    const schema = schemas[location];
    if (schema === undefined) continue;
    used = true;
    if (!native.has(location)) validators.push([INPUT[location], location, compileLocationValidator(location, schema, location === "body" && schemas.bodyKind === "form", location !== "body" || schemas.bodyRequired)]);
  }
  if (!used) return { inputs: none, validates: false };
  if (validators.length === 0) return { inputs: raw, validates: false };
  const inputs = (request: HttpRequest): readonly unknown[] => {
    const inputs = raw(request) as unknown[];
    const errors: ValidationErrorItem[] = [];
    for (const [index, , validate] of validators) inputs[index] = validate(inputs[index], errors);
    assertNoErrors(errors);
    return inputs;
  };
  return { inputs, validates: true };
}

/** The route a plan belongs to, as its generated runner needs it: to re-plan and run again when stale. */
export interface PlanOwner {
  /** The plan in force (reading it re-plans a stale route). */
  readonly plan: Plan;
  run(request: HttpRequest, scope?: RequestScope): unknown;
}

/**
 * A route's plan. Its steps are shared with every route made of the same steps (see intern.ts);
 * the runner is generated when first asked for (a route's first request): V8 compiles each
 * generated function, and a thousand routes that are registered but not yet called should not pay
 * for that at startup.
 */
export class RoutePlan implements Plan {
  readonly steps: readonly Step[];
  readonly inputs: Plan["inputs"];
  readonly validates: boolean;
  readonly #name: string;
  readonly #owner: PlanOwner | undefined;
  /** The overrides registry the plan was compiled against (a stale plan re-plans), and its version then. */
  readonly #overrides: { readonly version: number } | undefined;
  readonly #version: number;
  #runner: GeneratedRunner | undefined | null = null;

  constructor(
    steps: readonly Step[],
    reader: Pick<Plan, "inputs" | "validates">,
    name: string,
    owner?: PlanOwner,
    overrides?: { readonly version: number },
    version = 0,
  ) {
    this.steps = steps;
    this.inputs = reader.inputs;
    this.validates = reader.validates;
    this.#name = name;
    this.#owner = owner;
    this.#overrides = overrides;
    this.#version = version;
  }

  get runner(): GeneratedRunner | undefined {
    if (this.#runner === null) {
      const owner = this.#owner;
      const overrides = this.#overrides;
      const guard: StaleGuard | undefined =
        owner && overrides ? { overrides, version: this.#version, stale: (request, scope) => (owner.plan, owner.run(request, scope)) } : undefined;
      this.#runner = generateRunner(this.steps, this.validates ? this.inputs : undefined, resumeIn(() => this), this.#name, guard);
    }
    return this.#runner;
  }
}
