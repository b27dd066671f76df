import { messageToWire } from "../../contract/index.js";
import type { MessageRecord } from "../../domain/index.js";
import type { Message as WireMessage } from "../../gen/mcp/v1/hub.js";

const WIRE = Symbol("wire");

/** A stored message that may carry its wire form. */
type WithWire = MessageRecord & { [WIRE]?: WireMessage };

/**
 * A stored message's wire form, made once and kept on the record (records never change once
 * stored): a broadcast goes out to every agent and back to its sender, and its body would
 * otherwise be turned into JSON text each time. A symbol key keeps it out of JSON and of
 * equality checks; a WeakMap would cost the garbage collector more at this rate.
 */
export function wireOf(message: MessageRecord): WireMessage {
  const record = message as WithWire;
  return (record[WIRE] ??= messageToWire(message));
}
