import type { ProjectSpec, ProjectTemplate } from "../../domain/index.js";

const PIPELINE =
  /\b(etl|elt|pipelines?|ingest\w*|data ?warehouse|warehouse|airflow|spark|kafka|stream processing|batch jobs?)\b/;
const WEB =
  /\b(web ?app\w*|website|frontend|front-end|ui|react|vue|angular|svelte|e-?commerce|dashboard|full-?stack|portal|storefront)\b/;
const API = /\b(api|apis|rest|grpc|graphql|microservices?|service|backend|endpoints?)\b/;

/**
 * Picks a template from what the project says about itself. A stack with a front end (or
 * web words) is a web application; pipeline words make a data pipeline; API or service words
 * an API service; anything else the generic plan.
 */
export function detectTemplate(spec: ProjectSpec): ProjectTemplate {
  if (spec.template !== null) return spec.template;
  const stackKeys = Object.keys(spec.techStack).join(" ").toLowerCase();
  const text = [
    spec.name,
    spec.description,
    spec.requirements,
    stackKeys,
    ...Object.values(spec.techStack),
  ]
    .join(" ")
    .toLowerCase();
  if (PIPELINE.test(text)) return "data_pipeline";
  if (/\b(front\w*|ui|client|web)\b/.test(stackKeys) || WEB.test(text)) return "web_application";
  if (/\b(back\w*|api|server)\b/.test(stackKeys) || API.test(text)) return "api_service";
  return "generic";
}
