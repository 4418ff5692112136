// FastAPI's "OAuth2 scopes" guide, as the HTTP benchmark's servers and checks need it.

/** The guide's SECRET_KEY; HS256 keys are the UTF-8 bytes of this string (as PyJWT uses it). */
export const SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";

export const ITEMS_PATH = "/users/me/items/";

/** What `GET /users/me/items/` answers johndoe. */
export const ITEMS_BODY = JSON.stringify([{ item_id: "Foo", owner: "johndoe" }]);

/** The example's `ItemListSchema` as plain JSON Schema: the same serializer on every server. */
export const ITEM_LIST_RESPONSE = {
  200: {
    type: "array",
    items: { type: "object", properties: { item_id: { type: "string" }, owner: { type: "string" } }, required: ["item_id", "owner"] },
  },
};

/** The guide's users, as the hand-written servers store them (hashes left out: no login there). */
export const USERS = [
  { username: "johndoe", full_name: "John Doe", email: "johndoe@example.com", disabled: false, scopes: ["me", "items"] },
  { username: "alice", full_name: "Alice Chains", email: "alicechains@example.com", disabled: true, scopes: ["me", "items"] },
];
