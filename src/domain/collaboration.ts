import type { JsonObject } from "./json.js";

/** A candidate who said no to a collaboration, and why. */
export interface CollaborationDecline {
  agentId: string;
  reason: string;
}

/** An accepted request for help with a task. */
export interface CollaborationRecord {
  id: string;
  taskId: string;
  /** The agent that asked (it held the task). */
  requester: string;
  /** The agent that accepted. */
  collaborator: string;
  capabilities: string[];
  subject: string;
  /** Shared context attached to the task. */
  context: JsonObject;
  /** Candidates asked before the collaborator, in order. */
  declined: CollaborationDecline[];
  createdAt: number;
}
