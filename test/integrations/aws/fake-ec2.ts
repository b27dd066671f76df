import { randomBytes } from "node:crypto";
import {
  type FailureKind,
  FakeAwsError,
  type FakeAnswer,
  type FakeRequest,
  type FakeService,
} from "./fake-aws-types.js";
import { el, escapeXml } from "./fake-xml.js";

const NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

const STATE_CODES: Readonly<Record<string, number>> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** An instance the fake knows. */
export interface FakeInstance {
  id: string;
  type: string;
  state: string;
  tags: Record<string, string>;
  privateIp: string;
  publicIp?: string;
  launchTime: Date;
  availabilityZone: string;
  imageId: string;
  vpcId: string;
  subnetId: string;
}

function stateXml(name: string, state: string): string {
  return `<${name}><code>${STATE_CODES[state] ?? 0}</code><name>${state}</name></${name}>`;
}

function instanceXml(instance: FakeInstance): string {
  const tags = Object.entries(instance.tags)
    .map(([key, value]) => `<item>${el("key", key)}${el("value", value)}</item>`)
    .join("");
  return [
    "<item>",
    el("instanceId", instance.id),
    el("imageId", instance.imageId),
    stateXml("instanceState", instance.state),
    el("privateDnsName", `ip-${instance.privateIp.replace(/\./g, "-")}.ec2.internal`),
    el("dnsName", instance.publicIp === undefined ? "" : `ec2-${instance.publicIp}.compute.com`),
    el("instanceType", instance.type),
    el("launchTime", instance.launchTime.toISOString()),
    `<placement>${el("availabilityZone", instance.availabilityZone)}<tenancy>default</tenancy></placement>`,
    el("subnetId", instance.subnetId),
    el("vpcId", instance.vpcId),
    el("privateIpAddress", instance.privateIp),
    el("ipAddress", instance.publicIp),
    `<groupSet><item><groupId>sg-0123456789abcdef0</groupId><groupName>default</groupName></item></groupSet>`,
    el("architecture", "x86_64"),
    el("platformDetails", "Linux/UNIX"),
    tags === "" ? "<tagSet/>" : `<tagSet>${tags}</tagSet>`,
    "</item>",
  ].join("");
}

/** Numbered parameters of the EC2 Query API: Prefix.1, Prefix.2, ... */
function numbered(form: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let n = 1; form.has(`${prefix}.${n}`); n++) values.push(form.get(`${prefix}.${n}`) ?? "");
  return values;
}

function filtersOf(form: URLSearchParams): { name: string; values: string[] }[] {
  const filters: { name: string; values: string[] }[] = [];
  for (let n = 1; form.has(`Filter.${n}.Name`); n++) {
    filters.push({
      name: form.get(`Filter.${n}.Name`) ?? "",
      values: numbered(form, `Filter.${n}.Value`),
    });
  }
  return filters;
}

function matches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return regex.test(value);
}

function passes(instance: FakeInstance, filter: { name: string; values: string[] }): boolean {
  const value =
    filter.name === "instance-state-name"
      ? instance.state
      : filter.name === "instance-id"
        ? instance.id
        : filter.name === "instance-type"
          ? instance.type
          : filter.name.startsWith("tag:")
            ? instance.tags[filter.name.slice(4)]
            : undefined;
  if (
    value === undefined &&
    !filter.name.startsWith("tag:") &&
    !["instance-state-name", "instance-id", "instance-type"].includes(filter.name)
  ) {
    throw new FakeAwsError(400, "InvalidParameterValue", `The filter '${filter.name}' is invalid`);
  }
  return filter.values.some((pattern) => matches(pattern, value));
}

/** EC2's Query API (form-encoded POST, XML answers) for instances. */
export class FakeEc2 implements FakeService {
  readonly name = "ec2" as const;
  readonly instances = new Map<string, FakeInstance>();

  /** Adds an instance; returns it. */
  addInstance(fields: Partial<FakeInstance> & { name?: string } = {}): FakeInstance {
    const n = this.instances.size + 1;
    const instance: FakeInstance = {
      id: fields.id ?? `i-${randomBytes(9).toString("hex").slice(0, 17)}`,
      type: fields.type ?? "t3.micro",
      state: fields.state ?? "running",
      tags: { ...(fields.name === undefined ? {} : { Name: fields.name }), ...fields.tags },
      privateIp: fields.privateIp ?? `10.0.0.${n}`,
      launchTime: fields.launchTime ?? new Date("2024-05-01T10:00:00.000Z"),
      availabilityZone: fields.availabilityZone ?? "us-east-1a",
      imageId: fields.imageId ?? "ami-0abcdef1234567890",
      vpcId: fields.vpcId ?? "vpc-0a1b2c3d",
      subnetId: fields.subnetId ?? "subnet-0a1b2c3d",
      ...(fields.publicIp === undefined ? {} : { publicIp: fields.publicIp }),
    };
    this.instances.set(instance.id, instance);
    return instance;
  }

  actionOf(_method: string, _path: string, _query: URLSearchParams, form: URLSearchParams): string {
    return `ec2:${form.get("Action") ?? ""}`;
  }

  handle(request: FakeRequest): FakeAnswer {
    const form = request.form;
    if (form.get("Version") === null) {
      throw new FakeAwsError(
        400,
        "MissingParameter",
        "The request must contain the parameter Version",
      );
    }
    switch (form.get("Action")) {
      case "DescribeInstances":
        return this.describe(form);
      case "StartInstances":
        return this.change(form, "StartInstancesResponse", "pending", "running", ["stopped"]);
      case "StopInstances":
        return this.change(form, "StopInstancesResponse", "stopping", "stopped", ["running"]);
      default:
        throw new FakeAwsError(
          400,
          "InvalidAction",
          `The action ${form.get("Action") ?? ""} is not valid for this web service.`,
        );
    }
  }

  private known(ids: string[]): FakeInstance[] {
    for (const id of ids) {
      if (!/^i-[0-9a-f]{8,17}$/.test(id)) {
        throw new FakeAwsError(400, "InvalidInstanceID.Malformed", `Invalid id: "${id}"`);
      }
    }
    const missing = ids.filter((id) => !this.instances.has(id));
    if (missing.length > 0) {
      const quoted = missing.map((id) => `'${id}'`).join(", ");
      throw new FakeAwsError(
        400,
        "InvalidInstanceID.NotFound",
        missing.length === 1
          ? `The instance ID ${quoted} does not exist`
          : `The instance IDs ${quoted} do not exist`,
      );
    }
    return ids.map((id) => this.instances.get(id) as FakeInstance);
  }

  private describe(form: URLSearchParams): FakeAnswer {
    const ids = numbered(form, "InstanceId");
    const maxResults = form.get("MaxResults");
    if (ids.length > 0 && maxResults !== null) {
      throw new FakeAwsError(
        400,
        "InvalidParameterCombination",
        "The parameter instancesSet cannot be used with the parameter maxResults",
      );
    }
    const filters = filtersOf(form);
    const chosen = (ids.length > 0 ? this.known(ids) : [...this.instances.values()]).filter(
      (instance) => filters.every((filter) => passes(instance, filter)),
    );
    const start = form.has("NextToken")
      ? Number(Buffer.from(form.get("NextToken") ?? "", "base64url").toString("utf8"))
      : 0;
    if (!Number.isInteger(start) || start < 0 || start > chosen.length) {
      throw new FakeAwsError(400, "InvalidParameterValue", "The token is malformed");
    }
    const limit = maxResults === null ? chosen.length : Number(maxResults);
    if (maxResults !== null && (limit < 5 || limit > 1000)) {
      throw new FakeAwsError(
        400,
        "InvalidParameterValue",
        `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
      );
    }
    const page = chosen.slice(start, start + limit);
    const next =
      start + limit < chosen.length
        ? el("nextToken", Buffer.from(String(start + limit)).toString("base64url"))
        : "";
    const reservations = page
      .map(
        (instance, i) =>
          `<item><reservationId>r-${String(i).padStart(17, "0")}</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>${instanceXml(instance)}</instancesSet></item>`,
      )
      .join("");
    return this.ok(
      "DescribeInstancesResponse",
      `<reservationSet>${reservations}</reservationSet>${next}`,
    );
  }

  private change(
    form: URLSearchParams,
    response: string,
    transient: string,
    final: string,
    from: string[],
  ): FakeAnswer {
    const ids = numbered(form, "InstanceId");
    if (ids.length === 0) {
      throw new FakeAwsError(
        400,
        "MissingParameter",
        "The request must contain the parameter InstanceId",
      );
    }
    const instances = this.known(ids);
    for (const instance of instances) {
      if (instance.state === "terminated") {
        throw new FakeAwsError(
          400,
          "IncorrectInstanceState",
          `The instance '${instance.id}' is not in a state from which it can be ${final === "running" ? "started" : "stopped"}.`,
        );
      }
    }
    const items = instances
      .map((instance) => {
        const previous = instance.state;
        // The answer shows the transition; the stored state is where it lands.
        const current = from.includes(previous) ? transient : previous;
        if (from.includes(previous)) instance.state = final;
        return `<item>${el("instanceId", instance.id)}${stateXml("currentState", current)}${stateXml("previousState", previous)}</item>`;
      })
      .join("");
    return this.ok(response, `<instancesSet>${items}</instancesSet>`);
  }

  private ok(root: string, inner: string): FakeAnswer {
    return {
      status: 200,
      headers: { "content-type": "text/xml;charset=UTF-8" },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NAMESPACE}"><requestId>${randomBytes(8).toString("hex")}</requestId>${inner}</${root}>`,
    };
  }

  failure(kind: FailureKind): FakeAwsError {
    switch (kind) {
      case "throttle":
        return new FakeAwsError(503, "RequestLimitExceeded", "Request limit exceeded.");
      case "unavailable":
        return new FakeAwsError(
          503,
          "Unavailable",
          "The server is overloaded and can't handle the request.",
        );
      case "denied":
        return new FakeAwsError(
          403,
          "UnauthorizedOperation",
          "You are not authorized to perform this operation.",
        );
      case "missing_auth":
        return new FakeAwsError(
          401,
          "AuthFailure",
          "AWS was not able to authenticate the request: access credentials are missing",
        );
      case "unknown_key":
      case "bad_signature":
      case "bad_token":
        return new FakeAwsError(
          401,
          "AuthFailure",
          "AWS was not able to validate the provided access credentials",
        );
    }
  }

  render(error: FakeAwsError, requestId: string): FakeAnswer {
    return {
      status: error.status,
      headers: { "content-type": "text/xml;charset=UTF-8", ...error.headers },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    };
  }
}
