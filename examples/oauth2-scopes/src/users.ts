/** A user as the API shows it: never with a password hash. */
export interface User {
  readonly username: string;
  readonly email: string | null;
  readonly full_name: string | null;
  readonly disabled: boolean;
}

/** A stored user: the public fields, the password hash, and the scopes the user may be granted. */
export interface UserInDB extends User {
  readonly hashed_password: string;
  readonly scopes: readonly string[];
}

/** Where users come from: a database answers with a promise, an in-memory store may answer at once. */
export interface UserStore {
  get(username: string): UserInDB | undefined | Promise<UserInDB | undefined>;
}

/** The guide's two users, with the guide's argon2id hashes (of "secret" and "secretalice"). */
export const GUIDE_USERS: readonly UserInDB[] = [
  {
    username: "johndoe",
    full_name: "John Doe",
    email: "johndoe@example.com",
    hashed_password: "$argon2id$v=19$m=65536,t=3,p=4$wagCPXjifgvUFBzq4hqe3w$CYaIb8sB+wtD+Vu/P4uod1+Qof8h+1g7bbDlBID48Rc",
    disabled: false,
    scopes: ["me", "items"],
  },
  {
    username: "alice",
    full_name: "Alice Chains",
    email: "alicechains@example.com",
    hashed_password: "$argon2id$v=19$m=65536,t=3,p=4$g2/AV1zwopqUntPKJavBFw$BwpRGDCyUHLvHICnwijyX8ROGoiUPwNKZ7915MeYfCE",
    disabled: true,
    scopes: ["me", "items"],
  },
];

/** An in-memory {@link UserStore}. */
export class MemoryUserStore implements UserStore {
  readonly #users: ReadonlyMap<string, UserInDB>;

  constructor(users: readonly UserInDB[] = GUIDE_USERS) {
    this.#users = new Map(users.map((u) => [u.username, u]));
  }

  get(username: string): UserInDB | undefined {
    return this.#users.get(username);
  }
}

/** The public view of a stored user. */
export function publicUser(user: UserInDB): User {
  return { username: user.username, email: user.email, full_name: user.full_name, disabled: user.disabled };
}
