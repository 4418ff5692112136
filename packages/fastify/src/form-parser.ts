import { HTTPException } from "@depends/core";
import { parse } from "fast-querystring";

/** The default bound on the number of fields of an `application/x-www-form-urlencoded` body. */
export const DEFAULT_MAX_FORM_FIELDS = 1000;

/**
 * The urlencoded parser `dependsPlugin` gives @fastify/formbody: it counts the fields before
 * parsing them, so that a body of 100,000 tiny fields (well under the body limit) is refused in
 * microseconds instead of costing a second of CPU. Starlette's message, with status 400.
 */
export function boundedFormParser(maxFields: number): (body: string) => Record<string, unknown> {
  return (body) => {
    let fields = body.length > 0 ? 1 : 0;
    for (let i = body.indexOf("&"); i >= 0; i = body.indexOf("&", i + 1)) {
      if (++fields > maxFields) throw new HTTPException(400, `Too many fields. Maximum number of fields is ${maxFields}.`);
    }
    return parse(body) as Record<string, unknown>;
  };
}
