import type { CreateServiceInput } from '../../src/catalog/schemas.js';
import { createServiceItem, publishServiceItem } from '../../src/catalog/service.js';
import type { TestPlatform } from '../support/platform.js';

let sequence = 0;

/** A valid new service item; every call gets its own code (TS-0001, TS-0002 …). */
export function aServiceInput(overrides: Partial<CreateServiceInput> = {}): CreateServiceInput {
  sequence += 1;
  return {
    code: `TS-${String(sequence).padStart(4, '0')}`,
    name: `测试服务事项${sequence}`,
    category: '投资建设类',
    basis: '《测试条例》第一条。',
    timeLimitDays: 10,
    fee: { mode: 'market', minFen: null, maxFen: null, basis: '市场调节价。' },
    qualificationRequirements: '',
    relatedApproval: '测试审批事项',
    ...overrides,
  };
}

/** Creates (and by default publishes) an item through the service, as staff would. */
export async function aPublishedService(platform: TestPlatform, overrides: Partial<CreateServiceInput> = {}, publish = true) {
  const input = aServiceInput(overrides);
  await createServiceItem(platform, 'user:1', input);
  if (publish) await publishServiceItem(platform, 'user:1', input.code);
  return input;
}

/** The body the API takes: what the JSON looks like on the wire. */
export const asJson = (input: CreateServiceInput) => JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
