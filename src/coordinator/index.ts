export {
  COORDINATOR_SERVICE,
  type CoordinatorExtras,
  KNOWLEDGE_SERVICE,
  startCoordinator,
} from "./coordinator.js";
export { KnowledgeBase, type KnowledgePublishedListener } from "./knowledge-base.js";
export {
  detectTemplate,
  planIntegrationsFrom,
  planProject,
  type PlanIntegrations,
  type ProjectPlan,
} from "./planner/index.js";
