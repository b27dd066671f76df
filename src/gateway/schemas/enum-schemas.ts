import {
  AGENT_STATES,
  AGENT_TYPES,
  ERROR_CODES,
  EXECUTOR_KINDS,
  KNOWLEDGE_SCOPES,
  PRIORITIES,
  PROJECT_TEMPLATES,
  TASK_STATUSES,
} from "../../domain/index.js";
import { stringEnum } from "./schema-helpers.js";

/** The domain's value lists as JSON Schema enums; the domain is their one source. */
export const TaskStatusSchema = stringEnum(TASK_STATUSES, {
  description: "Where the task is in its lifecycle.",
});
export const PrioritySchema = stringEnum(PRIORITIES, {
  description: "Higher priorities are dispatched first.",
});
export const AgentTypeSchema = stringEnum(AGENT_TYPES, {
  description: "A specialised agent type.",
});
export const AgentStateSchema = stringEnum(AGENT_STATES);
export const ErrorCodeSchema = stringEnum(ERROR_CODES);
export const ExecutorKindSchema = stringEnum(EXECUTOR_KINDS, {
  description: "A kind of work an agent can execute.",
});
export const ProjectTemplateSchema = stringEnum(PROJECT_TEMPLATES, {
  description: "How the project is broken into tasks.",
});
export const KnowledgeScopeSchema = stringEnum(KNOWLEDGE_SCOPES, {
  description:
    "What the entry is about: everything, one project (scope_id) or one task (scope_id).",
});
