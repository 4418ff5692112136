import Type from "typebox";

// `$id` names a schema in the OpenAPI document: `components.schemas.User`, used through `$ref`, as
// FastAPI names its pydantic models.

/** What `/users/me/` shows: FastAPI's `User` response model (the password hash is never in it). */
export const UserSchema = Type.Object({
  username: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  full_name: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Union([Type.Boolean(), Type.Null()]),
}, { $id: "User" });

/** The `/token` answer: the guide's `Token`, plus the granted `scope` and `expires_in` (RFC 6749 section 5.1). */
export const TokenSchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.String(),
  scope: Type.String(),
  expires_in: Type.Integer(),
}, { $id: "Token" });

export const ItemListSchema = Type.Array(Type.Object({ item_id: Type.String(), owner: Type.String() }));

export const StatusSchema = Type.Object({ status: Type.String() });
