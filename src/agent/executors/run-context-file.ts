import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecutionContext } from "./executor.js";

/** A JSON file describing a run, for programs that cannot ask the agent themselves. */
export interface RunContextFile {
  path: string;
  /** Environment variables that point a command at its context. */
  env: Record<string, string>;
  remove(): Promise<void>;
}

/**
 * Writes the run's context (the task, the attempt, the messages received about the task, the
 * knowledge about the task and its project) to
 * a private temporary file. The command finds it through MCP_CONTEXT_FILE.
 */
export async function writeRunContextFile(run: ExecutionContext): Promise<RunContextFile> {
  const dir = await mkdtemp(join(tmpdir(), "mcp-run-"));
  const path = join(dir, "context.json");
  const knowledge = await run.knowledge();
  const context = {
    task: {
      id: run.task.id,
      title: run.task.title,
      description: run.task.description,
      type: run.task.type,
      priority: run.task.priority,
      project_id: run.task.projectId,
      required_capabilities: run.task.requiredCapabilities,
      metadata: run.task.metadata,
    },
    attempt: run.attempt,
    messages: run.messages().map((m) => ({
      id: m.id,
      seq: m.seq,
      type: m.type,
      sender: m.sender,
      subject: m.subject,
      body: m.body,
      created_at: new Date(m.createdAt).toISOString(),
    })),
    knowledge: knowledge.map((k) => ({
      id: k.id,
      version: k.version,
      title: k.title,
      content: k.content,
      tags: k.tags,
      scope: k.scope,
      scope_id: k.scopeId,
      author: k.author,
      updated_at: new Date(k.updatedAt).toISOString(),
    })),
  };
  await writeFile(path, `${JSON.stringify(context, null, 2)}\n`, { mode: 0o600 });
  return {
    path,
    env: {
      MCP_CONTEXT_FILE: path,
      MCP_TASK_ID: run.task.id,
      MCP_TASK_ATTEMPT: String(run.attempt),
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
