import {
  actionFromWire,
  agentTypeFromWire,
  parseJsonObjectField,
  priorityFromWire,
} from "../contract/index.js";
import type { Task as WireTask } from "../gen/mcp/v1/task.js";
import type { ExecutionTask } from "./executors/index.js";

/** Decodes an assigned task for an executor; throws an `invalid_argument` AppError on a malformed field. */
export function executionTaskFromWire(task: WireTask): ExecutionTask {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    type: agentTypeFromWire(task.type, "task.type"),
    priority: priorityFromWire(task.priority, "task.priority", "medium"),
    action: actionFromWire(task.action, "task.action"),
    requiredCapabilities: task.requiredCapabilities,
    metadata: parseJsonObjectField(task.metadataJson, "task.metadata_json"),
    projectId: task.projectId === "" ? null : task.projectId,
  };
}
