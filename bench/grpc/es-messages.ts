/**
 * The benchmark messages as protobuf-es messages (what Connect sends and receives), made by
 * decoding the ts-proto encoding of the very same objects, so that both libraries put
 * identical bytes on the wire.
 */
import { type DescMessage, fromBinary, type MessageShape } from "@bufbuild/protobuf";
import {
  AgentFrame as TsAgentFrame,
  CoordinatorFrame as TsCoordinatorFrame,
} from "../../src/gen/mcp/v1/agent.js";
import { GetTaskResponse as TsGetTaskResponse } from "../../src/gen/mcp/v1/coordinator.js";
import {
  type AgentFrame,
  AgentFrameSchema,
  type CoordinatorFrame,
  CoordinatorFrameSchema,
} from "../../test/gen/mcp/v1/agent_pb.js";
import {
  type GetTaskResponse,
  GetTaskResponseSchema,
} from "../../test/gen/mcp/v1/coordinator_pb.js";
import {
  assignmentFrame,
  benchGetTaskResponse,
  DRAIN_FRAME,
  finishedFrame,
  registerFrame,
} from "./bench-messages.js";

function convert<Desc extends DescMessage>(schema: Desc, bytes: Uint8Array): MessageShape<Desc> {
  return fromBinary(schema, bytes);
}

export function esGetTaskResponse(id: string): GetTaskResponse {
  return convert(
    GetTaskResponseSchema,
    TsGetTaskResponse.encode(benchGetTaskResponse(id)).finish(),
  );
}

export function esAssignmentFrame(count: number): CoordinatorFrame {
  return convert(
    CoordinatorFrameSchema,
    TsCoordinatorFrame.encode(assignmentFrame(count)).finish(),
  );
}

export function esFinishedFrame(count: number): AgentFrame {
  return convert(AgentFrameSchema, TsAgentFrame.encode(finishedFrame(count)).finish());
}

export function esRegisterFrame(batch: number): AgentFrame {
  return convert(AgentFrameSchema, TsAgentFrame.encode(registerFrame(batch)).finish());
}

export const ES_DRAIN_FRAME: AgentFrame = convert(
  AgentFrameSchema,
  TsAgentFrame.encode(DRAIN_FRAME).finish(),
);
