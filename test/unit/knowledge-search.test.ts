import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  AppError,
  type KnowledgeSearchSpec,
  searchTerms,
  validateKnowledgeSearch,
} from "../../src/domain/index.js";
import { ftsMatch } from "../../src/store/sqlite/index.js";

const SEARCH: KnowledgeSearchSpec = {
  query: "retry backoff",
  tags: [],
  scope: null,
  scopeId: null,
  limit: null,
};

function refused(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  return expect.fail("expected an error");
}

describe("search terms", () => {
  it("keeps words, joins words split by punctuation into one term, and drops the rest", () => {
    expect(searchTerms("retry backoff")).toStrictEqual(["retry", "backoff"]);
    expect(searchTerms("  node.js\tlang:ts  ")).toStrictEqual(["node js", "lang ts"]);
    expect(searchTerms('"foo AND (')).toStrictEqual(["foo", "AND"]);
    expect(searchTerms("NEAR/ title:x *")).toStrictEqual(["NEAR", "title x"]);
    expect(searchTerms("東京 café naïve")).toStrictEqual(["東京", "café", "naïve"]);
    expect(searchTerms('( ) " * -- ^')).toStrictEqual([]);
    expect(searchTerms("")).toStrictEqual([]);
  });

  it("become an FTS5 expression of quoted terms, the last a prefix", () => {
    expect(ftsMatch("retry backoff")).toBe('"retry" "backoff"*');
    expect(ftsMatch('node.js "AND" (')).toBe('"node js" "AND"*');
    expect(ftsMatch("(((")).toBeNull();
  });

  describe("against SQLite FTS5", () => {
    const db = new Database(":memory:");
    db.exec(
      "CREATE VIRTUAL TABLE t USING fts5(title, content, tokenize = 'porter unicode61 remove_diacritics 2')",
    );
    db.prepare("INSERT INTO t (title, content) VALUES (?, ?)").run(
      "Node.js streams",
      "AND OR NOT NEAR are words; foo bar",
    );
    const search = db.prepare<[string], { title: string }>("SELECT title FROM t WHERE t MATCH ?");
    afterAll(() => db.close());

    it("never fails on any text: every expression is valid FTS5 syntax", () => {
      const text = fc.oneof(
        fc.string({ unit: "binary", maxLength: 40 }),
        fc
          .array(
            fc.constantFrom(
              '"',
              "(",
              ")",
              "*",
              "^",
              ":",
              "-",
              "+",
              "AND",
              "OR",
              "NOT",
              "NEAR/2",
              "NEAR(",
              "{",
              "}",
              ",",
              "foo",
              "node.js",
              " ",
            ),
            { maxLength: 12 },
          )
          .map((parts) => parts.join("")),
      );
      fc.assert(
        fc.property(text, (value) => {
          const match = ftsMatch(value);
          if (match !== null) search.all(match);
        }),
        { numRuns: 500, seed: 20_251_201 },
      );
    });

    it("finds words that look like operators as plain words", () => {
      for (const text of ['"foo AND (', "NEAR/", "NOT", "node.js", "stre"]) {
        expect(search.all(ftsMatch(text) ?? "").length, text).toBe(1);
      }
    });
  });
});

describe("search rules", () => {
  it("resolves the default limit and trims", () => {
    expect(validateKnowledgeSearch({ ...SEARCH, query: "  retry  ", scopeId: " " })).toStrictEqual({
      query: "retry",
      tags: [],
      scope: null,
      scopeId: null,
      limit: 20,
    });
  });

  it("needs a query unless tags are given, and a query must have a word", () => {
    expect(refused(() => validateKnowledgeSearch({ ...SEARCH, query: " " })).details).toMatchObject(
      { field: "query" },
    );
    expect(validateKnowledgeSearch({ ...SEARCH, query: null, tags: ["GRPC"] })).toMatchObject({
      query: null,
      tags: ["grpc"],
    });
    const noWords = refused(() =>
      validateKnowledgeSearch({ ...SEARCH, query: '"( *', tags: ["grpc"] }, "query"),
    );
    expect(noWords.code).toBe("invalid_argument");
    expect(noWords.details).toMatchObject({ field: "query.query" });
    expect(noWords.message).toMatch(/no words/);
  });

  it("refuses a limit outside 1 to 100, too many words, and a scope id without its scope", () => {
    const field = (change: Partial<KnowledgeSearchSpec>) =>
      refused(() => validateKnowledgeSearch({ ...SEARCH, ...change })).details.field;
    expect(field({ limit: 0 })).toBe("limit");
    expect(field({ limit: 101 })).toBe("limit");
    expect(validateKnowledgeSearch({ ...SEARCH, limit: 100 }).limit).toBe(100);
    expect(field({ query: "w ".repeat(33) })).toBe("query");
    expect(field({ query: "x".repeat(1_001) })).toBe("query");
    expect(field({ scopeId: "proj_1" })).toBe("scope_id");
    expect(field({ scope: "global", scopeId: "proj_1" })).toBe("scope_id");
    expect(field({ tags: ["bad tag"] })).toBe("tags[0]");
    expect(
      validateKnowledgeSearch({ ...SEARCH, scope: "project", scopeId: "proj_1" }),
    ).toMatchObject({ scope: "project", scopeId: "proj_1" });
  });
});
