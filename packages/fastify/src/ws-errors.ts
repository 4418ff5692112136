import { isInstance, fieldOf } from "./error-fields.js";
import { RequestValidationError, WebSocketException } from "@depends/core";
import { closeReason } from "@depends/core/adapter";
import type { CloseFrame } from "./ws-connection.js";

/** RFC 6455 close codes the adapter sends itself. */
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_INTERNAL_ERROR = 1011;

function isWebSocketException(error: unknown): error is WebSocketException {
  return isInstance(error, WebSocketException) || (isInstance(error, Error) && fieldOf(error, "name") === "WebSocketException" && typeof fieldOf(error, "code") === "number");
}

function isValidationError(error: unknown): error is RequestValidationError {
  return isInstance(error, RequestValidationError) || (isInstance(error, Error) && fieldOf(error, "name") === "RequestValidationError" && Array.isArray(fieldOf(error, "errors")));
}

function isSendable(code: unknown): code is number {
  return typeof code === "number" && Number.isInteger(code) && ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999));
}

/**
 * The close frame for an error that FastAPI answers by closing the connection: a
 * `WebSocketException` (its code and reason) or a validation error (1008 with the error items as
 * JSON, as FastAPI's `websocket_request_validation_exception_handler`, within the 123 bytes a close
 * frame carries). `undefined` for any other error.
 */
export function closeFrameOf(error: unknown): CloseFrame | undefined {
  if (isWebSocketException(error)) {
    const code = fieldOf(error, "code");
    const reason = fieldOf(error, "reason");
    return { code: isSendable(code) ? code : CLOSE_POLICY_VIOLATION, reason: typeof reason === "string" ? closeReason(reason) : "" };
  }
  if (isValidationError(error)) return { code: CLOSE_POLICY_VIOLATION, reason: validationReason(fieldOf(error, "errors") as readonly unknown[]) };
  return undefined;
}

/**
 * FastAPI sends the whole error list as the close reason, which rarely fits the 123 bytes of a
 * close frame. This sends the `type` and `loc` of as many items as fit, in order, as a JSON array
 * that always parses (the full items are logged).
 */
function validationReason(errors: readonly unknown[]): string {
  let reason = "[]";
  const kept: unknown[] = [];
  for (const item of errors) {
    kept.push({ type: fieldOf(item, "type"), loc: fieldOf(item, "loc") });
    let next: string;
    try {
      next = JSON.stringify(kept);
    } catch {
      break;
    }
    if (closeReason(next) !== next) break;
    reason = next;
  }
  return reason;
}
