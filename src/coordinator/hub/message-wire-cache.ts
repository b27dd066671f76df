import { messageToWire } from "../../contract/index.js";
import type { MessageRecord } from "../../domain/index.js";
import type { Message as WireMessage } from "../../gen/mcp/v1/hub.js";

const cache = new WeakMap<MessageRecord, WireMessage>();

/**
 * A stored message's wire form, made once: a broadcast goes out to every agent and back to its
 * sender, and its body would otherwise be turned into JSON text each time.
 */
export function wireOf(message: MessageRecord): WireMessage {
  let wire = cache.get(message);
  if (wire === undefined) {
    wire = messageToWire(message);
    cache.set(message, wire);
  }
  return wire;
}
