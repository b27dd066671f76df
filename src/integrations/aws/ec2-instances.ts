import type { Instance, InstanceStateChange, Tag } from "@aws-sdk/client-ec2";
import type { JsonObject } from "../../domain/index.js";

function tagValue(tags: Tag[] | undefined, key: string): string | null {
  return tags?.find((tag) => tag.Key === key)?.Value ?? null;
}

/** An instance as listed: the fields people look for first. */
export function compactInstance(instance: Instance): JsonObject {
  return {
    id: instance.InstanceId ?? null,
    type: instance.InstanceType ?? null,
    state: instance.State?.Name ?? null,
    name: tagValue(instance.Tags, "Name"),
    private_ip: instance.PrivateIpAddress ?? null,
    public_ip: instance.PublicIpAddress ?? null,
    launch_time: instance.LaunchTime?.toISOString() ?? null,
    availability_zone: instance.Placement?.AvailabilityZone ?? null,
  };
}

/** One instance in detail: the listing's fields plus its image, network, tags and groups. */
export function detailedInstance(instance: Instance): JsonObject {
  const tags: JsonObject = {};
  for (const tag of instance.Tags ?? []) {
    if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? "";
  }
  return {
    ...compactInstance(instance),
    state_reason: instance.StateReason?.Message ?? null,
    image_id: instance.ImageId ?? null,
    architecture: instance.Architecture ?? null,
    platform: instance.PlatformDetails ?? null,
    key_name: instance.KeyName ?? null,
    vpc_id: instance.VpcId ?? null,
    subnet_id: instance.SubnetId ?? null,
    private_dns: instance.PrivateDnsName || null,
    public_dns: instance.PublicDnsName || null,
    iam_instance_profile: instance.IamInstanceProfile?.Arn ?? null,
    security_groups: (instance.SecurityGroups ?? []).map((group) => ({
      id: group.GroupId ?? null,
      name: group.GroupName ?? null,
    })),
    tags,
  };
}

/** What a start or stop did to one instance. */
export function stateChange(change: InstanceStateChange): JsonObject {
  return {
    id: change.InstanceId ?? null,
    previous_state: change.PreviousState?.Name ?? null,
    current_state: change.CurrentState?.Name ?? null,
  };
}
