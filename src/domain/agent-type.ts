/** The seven specialised agent types. */
export const AGENT_TYPES = [
  "manager",
  "frontend",
  "backend",
  "database",
  "devops",
  "integration",
  "qa",
] as const;

export type AgentType = (typeof AGENT_TYPES)[number];

export function isAgentType(value: unknown): value is AgentType {
  return typeof value === "string" && (AGENT_TYPES as readonly string[]).includes(value);
}

/** What each type of agent knows, by default (from the system this one replaces). */
export const DEFAULT_CAPABILITIES: Readonly<Record<AgentType, readonly string[]>> = {
  manager: ["planning", "coordination", "reporting", "risk_assessment"],
  frontend: ["react", "vue", "angular", "typescript", "css", "responsive_design"],
  backend: ["python", "go", "nodejs", "api_design", "microservices"],
  database: ["postgresql", "mysql", "mongodb", "redis", "query_optimization"],
  devops: ["aws", "docker", "kubernetes", "jenkins", "terraform", "monitoring"],
  integration: ["slack", "git", "github", "youtrack", "api_integration", "webhooks"],
  qa: ["testing", "automation", "selenium", "pytest", "quality_assurance"],
};

/** How many tasks an agent of each type runs at once, by default. */
export const DEFAULT_CONCURRENCY: Readonly<Record<AgentType, number>> = {
  manager: 3,
  frontend: 4,
  backend: 5,
  database: 4,
  devops: 3,
  integration: 5,
  qa: 4,
};
