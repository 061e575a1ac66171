/**
 * The data the chaos scripts load against, seeded with service calls before the app starts and
 * placed in real time: one sealed price inquiry whose submissions are open now (registration
 * closed a day ago, submissions close in a week) and, optionally, bidding projects whose live
 * auction has just started (ten rounds of ten-minute turns, so no turn times out while the app
 * is down). Every firm gets a personal API token, so clients send `Authorization: Bearer …`.
 */
import { randomBytes } from 'node:crypto';
import { closeAuctionBus } from '../../src/auction/bus.js';
import { findAuction } from '../../src/auction/repository.js';
import type { Bidder } from '../../src/auction/schedule.js';
import { createApiToken } from '../../src/auth/service.js';
import { registerDomains } from '../../src/domains.js';
import { DAY, HOUR, MINUTE } from '../../src/platform/clock.js';
import type { Database } from '../../src/platform/db/index.js';
import type { CurrentUser } from '../../src/platform/http/access.js';
import { settleProject } from '../../src/selection/settle.js';
import { submitSealed } from '../../src/selection/submissions.js';
import { aMarketplace, aRegisteredProject, type Marketplace, type SeedDeps, seedDeps } from '../support/seed.js';

export const BUDGET_FEN = 15_000_000;
/** A firm may hold 5 unfinished projects per service item. */
const AUCTIONS_PER_SERVICE_ITEM = 4;

export interface FirmClient {
  firmId: number;
  token: string;
}

export interface LiveAuction {
  projectId: number;
  minStepFen: number;
  /** The bidder's label ("A", "B" …) → its firm's token. */
  tokenOf: Map<string, string>;
}

export interface ChaosScene {
  inquiryId: number;
  firms: FirmClient[];
  auctions: LiveAuction[];
}

export interface SceneSize {
  firms: number;
  auctions: number;
  biddersPerAuction: number;
}

async function anOpenInquiry(deps: SeedDeps, market: Marketplace, realNow: number) {
  return aRegisteredProject(deps, market, {
    method: 'inquiry', title: '混沌测试询价项目', serviceCode: market.serviceCodes[0]!, budgetFen: BUDGET_FEN,
    registrationCloses: new Date(realNow - DAY), submissionCloses: new Date(realNow + 7 * DAY),
  });
}

/** Registered bidding projects whose initial sealed bids are due a minute before `realNow`. */
async function registeredAuctions(deps: SeedDeps, market: Marketplace, realNow: number, size: SceneSize) {
  const bidders = market.firms.slice(0, size.biddersPerAuction);
  const ids: number[] = [];
  for (let a = 0; a < size.auctions; a += 1) {
    const project = await aRegisteredProject(deps, market, {
      method: 'bidding', title: `混沌测试竞价项目${a + 1}`, serviceCode: market.serviceCodes[1 + Math.floor(a / AUCTIONS_PER_SERVICE_ITEM)]!,
      budgetFen: BUDGET_FEN, registrationCloses: new Date(realNow - 2 * DAY), submissionCloses: new Date(realNow - MINUTE),
      options: { rounds: 10, turnSeconds: 600 }, firms: bidders,
    });
    ids.push(project.id);
  }
  return { ids, bidders };
}

async function initialBids(deps: SeedDeps, projectIds: number[], bidders: CurrentUser[]) {
  for (const projectId of projectIds) {
    for (const [i, firm] of bidders.entries()) await submitSealed(deps, firm, projectId, { amountFen: 14_000_000 - i * 10_000 });
  }
}

/** Opens the initial bids now: each auction starts at this moment. */
async function startAuctions(deps: SeedDeps, projectIds: number[], tokenOfFirm: Map<number, string>): Promise<LiveAuction[]> {
  const auctions: LiveAuction[] = [];
  for (const projectId of projectIds) {
    await settleProject(deps, projectId);
    const auction = await findAuction(deps.database.db, projectId);
    if (!auction) throw new Error(`project ${projectId}: the opening started no auction`);
    const tokenOf = new Map((auction.bidders as Bidder[]).map((bidder) => [bidder.label, tokenOfFirm.get(bidder.firmId)!]));
    auctions.push({ projectId, minStepFen: auction.minStepFen, tokenOf });
  }
  return auctions;
}

/**
 * Seeds the scene into a migrated database. The clock is shifted three days back for the
 * projects and registrations, one day back (after registration closed) for the initial bids,
 * and back to the real time for the auctions' opening and the tokens.
 */
export async function seedChaosScene(database: Database, submissionKey: Buffer, size: SceneSize): Promise<ChaosScene> {
  const deps = seedDeps(database, submissionKey, randomBytes(32).toString('hex'));
  registerDomains(deps); // the auctions' opening schedules their turn deadlines as jobs
  const realNow = Date.now();
  deps.clock.setNow(realNow - 3 * DAY);
  const market = await aMarketplace(deps, { firms: size.firms, serviceItems: 1 + Math.ceil(size.auctions / AUCTIONS_PER_SERVICE_ITEM) });
  const inquiry = await anOpenInquiry(deps, market, realNow);
  const { ids, bidders } = await registeredAuctions(deps, market, realNow, size);
  deps.clock.setNow(realNow - DAY + HOUR);
  await initialBids(deps, ids, bidders);
  deps.clock.reset();
  const firms: FirmClient[] = [];
  for (const firm of market.firms) firms.push({ firmId: firm.organizationId!, token: (await createApiToken(deps, firm, 'chaos')).token });
  const auctions = await startAuctions(deps, ids, new Map(firms.map((firm) => [firm.firmId, firm.token])));
  await closeAuctionBus(deps);
  await deps.jobs.close();
  return { inquiryId: inquiry.id, firms, auctions };
}
