import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isJsonObject } from "../domain/index.js";

/** What a running orchestrator tells other commands (`mcp-dist status`) about itself. */
export interface OrchestratorStateInfo {
  pid: number;
  /** host:port of its OrchestratorService. */
  controlAddress: string;
  /** Base URL of the gateway; empty when the gateway is not running. */
  gatewayUrl: string;
  /** ISO time it started. */
  startedAt: string;
  /** False while the children are still being started the first time. */
  ready: boolean;
}

/** Where the running orchestrator's state file lives in a data folder. */
export function stateFilePath(dataDir: string): string {
  return join(dataDir, "orchestrator.json");
}

/** Writes the file atomically (temp file then rename), so a reader never sees half of it. */
export async function writeStateFile(dataDir: string, info: OrchestratorStateInfo): Promise<void> {
  const path = stateFilePath(dataDir);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(info, null, 2)}\n`);
  await rename(temp, path);
}

/** The state file's content; undefined when there is none or it is not ours to read. */
export async function readStateFile(dataDir: string): Promise<OrchestratorStateInfo | undefined> {
  let text: string;
  try {
    text = await readFile(stateFilePath(dataDir), "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isJsonObject(parsed)) return undefined;
    const { pid, controlAddress, gatewayUrl, startedAt, ready } = parsed;
    if (typeof pid !== "number" || typeof controlAddress !== "string") return undefined;
    return {
      pid,
      controlAddress,
      gatewayUrl: typeof gatewayUrl === "string" ? gatewayUrl : "",
      startedAt: typeof startedAt === "string" ? startedAt : "",
      ready: ready === true,
    };
  } catch {
    return undefined;
  }
}

/** Removes the file if it still names process `pid` (a newer orchestrator's file is left alone). */
export async function removeStateFile(dataDir: string, pid: number): Promise<void> {
  const current = await readStateFile(dataDir);
  if (current?.pid === pid) await rm(stateFilePath(dataDir), { force: true });
}

/** Whether a process with this pid exists (it may belong to someone else; EPERM means it exists). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
