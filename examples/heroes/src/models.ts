import Type from "typebox";

// PostgreSQL's `integer`: values outside it cannot be stored (age) or cannot exist (an id).
const INT4 = { minimum: -2147483648, maximum: 2147483647 } as const;

/** `HeroCreate`: what a client sends to create a hero (an `id` it sends is ignored). */
export const HeroCreateSchema = Type.Object({
  name: Type.String({ title: "Name" }),
  age: Type.Optional(Type.Union([Type.Integer(INT4), Type.Null()], { title: "Age" })),
  secret_name: Type.String({ title: "Secret Name" }),
});

/** `HeroUpdate`: every field optional; only those sent are changed, a null sent becomes null. */
export const HeroUpdateSchema = Type.Object({
  name: Type.Optional(Type.Union([Type.String(), Type.Null()], { title: "Name" })),
  age: Type.Optional(Type.Union([Type.Integer(INT4), Type.Null()], { title: "Age" })),
  secret_name: Type.Optional(Type.Union([Type.String(), Type.Null()], { title: "Secret Name" })),
});

/** `HeroPublic`: what responses show of a hero (never its `secret_name`). */
export const HeroPublicSchema = Type.Object({
  name: Type.String({ title: "Name" }),
  age: Type.Union([Type.Integer(), Type.Null()], { title: "Age" }),
  id: Type.Integer({ title: "Id" }),
});

export const HeroListSchema = Type.Array(HeroPublicSchema);

export const DeletedSchema = Type.Object({ ok: Type.Boolean() });

/** What `/users/me/` shows (never the password hash). */
export const UserSchema = Type.Object({
  username: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  full_name: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Union([Type.Boolean(), Type.Null()]),
});

/** The `/token` answer (RFC 6749 sections 5.1 and 6). */
export const TokenSchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.String(),
  refresh_token: Type.String(),
  scope: Type.String(),
  expires_in: Type.Integer(),
});

/** One entry of the audit log. */
export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: "date-time" }),
  username: Type.String(),
  action: Type.String(),
  hero_id: Type.Union([Type.Integer(), Type.Null()]),
});

export const AuditListSchema = Type.Array(AuditEntrySchema);
