import {
  AppError,
  fieldPath,
  KNOWLEDGE_LIMITS,
  type KnowledgeEntryRecord,
  type KnowledgePublishSpec,
  type KnowledgeScope,
  type KnowledgeSearchSpec,
  type KnowledgeUpdateSpec,
  type KnowledgeVersionRecord,
  newKnowledgeId,
  requireText,
  validateKnowledgePublish,
  validateKnowledgeSearch,
  validateKnowledgeUpdate,
} from "../domain/index.js";
import type { KnowledgeHit } from "../store/index.js";
import type { CoordinatorState } from "./coordinator-state.js";

/**
 * Told about every version once it is durable: `isNew` for a first version (a publish), false
 * for an update. Called in commit order; the record is shared, so a listener must not change
 * it. A listener that throws is logged and does not affect the others.
 */
export type KnowledgePublishedListener = (entry: KnowledgeEntryRecord, isNew: boolean) => void;

/**
 * The shared knowledge base: publish entries, update them (every version is kept), read and
 * search them. Writes are staged in the group commit and acknowledged once durable. Updates
 * of one entry run one at a time, so that each reads the version it replaces and the store
 * never sees two versions with one number.
 */
export class KnowledgeBase {
  readonly #listeners = new Set<KnowledgePublishedListener>();
  /** Per entry with a write in progress: the end of its chain of writes. */
  readonly #writing = new Map<string, Promise<void>>();

  constructor(private readonly state: CoordinatorState) {}

  /** Calls `listener` for every version made durable from now on; returns the way to stop. */
  onPublished(listener: KnowledgePublishedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Publishes version 1 of a new entry about an existing project or task (or globally). */
  async publish(spec: KnowledgePublishSpec, field = ""): Promise<KnowledgeEntryRecord> {
    const valid = validateKnowledgePublish(spec, field);
    await this.#checkSubjectExists(valid.scope, valid.scopeId, fieldPath(field, "scope_id"));
    const now = Date.now();
    const entry: KnowledgeEntryRecord = {
      id: newKnowledgeId(),
      version: 1,
      title: valid.title,
      content: valid.content,
      tags: valid.tags,
      scope: valid.scope,
      scopeId: valid.scopeId,
      author: valid.author,
      createdAt: now,
      updatedAt: now,
    };
    await this.#write(entry, true);
    return entry;
  }

  /**
   * Writes the next version of an entry: title, content and tags replace the current ones.
   * With an expected version, a different current version is refused (failed_precondition,
   * naming it), so that a change made against an old version is not silently lost.
   */
  async update(spec: KnowledgeUpdateSpec, field = ""): Promise<KnowledgeEntryRecord> {
    const valid = validateKnowledgeUpdate(spec, field);
    return this.#oneAtATime(valid.id, async () => {
      const current = await this.get(valid.id, fieldPath(field, "id"));
      const expected = valid.expectedVersion;
      if (expected !== null && expected !== current.version) {
        throw new AppError(
          "failed_precondition",
          `knowledge entry ${current.id} is at version ${current.version}, not ${expected}: ` +
            `read it again and apply the change to version ${current.version}`,
          {
            field: fieldPath(field, "expected_version"),
            id: current.id,
            expected_version: expected,
            current_version: current.version,
          },
        );
      }
      const entry: KnowledgeEntryRecord = {
        ...current,
        version: current.version + 1,
        title: valid.title,
        content: valid.content,
        tags: valid.tags,
        author: valid.author,
        updatedAt: Math.max(Date.now(), current.updatedAt),
      };
      await this.#write(entry, false);
      return entry;
    });
  }

  /** The entry's current version; not_found when there is none. */
  async get(id: string, field = "id"): Promise<KnowledgeEntryRecord> {
    requireText(id, field, KNOWLEDGE_LIMITS.idLength);
    await this.state.committer.durable();
    const entry = await this.state.store.getKnowledge(id);
    if (entry === null) throw AppError.notFound("knowledge entry", id, { field });
    return entry;
  }

  /** The newest entries about a task and about its project (a run's context). */
  async forTask(taskId: string, limit: number): Promise<KnowledgeEntryRecord[]> {
    const task = this.state.tasks.get(taskId) ?? (await this.state.store.getTask(taskId));
    if (task === null) throw AppError.notFound("task", taskId, { field: "task_id" });
    await this.state.committer.durable();
    return this.state.store.knowledgeForTask(task.id, task.projectId, limit);
  }

  /** Every version of the entry, oldest first; not_found when there is no such entry. */
  async versions(id: string, field = "id"): Promise<KnowledgeVersionRecord[]> {
    requireText(id, field, KNOWLEDGE_LIMITS.idLength);
    await this.state.committer.durable();
    const versions = await this.state.store.listKnowledgeVersions(id);
    if (versions.length === 0) throw AppError.notFound("knowledge entry", id, { field });
    return versions;
  }

  /** Current entries matching the search, best first. */
  async search(spec: KnowledgeSearchSpec, field = ""): Promise<KnowledgeHit[]> {
    const valid = validateKnowledgeSearch(spec, field);
    await this.state.committer.durable();
    return this.state.store.searchKnowledge({
      text: valid.query,
      tags: valid.tags,
      scope: valid.scope ?? undefined,
      scopeId: valid.scopeId ?? undefined,
      limit: valid.limit,
    });
  }

  /** Stages the version, tells the listeners once it is durable, and waits for that. */
  async #write(entry: KnowledgeEntryRecord, isNew: boolean): Promise<void> {
    const { committer, logger } = this.state;
    committer.stageKnowledge(entry);
    committer.afterCommit(() => {
      logger.info(
        { knowledge_id: entry.id, version: entry.version, author: entry.author },
        isNew ? "knowledge published" : "knowledge updated",
      );
      for (const listener of this.#listeners) {
        try {
          listener(entry, isNew);
        } catch (error) {
          logger.error(
            { err: AppError.from(error).message, knowledge_id: entry.id },
            "a knowledge listener failed",
          );
        }
      }
    });
    await committer.durable();
  }

  /** Runs `work` after every earlier write of the same entry has finished (or failed). */
  async #oneAtATime<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#writing.get(id) ?? Promise.resolve();
    const run = previous.then(work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#writing.set(id, tail);
    try {
      return await run;
    } finally {
      if (this.#writing.get(id) === tail) this.#writing.delete(id);
    }
  }

  /** not_found (naming `field`) unless the project or task a scope names exists. */
  async #checkSubjectExists(
    scope: KnowledgeScope,
    scopeId: string | null,
    field: string,
  ): Promise<void> {
    if (scope === "global" || scopeId === null) return;
    const { state } = this;
    if (scope === "task") {
      if (state.tasks.has(scopeId) || state.recentTerminalStatus(scopeId) !== undefined) return;
      await state.committer.durable();
      if ((await state.store.getTask(scopeId)) === null)
        throw AppError.notFound("task", scopeId, { field });
      return;
    }
    await state.committer.durable();
    if ((await state.store.getProject(scopeId)) === null)
      throw AppError.notFound("project", scopeId, { field });
  }
}
