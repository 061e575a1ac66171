import { eq } from 'drizzle-orm';
import type { auditEvents } from '../audit/tables.js';
import { organizations } from '../auth/tables.js';
import { contracts } from '../contracts/tables.js';
import type { Executor } from '../platform/db/index.js';
import { isoShanghai, shanghaiInstant } from '../platform/time.js';
import type { projects } from '../projects/tables.js';
import { ocidOf, partyId, value } from './ocds-values.js';

/** Contract audit actions (entity `project`) and the release each makes. */
const CONTRACT_RELEASES: Record<string, { tag: 'contract' | 'contractUpdate'; status: 'active' | 'terminated' }> = {
  'contract.signed': { tag: 'contract', status: 'active' },
  'contract.delivered': { tag: 'contractUpdate', status: 'active' },
  'contract.completed': { tag: 'contractUpdate', status: 'terminated' },
};

export const CONTRACT_ACTIONS = Object.keys(CONTRACT_RELEASES);

/**
 * A contract (服务合同) release: the contract as recorded, its status after the event, delivery
 * and acceptance as implementation milestones. The award it rests on is `{ocid}-award-1`.
 */
export async function contractReleasesOf(
  db: Executor,
  project: typeof projects.$inferSelect,
  owner: { name: string; uscc: string },
  event: typeof auditEvents.$inferSelect,
  ocidPrefix: string,
): Promise<Record<string, unknown>[]> {
  const kind = CONTRACT_RELEASES[event.action];
  const contractId = Number((event.data as { contractId?: number }).contractId);
  if (!kind || !Number.isSafeInteger(contractId)) return [];
  const [row] = await db
    .select({ contract: contracts, firmName: organizations.name, firmUscc: organizations.uscc })
    .from(contracts)
    .innerJoin(organizations, eq(organizations.id, contracts.firmId))
    .where(eq(contracts.id, contractId));
  if (!row) return [];
  const { contract } = row;
  const ocid = ocidOf(ocidPrefix, project.id);
  const atEvent = (at: Date | null) => (at && at <= event.at ? at : null);
  const delivered = atEvent(contract.deliveredAt);
  const completed = atEvent(contract.completedAt);
  const milestones = [
    ...(delivered ? [{ id: 'delivery', title: '交付服务成果', type: 'delivery', status: 'met', dateMet: isoShanghai(delivered) }] : []),
    ...(completed ? [{ id: 'acceptance', title: '业主验收', type: 'delivery', status: 'met', dateMet: isoShanghai(completed), description: contract.overdue === 'overdue' ? '逾期交付' : '按期交付' }] : []),
  ];
  return [
    {
      ocid,
      id: `${ocid}-${event.seq}`,
      date: isoShanghai(event.at),
      tag: [kind.tag],
      initiationType: 'tender',
      language: 'zh',
      parties: [
        { id: partyId(owner.uscc), name: owner.name, identifier: { scheme: 'CN-USCC', id: owner.uscc, legalName: owner.name }, roles: ['buyer'] },
        { id: partyId(row.firmUscc), name: row.firmName, identifier: { scheme: 'CN-USCC', id: row.firmUscc, legalName: row.firmName }, roles: ['supplier'] },
      ],
      buyer: { id: partyId(owner.uscc), name: owner.name },
      contracts: [
        {
          id: `${ocid}-contract-${contract.id}`,
          awardID: `${ocid}-award-1`,
          title: project.title,
          status: kind.status,
          dateSigned: isoShanghai(shanghaiInstant(contract.signedOn)),
          value: value(contract.amountFen),
          ...(milestones.length ? { implementation: { milestones } } : {}),
        },
      ],
    },
  ];
}
