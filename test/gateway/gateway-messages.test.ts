import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../agent/run-context.js";
import {
  type HttpResult,
  type OpenApiDocument,
  ResponseChecker,
  TestSystem,
} from "./gateway-harness.js";

interface MessageJson {
  id: string;
  seq: number;
  type: string;
  sender: string;
  recipients: string[];
  subject: string;
  body: unknown;
  correlation_id: string | null;
}

interface MailboxJson {
  messages: MessageJson[];
  acked_seq: number;
  pending: number;
}

/** The hub's REST routes against a real coordinator, with external workers as recipients. */
describe("gateway: messages, mailboxes, requests, collaborations", () => {
  let system: TestSystem;
  let checker: ResponseChecker;

  beforeAll(async () => {
    system = await TestSystem.start();
    checker = new ResponseChecker(
      (await system.request("GET", "/openapi.json")).json as OpenApiDocument,
    );
    for (const [agent_id, type, capabilities] of [
      ["alice-w", "backend", ["api_design"]],
      ["bob-w", "qa", ["testing"]],
    ] as const) {
      const res = await system.request("POST", "/api/v1/workers", {
        body: { name: agent_id, agent_id, type, capabilities },
      });
      expect(res.status, res.text).toBe(201);
    }
  });

  afterAll(async () => {
    await system?.close();
  });

  async function call(
    method: string,
    route: string,
    url: string,
    body?: unknown,
  ): Promise<HttpResult> {
    const res = await system.request(method, url, body === undefined ? {} : { body });
    expect(checker.errors(method, route, res.status, res.json), res.text).toEqual([]);
    return res;
  }

  const mailbox = async (agent: string) =>
    (await call("GET", "/api/v1/agents/{agent_id}/mailbox", `/api/v1/agents/${agent}/mailbox`))
      .json as MailboxJson;

  it("sends a message to a worker's mailbox, which it reads and acknowledges", async () => {
    const sent = await call("POST", "/api/v1/messages", "/api/v1/messages", {
      sender: "ops",
      to: { agent_id: "bob-w" },
      subject: "deploy window",
      body: { from: "22:00", to: "23:00" },
    });
    expect(sent.status, sent.text).toBe(201);
    const message = sent.json as MessageJson;
    expect(message).toMatchObject({
      type: "notification",
      sender: "ops",
      recipients: ["bob-w"],
      body: { from: "22:00", to: "23:00" },
    });
    const box = await mailbox("bob-w");
    expect(box.messages.map((m) => m.id)).toContain(message.id);
    const ack = await call(
      "POST",
      "/api/v1/agents/{agent_id}/mailbox/ack",
      "/api/v1/agents/bob-w/mailbox/ack",
      { up_to_seq: message.seq },
    );
    expect(ack.json).toEqual({ acked_seq: message.seq });
    expect((await mailbox("bob-w")).pending).toBe(0);
    const listed = await call("GET", "/api/v1/messages", "/api/v1/messages?recipient=bob-w");
    expect((listed.json as { messages: MessageJson[] }).messages.map((m) => m.id)).toContain(
      message.id,
    );
  });

  it("refuses bad messages with errors that name what is wrong", async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ sender: "ops", to: { agent_id: "nobody" } }, 404, "nobody"],
      [{ sender: "ops", to: { agent_id: "bob-w", everyone: true } }, 400, "to"],
      [{ sender: "ops", to: { agent_id: "bob-w" }, colour: "red" }, 400, "colour"],
      [{ sender: "ops", to: { all_of_type: "wizard" } }, 400, "all_of_type"],
      [{ to: { agent_id: "bob-w" } }, 400, "sender"],
      [{ sender: "ops", to: { agent_id: "bob-w" }, body: "x".repeat(70_000) }, 413, "body"],
      [{ sender: "ops", type: "response", correlation_id: "msg_missing" }, 404, "msg_missing"],
    ];
    for (const [body, status, mentions] of cases) {
      const res = await call("POST", "/api/v1/messages", "/api/v1/messages", body);
      expect(res.status, res.text).toBe(status);
      expect(res.text).toContain(mentions);
    }
    const noFilter = await call("GET", "/api/v1/messages", "/api/v1/messages");
    expect(noFilter.status).toBe(400);
    const badAck = await call(
      "POST",
      "/api/v1/agents/{agent_id}/mailbox/ack",
      "/api/v1/agents/bob-w/mailbox/ack",
      { up_to_seq: 10_000_000 },
    );
    expect(badAck.status).toBe(400);
    expect(badAck.text).toContain("up_to_seq");
  });

  it("waits for a response to a request, and answers 504 when none comes in time", async () => {
    const pending = call("POST", "/api/v1/messages/requests", "/api/v1/messages/requests", {
      sender: "ops",
      to: { agent_id: "alice-w" },
      subject: "eta",
      ttl_ms: 10_000,
    });
    let request: MessageJson | undefined;
    await eventually(async () => {
      request = (await mailbox("alice-w")).messages.find((m) => m.subject === "eta");
      return request !== undefined;
    }, 5_000);
    expect(request?.type).toBe("request");
    const answer = await call("POST", "/api/v1/messages", "/api/v1/messages", {
      type: "response",
      sender: "alice-w",
      correlation_id: request!.id,
      body: { eta_minutes: 15 },
    });
    expect(answer.status, answer.text).toBe(201);
    expect((answer.json as MessageJson).recipients).toEqual([]);
    const reply = await pending;
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json).toMatchObject({
      request: { id: request!.id },
      response: { correlation_id: request!.id, body: { eta_minutes: 15 } },
    });

    const timeout = await call("POST", "/api/v1/messages/requests", "/api/v1/messages/requests", {
      sender: "ops",
      to: { agent_id: "alice-w" },
      subject: "never answered",
      ttl_ms: 300,
    });
    expect(timeout.status, timeout.text).toBe(504);
    expect(timeout.text).toContain("no response to request");
  });

  it("finds a collaborator for a held task, and says clearly when nobody can help", async () => {
    const created = await call("POST", "/api/v1/tasks", "/api/v1/tasks", {
      title: "Design the orders API",
      type: "backend",
    });
    const taskId = (created.json as { id: string }).id;
    const claim = await system.request("POST", "/api/v1/workers/alice-w/claim", {
      body: { wait_ms: 5_000 },
    });
    expect(claim.status, claim.text).toBe(200);

    const asking = call(
      "POST",
      "/api/v1/tasks/{id}/collaborations",
      `/api/v1/tasks/${taskId}/collaborations`,
      {
        requester: "alice-w",
        capabilities: ["testing"],
        subject: "test plan for orders",
        context: { endpoints: ["/orders"] },
        answer_timeout_ms: 10_000,
      },
    );
    let ask: MessageJson | undefined;
    await eventually(async () => {
      ask = (await mailbox("bob-w")).messages.find((m) => m.type === "collaborate");
      return ask !== undefined;
    }, 5_000);
    expect(ask?.body).toMatchObject({ task_id: taskId, requester: "alice-w" });
    await call("POST", "/api/v1/messages", "/api/v1/messages", {
      type: "response",
      sender: "bob-w",
      correlation_id: ask!.id,
      body: { accepted: true, reason: "on it" },
    });
    const accepted = await asking;
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.json).toMatchObject({
      task_id: taskId,
      requester: "alice-w",
      collaborator: "bob-w",
      capabilities: ["testing"],
      context: { endpoints: ["/orders"] },
      declined: [],
    });
    const listed = await call(
      "GET",
      "/api/v1/tasks/{id}/collaborations",
      `/api/v1/tasks/${taskId}/collaborations`,
    );
    expect((listed.json as { collaborations: unknown[] }).collaborations).toHaveLength(1);

    const nobody = await call(
      "POST",
      "/api/v1/tasks/{id}/collaborations",
      `/api/v1/tasks/${taskId}/collaborations`,
      { requester: "alice-w", capabilities: ["quantum_computing"] },
    );
    expect(nobody.status, nobody.text).toBe(409);
    expect(nobody.text).toContain("quantum_computing");
  });

  it("documents every hub route in the OpenAPI document", async () => {
    const document = (await system.request("GET", "/openapi.json")).json as OpenApiDocument;
    for (const path of [
      "/api/v1/messages",
      "/api/v1/messages/requests",
      "/api/v1/agents/{agent_id}/mailbox",
      "/api/v1/agents/{agent_id}/mailbox/ack",
      "/api/v1/tasks/{id}/collaborations",
    ]) {
      expect(document.paths[path], path).toBeDefined();
    }
  });
});
