import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import type { FakeGitHubServer } from "./fake-github-server.js";
import type { RepoRecord } from "./fake-github-world.js";
import { CANARY, captured, github, startFakeGitHub } from "./github-harness.js";

let fake: FakeGitHubServer;
let repo: RepoRecord;

beforeAll(async () => {
  fake = await startFakeGitHub();
  repo = fake.world.repo("octocat", "hello");
  for (const branch of ["feature-a", "feature-b", "feature-c", "feature-d"]) {
    fake.world.push(repo, branch);
  }
  fake.world.addRepo({ owner: "torvalds", name: "linux", collaborators: ["gregkh"] });
});
afterAll(() => fake.close());
afterEach(() => {
  expect(captured.logs).not.toContain(CANARY);
});

describe("create_pull_request", () => {
  it("opens a pull request with what was asked, and answers its number, URL and refs", async () => {
    const { result } = await github(fake).invoke({
      operation: "create_pull_request",
      parameters: {
        repo: "hello",
        title: "Add login",
        head: "feature-a",
        base: "main",
        body: "Closes nothing",
        draft: true,
      },
    });
    expect(result).toMatchObject({
      number: 1,
      state: "open",
      title: "Add login",
      draft: true,
      merged: false,
      html_url: `${fake.url}/octocat/hello/pull/1`,
      head: { ref: "feature-a", sha: repo.refs.get("feature-a"), label: "octocat:feature-a" },
      base: { ref: "main", sha: repo.refs.get("main") },
      user: "octocat",
    });
    expect(fake.last("POST /repos/{owner}/{repo}/pulls")?.body).toEqual({
      title: "Add login",
      head: "feature-a",
      base: "main",
      body: "Closes nothing",
      draft: true,
    });
  });

  it("targets the default branch when base is omitted", async () => {
    const { result } = await github(fake).invoke({
      operation: "create_pull_request",
      parameters: { repo: "hello", title: "B", head: "feature-b" },
    });
    expect(result).toMatchObject({ base: { ref: "main" }, draft: false });
    expect(fake.last("POST /repos/{owner}/{repo}/pulls")?.body).toMatchObject({
      base: "main",
      draft: false,
    });
  });

  it("says conflict, with GitHub's message, when a pull request for the head already exists", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "create_pull_request",
        parameters: { repo: "hello", title: "Again", head: "feature-a", base: "main" },
      }),
      "failed_precondition",
    );
    expect(error.details).toMatchObject({ reason: "conflict", remote_status: 422 });
    expect(error.message).toContain("A pull request already exists for octocat:feature-a.");
  });

  it("says invalid request, naming GitHub's field, for a head branch that does not exist", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "create_pull_request",
        parameters: { repo: "hello", title: "X", head: "nope", base: "main" },
      }),
      "invalid_argument",
    );
    expect(error.details).toMatchObject({ reason: "invalid_request", remote_status: 422 });
    expect(error.message).toContain("Validation Failed: PullRequest head invalid");
  });

  it("refuses a missing title before calling GitHub", async () => {
    const before = fake.count("POST /repos/{owner}/{repo}/pulls");
    const error = await expectCode(
      github(fake).invoke({
        operation: "create_pull_request",
        parameters: { repo: "hello", head: "feature-c" },
      }),
      "invalid_argument",
    );
    expect(error.message).toBe("parameters.title is required");
    expect(fake.count("POST /repos/{owner}/{repo}/pulls")).toBe(before);
  });
});

describe("list_pull_requests and get_pull_request", () => {
  it("lists open pull requests, newest first, paging", async () => {
    const { result } = await github(fake).invoke({
      operation: "list_pull_requests",
      parameters: { repo: "hello", per_page: 1 },
    });
    expect(result).toMatchObject({
      pull_requests: [{ number: 2, title: "B", merged: false }],
      has_next_page: true,
    });
    expect(fake.last("GET /repos/{owner}/{repo}/pulls")?.query).toEqual({
      state: "open",
      per_page: "1",
      page: "1",
    });
  });

  it("filters by head (a bare branch is qualified with the owner) and base", async () => {
    const { result } = await github(fake).invoke({
      operation: "list_pull_requests",
      parameters: { repo: "hello", head: "feature-a", base: "main", state: "all" },
    });
    expect(result).toMatchObject({ pull_requests: [{ number: 1 }], has_next_page: false });
    expect(fake.last("GET /repos/{owner}/{repo}/pulls")?.query).toMatchObject({
      head: "octocat:feature-a",
      base: "main",
      state: "all",
    });
  });

  it("reads one pull request with its mergeability", async () => {
    const { result } = await github(fake).invoke({
      operation: "get_pull_request",
      parameters: { repo: "hello", pull_number: 2 },
    });
    expect(result).toMatchObject({ number: 2, mergeable: true, merged: false });
    await expectCode(
      github(fake).invoke({
        operation: "get_pull_request",
        parameters: { repo: "hello", pull_number: 99 },
      }),
      "not_found",
    );
  });
});

describe("merge_pull_request", () => {
  it("merges with the method and title asked; the pull request is then merged and closed", async () => {
    const head = repo.refs.get("feature-b");
    const { result } = await github(fake).invoke({
      operation: "merge_pull_request",
      parameters: {
        repo: "hello",
        pull_number: 2,
        merge_method: "squash",
        commit_title: "B (#2)",
        sha: head,
      },
    });
    expect(result).toEqual({
      pull_number: 2,
      merged: true,
      sha: repo.refs.get("main"),
      message: "Pull Request successfully merged",
    });
    expect(fake.last("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")?.body).toEqual({
      merge_method: "squash",
      commit_title: "B (#2)",
      sha: head,
    });
    const after = await github(fake).invoke({
      operation: "list_pull_requests",
      parameters: { repo: "hello", state: "closed" },
    });
    expect(after.result).toMatchObject({
      pull_requests: [{ number: 2, state: "closed", merged: true }],
    });
  });

  it("says conflict when the pull request is not mergeable (405)", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "merge_pull_request",
        parameters: { repo: "hello", pull_number: 2 },
      }),
      "failed_precondition",
    );
    expect(error.details).toMatchObject({ reason: "conflict", remote_status: 405 });
    expect(error.message).toContain("Pull Request is not mergeable");
  });

  it("says conflict when the head moved past sha (409)", async () => {
    await github(fake).invoke({
      operation: "create_pull_request",
      parameters: { repo: "hello", title: "C", head: "feature-c" },
    });
    const old = repo.refs.get("feature-c");
    fake.world.push(repo, "feature-c");
    const error = await expectCode(
      github(fake).invoke({
        operation: "merge_pull_request",
        parameters: { repo: "hello", pull_number: 3, sha: old },
      }),
      "failed_precondition",
    );
    expect(error.details).toMatchObject({ reason: "conflict", remote_status: 409 });
    expect(error.message).toContain("Head branch was modified");
    expect(fake.world.issue(repo, 3)?.state).toBe("open");
  });

  it("refuses an unknown merge method, naming the parameter", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "merge_pull_request",
        parameters: { repo: "hello", pull_number: 3, merge_method: "octopus" },
      }),
      "invalid_argument",
    );
    expect(error.details.field).toBe("parameters.merge_method");
  });
});

describe("create_issue and comment", () => {
  it("opens an issue with labels and assignees", async () => {
    const { result } = await github(fake).invoke({
      operation: "create_issue",
      parameters: {
        repo: "hello",
        title: "Crash on start",
        body: "Stack trace...",
        labels: ["bug", "p1"],
        assignees: ["octocat"],
      },
    });
    expect(result).toMatchObject({
      number: 4,
      state: "open",
      title: "Crash on start",
      body: "Stack trace...",
      labels: ["bug", "p1"],
      assignees: ["octocat"],
      html_url: `${fake.url}/octocat/hello/issues/4`,
    });
    expect(fake.last("POST /repos/{owner}/{repo}/issues")?.body).toEqual({
      title: "Crash on start",
      body: "Stack trace...",
      labels: ["bug", "p1"],
      assignees: ["octocat"],
    });
  });

  it("says invalid request, naming GitHub's field and value, for an assignee who cannot be assigned", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "create_issue",
        parameters: { repo: "hello", title: "x", assignees: ["ghost"] },
      }),
      "invalid_argument",
    );
    expect(error.message).toContain("Issue assignees invalid");
  });

  it("comments on an issue and on a pull request alike", async () => {
    const onIssue = await github(fake).invoke({
      operation: "comment",
      parameters: { repo: "hello", issue_number: 4, body: "Looking into it" },
    });
    expect(onIssue.result).toMatchObject({
      issue_number: 4,
      body: "Looking into it",
      user: "octocat",
    });
    expect((onIssue.result as { html_url: string }).html_url).toMatch(
      /\/octocat\/hello\/issues\/4#issuecomment-\d+$/,
    );
    const onPull = await github(fake).invoke({
      operation: "comment",
      parameters: { repo: "hello", issue_number: 1, body: "LGTM" },
    });
    expect((onPull.result as { html_url: string }).html_url).toMatch(
      /\/octocat\/hello\/pull\/1#issuecomment-\d+$/,
    );
    expect(fake.last("POST /repos/{owner}/{repo}/issues/{issue_number}/comments")?.body).toEqual({
      body: "LGTM",
    });
    expect(repo.comments.map((c) => [c.issueNumber, c.body])).toEqual([
      [4, "Looking into it"],
      [1, "LGTM"],
    ]);
  });

  it("says not found for a number that is neither an issue nor a pull request", async () => {
    await expectCode(
      github(fake).invoke({
        operation: "comment",
        parameters: { repo: "hello", issue_number: 404, body: "?" },
      }),
      "not_found",
    );
  });
});

describe("idempotency keys", () => {
  it("opens one issue for repeated calls with the same key, replaying the first answer", async () => {
    const gh = github(fake);
    const call = () =>
      gh.invoke({
        operation: "create_issue",
        parameters: { repo: "hello", title: "Once" },
        idempotencyKey: "task-42-attempt",
      });
    const first = await call();
    const again = await call();
    expect(again).toMatchObject({ replayed: true, result: first.result });
    expect(repo.issues.filter((i) => i.title === "Once")).toHaveLength(1);
  });
});
