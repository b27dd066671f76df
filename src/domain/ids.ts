import { randomFillSync, randomUUID } from "node:crypto";

/** Random bytes drawn from a pool refilled 4 KiB at a time: one system call per 256 ids. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomBytes16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return bytes;
}

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made later sort
 * later, so the store's indexes on them grow at one end instead of being written at random
 * pages, and listings by id read in creation order.
 */
export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes16();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new task id. */
export function newTaskId(): string {
  return `task_${uuidv7()}`;
}

export function newProjectId(): string {
  return `proj_${uuidv7()}`;
}

/** A new knowledge entry id. */
export function newKnowledgeId(): string {
  return `kn_${uuidv7()}`;
}

export function newAgentId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** An unguessable lease token. */
export function newLeaseToken(): string {
  return randomUUID();
}

/**
 * A message's id: its seq, which is unique in its store and already indexed (the rowid), so a
 * message costs no second index and no random bytes.
 */
export function messageIdOf(seq: number): string {
  return `msg_${seq}`;
}

/** The seq in a message id, or null when `id` is not one. */
export function messageSeqOf(id: string): number | null {
  const match = /^msg_([1-9]\d{0,15})$/.exec(id);
  return match === null ? null : Number(match[1]);
}

export function newCollaborationId(): string {
  return `collab_${uuidv7()}`;
}
