export { COORDINATOR_SERVICE, type CoordinatorExtras, startCoordinator } from "./coordinator.js";
export { detectTemplate, planProject, type ProjectPlan } from "./planner/index.js";
