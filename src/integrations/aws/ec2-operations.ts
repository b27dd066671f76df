import type { Filter, Instance } from "@aws-sdk/client-ec2";
import { Type } from "@sinclair/typebox";
import { AppError } from "../../domain/index.js";
import { defineOperation, type Operation } from "../integration.js";
import type { AwsClients } from "./client.js";
import { loadEc2 } from "./sdk.js";
import { awsCall } from "./errors.js";
import { compactInstance, detailedInstance, stateChange } from "./ec2-instances.js";

const INSTANCE_ID = Type.String({
  pattern: "^i-[0-9a-f]{8,17}$",
  description: 'An instance id, e.g. "i-0abc123def4567890".',
});

const INSTANCE_IDS = Type.Array(INSTANCE_ID, { minItems: 1, maxItems: 1000, uniqueItems: true });

const STATE = Type.Union(
  ["pending", "running", "shutting-down", "terminated", "stopping", "stopped"].map((state) =>
    Type.Literal(state),
  ),
);

const listInstancesParameters = Type.Object(
  {
    state: Type.Optional(
      Type.Union([STATE, Type.Array(STATE, { minItems: 1, uniqueItems: true })], {
        description: 'Only instances in this state or these states, e.g. "running".',
      }),
    ),
    tag: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.String({ maxLength: 256 }), {
        description:
          'Only instances with these tag values, e.g. {"env": "prod"}; "*" matches any value.',
      }),
    ),
    instance_ids: Type.Optional({ ...INSTANCE_IDS, description: "Only these instances." }),
    max_results: Type.Optional(
      Type.Integer({
        minimum: 5,
        maximum: 1000,
        description: "Instances per page (5 to 1000); not with instance_ids.",
      }),
    ),
    next_token: Type.Optional(
      Type.String({ minLength: 1, description: "next_token of the previous page." }),
    ),
  },
  { additionalProperties: false },
);

function filtersOf(state: string | string[] | undefined, tag: Record<string, string> | undefined) {
  const filters: Filter[] = [];
  if (state !== undefined) {
    filters.push({ Name: "instance-state-name", Values: Array.isArray(state) ? state : [state] });
  }
  for (const [key, value] of Object.entries(tag ?? {})) {
    filters.push({ Name: `tag:${key}`, Values: [value] });
  }
  return filters;
}

function instancesOf(reservations: { Instances?: Instance[] }[] | undefined): Instance[] {
  return (reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
}

const listInstances = defineOperation<AwsClients, typeof listInstancesParameters>({
  description:
    "Lists EC2 instances (id, type, state, Name tag, private and public IP, launch time), filtered by state, tags or ids, a page at a time.",
  parameters: listInstancesParameters,
  sideEffect: false,
  async run(client, { state, tag, instance_ids, max_results, next_token }, { signal }) {
    const { DescribeInstancesCommand } = await loadEc2();
    if (max_results !== undefined && instance_ids !== undefined) {
      throw AppError.invalidArgument(
        "parameters.max_results",
        "parameters.max_results cannot be used with parameters.instance_ids (EC2 returns all named instances at once)",
      );
    }
    const filters = filtersOf(state, tag);
    const answer = await awsCall(
      "ec2",
      (await client.ec2()).send(
        new DescribeInstancesCommand({
          ...(filters.length > 0 ? { Filters: filters } : {}),
          ...(instance_ids === undefined ? {} : { InstanceIds: instance_ids }),
          ...(max_results === undefined ? {} : { MaxResults: max_results }),
          ...(next_token === undefined ? {} : { NextToken: next_token }),
        }),
        { abortSignal: signal },
      ),
    );
    return {
      instances: instancesOf(answer.Reservations).map(compactInstance),
      next_token: answer.NextToken ?? null,
    };
  },
});

const describeParameters = Type.Object(
  { instance_id: INSTANCE_ID },
  { additionalProperties: false },
);

const describeInstance = defineOperation<AwsClients, typeof describeParameters>({
  description:
    "Describes one EC2 instance: state, type, addresses, image, network, security groups and tags.",
  parameters: describeParameters,
  sideEffect: false,
  async run(client, { instance_id }, { signal }) {
    const { DescribeInstancesCommand } = await loadEc2();
    const answer = await awsCall(
      "ec2",
      (await client.ec2()).send(new DescribeInstancesCommand({ InstanceIds: [instance_id] }), {
        abortSignal: signal,
      }),
    );
    const instance = instancesOf(answer.Reservations)[0];
    if (instance === undefined) throw AppError.notFound("ec2 instance", instance_id);
    return detailedInstance(instance);
  },
});

const startParameters = Type.Object(
  { instance_ids: { ...INSTANCE_IDS, description: "The instances to start." } },
  { additionalProperties: false },
);

const startInstances = defineOperation<AwsClients, typeof startParameters>({
  description:
    "Starts stopped EC2 instances; returns each one's previous and current state. Starting a running instance changes nothing.",
  parameters: startParameters,
  sideEffect: true,
  async run(client, { instance_ids }, { signal }) {
    const { StartInstancesCommand } = await loadEc2();
    const answer = await awsCall(
      "ec2",
      (await client.ec2()).send(new StartInstancesCommand({ InstanceIds: instance_ids }), {
        abortSignal: signal,
      }),
    );
    return { instances: (answer.StartingInstances ?? []).map(stateChange) };
  },
});

const stopParameters = Type.Object(
  {
    instance_ids: { ...INSTANCE_IDS, description: "The instances to stop." },
    force: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "Stop without letting the operating system shut down cleanly (may lose unwritten data).",
      }),
    ),
  },
  { additionalProperties: false },
);

const stopInstances = defineOperation<AwsClients, typeof stopParameters>({
  description:
    "Stops running EC2 instances; returns each one's previous and current state. Stopping a stopped instance changes nothing.",
  parameters: stopParameters,
  sideEffect: true,
  async run(client, { instance_ids, force }, { signal }) {
    const { StopInstancesCommand } = await loadEc2();
    const answer = await awsCall(
      "ec2",
      (await client.ec2()).send(
        new StopInstancesCommand({ InstanceIds: instance_ids, Force: force === true }),
        {
          abortSignal: signal,
        },
      ),
    );
    return { instances: (answer.StoppingInstances ?? []).map(stateChange) };
  },
});

/** The EC2 operations, named as the plugin lists them. */
export const EC2_OPERATIONS: Readonly<Record<string, Operation<AwsClients>>> = {
  "ec2.list_instances": listInstances,
  "ec2.describe_instance": describeInstance,
  "ec2.start_instances": startInstances,
  "ec2.stop_instances": stopInstances,
};
