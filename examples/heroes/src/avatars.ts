import { RequestValidationError, type UploadFile } from "@depends/core";
import type { Queryable } from "./db/database.js";

/** The content types an avatar may have, as `File({ accept })` takes them. */
export const AVATAR_TYPES = ["image/png", "image/jpeg"] as const;
/** The largest avatar, in bytes (1 MiB): above it, `File({ maxSize })` answers 413. */
export const AVATAR_MAX_SIZE = 1024 * 1024;

export type AvatarType = (typeof AVATAR_TYPES)[number];

/** A stored avatar. */
export interface Avatar {
  readonly contentType: string;
  readonly bytes: Buffer;
}

// The signatures each format's files begin with.
const MAGIC: Readonly<Record<AvatarType, Buffer>> = {
  "image/png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  "image/jpeg": Buffer.from([0xff, 0xd8, 0xff]),
};

/**
 * The upload's bytes, once they are what its content type says (the source already checked the
 * type is PNG or JPEG): a text file sent as `image/png` is a 422 naming the field.
 */
export async function avatarBytes(file: UploadFile): Promise<Buffer> {
  const bytes = await file.buffer();
  const magic = MAGIC[file.contentType as AvatarType];
  if (magic === undefined || bytes.length < magic.length || !bytes.subarray(0, magic.length).equals(magic)) {
    throw new RequestValidationError([
      {
        type: "value_error",
        loc: ["body", "file"],
        msg: `Value error, the file's content is not ${file.contentType === "image/jpeg" ? "a JPEG" : "a PNG"} image (its first bytes do not match ${file.contentType})`,
        input: file.filename,
        ctx: { error: {} },
      },
    ]);
  }
  return bytes;
}

/** Stores (or replaces) a hero's avatar; `db` is the request's transaction. */
export async function saveAvatar(db: Queryable, heroId: number, contentType: string, bytes: Buffer): Promise<void> {
  await db.query(
    `INSERT INTO hero_avatars (hero_id, content_type, bytes) VALUES ($1, $2, $3)
     ON CONFLICT (hero_id) DO UPDATE SET content_type = EXCLUDED.content_type, bytes = EXCLUDED.bytes, updated_at = clock_timestamp()`,
    [heroId, contentType, bytes],
  );
}

/** A hero's avatar, or undefined when it has none. */
export async function findAvatar(db: Queryable, heroId: number): Promise<Avatar | undefined> {
  const { rows } = await db.query<{ content_type: string; bytes: Uint8Array }>("SELECT content_type, bytes FROM hero_avatars WHERE hero_id = $1", [heroId]);
  const row = rows[0];
  if (row === undefined) return undefined;
  // pg gives a Buffer, PGlite a Uint8Array: the same bytes, without a copy.
  return { contentType: row.content_type, bytes: Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) };
}
