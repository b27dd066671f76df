import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenApiDocument, ResponseChecker, TestSystem } from "./gateway-harness.js";

interface Lease {
  task_id: string;
  attempt: number;
  token: string;
  expires_at: string;
}

/** An external worker doing free-form work over REST, against a real coordinator. */
describe("external workers", () => {
  let system: TestSystem;
  let checker: ResponseChecker;

  beforeAll(async () => {
    system = await TestSystem.start();
    checker = new ResponseChecker(
      (await system.request("GET", "/openapi.json")).json as OpenApiDocument,
    );
  });

  afterAll(async () => {
    await system?.close();
  });

  async function call(method: string, path: string, route: string, body?: unknown) {
    const res = await system.request(method, path, { body });
    if (res.status !== 204)
      expect(checker.errors(method, route, res.status, res.json), `${method} ${path}`).toEqual([]);
    return res;
  }

  const errorCode = (json: unknown) => (json as { error: { code: string } }).error.code;

  it("registers, claims, reports progress, completes; a wrong lease token is refused", async () => {
    const registered = await call("POST", "/api/v1/workers", "/api/v1/workers", {
      name: "Ada",
      type: "database",
      capabilities: ["postgresql"],
    });
    expect(registered.status).toBe(201);
    const { agent, lease_ttl_ms } = registered.json as {
      agent: { id: string; executors: string[]; max_concurrency: number; transport: string };
      lease_ttl_ms: number;
    };
    expect(agent).toMatchObject({ executors: ["freeform"], max_concurrency: 1, transport: "pull" });
    expect(lease_ttl_ms).toBeGreaterThan(0);

    const empty = await call(
      "POST",
      `/api/v1/workers/${agent.id}/claim`,
      "/api/v1/workers/{agent_id}/claim",
    );
    expect(empty.status).toBe(204);
    expect(empty.text).toBe("");

    const created = await call("POST", "/api/v1/tasks", "/api/v1/tasks", {
      title: "Write the migration",
      type: "database",
    });
    const taskId = (created.json as { id: string }).id;

    const claimed = await call(
      "POST",
      `/api/v1/workers/${agent.id}/claim`,
      "/api/v1/workers/{agent_id}/claim",
      { wait_ms: 2_000 },
    );
    expect(claimed.status).toBe(200);
    const { task, lease } = claimed.json as {
      task: { id: string; status: string; agent_id: string };
      lease: Lease;
    };
    expect(task).toMatchObject({ id: taskId, status: "assigned", agent_id: agent.id });
    expect(lease).toMatchObject({ task_id: taskId, attempt: 1 });

    const holder = (await call("GET", `/api/v1/agents/${agent.id}`, "/api/v1/agents/{id}"))
      .json as { active_tasks: number; active_task_ids: string[] };
    expect(holder).toMatchObject({ active_tasks: 1, active_task_ids: [taskId] });
    const held = (await call("GET", `/api/v1/tasks?agent_id=${agent.id}`, "/api/v1/tasks"))
      .json as { tasks: Array<{ id: string }>; total: number };
    expect(held.tasks.map((t) => t.id)).toEqual([taskId]);
    expect(held.total).toBe(1);

    const beat = await call(
      "POST",
      `/api/v1/workers/${agent.id}/heartbeat`,
      "/api/v1/workers/{agent_id}/heartbeat",
    );
    expect(beat.status).toBe(200);
    expect((beat.json as { leases: Lease[] }).leases.map((l) => l.task_id)).toEqual([taskId]);

    const progress = await call(
      "POST",
      `/api/v1/tasks/${taskId}/progress`,
      "/api/v1/tasks/{id}/progress",
      {
        lease_token: lease.token,
        percent: 40,
        message: "tables done",
      },
    );
    expect(progress.status).toBe(200);
    expect((progress.json as { lease: Lease }).lease.task_id).toBe(taskId);
    const during = (await call("GET", `/api/v1/tasks/${taskId}`, "/api/v1/tasks/{id}")).json as {
      status: string;
      progress: { percent: number; message: string };
    };
    expect(["assigned", "in_progress"]).toContain(during.status);
    expect(during.progress).toMatchObject({ percent: 40, message: "tables done" });

    const forged = await call(
      "POST",
      `/api/v1/tasks/${taskId}/complete`,
      "/api/v1/tasks/{id}/complete",
      {
        lease_token: "not-the-token",
        output: { rows: 1 },
      },
    );
    expect(forged.status).toBe(409);
    expect(errorCode(forged.json)).toBe("failed_precondition");

    const done = await call(
      "POST",
      `/api/v1/tasks/${taskId}/complete`,
      "/api/v1/tasks/{id}/complete",
      {
        lease_token: lease.token,
        output: { migration: "0001_init.sql", tables: ["users", "orders"] },
      },
    );
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({
      id: taskId,
      status: "completed",
      result: { output: { migration: "0001_init.sql", tables: ["users", "orders"] }, error: null },
    });

    // Recorded once: a second completion with the same (now spent) lease is refused.
    const again = await call(
      "POST",
      `/api/v1/tasks/${taskId}/complete`,
      "/api/v1/tasks/{id}/complete",
      { lease_token: lease.token },
    );
    expect(again.status).toBe(409);

    const history = (
      (await call("GET", `/api/v1/tasks/${taskId}`, "/api/v1/tasks/{id}")).json as {
        history: Array<{ to: string }>;
      }
    ).history.map((h) => h.to);
    expect(history.filter((s) => s === "completed")).toHaveLength(1);

    const left = await call("DELETE", `/api/v1/workers/${agent.id}`, "/api/v1/workers/{agent_id}");
    expect(left.status).toBe(200);
    expect(left.json).toEqual({ released_task_ids: [] });
  });

  it("fails an attempt: retryable goes back to pending, not retryable fails the task", async () => {
    const worker = (
      await call("POST", "/api/v1/workers", "/api/v1/workers", { name: "Grace", type: "qa" })
    ).json as { agent: { id: string } };
    const created = (
      await call("POST", "/api/v1/tasks", "/api/v1/tasks", {
        title: "Flaky check",
        type: "qa",
        max_attempts: 3,
      })
    ).json as { id: string };

    const first = (
      await call(
        "POST",
        `/api/v1/workers/${worker.agent.id}/claim`,
        "/api/v1/workers/{agent_id}/claim",
        { wait_ms: 2_000 },
      )
    ).json as { lease: Lease };
    const retry = await call(
      "POST",
      `/api/v1/tasks/${created.id}/fail`,
      "/api/v1/tasks/{id}/fail",
      {
        lease_token: first.lease.token,
        message: "network blip",
        code: "unavailable",
      },
    );
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ id: created.id, status: "pending", failed_attempts: 1 });

    // The retry may be delayed by backoff; wait for it within the long poll.
    const second = await call(
      "POST",
      `/api/v1/workers/${worker.agent.id}/claim`,
      "/api/v1/workers/{agent_id}/claim",
      { wait_ms: 10_000 },
    );
    expect(second.status).toBe(200);
    const lease = (second.json as { lease: Lease }).lease;
    expect(lease.attempt).toBe(2);

    // The first attempt's token is stale now.
    const stale = await call(
      "POST",
      `/api/v1/tasks/${created.id}/progress`,
      "/api/v1/tasks/{id}/progress",
      {
        lease_token: first.lease.token,
        percent: 10,
      },
    );
    expect(stale.status).toBe(409);
    expect(errorCode(stale.json)).toBe("failed_precondition");

    const failed = await call(
      "POST",
      `/api/v1/tasks/${created.id}/fail`,
      "/api/v1/tasks/{id}/fail",
      {
        lease_token: lease.token,
        message: "the check is wrong",
        code: "invalid_argument",
        retryable: false,
      },
    );
    expect(failed.status).toBe(200);
    expect(failed.json).toMatchObject({
      status: "failed",
      result: {
        error: { code: "invalid_argument", message: "the check is wrong", retryable: false },
      },
    });
  });

  it("hands back a deregistered worker's tasks", async () => {
    const worker = (
      await call("POST", "/api/v1/workers", "/api/v1/workers", {
        name: "Linus",
        type: "devops",
        agent_id: "linus-1",
      })
    ).json as {
      agent: { id: string };
    };
    expect(worker.agent.id).toBe("linus-1");
    const created = (
      await call("POST", "/api/v1/tasks", "/api/v1/tasks", {
        title: "Rotate the keys",
        type: "devops",
      })
    ).json as { id: string };
    const claimed = await call(
      "POST",
      "/api/v1/workers/linus-1/claim",
      "/api/v1/workers/{agent_id}/claim",
      { wait_ms: 2_000 },
    );
    expect(claimed.status).toBe(200);

    const left = await call("DELETE", "/api/v1/workers/linus-1", "/api/v1/workers/{agent_id}");
    expect(left.json).toEqual({ released_task_ids: [created.id] });
    const task = (await call("GET", `/api/v1/tasks/${created.id}`, "/api/v1/tasks/{id}")).json as {
      status: string;
    };
    expect(task.status).toBe("pending");

    const unknown = await call(
      "POST",
      "/api/v1/workers/nobody/claim",
      "/api/v1/workers/{agent_id}/claim",
    );
    expect(unknown.status).toBe(404);
  });
});

describe("a claim whose client hangs up", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start();
  });

  afterAll(async () => {
    await system?.close();
  });

  it("is withdrawn, so the next task goes to a claim that is still listening", async () => {
    const worker = (
      await system.request("POST", "/api/v1/workers", {
        body: { name: "Impatient", type: "frontend" },
      })
    ).json as {
      agent: { id: string };
    };
    const claimUrl = `${system.gateway.url}/api/v1/workers/${worker.agent.id}/claim`;

    const hangUp = new AbortController();
    const abandoned = fetch(claimUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ wait_ms: 20_000 }),
      signal: hangUp.signal,
    }).catch((error: unknown) => error);
    // Hang up once the gateway is waiting on the coordinator for this claim.
    await until(() =>
      system.gateway
        .logs()
        .some((l) => l.msg === "incoming request" && String(l.url).endsWith("/claim")),
    );
    hangUp.abort();
    await abandoned;
    await until(() => system.gateway.logs().some((l) => l.code === "cancelled"));

    // With max_concurrency 1, a claim the coordinator still held would take this task and
    // leave the live claim below empty-handed.
    const created = (
      await system.request("POST", "/api/v1/tasks", {
        body: { title: "Style the cart", type: "frontend" },
      })
    ).json as {
      id: string;
    };
    const live = await system.request("POST", `/api/v1/workers/${worker.agent.id}/claim`, {
      body: { wait_ms: 5_000 },
    });
    expect(live.status).toBe(200);
    expect((live.json as { task: { id: string } }).task.id).toBe(created.id);
  });
});

describe("closing the gateway during a claim", () => {
  it("ends the long poll with 503 instead of holding the gateway open", async () => {
    const system = await TestSystem.start();
    try {
      const worker = (
        await system.request("POST", "/api/v1/workers", {
          body: { name: "Night shift", type: "qa" },
        })
      ).json as {
        agent: { id: string };
      };
      const claim = system.request("POST", `/api/v1/workers/${worker.agent.id}/claim`, {
        body: { wait_ms: 30_000 },
      });
      await until(() =>
        system.gateway
          .logs()
          .some((l) => l.msg === "incoming request" && String(l.url).endsWith("/claim")),
      );
      const closing = system.gateway.close();
      const res = await claim;
      await closing;
      // Left alone, the claim would have answered 204 after 30 s.
      expect(res.status).toBe(503);
      expect((res.json as { error: { code: string } }).error.code).toBe("unavailable");
    } finally {
      await system.close();
    }
  });
});

/** Waits for `condition`, checking every 20 ms, failing after 10 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error("condition not met within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
