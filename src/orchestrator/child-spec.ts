import type { Config } from "../config/index.js";
import type { AgentType } from "../domain/index.js";

/** The kinds of process the orchestrator runs, as `mcp-dist run` names them. */
export type ComponentKind = "coordinator" | "integration" | "agent" | "gateway";

/** One process the orchestrator runs. */
export interface ChildSpec {
  /** Process name in logs and status, e.g. "coordinator" or "agent-backend". */
  name: string;
  component: ComponentKind;
  /** Arguments after `mcp-dist run`. */
  args: string[];
  /** How readiness and liveness are checked: grpc.health.v1, or HTTP GET /health. */
  health: "grpc" | "http";
  /** The port this child is configured to listen on (0: any). */
  portIn(config: Config): number;
  /** `config` with this child's port set to `port`. */
  withPort(config: Config, port: number): Config;
}

function agentSpec(type: AgentType): ChildSpec {
  return {
    name: `agent-${type}`,
    component: "agent",
    args: ["agent", "--type", type],
    health: "grpc",
    portIn: (config) => config.ports.agents[type],
    withPort: (config, port) => ({
      ...config,
      ports: { ...config.ports, agents: { ...config.ports.agents, [type]: port } },
    }),
  };
}

/**
 * Every child of a full system, in start groups: each group starts together once the group
 * before it is healthy, and groups stop in reverse order. Agents need the coordinator and the
 * integration service; the gateway fronts everything, so it opens last and closes first.
 */
export function planChildren(config: Config): ChildSpec[][] {
  const coordinator: ChildSpec = {
    name: "coordinator",
    component: "coordinator",
    args: ["coordinator"],
    health: "grpc",
    portIn: (c) => c.ports.coordinator,
    withPort: (c, port) => ({ ...c, ports: { ...c.ports, coordinator: port } }),
  };
  const integration: ChildSpec = {
    name: "integration",
    component: "integration",
    args: ["integration"],
    health: "grpc",
    portIn: (c) => c.ports.integration,
    withPort: (c, port) => ({ ...c, ports: { ...c.ports, integration: port } }),
  };
  const gateway: ChildSpec = {
    name: "gateway",
    component: "gateway",
    args: ["gateway"],
    health: "http",
    portIn: (c) => c.ports.gateway,
    withPort: (c, port) => ({ ...c, ports: { ...c.ports, gateway: port } }),
  };
  // The integration service starts before the agents, which dial it (its port may be 0).
  return [[coordinator, integration], config.agents.enabled.map(agentSpec), [gateway]];
}

/**
 * Stop groups: the reverse of the start groups, with agents before anything else of their
 * group and the coordinator after everything else, so the integration service outlives the
 * agents that use it and the coordinator hears from everyone to the end.
 */
export function stopOrder(groups: readonly (readonly ChildSpec[])[]): ChildSpec[][] {
  const out: ChildSpec[][] = [];
  const coordinator: ChildSpec[] = [];
  for (const group of [...groups].reverse()) {
    const agents = group.filter((s) => s.component === "agent");
    const others = group.filter((s) => s.component !== "agent" && s.component !== "coordinator");
    coordinator.push(...group.filter((s) => s.component === "coordinator"));
    if (agents.length > 0) out.push(agents);
    if (others.length > 0) out.push(others);
  }
  if (coordinator.length > 0) out.push(coordinator);
  return out;
}

/** `host:port` to dial a server bound to `host` (a wildcard bind is dialled on loopback). */
export function dialAddress(host: string, port: number): string {
  const target = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return target.includes(":") ? `[${target}]:${port}` : `${target}:${port}`;
}
