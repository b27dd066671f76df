import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import type { FakeGitHubServer } from "./fake-github-server.js";
import { CANARY, captured, github, startFakeGitHub } from "./github-harness.js";

let fake: FakeGitHubServer;

beforeAll(async () => {
  fake = await startFakeGitHub();
  const { world } = fake;
  world.addAccount("acme", "Organization", ["octocat"]);
  world.addAccount("globex", "Organization", []);
  world.addRepo({ owner: "octocat", name: "secret-notes", private: true });
  world.addRepo({ owner: "acme", name: "api", description: "The API" });
  world.addRepo({ owner: "acme", name: "infra", private: true });
  world.addRepo({ owner: "torvalds", name: "linux", branches: ["master"] });
  world.addRepo({ owner: "torvalds", name: "subsurface" });
  world.addRepo({ owner: "someone", name: "private-stuff", private: true });
});
afterAll(() => fake.close());
afterEach(() => {
  expect(captured.logs).not.toContain(CANARY);
});

describe("get_repository", () => {
  it("reads a repository of GITHUB_OWNER when owner is omitted, compactly", async () => {
    const { result } = await github(fake).invoke({
      operation: "get_repository",
      parameters: { repo: "hello" },
    });
    expect(result).toMatchObject({
      name: "hello",
      full_name: "octocat/hello",
      owner: "octocat",
      private: false,
      visibility: "public",
      default_branch: "main",
      html_url: `${fake.url}/octocat/hello`,
    });
    expect(result).not.toHaveProperty("permissions");
    const sent = fake.last("GET /repos/{owner}/{repo}");
    expect(sent?.headers.authorization).toBe(`token ${CANARY}`);
    expect(sent?.headers["x-github-api-version"]).toBe("2022-11-28");
    expect(sent?.headers["user-agent"]).toContain("mcp-distributed-integrations");
  });

  it("asks for owner when neither the parameter nor GITHUB_OWNER gives one", async () => {
    const error = await expectCode(
      github(fake, { GITHUB_OWNER: undefined }).invoke({
        operation: "get_repository",
        parameters: { repo: "hello" },
      }),
      "invalid_argument",
    );
    expect(error.details.field).toBe("parameters.owner");
    expect(error.message).toContain("GITHUB_OWNER");
  });

  it("says not found for a private repository the token cannot see, saying GitHub hides it", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "get_repository",
        parameters: { owner: "someone", repo: "private-stuff" },
      }),
      "not_found",
    );
    expect(error.details).toMatchObject({
      integration: "github",
      reason: "not_found",
      remote_status: 404,
    });
    expect(error.message).toContain("Not Found");
    expect(error.message).toContain("private repository");
  });
});

describe("list_repositories", () => {
  it("lists the authenticated user's repositories without owner, theirs and their organisations'", async () => {
    const { result } = await github(fake).invoke({
      operation: "list_repositories",
      parameters: {},
    });
    const names = (result as { repositories: { full_name: string }[] }).repositories.map(
      (r) => r.full_name,
    );
    expect(names).toEqual(["acme/api", "acme/infra", "octocat/hello", "octocat/secret-notes"]);
    expect(result).toMatchObject({ page: 1, per_page: 30, has_next_page: false });
    expect(fake.last("GET /user/repos")?.query).toEqual({ per_page: "30", page: "1" });
  });

  it("filters by type and pages, saying whether there is a next page", async () => {
    const first = await github(fake).invoke({
      operation: "list_repositories",
      parameters: { type: "owner", per_page: 1 },
    });
    expect(first.result).toMatchObject({
      repositories: [{ full_name: "octocat/hello" }],
      has_next_page: true,
    });
    const second = await github(fake).invoke({
      operation: "list_repositories",
      parameters: { type: "owner", per_page: 1, page: 2 },
    });
    expect(second.result).toMatchObject({
      repositories: [{ full_name: "octocat/secret-notes", private: true }],
      has_next_page: false,
    });
    expect(fake.last("GET /user/repos")?.query).toMatchObject({ type: "owner", page: "2" });
  });

  it("lists an organisation's repositories through the organisation endpoint", async () => {
    const { result } = await github(fake).invoke({
      operation: "list_repositories",
      parameters: { owner: "acme", type: "private" },
    });
    expect(result).toMatchObject({ repositories: [{ full_name: "acme/infra" }] });
    expect(fake.last("GET /orgs/{org}/repos")?.query).toMatchObject({ type: "private" });
  });

  it("lists a user's public repositories through the user endpoint", async () => {
    const { result } = await github(fake).invoke({
      operation: "list_repositories",
      parameters: { owner: "torvalds", sort: "full_name", direction: "desc" },
    });
    const names = (result as { repositories: { name: string }[] }).repositories.map((r) => r.name);
    expect(names).toEqual(["subsurface", "linux"]);
    expect(fake.last("GET /users/{username}/repos")?.path).toBe("/users/torvalds/repos");
  });

  it("refuses a type the owner's endpoint does not have, naming parameters.type", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "list_repositories",
        parameters: { owner: "torvalds", type: "forks" },
      }),
      "invalid_argument",
    );
    expect(error.details.field).toBe("parameters.type");
    expect(error.message).toContain("all, owner, member");
  });

  it("says not found for an unknown owner", async () => {
    await expectCode(
      github(fake).invoke({ operation: "list_repositories", parameters: { owner: "nobody-here" } }),
      "not_found",
    );
  });
});

describe("create_repository", () => {
  it("creates a user repository with what was asked, and it can be read back", async () => {
    const { result } = await github(fake).invoke({
      operation: "create_repository",
      parameters: { name: "new-tool", description: "A tool", private: true, auto_init: true },
    });
    expect(result).toMatchObject({
      full_name: "octocat/new-tool",
      private: true,
      description: "A tool",
      default_branch: "main",
    });
    expect(fake.last("POST /user/repos")?.body).toEqual({
      name: "new-tool",
      description: "A tool",
      private: true,
      auto_init: true,
    });
    const read = await github(fake).invoke({
      operation: "get_repository",
      parameters: { repo: "new-tool" },
    });
    expect(read.result).toMatchObject({ full_name: "octocat/new-tool" });
  });

  it("creates in an organisation through the organisation endpoint", async () => {
    const { result } = await github(fake).invoke({
      operation: "create_repository",
      parameters: { name: "web", org: "acme" },
    });
    expect(result).toMatchObject({ full_name: "acme/web", private: false });
    expect(fake.last("POST /orgs/{org}/repos")?.body).toEqual({
      name: "web",
      private: false,
      auto_init: false,
    });
  });

  it("says conflict, with GitHub's reason, when the name is taken", async () => {
    const error = await expectCode(
      github(fake).invoke({ operation: "create_repository", parameters: { name: "hello" } }),
      "failed_precondition",
    );
    expect(error.details).toMatchObject({ reason: "conflict", remote_status: 422 });
    expect(error.message).toContain("name already exists on this account");
  });

  it("says permission denied in an organisation the user is not a member of", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "create_repository",
        parameters: { name: "x", org: "globex" },
      }),
      "permission_denied",
    );
    expect(error.details.reason).toBe("permission_denied");
    expect(error.message).toContain("admin access to the organization");
  });
});

describe("create_branch", () => {
  it("branches from the default branch: reads the repository, the base ref, then creates the ref", async () => {
    const main = fake.world.repo("octocat", "hello").refs.get("main");
    const { result } = await github(fake).invoke({
      operation: "create_branch",
      parameters: { repo: "hello", branch: "feature/login" },
    });
    expect(result).toEqual({
      branch: "feature/login",
      ref: "refs/heads/feature/login",
      sha: main,
      from: "main",
    });
    expect(fake.last("GET /repos/{owner}/{repo}/git/ref/{ref+}")?.path).toBe(
      "/repos/octocat/hello/git/ref/heads%2Fmain",
    );
    expect(fake.last("POST /repos/{owner}/{repo}/git/refs")?.body).toEqual({
      ref: "refs/heads/feature/login",
      sha: main,
    });
    expect(fake.world.repo("octocat", "hello").refs.get("feature/login")).toBe(main);
  });

  it("branches from the branch named by from", async () => {
    const repo = fake.world.repo("octocat", "hello");
    const tip = fake.world.push(repo, "develop");
    const before = fake.count("GET /repos/{owner}/{repo}");
    const { result } = await github(fake).invoke({
      operation: "create_branch",
      parameters: { repo: "hello", branch: "hotfix", from: "develop" },
    });
    expect(result).toMatchObject({ sha: tip, from: "develop" });
    expect(fake.count("GET /repos/{owner}/{repo}")).toBe(before);
  });

  it("says conflict when the branch exists (Reference already exists)", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "create_branch",
        parameters: { repo: "hello", branch: "main" },
      }),
      "failed_precondition",
    );
    expect(error.message).toContain("Reference already exists");
  });

  it("says not found, naming the branch, when the base branch does not exist", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "create_branch",
        parameters: { repo: "hello", branch: "x", from: "nope" },
      }),
      "not_found",
    );
    expect(error.message).toContain('branch "nope" not found in octocat/hello');
  });

  it("says permission denied in a repository the token can only read", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "create_branch",
        parameters: { owner: "torvalds", repo: "linux", branch: "mine" },
      }),
      "permission_denied",
    );
    expect(error.message).toContain("Resource not accessible by personal access token");
    expect(fake.world.repo("torvalds", "linux").refs.has("mine")).toBe(false);
  });

  it("refuses a branch given as a full ref, naming the parameter", async () => {
    const error = await expectCode(
      github(fake).invoke({
        operation: "create_branch",
        parameters: { repo: "hello", branch: "refs/heads/x" },
      }),
      "invalid_argument",
    );
    expect(error.details.field).toBe("parameters.branch");
  });
});
