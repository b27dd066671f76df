import type { ClientReadableStream } from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { agentOptionsFromConfig, startAgent } from "../../src/agent/index.js";
import { AgentServiceClient, AgentState } from "../../src/gen/mcp/v1/agent.js";
import {
  type Message,
  type MessageSpec,
  MessageHubServiceClient,
  MessageType,
  type Recipient,
} from "../../src/gen/mcp/v1/hub.js";
import { type Event, EventServiceClient, EventTopic } from "../../src/gen/mcp/v1/events.js";
import { KnowledgeScope, KnowledgeServiceClient } from "../../src/gen/mcp/v1/knowledge.js";
import { AgentType, TaskStatus } from "../../src/gen/mcp/v1/task.js";
import type { RunningComponent } from "../../src/lifecycle/index.js";
import {
  CLIENT_OPTIONS,
  insecure,
  type PromiseClient,
  promiseClient,
} from "../../src/rpc/index.js";
import { eventually, silentLogger } from "../agent/run-context.js";
import {
  type CoordinatorHarness,
  startCoordinatorHarness,
} from "../helpers/coordinator-harness.js";
import { expectCode } from "../helpers/expect-code.js";
import { command, freeform } from "../helpers/wire-builders.js";

function spec(to: Recipient | undefined, extra: Partial<MessageSpec> = {}): MessageSpec {
  return {
    type: MessageType.MESSAGE_TYPE_NOTIFICATION,
    sender: "tester",
    to,
    subject: "hello",
    bodyJson: JSON.stringify({ n: 1 }),
    taskId: "",
    projectId: "",
    replyTo: "",
    correlationId: "",
    ttlMs: 0,
    ...extra,
  };
}

const toAgent = (agentId: string): Recipient => ({ target: { $case: "agentId", value: agentId } });

describe("message hub", () => {
  let harness: CoordinatorHarness;
  let hub: PromiseClient<MessageHubServiceClient>;
  let rawHub: MessageHubServiceClient;
  const agents = new Map<string, { running: RunningComponent; port: number }>();
  const closers: Array<() => void> = [];

  async function agent(id: string, type: "backend" | "qa" | "database", extra = {}) {
    const options = agentOptionsFromConfig(harness.config, type, {
      id,
      port: 0,
      shutdownGraceMs: 2_000,
      killGraceMs: 200,
      ...extra,
    });
    const running = await startAgent(options, silentLogger);
    agents.set(id, { running, port: running.port });
    const online = await eventually(async () => {
      const { agent: info } = await harness.client.getAgent({ id }).catch(() => ({ agent: null }));
      return info?.state === AgentState.AGENT_STATE_ONLINE;
    }, 10_000);
    expect(online).toBe(true);
    return running;
  }

  async function stopAgent(id: string): Promise<void> {
    await agents.get(id)?.running.close();
    agents.delete(id);
  }

  async function received(id: string): Promise<Message[]> {
    const port = agents.get(id)?.port;
    if (port === undefined) throw new Error(`no agent ${id}`);
    const raw = new AgentServiceClient(`127.0.0.1:${port}`, insecure(), CLIENT_OPTIONS);
    closers.push(() => raw.close());
    return (await promiseClient(raw, 5_000).listReceivedMessages({ limit: 200 })).messages;
  }

  async function receivedEventually(id: string, count: number): Promise<Message[]> {
    let last: Message[] = [];
    await eventually(async () => {
      last = await received(id);
      return last.length >= count;
    }, 10_000);
    return last;
  }

  async function worker(agentId: string, type: AgentType, capabilities: string[] = []) {
    await harness.client.registerWorker({
      name: agentId,
      type,
      capabilities,
      executors: [],
      maxConcurrency: 2,
      agentId,
    });
  }

  beforeEach(async () => {
    harness = await startCoordinatorHarness();
    rawHub = new MessageHubServiceClient(harness.address, insecure(), CLIENT_OPTIONS);
    hub = promiseClient(rawHub, 15_000);
  });

  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    for (const id of [...agents.keys()]) await stopAgent(id);
    rawHub.close();
    await harness.close();
  });

  it("delivers direct, type-routed, whole-type, project and broadcast messages", async () => {
    await agent("backend-1", "backend");
    await agent("backend-2", "backend");
    await agent("qa-1", "qa");
    await worker("manager-w", AgentType.AGENT_TYPE_MANAGER);

    const direct = await hub.sendMessage({ message: spec(toAgent("qa-1"), { subject: "direct" }) });
    expect(direct.message?.recipients).toEqual(["qa-1"]);

    const any = await hub.sendMessage({
      message: spec(
        { target: { $case: "anyOfType", value: AgentType.AGENT_TYPE_BACKEND } },
        { subject: "any" },
      ),
    });
    expect(any.message?.recipients).toHaveLength(1);
    expect(["backend-1", "backend-2"]).toContain(any.message?.recipients[0]);

    const all = await hub.sendMessage({
      message: spec(
        { target: { $case: "allOfType", value: AgentType.AGENT_TYPE_BACKEND } },
        { subject: "all" },
      ),
    });
    expect(all.message?.recipients).toEqual(["backend-1", "backend-2"]);

    const broadcast = await hub.sendMessage({
      message: spec(undefined, { type: MessageType.MESSAGE_TYPE_BROADCAST, subject: "everyone" }),
    });
    expect(broadcast.message?.recipients).toEqual(["backend-1", "backend-2", "manager-w", "qa-1"]);

    // A project's agents: the worker claims the project's first (planning) task.
    const { project } = await harness.client.createProject({
      project: {
        name: "Shop",
        description: "a web shop",
        requirements: "",
        techStack: {},
        priority: 0,
        template: "",
        metadataJson: "",
      },
      idempotencyKey: "",
    });
    const claim = await harness.client.claimTask({ agentId: "manager-w", waitMs: 5_000 });
    expect(claim.task?.projectId).toBe(project?.id);
    const toProject = await hub.sendMessage({
      message: spec({ target: { $case: "projectId", value: project!.id } }, { subject: "project" }),
    });
    expect(toProject.message?.recipients).toEqual(["manager-w"]);

    const qa = await receivedEventually("qa-1", 2);
    expect(qa.map((m) => m.subject)).toEqual(["direct", "everyone"]);
    const backendSubjects = [
      ...(await receivedEventually("backend-1", 2)),
      ...(await receivedEventually("backend-2", 2)),
    ].map((m) => m.subject);
    expect(backendSubjects.filter((s) => s === "any")).toHaveLength(1);
    expect(backendSubjects.filter((s) => s === "all")).toHaveLength(2);
    expect(backendSubjects.filter((s) => s === "everyone")).toHaveLength(2);
    const mailbox = await hub.getMailbox({ agentId: "manager-w", limit: 0 });
    expect(mailbox.messages.map((m) => m.subject)).toEqual(["everyone", "project"]);
    const lastSeq = mailbox.messages.at(-1)!.seq;
    expect((await hub.ackMessages({ agentId: "manager-w", upToSeq: lastSeq })).ackedSeq).toBe(
      lastSeq,
    );
    expect((await hub.getMailbox({ agentId: "manager-w", limit: 0 })).pending).toBe(0);
    const byProject = await hub.listMessages({
      taskId: "",
      projectId: "",
      correlationId: "",
      recipient: "manager-w",
      pageSize: 0,
      pageToken: "",
    });
    expect(byProject.messages.map((m) => m.subject)).toEqual(["everyone", "project"]);
  });

  it("refuses unknown recipients and bad messages clearly, storing nothing", async () => {
    await agent("qa-1", "qa");
    const unknown = await expectCode(
      hub.sendMessage({ message: spec(toAgent("ghost")) }),
      "not_found",
    );
    expect(unknown.message).toContain("ghost");
    await expectCode(
      hub.sendMessage({
        message: spec({ target: { $case: "allOfType", value: AgentType.AGENT_TYPE_DEVOPS } }),
      }),
      "not_found",
    );
    await expectCode(
      hub.sendMessage({ message: spec(toAgent("qa-1"), { sender: " " }) }),
      "invalid_argument",
    );
    await expectCode(
      hub.sendMessage({ message: spec(toAgent("qa-1"), { bodyJson: "{not json" }) }),
      "invalid_argument",
    );
    await expectCode(
      hub.sendMessage({
        message: spec(toAgent("qa-1"), { bodyJson: JSON.stringify("x".repeat(70_000)) }),
      }),
      "payload_too_large",
    );
    await expectCode(
      hub.sendMessage({
        message: spec(toAgent("qa-1"), {
          type: MessageType.MESSAGE_TYPE_RESPONSE,
          correlationId: "msg_nope",
        }),
      }),
      "not_found",
    );
    await expectCode(
      hub.sendMessage({ message: spec(toAgent("qa-1"), { taskId: "task_nope" }) }),
      "not_found",
    );
    const mailbox = await hub.getMailbox({ agentId: "qa-1", limit: 0 });
    expect(mailbox.messages).toEqual([]);
    expect(await received("qa-1")).toEqual([]);
  });

  it("keeps an offline agent's mail and delivers it in order, once, when it reconnects, even across a coordinator restart", async () => {
    await agent("qa-2", "qa");
    await stopAgent("qa-2");
    const sent: number[] = [];
    for (let i = 0; i < 15; i++) {
      const { message } = await hub.sendMessage({
        message: spec(toAgent("qa-2"), { subject: `m${i}` }),
      });
      sent.push(message!.seq);
    }
    await harness.restart();
    for (let i = 15; i < 20; i++) {
      const { message } = await hub.sendMessage({
        message: spec(toAgent("qa-2"), { subject: `m${i}` }),
      });
      sent.push(message!.seq);
    }
    await agent("qa-2", "qa");
    const got = await receivedEventually("qa-2", 20);
    expect(got.map((m) => m.subject)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(got.map((m) => m.seq)).toEqual(sent);
    await eventually(
      async () => (await hub.getMailbox({ agentId: "qa-2", limit: 0 })).pending === 0,
    );
    expect((await hub.getMailbox({ agentId: "qa-2", limit: 0 })).ackedSeq).toBe(sent.at(-1));
    // Reconnecting again delivers nothing twice.
    await stopAgent("qa-2");
    await agent("qa-2", "qa");
    await new Promise((r) => setTimeout(r, 300));
    expect(await received("qa-2")).toEqual([]);
  });

  it("answers a request by correlation id, and times out one nobody answers", async () => {
    await agent("backend-1", "backend");
    await worker("silent-w", AgentType.AGENT_TYPE_DATABASE);
    const answered = await hub.request({
      message: spec(toAgent("backend-1"), {
        type: MessageType.MESSAGE_TYPE_REQUEST,
        subject: "status",
      }),
    });
    expect(answered.response?.correlationId).toBe(answered.request?.id);
    expect(answered.response?.sender).toBe("backend-1");
    expect(JSON.parse(answered.response!.bodyJson)).toMatchObject({
      agent_id: "backend-1",
      type: "backend",
    });

    const timeout = await expectCode(
      hub.request({
        message: spec(toAgent("silent-w"), { type: MessageType.MESSAGE_TYPE_REQUEST, ttlMs: 300 }),
      }),
      "deadline_exceeded",
    );
    expect(timeout.message).toMatch(/no response to request msg_\S+ within 300 ms/);
    const [request] = (await hub.getMailbox({ agentId: "silent-w", limit: 0 })).messages;
    // Too late now: the requester stopped waiting.
    const late = await expectCode(
      hub.sendMessage({
        message: spec(undefined, {
          type: MessageType.MESSAGE_TYPE_RESPONSE,
          sender: "silent-w",
          correlationId: request!.id,
        }),
      }),
      "failed_precondition",
    );
    expect(late.message).toContain("expired");
  });

  it("finds a collaborator: declined by one, accepted by the next; no candidate is a clear error", async () => {
    await agent("backend-1", "backend");
    await agent("qa-1", "qa");
    // A worker that can test too, and declines everything it is asked.
    await worker("a-tester", AgentType.AGENT_TYPE_QA, ["testing"]);
    const subscription: ClientReadableStream<Message> = rawHub.subscribe({ agentId: "a-tester" });
    closers.push(() => subscription.cancel());
    subscription.on("error", () => undefined);
    subscription.on("data", (message: Message) => {
      if (message.type !== MessageType.MESSAGE_TYPE_COLLABORATE) return;
      void hub.sendMessage({
        message: spec(undefined, {
          type: MessageType.MESSAGE_TYPE_RESPONSE,
          sender: "a-tester",
          correlationId: message.id,
          bodyJson: JSON.stringify({ accepted: false, reason: "busy with a release" }),
        }),
      });
    });

    const { tasks } = await harness.client.createTasks({
      tasks: [
        command("long build", [process.execPath, "-e", "setTimeout(() => {}, 8000)"], {
          type: AgentType.AGENT_TYPE_BACKEND,
        }),
      ],
      idempotencyKey: "",
    });
    const taskId = tasks[0]!.id;
    await eventually(async () => {
      const { task } = await harness.client.getTask({ id: taskId });
      return task?.status === TaskStatus.TASK_STATUS_IN_PROGRESS;
    }, 10_000);

    const { collaboration } = await hub.requestCollaboration({
      taskId,
      requester: "backend-1",
      capabilities: ["Testing"],
      subject: "review the build",
      contextJson: JSON.stringify({ branch: "main" }),
      answerTimeoutMs: 3_000,
    });
    expect(collaboration?.collaborator).toBe("qa-1");
    expect(collaboration?.declined).toEqual([
      { agentId: "a-tester", reason: "busy with a release" },
    ]);
    expect(JSON.parse(collaboration!.contextJson)).toEqual({ branch: "main" });
    const { collaborations } = await hub.listCollaborations({ taskId });
    expect(collaborations.map((c) => c.id)).toEqual([collaboration!.id]);
    const { history } = await harness.client.getTask({ id: taskId });
    expect(history.some((e) => e.actor === "qa-1" && e.reason.includes("collaboration"))).toBe(
      true,
    );

    const none = await expectCode(
      hub.requestCollaboration({
        taskId,
        requester: "backend-1",
        capabilities: ["quantum_computing"],
        subject: "",
        contextJson: "",
        answerTimeoutMs: 0,
      }),
      "failed_precondition",
    );
    expect(none.message).toContain("quantum_computing");
    await expectCode(
      hub.requestCollaboration({
        taskId,
        requester: "qa-1",
        capabilities: ["testing"],
        subject: "",
        contextJson: "",
        answerTimeoutMs: 0,
      }),
      "failed_precondition",
    );
  });

  it("drops what expires before delivery, with a record", async () => {
    await worker("away-w", AgentType.AGENT_TYPE_DATABASE);
    const { message } = await hub.sendMessage({ message: spec(toAgent("away-w"), { ttlMs: 100 }) });
    const dropped = await eventually(
      async () => (await hub.getMailbox({ agentId: "away-w", limit: 0 })).dropped.length === 1,
      5_000,
    );
    expect(dropped).toBe(true);
    const mailbox = await hub.getMailbox({ agentId: "away-w", limit: 0 });
    expect(mailbox.pending).toBe(0);
    expect(mailbox.dropped[0]?.messageSeq).toBe(message!.seq);
    expect(mailbox.dropped[0]?.reason).toContain("expired");
  });

  it("a stuck subscriber fills only its own window; everyone else gets every message", async () => {
    await agent("backend-1", "backend");
    await agent("qa-1", "qa");
    await worker("stuck-w", AgentType.AGENT_TYPE_DATABASE);
    const stuck: Message[] = [];
    const subscription = rawHub.subscribe({ agentId: "stuck-w" });
    closers.push(() => subscription.cancel());
    subscription.on("error", () => undefined);
    subscription.on("data", (m: Message) => stuck.push(m));
    const total = 700;
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        hub.sendMessage({
          message: spec(undefined, {
            type: MessageType.MESSAGE_TYPE_BROADCAST,
            sender: `sender-${i % 7}`,
            subject: `b${i}`,
          }),
        }),
      ),
    );
    const all = async (id: string) => {
      const port = agents.get(id)!.port;
      const raw = new AgentServiceClient(`127.0.0.1:${port}`, insecure(), CLIENT_OPTIONS);
      closers.push(() => raw.close());
      const status = promiseClient(raw, 5_000);
      return eventually(
        async () => (await status.getStatus({})).messagesReceived === total,
        15_000,
      );
    };
    expect(await all("backend-1")).toBe(true);
    expect(await all("qa-1")).toBe(true);
    // The stuck worker never acknowledged: it got one window's worth, the rest waits for it.
    await eventually(() => stuck.length === 512, 5_000);
    expect(stuck).toHaveLength(512);
    const mailbox = await hub.getMailbox({ agentId: "stuck-w", limit: 1 });
    expect(mailbox.pending).toBe(total);
    // Acknowledging half lets the next ones through, in order.
    await hub.ackMessages({ agentId: "stuck-w", upToSeq: stuck[255]!.seq });
    await eventually(() => stuck.length === total, 5_000);
    const seqs = stuck.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
  it("notifies knowledge subscribers, and gives a command its task's messages and knowledge", async () => {
    await agent("backend-1", "backend");
    await agent("qa-1", "qa");
    await worker("manager-w", AgentType.AGENT_TYPE_MANAGER);
    const rawKnowledge = new KnowledgeServiceClient(harness.address, insecure(), CLIENT_OPTIONS);
    closers.push(() => rawKnowledge.close());
    const knowledge = promiseClient(rawKnowledge, 10_000);

    const subscription = await knowledge.setSubscription({
      agentId: "qa-1",
      tags: ["Payments", "refunds"],
    });
    expect(subscription.tags).toEqual(["payments", "refunds"]);
    await expectCode(knowledge.setSubscription({ agentId: "ghost", tags: ["x"] }), "not_found");
    const publish = (
      title: string,
      tags: string[],
      scope = KnowledgeScope.KNOWLEDGE_SCOPE_GLOBAL,
      scopeId = "",
    ) =>
      knowledge.publish({
        title,
        content: `${title}: details`,
        tags,
        scope,
        scopeId,
        author: "alice",
      });
    const { entry: stripe } = await publish("Stripe retries", ["payments", "stripe"]);
    await publish("Search ranking", ["search"]);
    const notified = await receivedEventually("qa-1", 1);
    expect(notified).toHaveLength(1);
    expect(notified[0]?.subject).toBe("knowledge published: Stripe retries");
    expect(JSON.parse(notified[0]!.bodyJson)).toMatchObject({
      knowledge_id: stripe?.id,
      matched_tags: ["payments"],
      author: "alice",
    });

    // A command task gated on a free-form task, so that its context exists before it runs.
    const printContext =
      "process.stdout.write(require('fs').readFileSync(process.env.MCP_CONTEXT_FILE, 'utf8'))";
    const { tasks } = await harness.client.createTasks({
      tasks: [
        freeform("Approve", { type: AgentType.AGENT_TYPE_MANAGER, ref: "gate" }),
        command("Print context", [process.execPath, "-e", printContext], {
          type: AgentType.AGENT_TYPE_BACKEND,
          dependencies: ["gate"],
        }),
      ],
      idempotencyKey: "",
    });
    const commandId = tasks[1]!.id;
    await hub.sendMessage({
      message: spec(toAgent("backend-1"), { subject: "use the sandbox", taskId: commandId }),
    });
    await publish("Sandbox keys", ["payments"], KnowledgeScope.KNOWLEDGE_SCOPE_TASK, commandId);
    await receivedEventually("backend-1", 1);
    const gate = await harness.client.claimTask({ agentId: "manager-w", waitMs: 5_000 });
    await harness.client.completeTask({
      taskId: gate.task!.id,
      leaseToken: gate.lease!.token,
      outputJson: "",
    });
    await eventually(async () => {
      const { task } = await harness.client.getTask({ id: commandId });
      return task?.status === TaskStatus.TASK_STATUS_COMPLETED;
    }, 15_000);
    const { task } = await harness.client.getTask({ id: commandId });
    const output = JSON.parse(task!.result!.outputJson) as { stdout: string };
    const context = JSON.parse(output.stdout) as {
      task: { id: string };
      messages: Array<{ subject: string }>;
      knowledge: Array<{ title: string; scope: string }>;
    };
    expect(context.task.id).toBe(commandId);
    expect(context.messages.map((m) => m.subject)).toEqual(["use the sandbox"]);
    expect(context.knowledge.map((k) => [k.title, k.scope])).toEqual([["Sandbox keys", "task"]]);
  });
  it("publishes live events for messages, drops and knowledge", async () => {
    await worker("events-w", AgentType.AGENT_TYPE_QA);
    const rawEvents = new EventServiceClient(harness.address, insecure(), CLIENT_OPTIONS);
    closers.push(() => rawEvents.close());
    const seen: Event[] = [];
    const watch = rawEvents.watch({
      topics: [EventTopic.EVENT_TOPIC_MESSAGE, EventTopic.EVENT_TOPIC_KNOWLEDGE],
      projectId: "",
      taskId: "",
      agentId: "",
    });
    closers.push(() => watch.cancel());
    watch.on("error", () => undefined);
    watch.on("data", (e: Event) => seen.push(e));
    await eventually(() => seen.some((e) => e.type === "subscribed"), 5_000);
    const { message } = await hub.sendMessage({
      message: spec(toAgent("events-w"), { subject: "watched", ttlMs: 100 }),
    });
    const rawKnowledge = new KnowledgeServiceClient(harness.address, insecure(), CLIENT_OPTIONS);
    closers.push(() => rawKnowledge.close());
    await promiseClient(rawKnowledge, 5_000).publish({
      title: "Watched entry",
      content: "x",
      tags: [],
      scope: KnowledgeScope.KNOWLEDGE_SCOPE_GLOBAL,
      scopeId: "",
      author: "bob",
    });
    const types = () => seen.map((e) => e.type);
    expect(
      await eventually(
        () =>
          ["message.notification", "knowledge.published", "message.dropped"].every((t) =>
            types().includes(t),
          ),
        5_000,
      ),
      types().join(", "),
    ).toBe(true);
    const sent = seen.find((e) => e.type === "message.notification")!;
    expect(JSON.parse(sent.dataJson)).toMatchObject({
      id: message?.id,
      recipients: ["events-w"],
      subject: "watched",
    });
    expect(seen.find((e) => e.type === "message.dropped")?.agentId).toBe("events-w");
  });
});
