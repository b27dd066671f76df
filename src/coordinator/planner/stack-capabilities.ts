import { type AgentType, DEFAULT_CAPABILITIES } from "../../domain/index.js";

/** Words in a tech stack and the capability each one asks for. */
const KEYWORDS: ReadonlyArray<[RegExp, string]> = [
  [/react/, "react"],
  [/\bvue/, "vue"],
  [/angular/, "angular"],
  [/typescript|\bts\b/, "typescript"],
  [/\bcss\b|tailwind|sass|scss/, "css"],
  [/python|fastapi|django|flask/, "python"],
  [/\bgo\b|golang/, "go"],
  [/node|express|nestjs|fastify/, "nodejs"],
  [/microservice/, "microservices"],
  [/postgres/, "postgresql"],
  [/mysql|mariadb/, "mysql"],
  [/mongo/, "mongodb"],
  [/redis/, "redis"],
  [/docker/, "docker"],
  [/kubernetes|\bk8s\b|helm/, "kubernetes"],
  [/\baws\b|lambda|\bs3\b|\bec2\b/, "aws"],
  [/terraform/, "terraform"],
  [/jenkins/, "jenkins"],
  [/prometheus|grafana|monitoring/, "monitoring"],
  [/slack/, "slack"],
  [/github/, "github"],
  [/youtrack/, "youtrack"],
  [/selenium/, "selenium"],
  [/pytest/, "pytest"],
];

/** The stack entries whose key matches `keyPattern`, or every entry when none does. */
export function stackValues(
  techStack: Readonly<Record<string, string>>,
  keyPattern: RegExp,
): string[] {
  const entries = Object.entries(techStack);
  const matching = entries.filter(([key]) => keyPattern.test(key.toLowerCase()));
  return (matching.length > 0 ? matching : entries).map(([, value]) => value);
}

/**
 * The capabilities `texts` ask for that an agent of `type` has by default, plus `base`:
 * a stack word that no agent of the type knows must not make the task unroutable.
 */
export function capabilitiesFor(
  type: AgentType,
  texts: readonly string[],
  base: readonly string[] = [],
): string[] {
  const known = DEFAULT_CAPABILITIES[type];
  const text = texts.join(" ").toLowerCase();
  const found = KEYWORDS.filter(([pattern]) => pattern.test(text)).map(([, cap]) => cap);
  return [...new Set([...base, ...found])].filter((cap) => known.includes(cap));
}

/** "React + TypeScript, Python + FastAPI" from the stack, or "" when empty. */
export function stackSummary(techStack: Readonly<Record<string, string>>): string {
  return Object.entries(techStack)
    .map(([key, value]) => `${key}: ${value}`)
    .join("; ");
}
