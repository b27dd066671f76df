import type { ProjectTemplate } from "../../domain/index.js";
import type { PlanContext, PlanStep } from "./plan-step.js";
import { capabilitiesFor, stackSummary, stackValues } from "./stack-capabilities.js";

const KEYS = {
  database: /db|database|data|storage|sql|persistence/,
  cache: /cache/,
  backend: /back|api|server|service|language/,
  frontend: /front|ui|client|web/,
  devops: /infra|deploy|devops|cloud|hosting|ops|ci|platform/,
};

/** "X (React + TypeScript)" when the stack names it, else "X". */
function withStack(label: string, ctx: PlanContext, key: RegExp): string {
  const values = Object.entries(ctx.techStack)
    .filter(([k]) => key.test(k.toLowerCase()))
    .map(([, v]) => v);
  return values.length > 0 ? `${label} (${values.join(", ")})` : label;
}

function requirementsLine(ctx: PlanContext): string {
  return ctx.requirements.trim() !== "" ? ` Requirements: ${ctx.requirements.trim()}.` : "";
}

function planning(ctx: PlanContext): PlanStep {
  const stack = stackSummary(ctx.techStack);
  return {
    ref: "planning",
    type: "manager",
    title: `Plan ${ctx.name}`,
    description:
      `Break ${ctx.name} into milestones with acceptance criteria, assign owners and assess risks.` +
      `${ctx.description ? ` Goal: ${ctx.description}.` : ""}${requirementsLine(ctx)}${stack ? ` Tech stack: ${stack}.` : ""}`,
    capabilities: capabilitiesFor("manager", [], ["planning", "risk_assessment"]),
    dependsOn: [],
  };
}

function hasCache(ctx: PlanContext): boolean {
  return Object.entries(ctx.techStack).some(
    ([k, v]) => KEYS.cache.test(k.toLowerCase()) || /redis|memcache/i.test(v),
  );
}

function webApplication(ctx: PlanContext): PlanStep[] {
  const cache = hasCache(ctx);
  const steps: PlanStep[] = [
    planning(ctx),
    {
      ref: "database",
      type: "database",
      title: `Design the ${withStack("database", ctx, KEYS.database)} schema for ${ctx.name}`,
      description: `Model the data behind ${ctx.name}, with migrations and indexes for its main queries.${requirementsLine(ctx)}`,
      capabilities: capabilitiesFor("database", stackValues(ctx.techStack, KEYS.database)).filter(
        (c) => c !== "redis",
      ),
      dependsOn: ["planning"],
    },
  ];
  if (cache) {
    steps.push({
      ref: "cache",
      type: "database",
      title: `Set up the ${withStack("cache", ctx, KEYS.cache)} layer`,
      description: `Decide what ${ctx.name} caches, with keys, expiry and invalidation, and provision it.`,
      capabilities: capabilitiesFor("database", stackValues(ctx.techStack, KEYS.cache), ["redis"]),
      dependsOn: ["database"],
    });
  }
  steps.push(
    {
      ref: "api",
      type: "backend",
      title: `Build the ${withStack("API", ctx, KEYS.backend)} for ${ctx.name}`,
      description: `Implement the endpoints, authentication and business rules of ${ctx.name} on top of its data model.${requirementsLine(ctx)}`,
      capabilities: capabilitiesFor("backend", stackValues(ctx.techStack, KEYS.backend), [
        "api_design",
      ]),
      dependsOn: cache ? ["database", "cache"] : ["database"],
    },
    {
      ref: "ui",
      type: "frontend",
      title: `Build the ${withStack("user interface", ctx, KEYS.frontend)} for ${ctx.name}`,
      description: `Screens and flows for every user-facing feature, responsive, against the planned API contract.${requirementsLine(ctx)}`,
      capabilities: capabilitiesFor("frontend", stackValues(ctx.techStack, KEYS.frontend)),
      dependsOn: ["planning"],
    },
    {
      ref: "integration",
      type: "integration",
      title: `Integrate the user interface with the API of ${ctx.name}`,
      description:
        "Wire every screen to its endpoints, handle errors and loading states, and connect third-party services.",
      capabilities: capabilitiesFor("integration", [], ["api_integration"]),
      dependsOn: ["api", "ui"],
    },
    {
      ref: "testing",
      type: "qa",
      title: `Test ${ctx.name} end to end`,
      description: `Automated tests of every requirement through the user interface and the API, plus a regression suite.${requirementsLine(ctx)}`,
      capabilities: capabilitiesFor("qa", [], ["testing", "automation"]),
      dependsOn: ["integration"],
    },
    {
      ref: "deployment",
      type: "devops",
      title: `Deploy ${ctx.name}`,
      description:
        "Build, configure and ship every component to production with monitoring and a rollback path.",
      capabilities: capabilitiesFor(
        "devops",
        hasKey(ctx, KEYS.devops) ? stackValues(ctx.techStack, KEYS.devops) : [],
      ),
      dependsOn: ["testing"],
    },
  );
  return steps;
}

function apiService(ctx: PlanContext): PlanStep[] {
  return [
    planning(ctx),
    {
      ref: "data_model",
      type: "database",
      title: `Design the ${withStack("data model", ctx, KEYS.database)} of ${ctx.name}`,
      description: `Entities, relations, migrations and indexes the API needs.${requirementsLine(ctx)}`,
      capabilities: capabilitiesFor("database", stackValues(ctx.techStack, KEYS.database)),
      dependsOn: ["planning"],
    },
    {
      ref: "api",
      type: "backend",
      title: `Implement the ${withStack("API", ctx, KEYS.backend)} of ${ctx.name}`,
      description: `Endpoints, validation, authentication and error handling.${requirementsLine(ctx)}`,
      capabilities: capabilitiesFor("backend", stackValues(ctx.techStack, KEYS.backend), [
        "api_design",
      ]),
      dependsOn: ["data_model"],
    },
    {
      ref: "contract_tests",
      type: "qa",
      title: `Test the API of ${ctx.name} against its contract`,
      description: "Contract, integration and load tests of every endpoint, including error cases.",
      capabilities: capabilitiesFor("qa", [], ["testing", "automation"]),
      dependsOn: ["api"],
    },
    {
      ref: "deployment",
      type: "devops",
      title: `Deploy ${ctx.name}`,
      description:
        "Package, deploy and monitor the service, with health checks and a rollback path.",
      capabilities: capabilitiesFor(
        "devops",
        hasKey(ctx, KEYS.devops) ? stackValues(ctx.techStack, KEYS.devops) : [],
      ),
      dependsOn: ["contract_tests"],
    },
  ];
}

function dataPipeline(ctx: PlanContext): PlanStep[] {
  return [
    planning(ctx),
    {
      ref: "ingestion",
      type: "integration",
      title: `Ingest the sources of ${ctx.name}`,
      description: `Connect to every source, pull incrementally and land raw data safely.${requirementsLine(ctx)}`,
      capabilities: capabilitiesFor("integration", [], ["api_integration"]),
      dependsOn: ["planning"],
    },
    {
      ref: "storage",
      type: "database",
      title: `Design the ${withStack("storage", ctx, KEYS.database)} of ${ctx.name}`,
      description: "Raw, staged and modelled layers, partitioning and retention.",
      capabilities: capabilitiesFor("database", stackValues(ctx.techStack, KEYS.database)),
      dependsOn: ["planning"],
    },
    {
      ref: "transformations",
      type: "backend",
      title: `Write the transformations of ${ctx.name}`,
      description:
        "Clean, join and aggregate the ingested data into the modelled layer, idempotently.",
      capabilities: capabilitiesFor("backend", stackValues(ctx.techStack, KEYS.backend)),
      dependsOn: ["ingestion", "storage"],
    },
    {
      ref: "quality",
      type: "qa",
      title: `Check the data quality of ${ctx.name}`,
      description: "Freshness, completeness, uniqueness and range checks with alerts.",
      capabilities: capabilitiesFor("qa", [], ["testing"]),
      dependsOn: ["transformations"],
    },
    {
      ref: "scheduling",
      type: "devops",
      title: `Schedule and deploy ${ctx.name}`,
      description: "Run the pipeline on a schedule with retries, monitoring and backfills.",
      capabilities: capabilitiesFor(
        "devops",
        hasKey(ctx, KEYS.devops) ? stackValues(ctx.techStack, KEYS.devops) : [],
        ["monitoring"],
      ),
      dependsOn: ["quality"],
    },
  ];
}

function generic(ctx: PlanContext): PlanStep[] {
  return [
    planning(ctx),
    {
      ref: "implementation",
      type: "backend",
      title: `Carry out ${ctx.name}`,
      description: `Do the work the plan describes.${requirementsLine(ctx)}`,
      capabilities: capabilitiesFor("backend", Object.values(ctx.techStack)),
      dependsOn: ["planning"],
    },
    {
      ref: "verification",
      type: "qa",
      title: `Verify ${ctx.name}`,
      description: "Check every requirement is met and record the evidence.",
      capabilities: capabilitiesFor("qa", [], ["quality_assurance"]),
      dependsOn: ["implementation"],
    },
    {
      ref: "report",
      type: "manager",
      title: `Report on ${ctx.name}`,
      description: "Summarise what was delivered, what is left and the risks that remain.",
      capabilities: capabilitiesFor("manager", [], ["reporting"]),
      dependsOn: ["verification"],
    },
  ];
}

function hasKey(ctx: PlanContext, key: RegExp): boolean {
  return Object.keys(ctx.techStack).some((k) => key.test(k.toLowerCase()));
}

/** Every template, by name. */
export const TEMPLATES: Readonly<Record<ProjectTemplate, (ctx: PlanContext) => PlanStep[]>> = {
  web_application: webApplication,
  api_service: apiService,
  data_pipeline: dataPipeline,
  generic,
};
