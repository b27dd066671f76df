import { describe, expect, it } from "vitest";
import {
  AppError,
  KNOWLEDGE_LIMITS,
  type KnowledgePublishSpec,
  normalizeKnowledgeTags,
  validateKnowledgePublish,
  validateKnowledgeScope,
  validateKnowledgeUpdate,
} from "../../src/domain/index.js";

const SPEC: KnowledgePublishSpec = {
  title: "  Retry backoff  ",
  content: "  Double the delay.\n",
  tags: ["gRPC", " retries ", "grpc"],
  author: " alice ",
  scope: "global",
  scopeId: null,
};

/** The field named by the invalid_argument error `run` throws. */
function refusedField(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("invalid_argument");
    return (error as AppError).details.field;
  }
  return expect.fail("expected an invalid_argument error");
}

describe("knowledge entry rules", () => {
  it("trims title and author, keeps content as written, and normalises tags", () => {
    expect(validateKnowledgePublish(SPEC)).toStrictEqual({
      ...SPEC,
      title: "Retry backoff",
      author: "alice",
      tags: ["grpc", "retries"],
    });
  });

  it("refuses blank or overlong text, naming the field with its prefix", () => {
    const cases: Array<[Partial<KnowledgePublishSpec>, string]> = [
      [{ title: "   " }, "body.title"],
      [{ title: "t".repeat(KNOWLEDGE_LIMITS.titleLength + 1) }, "body.title"],
      [{ content: " \n\t " }, "body.content"],
      [{ content: "c".repeat(KNOWLEDGE_LIMITS.contentLength + 1) }, "body.content"],
      [{ author: "" }, "body.author"],
      [{ author: "a".repeat(KNOWLEDGE_LIMITS.authorLength + 1) }, "body.author"],
    ];
    for (const [change, field] of cases) {
      expect(refusedField(() => validateKnowledgePublish({ ...SPEC, ...change }, "body"))).toBe(
        field,
      );
    }
    const longest = {
      title: "t".repeat(200),
      content: "c".repeat(65_536),
      author: "a".repeat(100),
    };
    expect(validateKnowledgePublish({ ...SPEC, ...longest }).content).toHaveLength(65_536);
  });

  it("allows at most 20 tags of 1 to 50 characters of a-z 0-9 . _ : -", () => {
    expect(normalizeKnowledgeTags(["Node.js", "lang:ts", "a_b-c", "x".repeat(50)])).toStrictEqual([
      "a_b-c",
      "lang:ts",
      "node.js",
      "x".repeat(50),
    ]);
    expect(refusedField(() => normalizeKnowledgeTags(["ok", "two words"]))).toBe("tags[1]");
    expect(refusedField(() => normalizeKnowledgeTags(["", "ok"]))).toBe("tags[0]");
    expect(refusedField(() => normalizeKnowledgeTags(["ok", "x".repeat(51)]))).toBe("tags[1]");
    expect(refusedField(() => normalizeKnowledgeTags(["ünï"]))).toBe("tags[0]");
    expect(refusedField(() => normalizeKnowledgeTags(["a/b"], "query.tags"))).toBe("query.tags[0]");
    const many = Array.from({ length: 21 }, (_, i) => `t${i}`);
    expect(refusedField(() => normalizeKnowledgeTags(many))).toBe("tags");
    expect(normalizeKnowledgeTags(many.slice(0, 20))).toHaveLength(20);
  });

  it("gives the global scope no id and requires one for the project and task scopes", () => {
    expect(validateKnowledgeScope("global", null)).toBeNull();
    expect(validateKnowledgeScope("global", "  ")).toBeNull();
    expect(validateKnowledgeScope("project", " proj_1 ")).toBe("proj_1");
    expect(validateKnowledgeScope("task", "task_1")).toBe("task_1");
    expect(refusedField(() => validateKnowledgeScope("global", "proj_1", "body"))).toBe(
      "body.scope_id",
    );
    expect(refusedField(() => validateKnowledgeScope("project", null))).toBe("scope_id");
    expect(refusedField(() => validateKnowledgeScope("task", ""))).toBe("scope_id");
  });

  it("checks an update's id and expected version", () => {
    const update = { ...SPEC, id: " kn_1 ", expectedVersion: 3 };
    expect(validateKnowledgeUpdate(update)).toMatchObject({ id: "kn_1", expectedVersion: 3 });
    expect(validateKnowledgeUpdate({ ...update, expectedVersion: null }).expectedVersion).toBe(
      null,
    );
    expect(refusedField(() => validateKnowledgeUpdate({ ...update, id: " " }))).toBe("id");
    expect(refusedField(() => validateKnowledgeUpdate({ ...update, expectedVersion: 0 }))).toBe(
      "expected_version",
    );
    expect(refusedField(() => validateKnowledgeUpdate({ ...update, expectedVersion: 1.5 }))).toBe(
      "expected_version",
    );
  });
});
