/**
 * An error of the token or revocation endpoint in RFC 6749 section 5.2's shape
 * (`{"error", "error_description"}`, status 400), which FastAPI's `{"detail"}` is not.
 */
export class OAuthError extends Error {
  override readonly name = "OAuthError";
  readonly error: "invalid_request" | "invalid_grant" | "unsupported_grant_type";
  readonly description: string;

  constructor(error: OAuthError["error"], description: string) {
    super(`${error}: ${description}`);
    this.error = error;
    this.description = description;
  }

  get body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
