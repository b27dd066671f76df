import { type ChannelOptions, credentials } from "@grpc/grpc-js";

/** Client settings shared by every process: keepalive so that a dead peer is noticed. */
export const CLIENT_OPTIONS: ChannelOptions = {
  "grpc.keepalive_time_ms": 10_000,
  "grpc.keepalive_timeout_ms": 5_000,
  "grpc.keepalive_permit_without_calls": 1,
  "grpc.max_receive_message_length": 64 * 1024 * 1024,
  "grpc.initial_reconnect_backoff_ms": 200,
  "grpc.max_reconnect_backoff_ms": 2_000,
};

/**
 * For a channel that carries one long-lived stream (an agent's link to the coordinator).
 * The agent reconnects and resends by itself; grpc-js's retry layer would only add work to
 * every message on the stream.
 */
export const STREAM_CLIENT_OPTIONS: ChannelOptions = {
  ...CLIENT_OPTIONS,
  "grpc.enable_retries": 0,
};

export const insecure = () => credentials.createInsecure();
