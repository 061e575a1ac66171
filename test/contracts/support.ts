import { enterYearArrangement } from '../../src/platform/calendar/calendar.js';
import { anAcceptedAward } from '../awards/support.js';
import type { LoggedIn } from '../support/builders.js';
import type { TestPlatform } from '../support/platform.js';
import { post } from '../projects/support.js';

export { post };

/** The winning quote and promised working days of `anAcceptedAward`'s winner (firms[0]). */
export const WINNING_PRICE = 11_000_000;
export const PROMISED_DAYS = 20;
/** Accepted on Friday 2026-12-04; 20 working days later (with 2027-01-01 a holiday) is Monday 2027-01-04. */
export const SIGNED_ON = '2026-12-04';
export const DUE_AT = '2027-01-04T17:00:00+08:00';

export const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

/** Uploads a small PDF for `purpose` as this user and returns its id. */
export async function uploaded(session: LoggedIn, purpose: string, filename = '合同.pdf'): Promise<number> {
  const response = await session.agent.post('/api/v1/files').set('X-CSRF-Token', session.csrfToken).field('purpose', purpose).attach('file', PDF, filename);
  if (response.status !== 201) throw new Error(`upload failed ${response.status} ${response.text}`);
  return response.body.id as number;
}

/**
 * The 2027 arrangement entered as staff would (only 元旦 matters to these tests), so deadlines
 * counted into January can be computed.
 */
export async function with2027Calendar(platform: TestPlatform): Promise<void> {
  await enterYearArrangement(platform, 'system:test', { year: 2027, reference: '测试用节假日安排', days: [{ day: '2027-01-01', isWorkingDay: false, name: '元旦' }] });
}

/** An awarded project with the winner's acceptance, its owner and winner logged in by token. */
export async function anAwardedProject(platform: TestPlatform) {
  await with2027Calendar(platform);
  const accepted = await anAcceptedAward(platform);
  return { ...accepted, owner: accepted.scene.owner };
}

/** The same project with its contract on record (signed on SIGNED_ON at the winning price). */
export async function aContractedProject(platform: TestPlatform) {
  const awarded = await anAwardedProject(platform);
  const fileId = await uploaded(awarded.owner, 'contract');
  const contract = await post(awarded.owner, `/api/v1/projects/${awarded.projectId}/contract`, { amountFen: WINNING_PRICE, signedOn: SIGNED_ON, fileId });
  if (contract.status !== 201) throw new Error(`contract failed ${contract.status} ${contract.text}`);
  return { ...awarded, contractId: contract.body.id as number, contractFileId: fileId };
}

/** The same project with the winner's delivery on record at the clock's current time. */
export async function aDeliveredProject(platform: TestPlatform) {
  const contracted = await aContractedProject(platform);
  const fileId = await uploaded(contracted.winner, 'deliverable', '环评报告表.pdf');
  const delivered = await post(contracted.winner, `/api/v1/projects/${contracted.projectId}/delivery`, { note: '提交环境影响报告表（报批稿）', fileIds: [fileId] });
  if (delivered.status !== 200) throw new Error(`delivery failed ${delivered.status} ${delivered.text}`);
  return { ...contracted, deliverableId: fileId };
}

export const ALL = (score: number) => ({ quality: score, timeliness: score, attitude: score, fees: score, conduct: score });
