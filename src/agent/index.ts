export {
  type AgentOptionOverrides,
  type AgentOptions,
  agentOptionsFromConfig,
  DEFAULT_AGENT_EXECUTORS,
  validateAgentOptions,
} from "./agent-options.js";
export {
  BUILT_IN_EXECUTOR_KINDS,
  type BuiltInExecutorSettings,
  type CommandExecutorOptions,
  createCommandExecutor,
  createExecutorRegistry,
  createNoopExecutor,
  createRegistryFrom,
  type ExecutionContext,
  type ExecutionTask,
  type Executor,
  type ExecutorRegistry,
  taskFailure,
} from "./executors/index.js";
export { startAgent } from "./start-agent.js";
export { Agent } from "./agent.js";
