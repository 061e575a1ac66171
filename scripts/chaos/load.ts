/**
 * Client load over HTTP on 127.0.0.1: sealed submissions, auction bids and page views, each
 * client a loop until stopped. Every answer is counted by status; every acknowledged write (201)
 * is kept with what it returned, for the check that it is in the database.
 */
import { sleep } from './app.js';
import type { ChaosScene, LiveAuction } from './scene.js';

const REQUEST_TIMEOUT_MS = 15_000;
const BACKOFF_MS = 100;
const SAMPLE_BODIES = 5;

export interface SubmissionAck {
  submissionId: number;
  receiptHash: string;
  at: number;
}

export interface BidAck {
  actionId: number;
  projectId: number;
  kind: string;
  amountFen: number | null;
  at: number;
}

export class LoadStats {
  readonly statuses = new Map<number, number>();
  /** Requests that got no HTTP answer (refused, reset, timed out). */
  networkErrors = 0;
  readonly serverErrorSamples: string[] = [];
  readonly submissions: SubmissionAck[] = [];
  readonly bids: BidAck[] = [];
  auctionsFinished = 0;

  count(status: number, what: string, body: string): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (status >= 500 && status !== 503) this.sample(`${status} ${what}`, body);
  }

  /** Keeps a few bodies, at most two per request line, so different failures show. */
  private sample(request: string, body: string): void {
    const sameRequest = this.serverErrorSamples.filter((sample) => sample.startsWith(`${request}:`)).length;
    if (this.serverErrorSamples.length >= SAMPLE_BODIES || sameRequest >= 2) return;
    // an HTML error page: its text, not its markup
    this.serverErrorSamples.push(`${request}: ${body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300)}`);
  }

  /** 5xx other than 503 (503 is the honest "database unreachable, retry"). */
  get serverErrors(): number {
    return [...this.statuses].filter(([status]) => status >= 500 && status !== 503).reduce((sum, [, n]) => sum + n, 0);
  }

  get unavailable(): number {
    return this.statuses.get(503) ?? 0;
  }

  /** When the first submission acknowledged at or after `since` was answered, if any. */
  firstSubmissionAckAfter(since: number): number | undefined {
    let first: number | undefined;
    for (let i = this.submissions.length - 1; i >= 0 && this.submissions[i]!.at >= since; i -= 1) first = this.submissions[i]!.at;
    return first;
  }
}

interface Answer {
  status: number;
  body: string;
}

async function send(stats: LoadStats, baseUrl: string, method: 'GET' | 'POST', path: string, options: { token?: string; json?: unknown } = {}): Promise<Answer | undefined> {
  const headers: Record<string, string> = { accept: path.startsWith('/api/') ? 'application/json' : 'text/html' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(baseUrl + path, {
      method, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
    });
    const body = await response.text();
    stats.count(response.status, `${method} ${path}`, body);
    return { status: response.status, body };
  } catch {
    stats.networkErrors += 1;
    await sleep(BACKOFF_MS);
    return undefined;
  }
}

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

export class Load {
  readonly stats = new LoadStats();
  private running = false;
  private loops: Promise<void>[] = [];
  private nextAuction = 0;

  constructor(private readonly baseUrl: string, private readonly scene: ChaosScene) {}

  start(clients: { submitters: number; bidders?: number; readers?: number }): void {
    this.running = true;
    for (let c = 0; c < clients.submitters; c += 1) this.loops.push(this.submitter(c, clients.submitters));
    for (let c = 0; c < (clients.bidders ?? 0); c += 1) this.loops.push(this.bidder());
    for (let c = 0; c < (clients.readers ?? 0); c += 1) this.loops.push(this.reader());
  }

  /** Ends every loop after its request in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** Client c quotes for firms c, c + clients, … in turn (its own firms: their quotes stay in order). */
  private async submitter(client: number, clients: number): Promise<void> {
    const mine = this.scene.firms.filter((_, index) => index % clients === client);
    for (let turn = 0; this.running; turn += 1) {
      const firm = mine[turn % mine.length]!;
      const body = { amountFen: randomInt(10_000_000, 14_000_000), promisedDays: 20, plan: '技术方案：按规范编制。' };
      const answer = await send(this.stats, this.baseUrl, 'POST', `/api/v1/projects/${this.scene.inquiryId}/submissions`, { token: firm.token, json: body });
      if (answer?.status === 201) {
        const receipt = JSON.parse(answer.body) as { submissionId: number; receiptHash: string };
        this.stats.submissions.push({ submissionId: receipt.submissionId, receiptHash: receipt.receiptHash, at: Date.now() });
      }
    }
  }

  /** Drives one auction after another: always the bidder on turn, one minimum step down. */
  private async bidder(): Promise<void> {
    while (this.running) {
      const auction = this.scene.auctions[this.nextAuction++];
      if (!auction) return;
      await this.driveAuction(auction);
    }
  }

  private async driveAuction(auction: LiveAuction): Promise<void> {
    const path = `/api/v1/projects/${auction.projectId}/auction`;
    while (this.running) {
      const answer = await send(this.stats, this.baseUrl, 'GET', path);
      if (answer?.status !== 200) continue;
      const state = JSON.parse(answer.body) as { phase: string; current: { label: string } | null; bidders: { label: string; currentFen: number }[] };
      if (state.phase === 'ended' || !state.current) {
        this.stats.auctionsFinished += 1;
        return;
      }
      const { label } = state.current;
      const amountFen = state.bidders.find((bidder) => bidder.label === label)!.currentFen - auction.minStepFen;
      const bid = await send(this.stats, this.baseUrl, 'POST', `${path}/bids`, { token: auction.tokenOf.get(label)!, json: { amountFen } });
      if (bid?.status === 201) {
        const receipt = JSON.parse(bid.body) as { actionId: number; projectId: number; kind: string; amountFen: number | null };
        this.stats.bids.push({ actionId: receipt.actionId, projectId: receipt.projectId, kind: receipt.kind, amountFen: receipt.amountFen, at: Date.now() });
      }
    }
  }

  private async reader(): Promise<void> {
    const pages = ['/', '/projects', `/projects/${this.scene.inquiryId}`];
    for (let turn = 0; this.running; turn += 1) {
      await send(this.stats, this.baseUrl, 'GET', pages[turn % pages.length]!);
    }
  }
}
