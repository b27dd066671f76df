import type { AgentJson } from "../../src/gateway/schemas/agent-schemas.js";
import type { TaskJson } from "../../src/gateway/schemas/task-schemas.js";
import type { LeaseJson } from "../../src/gateway/schemas/worker-schemas.js";
import type { RestClient } from "./rest-client.js";

/** What a worker did: its id and the tasks it completed, in order. */
export interface WorkerReport {
  agentId: string;
  completed: string[];
}

/**
 * An external worker of one agent type over REST, doing free-form work as a person or
 * script would: register, claim (long poll), report progress, complete with its lease token.
 * It loops until `stop` is aborted, and throws on any answer other than the expected ones.
 */
export class RestWorker {
  private constructor(
    private readonly api: RestClient,
    readonly agentId: string,
    readonly type: string,
  ) {}

  static async register(api: RestClient, type: string): Promise<RestWorker> {
    const { agent } = await api.expect<{ agent: AgentJson }>(201, "POST", "/api/v1/workers", {
      name: `e2e ${type} worker`,
      type,
    });
    return new RestWorker(api, agent.id, type);
  }

  /** Claims and completes tasks until `stop` is aborted. */
  async run(stop: AbortSignal): Promise<WorkerReport> {
    const completed: string[] = [];
    while (!stop.aborted) {
      const claim = await this.api.request<{ task: TaskJson; lease: LeaseJson }>(
        "POST",
        `/api/v1/workers/${this.agentId}/claim`,
        { wait_ms: 300 },
      );
      if (claim.status === 204) continue;
      if (claim.status !== 200)
        throw new Error(
          `${this.agentId}: claim answered ${claim.status}: ${JSON.stringify(claim.json)}`,
        );
      const { task, lease } = claim.json;
      const path = `/api/v1/tasks/${task.id}`;
      await this.api.expect(200, "POST", `${path}/progress`, {
        lease_token: lease.token,
        percent: 50,
        message: `${this.type}: halfway`,
      });
      await this.api.expect(200, "POST", `${path}/complete`, {
        lease_token: lease.token,
        output: { done_by: this.agentId, title: task.title },
      });
      completed.push(task.id);
    }
    return { agentId: this.agentId, completed };
  }
}
