import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CollaborationRecord, MessageRecord } from "../../src/domain/index.js";
import { emptyWriteSet, type Store, type WriteSet } from "../../src/store/index.js";
import type { StoreFactory, StoreHarness } from "./store-contract.js";

const T0 = 1_700_000_000_000;

function writes(parts: Partial<WriteSet>): WriteSet {
  return { ...emptyWriteSet(), ...parts };
}

function makeMessage(seq: number, overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id: `msg_${seq}`,
    seq,
    type: "notification",
    sender: "backend-1",
    to: { kind: "agent", agentId: "qa-1" },
    recipients: ["qa-1"],
    subject: `subject ${seq}`,
    body: { n: seq, nested: { list: [1, "two", null, true] } },
    taskId: null,
    projectId: null,
    replyTo: null,
    correlationId: null,
    createdAt: T0 + seq,
    expiresAt: T0 + seq + 60_000,
    ...overrides,
  };
}

function makeCollaboration(n: number, taskId: string): CollaborationRecord {
  return {
    id: `collab_${n}`,
    taskId,
    requester: "backend-1",
    collaborator: "database-1",
    capabilities: ["postgresql"],
    subject: "schema review",
    context: { tables: ["users"] },
    declined: [{ agentId: "database-2", reason: "at capacity" }],
    createdAt: T0 + n,
  };
}

/** What every Store must do for the message hub. */
export function defineMessageStoreContract(name: string, factory: StoreFactory): void {
  describe(`Message store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      harness = await factory();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    it("returns every field of a message exactly as written, by id and in seq order", async () => {
      const rich = makeMessage(2, {
        type: "response",
        to: null,
        recipients: ["backend-1"],
        taskId: "task_9",
        projectId: "proj_1",
        replyTo: "msg_1",
        correlationId: "msg_1",
        body: "just text",
      });
      const broadcast = makeMessage(3, {
        type: "broadcast",
        to: { kind: "everyone" },
        recipients: ["a", "b", "c"],
        body: null,
      });
      await store.commit(writes({ messages: [makeMessage(1), rich] }));
      await store.commit(writes({ messages: [broadcast] }));
      expect(await store.getMessage("msg_2")).toEqual(rich);
      expect(await store.getMessage("msg_nope")).toBeNull();
      expect(await store.messagesAfter(0, 10)).toEqual([makeMessage(1), rich, broadcast]);
      expect(await store.messagesAfter(1, 1)).toEqual([rich]);
      expect(await store.maxMessageSeq()).toBe(3);
    });

    it("lists messages by task, project, correlation id and recipient, in pages", async () => {
      const messages = Array.from({ length: 9 }, (_, i) =>
        makeMessage(i + 1, {
          taskId: i % 3 === 0 ? "task_a" : null,
          projectId: i % 2 === 0 ? "proj_x" : null,
          correlationId: i === 4 ? "msg_1" : null,
          recipients: i % 2 === 0 ? ["qa-1", "qa-2"] : ["backend-1"],
        }),
      );
      await store.commit(writes({ messages }));
      const seqs = async (query: Parameters<Store["listMessages"]>[0]) =>
        (await store.listMessages(query)).messages.map((m) => m.seq);
      expect(await seqs({ taskId: "task_a", limit: 50 })).toEqual([1, 4, 7]);
      expect(await seqs({ projectId: "proj_x", limit: 50 })).toEqual([1, 3, 5, 7, 9]);
      expect(await seqs({ correlationId: "msg_1", limit: 50 })).toEqual([5]);
      expect(await seqs({ recipient: "qa-2", limit: 50 })).toEqual([1, 3, 5, 7, 9]);
      expect(await seqs({ recipient: "qa", limit: 50 })).toEqual([]);
      expect(await seqs({ projectId: "proj_x", taskId: "task_a", limit: 50 })).toEqual([1, 7]);
      const first = await store.listMessages({ projectId: "proj_x", limit: 2 });
      expect(first.messages.map((m) => m.seq)).toEqual([1, 3]);
      expect(first.nextAfterSeq).toBe(3);
      const last = await store.listMessages({ projectId: "proj_x", limit: 2, afterSeq: 7 });
      expect(last.messages.map((m) => m.seq)).toEqual([9]);
      expect(last.nextAfterSeq).toBeNull();
    });

    it("keeps mailbox cursors moving forward only, and records expired deliveries once", async () => {
      await store.commit(
        writes({
          mailboxCursors: [
            { recipient: "qa-1", ackedSeq: 5, updatedAt: T0 },
            { recipient: "backend-1", ackedSeq: 2, updatedAt: T0 },
          ],
        }),
      );
      await store.commit(
        writes({ mailboxCursors: [{ recipient: "qa-1", ackedSeq: 3, updatedAt: T0 + 1 }] }),
      );
      await store.commit(
        writes({ mailboxCursors: [{ recipient: "backend-1", ackedSeq: 9, updatedAt: T0 + 2 }] }),
      );
      const cursors = await store.mailboxCursors();
      expect(cursors.map((c) => [c.recipient, c.ackedSeq])).toEqual([
        ["backend-1", 9],
        ["qa-1", 5],
      ]);
      const drop = { recipient: "qa-1", messageSeq: 4, reason: "expired", at: T0 };
      await store.commit(writes({ messageDrops: [drop] }));
      await store.commit(writes({ messageDrops: [{ ...drop, at: T0 + 5 }] }));
      expect(await store.messageDrops("qa-1")).toEqual([drop]);
      expect(await store.messageDrops("backend-1")).toEqual([]);
    });

    it("stores collaborations per task in order, and keeps all of it across a reopen", async () => {
      const a = makeCollaboration(1, "task_1");
      const b = makeCollaboration(2, "task_1");
      const c = makeCollaboration(3, "task_2");
      await store.commit(writes({ collaborations: [a, c], messages: [makeMessage(1)] }));
      await store.commit(writes({ collaborations: [b] }));
      store = await harness.reopen();
      expect(await store.collaborations("task_1")).toEqual([a, b]);
      expect(await store.collaborations("task_3")).toEqual([]);
      expect(await store.getMessage("msg_1")).toEqual(makeMessage(1));
    });

    it("refuses a second message with the same seq, writing nothing of that commit", async () => {
      await store.commit(writes({ messages: [makeMessage(1)] }));
      await expect(
        store.commit(
          writes({
            messages: [makeMessage(2), makeMessage(1, { subject: "again" })],
          }),
        ),
      ).rejects.toThrow();
      expect(await store.maxMessageSeq()).toBe(1);
      expect((await store.getMessage("msg_1"))?.subject).toBe("subject 1");
    });
  });
}
