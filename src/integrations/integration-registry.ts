import { AppError } from "../domain/index.js";
import type { Integration, IntegrationStatus } from "./integration.js";

/** One integration with its current status, as the service reports it. */
export interface IntegrationInfo extends IntegrationStatus {
  name: string;
  operations: string[];
}

/** The integrations a service offers, by name. */
export interface IntegrationRegistry {
  /** Every integration with its current status, in registration order. */
  list(): Promise<IntegrationInfo[]>;
  /** The integration called `name`; throws not_found. */
  get(name: string): Integration;
}

const NAME = /^[a-z][a-z0-9_-]*$/;

/**
 * Builds the registry from a plugin list. Names must be unique and lower case, so that an
 * operation can be addressed as `<integration>.<operation>` without ambiguity.
 */
export function createIntegrationRegistry(
  integrations: readonly Integration[],
): IntegrationRegistry {
  const byName = new Map<string, Integration>();
  for (const integration of integrations) {
    if (!NAME.test(integration.name)) {
      throw AppError.invalidArgument(
        "integrations",
        `integration name ${JSON.stringify(integration.name)} must be lower case letters, digits, _ or -`,
      );
    }
    if (byName.has(integration.name)) {
      throw AppError.invalidArgument(
        "integrations",
        `integration ${JSON.stringify(integration.name)} is registered twice`,
      );
    }
    byName.set(integration.name, integration);
  }

  return {
    list: () => Promise.all([...byName.values()].map(describe)),
    get(name) {
      const found = byName.get(name);
      if (!found) throw AppError.notFound("integration", name);
      return found;
    },
  };
}

async function describe(integration: Integration): Promise<IntegrationInfo> {
  let status: IntegrationStatus;
  try {
    status = await integration.status();
  } catch (error) {
    // The contract says status() does not throw; one that does is reported, not propagated,
    // so one broken plugin cannot hide the others.
    status = { state: "down", message: `status check failed: ${AppError.from(error).message}` };
  }
  return { name: integration.name, operations: [...integration.operations], ...status };
}
