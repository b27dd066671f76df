import { Type } from "@sinclair/typebox";
import { defineOperation } from "../../integration.js";
import type { JenkinsClient } from "../client.js";
import { buildPath, buildRefParameter, buildSubject, jobParameter } from "../job-path.js";

const parameters = Type.Object(
  {
    job: jobParameter(),
    number: buildRefParameter("The build: its number, or a permalink such as lastBuild."),
    start: Type.Integer({
      minimum: 0,
      default: 0,
      description: "Byte offset to read from: 0, or the next_start of the previous read.",
    }),
    max_bytes: Type.Integer({
      minimum: 1,
      maximum: 5_000_000,
      default: 100_000,
      description: "Most bytes of log returned; the rest is read with the next call.",
    }),
  },
  { additionalProperties: false },
);

/** The longest prefix of `bytes` of at most `max` bytes that does not split a UTF-8 character. */
function utf8Prefix(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  // Continuation bytes are 10xxxxxx: back up to the start of the character they belong to.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}

export const consoleOutput = defineOperation<JenkinsClient, typeof parameters>({
  description:
    "Reads a build's console log from a byte offset (Jenkins' progressive text). Call again with start = next_start while more is true: the build is still writing, or max_bytes cut the answer.",
  parameters,
  sideEffect: false,
  run: async (client, p, call) => {
    const answer = await client.get(`${buildPath(p.job, p.number)}/logText/progressiveText`, {
      signal: call.signal,
      query: { start: String(p.start) },
      subject: buildSubject(p.job, p.number),
    });
    // Jenkins starts over from 0 when `start` is past the end (a log that was rotated).
    const size = Number(answer.headers.get("x-text-size"));
    const end = Number.isSafeInteger(size) ? size : p.start + answer.body.length;
    const from = end - answer.body.length;
    const kept = utf8Prefix(answer.body, p.max_bytes);
    const truncated = kept.length < answer.body.length;
    const building = answer.headers.get("x-more-data") === "true";
    return {
      job: p.job,
      build: p.number,
      start: from,
      text: kept.toString("utf8"),
      next_start: from + kept.length,
      more: truncated || building,
      building,
    };
  },
});
