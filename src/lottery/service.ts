import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { appendAudit } from '../audit/service.js';
import { canonicalJson } from '../platform/canonical-json.js';
import type { Executor, Tx } from '../platform/db/index.js';
import type { PlatformDeps } from '../platform/deps.js';
import { AppError, badRequest, conflict, notFound } from '../platform/errors.js';
import { sha256hex } from '../platform/hash.js';
import { isoShanghai, shanghaiDate } from '../platform/time.js';
import {
  canonicaliseCandidates,
  canonicaliseEntropy,
  candidatesHash,
  createLotteryV1Record,
  createRfc3797Record,
  declareDrandRound,
  DrandVerificationError,
  entropyLines,
  externalFromBeacon,
  externalFromManualFigure,
  fetchVerifiedBeacon,
  firstRoundAfter,
  generateServerSeed,
  LotteryInputError,
  RFC3797_MAX_POOL,
  rfc3797Key,
  roundAt,
  seedCommitment,
  sha256Hex,
  timeOfRound,
  totalWeight,
  type DrandBeacon,
  type DrandClient,
  type ExternalSourceDeclaration,
  type ExternalSourceValue,
  type LotteryCandidate,
  type LotteryRecord,
  type Rfc3797Source,
} from './algorithm/index.js';
import * as repository from './repository.js';
import type { LotteryRow } from './repository.js';
import { parseRfc3797Sources } from './rfc3797-sources.js';

export const LOTTERY_ENTITY = 'lottery';
export const LOTTERY_ALGORITHMS = ['lottery-v1', 'rfc3797'] as const;
export type LotteryAlgorithm = (typeof LOTTERY_ALGORITHMS)[number];
export const LOTTERY_STATUSES = ['committed', 'awaiting_external', 'drawn', 'invalidated'] as const;
export type LotteryStatus = (typeof LOTTERY_STATUSES)[number];
export const MAX_WITNESSES = 3;

export interface LotterySubject {
  entityType: string;
  entityId: string;
}

/** The source as a caller declares it; a drand round is named directly or as "the first after". */
export type ExternalSourceInput =
  | { kind: 'none' }
  | { kind: 'manual'; description: string }
  | { kind: 'drand'; round?: number; after?: Date };

export interface CommitLotteryInput {
  subject?: LotterySubject;
  algorithm: LotteryAlgorithm;
  winners: number;
  external: ExternalSourceInput;
}

export interface CommitOptions {
  /** A CSPRNG; node:crypto randomBytes unless a test supplies its own. */
  randomBytes?: (length: number) => Uint8Array;
}

export interface DrawOptions {
  /** Needed for a drand source; the HTTP routes pass the relay client. */
  drandClient?: DrandClient;
}

/** What anyone may see of a lottery. The server seed appears only inside `record`, after the draw. */
export interface LotteryPublication {
  lotteryId: string;
  algorithm: LotteryAlgorithm;
  status: LotteryStatus;
  subject: LotterySubject | null;
  winnerCount: number;
  /** lottery-v1 only. */
  seedCommitment?: string;
  commitmentPublishedAt: string;
  external: {
    declaration: ExternalSourceDeclaration;
    value?: string;
    reference?: string;
    enteredAt?: string;
    /** drand: when the declared round is published, i.e. the earliest moment of the draw. */
    roundPublishedAt?: string;
  };
  /** Fixed at registration close; the list itself stays confidential until the draw. */
  candidatesHash?: string;
  candidateCount?: number;
  registrationClosedAt?: string;
  witnesses: string[];
  invalidation: { reason: string; at: string } | null;
  /** The public draw record, once drawn (kept, unchanged, if the draw is later invalidated). */
  record: LotteryRecord | null;
}

export interface LotterySummary {
  lotteryId: string;
  algorithm: LotteryAlgorithm;
  status: LotteryStatus;
  subject: LotterySubject | null;
  externalKind: ExternalSourceDeclaration['kind'];
  winnerCount: number;
  candidateCount: number | null;
  commitmentPublishedAt: string;
  drawnAt: string | null;
}

const iso = (date: Date): string => isoShanghai(date);

// ---------------------------------------------------------------------------------------------
// Commands

/** Publishes the commitment and the external source declaration; the server seed stays secret. */
export async function commitLottery(
  deps: PlatformDeps,
  actor: string,
  input: CommitLotteryInput,
  options: CommitOptions = {},
): Promise<LotteryPublication> {
  const now = deps.clock.now();
  if (!Number.isSafeInteger(input.winners) || input.winners < 1) {
    throw badRequest('invalid_winner_count', 'winners must be a positive integer');
  }
  const declaration = declare(input, now);
  const serverSeed = input.algorithm === 'lottery-v1' ? generateServerSeed(options.randomBytes ?? cryptoRandomBytes) : null;
  const commitment = serverSeed === null ? null : seedCommitment(serverSeed);
  return deps.database.transaction(async (tx) => {
    const number = await repository.nextLotteryNumber(tx);
    const id = `LOT-${shanghaiDate(now).slice(0, 4)}-${String(number).padStart(6, '0')}`;
    const row = await repository.insertLottery(tx, {
      id,
      algorithm: input.algorithm,
      status: 'committed',
      subjectType: input.subject?.entityType ?? null,
      subjectId: input.subject?.entityId ?? null,
      winnerCount: input.winners,
      serverSeed,
      seedCommitment: commitment,
      commitmentPublishedAt: now,
      externalDeclaration: declaration,
      createdBy: actor,
    });
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'lottery.committed',
      entityType: LOTTERY_ENTITY,
      entityId: id,
      data: {
        algorithm: input.algorithm,
        subject: input.subject ?? null,
        winnerCount: input.winners,
        seedCommitment: commitment,
        externalDeclaration: declaration,
      },
    });
    return publicationOf(row);
  });
}

function declare(input: CommitLotteryInput, now: Date): ExternalSourceDeclaration {
  const { external } = input;
  if (input.algorithm === 'rfc3797' && external.kind !== 'manual') {
    throw badRequest('rfc3797_needs_manual_sources', 'an rfc3797 draw needs a manual source: the public results it will use, announced now');
  }
  switch (external.kind) {
    case 'none':
      return { kind: 'none' };
    case 'manual': {
      const description = external.description.trim();
      if (description.length === 0 || /[\n\r\u0085\u2028\u2029]/.test(description)) {
        throw badRequest('invalid_external_source', 'describe the public figure to be used in one non-empty line');
      }
      return { kind: 'manual', description };
    }
    case 'drand': {
      const latest = roundAt(now.getTime());
      if (external.round !== undefined) {
        if (!Number.isSafeInteger(external.round) || external.round <= latest) {
          throw badRequest('drand_round_not_future', `drand round ${String(external.round)} is not in the future (round ${latest} is already out)`).with({ round: external.round });
        }
        return declareDrandRound(external.round);
      }
      if (external.after !== undefined) {
        return declareDrandRound(firstRoundAfter(Math.max(now.getTime(), external.after.getTime())));
      }
      throw badRequest(
        'drand_round_missing',
        'name the drand round, or a time after the planned registration close (the first round after it is used)',
      );
    }
  }
}

/**
 * Fixes the candidate list and the registrants' entropy at registration close. Before the
 * external value is known this may be repeated (each change audited); once it is known, a change
 * invalidates the draw instead, because whoever changes inputs then could steer the result.
 */
export async function fixCandidates(
  deps: PlatformDeps,
  actor: string,
  id: string,
  candidates: readonly LotteryCandidate[],
  entropy: Readonly<Record<string, string>> = {},
): Promise<LotteryPublication> {
  return deps.database.transaction(async (tx) => {
    const row = await lockOpen(tx, id);
    const now = deps.clock.now();
    const { canonical, canonicalEntropy } = validateCandidates(row, candidates, entropy);
    const hash = candidatesHash(canonical);
    const known = externalKnownSince(row, now);
    if (known) {
      return invalidate(tx, deps, actor, row, `the candidates or entropy were changed after the external value was known (${known})`, {
        cause: 'inputs_changed_after_external',
        attemptedCandidatesHash: hash,
      });
    }
    const updated = await repository.updateLottery(tx, id, {
      status: 'awaiting_external',
      candidates: canonical,
      candidatesHash: hash,
      entropy: canonicalEntropy,
      candidatesFixedAt: now,
    });
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'lottery.candidates_fixed',
      entityType: LOTTERY_ENTITY,
      entityId: id,
      data: {
        candidatesHash: hash,
        candidateCount: canonical.length,
        totalWeight: totalWeight(canonical),
        entropyCount: Object.keys(canonicalEntropy).length,
        entropyLinesHash: sha256Hex(entropyLines(canonical, canonicalEntropy)),
        ...(row.candidatesHash ? { replacedCandidatesHash: row.candidatesHash } : {}),
      },
    });
    return publicationOf(updated);
  });
}

function validateCandidates(
  row: LotteryRow,
  candidates: readonly LotteryCandidate[],
  entropy: Readonly<Record<string, string>>,
): { canonical: LotteryCandidate[]; canonicalEntropy: Record<string, string> } {
  if (candidates.length === 0) throw badRequest('no_candidates', 'a draw needs at least one candidate');
  try {
    const canonical = canonicaliseCandidates(candidates).map(({ uscc, weight, name }) =>
      name === undefined ? { uscc, weight } : { uscc, weight, name },
    );
    const canonicalEntropy = canonicaliseEntropy(canonical, entropy);
    if (row.algorithm === 'rfc3797') {
      const weighted = canonical.find((candidate) => candidate.weight !== 1);
      if (weighted) throw badRequest('rfc3797_weighted_candidates', `RFC 3797 draws are unweighted; ${weighted.uscc} has weight ${weighted.weight}`);
      if (Object.keys(canonicalEntropy).length > 0) throw badRequest('rfc3797_entropy', 'RFC 3797 draws take no registrant entropy');
      if (canonical.length > RFC3797_MAX_POOL) throw badRequest('rfc3797_pool_too_large', `RFC 3797 handles at most ${RFC3797_MAX_POOL} candidates`);
    }
    return { canonical, canonicalEntropy };
  } catch (error) {
    if (error instanceof LotteryInputError) throw badRequest(error.code, error.message);
    throw error;
  }
}

/** Why the external value is already public, or null while it is not. */
function externalKnownSince(row: LotteryRow, now: Date): string | null {
  const declaration = row.externalDeclaration;
  if (declaration.kind === 'drand') {
    const published = timeOfRound(declaration.round);
    return now.getTime() >= published ? `drand round ${declaration.round} was published at ${iso(new Date(published))}` : null;
  }
  if (row.externalValue !== null) {
    return `the public figure was entered at ${row.externalEnteredAt ? iso(row.externalEnteredAt) : 'an earlier time'}`;
  }
  return null;
}

/** Staff enter the declared public figure with where it was published (manual sources, rfc3797). */
export async function enterManualExternal(
  deps: PlatformDeps,
  actor: string,
  id: string,
  figure: string,
  reference: string,
): Promise<LotteryPublication> {
  return deps.database.transaction(async (tx) => {
    const row = await lockOpen(tx, id);
    if (row.externalDeclaration.kind !== 'manual') {
      throw conflict('external_not_manual', `lottery ${id} declared the external source ${row.externalDeclaration.kind}; no figure can be entered`);
    }
    if (row.status === 'committed') {
      throw conflict('candidates_not_fixed', 'fix the candidate list before entering the public figure');
    }
    const value = figure.trim();
    const where = reference.trim();
    if (where.length === 0) throw badRequest('reference_required', 'say where the figure was published (URL or bulletin)');
    try {
      if (row.algorithm === 'rfc3797') parseRfc3797Sources(value);
      else externalFromManualFigure(row.externalDeclaration, value, where);
    } catch (error) {
      if (error instanceof LotteryInputError) throw badRequest(error.code, error.message);
      throw error;
    }
    if (row.externalValue !== null) {
      if (row.externalValue === value) throw conflict('external_already_entered', `the figure ${value} was already entered`);
      return invalidate(tx, deps, actor, row, 'the public figure was changed after it had been entered', {
        cause: 'external_changed',
        previousFigure: row.externalValue,
        attemptedFigure: value,
      });
    }
    const updated = await repository.updateLottery(tx, id, {
      externalValue: value,
      externalReference: where,
      externalEnteredAt: deps.clock.now(),
    });
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'lottery.external_entered',
      entityType: LOTTERY_ENTITY,
      entityId: id,
      data: { figure: value, reference: where },
    });
    return publicationOf(updated);
  });
}

/**
 * Reveals the seed and draws. Waits (409) for the external value: a manual figure staff have not
 * entered, or a drand round whose time has not come or which the relay does not serve yet. A
 * beacon that does not verify against the pinned key is refused (422).
 */
export async function drawLottery(
  deps: PlatformDeps,
  actor: string,
  id: string,
  options: DrawOptions = {},
): Promise<LotteryRecord> {
  const current = await repository.findLottery(deps.database.db, id);
  if (!current) throw notFound(`Lottery ${id}`);
  assertDrawable(current);
  // The beacon is fetched before the transaction: a slow relay must not hold the row (or PGlite).
  const beacon = await beaconFor(deps, current, options);
  return deps.database.transaction(async (tx) => {
    const row = await lockOpen(tx, id);
    assertDrawable(row);
    const now = deps.clock.now();
    const record = buildRecord(row, beacon, now);
    await repository.updateLottery(tx, id, {
      status: 'drawn',
      seedHex: record.algorithm === 'lottery-v1' ? record.seedHex : null,
      drawOrder: record.order,
      drawnAt: now,
      ...(beacon ? { externalValue: beacon.randomness, externalBeacon: beacon, externalEnteredAt: now } : {}),
    });
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'lottery.drawn',
      entityType: LOTTERY_ENTITY,
      entityId: id,
      data: {
        algorithm: record.algorithm,
        ...(record.algorithm === 'lottery-v1'
          ? { serverSeed: record.serverSeed, seedHex: record.seedHex, external: record.external.value }
          : { key: record.key }),
        order: record.order,
        winners: record.winners,
        recordHash: recordHash(record),
      },
    });
    return record;
  });
}

function assertDrawable(row: LotteryRow): void {
  if (row.status === 'drawn') throw conflict('lottery_already_drawn', `lottery ${row.id} was drawn at ${iso(row.drawnAt!)}; a draw is never repeated`).with({ drawnAt: row.drawnAt });
  if (row.status === 'invalidated') throw conflict('lottery_invalidated', `lottery ${row.id} was invalidated: ${row.invalidationReason}`);
  if (row.status === 'committed') throw conflict('candidates_not_fixed', 'the candidate list has not been fixed yet');
  if (row.externalDeclaration.kind === 'manual' && row.externalValue === null) {
    throw conflict('external_value_missing', `the draw waits for staff to enter the declared figure: ${row.externalDeclaration.description}`);
  }
}

async function beaconFor(deps: PlatformDeps, row: LotteryRow, options: DrawOptions): Promise<DrandBeacon | undefined> {
  const declaration = row.externalDeclaration;
  if (declaration.kind !== 'drand') return undefined;
  const publishedAt = timeOfRound(declaration.round);
  if (deps.clock.now().getTime() < publishedAt) {
    throw conflict('drand_round_pending', `the draw waits for drand round ${declaration.round}, published at ${iso(new Date(publishedAt))}`).with({ round: declaration.round, publishedAt: new Date(publishedAt) });
  }
  if (!options.drandClient) throw new AppError(503, 'drand_unavailable', 'no drand client is configured');
  let beacon: DrandBeacon | null;
  try {
    beacon = await fetchVerifiedBeacon(options.drandClient, declaration.round);
  } catch (error) {
    if (error instanceof DrandVerificationError) {
      throw new AppError(422, 'drand_beacon_invalid', `the beacon for drand round ${declaration.round} was refused: ${error.message}`).with({ round: declaration.round });
    }
    throw new AppError(503, 'drand_unreachable', `drand round ${declaration.round} could not be fetched; try again shortly`).with({ round: declaration.round });
  }
  if (beacon === null) {
    throw conflict('drand_round_unavailable', `the drand relay does not serve round ${declaration.round} yet; try again shortly`).with({ round: declaration.round });
  }
  return beacon;
}

function buildRecord(row: LotteryRow, beacon: DrandBeacon | undefined, now: Date): LotteryRecord {
  try {
    if (row.algorithm === 'rfc3797') {
      const declaration = row.externalDeclaration as Extract<ExternalSourceDeclaration, { kind: 'manual' }>;
      return createRfc3797Record({
        lotteryId: row.id,
        candidates: row.candidates!,
        sourcesDeclaration: declaration.description,
        sourcesDeclaredAt: iso(row.commitmentPublishedAt),
        registrationClosedAt: iso(row.candidatesFixedAt!),
        sources: parseRfc3797Sources(row.externalValue!),
        winners: row.winnerCount,
        drawnAt: iso(now),
      });
    }
    return createLotteryV1Record({
      lotteryId: row.id,
      candidates: row.candidates!,
      serverSeed: row.serverSeed!,
      seedCommitment: row.seedCommitment!,
      commitmentPublishedAt: iso(row.commitmentPublishedAt),
      registrationClosedAt: iso(row.candidatesFixedAt!),
      entropy: row.entropy ?? {},
      external: beacon ? externalFromBeacon(row.externalDeclaration, beacon) : externalOf(row),
      winners: row.winnerCount,
      drawnAt: iso(now),
    });
  } catch (error) {
    if (error instanceof LotteryInputError) throw conflict('lottery_inputs_inconsistent', `the draw cannot be made: ${error.message}`);
    throw error;
  }
}

export async function setWitnesses(deps: PlatformDeps, actor: string, id: string, names: readonly string[]): Promise<LotteryPublication> {
  const witnesses = names.map((name) => name.trim());
  if (witnesses.length > MAX_WITNESSES) throw badRequest('too_many_witnesses', `at most ${MAX_WITNESSES} witnesses are named`).with({ max: MAX_WITNESSES });
  if (witnesses.some((name) => name.length === 0 || name.length > 60 || /[\n\r]/.test(name))) {
    throw badRequest('invalid_witness', 'each witness is one line of 1 to 60 characters');
  }
  return deps.database.transaction(async (tx) => {
    await lockOpen(tx, id);
    const updated = await repository.updateLottery(tx, id, { witnesses });
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'lottery.witnesses_set',
      entityType: LOTTERY_ENTITY,
      entityId: id,
      data: { witnesses },
    });
    return publicationOf(updated);
  });
}

/** Marks a lottery void (e.g. its candidate list proved wrong). A drawn record is kept as it was. */
export async function invalidateLottery(deps: PlatformDeps, actor: string, id: string, reason: string): Promise<LotteryPublication> {
  const why = reason.trim();
  if (why.length === 0) throw badRequest('reason_required', 'say why the lottery is invalidated');
  return deps.database.transaction(async (tx) => {
    const row = await repository.lockLottery(tx, id);
    if (!row) throw notFound(`Lottery ${id}`);
    if (row.status === 'invalidated') throw conflict('lottery_invalidated', `lottery ${id} is already invalidated`);
    return invalidate(tx, deps, actor, row, why, { cause: 'staff' });
  });
}

async function invalidate(
  tx: Tx,
  deps: PlatformDeps,
  actor: string,
  row: LotteryRow,
  reason: string,
  detail: Record<string, unknown>,
): Promise<LotteryPublication> {
  const updated = await repository.updateLottery(tx, row.id, {
    status: 'invalidated',
    invalidationReason: reason,
    invalidatedAt: deps.clock.now(),
  });
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'lottery.invalidated',
    entityType: LOTTERY_ENTITY,
    entityId: row.id,
    data: { reason, previousStatus: row.status, ...detail },
  });
  return publicationOf(updated);
}

/** Locks a lottery that may still change: not drawn, not invalidated. */
async function lockOpen(tx: Tx, id: string): Promise<LotteryRow> {
  const row = await repository.lockLottery(tx, id);
  if (!row) throw notFound(`Lottery ${id}`);
  if (row.status === 'drawn') throw conflict('lottery_drawn', `lottery ${id} has been drawn; its record can no longer change`);
  if (row.status === 'invalidated') throw conflict('lottery_invalidated', `lottery ${id} was invalidated: ${row.invalidationReason}`);
  return row;
}

// ---------------------------------------------------------------------------------------------
// Queries

export async function getLottery(db: Executor, id: string): Promise<LotteryPublication> {
  const row = await repository.findLottery(db, id);
  if (!row) throw notFound(`Lottery ${id}`);
  return publicationOf(row);
}

/** The public record with its status (after the draw), or the pre-draw view: never the seed before. */
export async function getPublicRecord(db: Executor, id: string): Promise<Record<string, unknown>> {
  return publicJson(await getLottery(db, id));
}

/**
 * After the draw: the record's own fields at the top level (save the answer and any verifier
 * accepts it; they ignore the extra status, subject, witnesses and invalidation). Before: the
 * pre-draw view, which has no serverSeed.
 */
export function publicJson(publication: LotteryPublication): Record<string, unknown> {
  const { record, ...view } = publication;
  if (!record) return view;
  return { ...record, status: view.status, subject: view.subject, witnesses: view.witnesses, invalidation: view.invalidation };
}

export async function listLotteries(
  db: Executor,
  page: { page: number; pageSize: number },
): Promise<{ items: LotterySummary[]; total: number; page: number; pageSize: number }> {
  const result = await repository.listLotteries(db, { offset: (page.page - 1) * page.pageSize, limit: page.pageSize });
  return { items: result.items.map(summaryOf), total: result.total, page: page.page, pageSize: page.pageSize };
}

/** SHA-256 of the record's canonical JSON, as written into the `lottery.drawn` audit event. */
export function recordHash(record: LotteryRecord): string {
  return sha256hex(canonicalJson(record));
}

function subjectOf(row: LotteryRow): LotterySubject | null {
  return row.subjectType !== null && row.subjectId !== null ? { entityType: row.subjectType, entityId: row.subjectId } : null;
}

function externalOf(row: LotteryRow): ExternalSourceValue {
  return {
    declaration: row.externalDeclaration,
    value: row.externalValue ?? '',
    ...(row.externalReference === null ? {} : { reference: row.externalReference }),
    ...(row.externalBeacon === null ? {} : { beacon: row.externalBeacon }),
  };
}

/** Rebuilds the public record from the stored columns; null before the draw. */
export function recordOf(row: LotteryRow): LotteryRecord | null {
  if (row.drawOrder === null || row.drawnAt === null || row.candidates === null || row.candidatesHash === null) return null;
  const common = {
    lotteryId: row.id,
    candidates: row.candidates,
    candidatesHash: row.candidatesHash,
  };
  const closed = row.candidatesFixedAt === null ? {} : { registrationClosedAt: iso(row.candidatesFixedAt) };
  const result = {
    order: row.drawOrder,
    winnerCount: row.winnerCount,
    winners: row.drawOrder.slice(0, row.winnerCount),
    drawnAt: iso(row.drawnAt),
  };
  if (row.algorithm === 'rfc3797') {
    const declaration = row.externalDeclaration as Extract<ExternalSourceDeclaration, { kind: 'manual' }>;
    const sources = storedSources(row.externalValue);
    return {
      algorithm: 'rfc3797',
      ...common,
      sourcesDeclaration: declaration.description,
      sourcesDeclaredAt: iso(row.commitmentPublishedAt),
      ...closed,
      sources,
      key: sources.length === 0 ? '' : rfc3797Key(sources),
      ...result,
    };
  }
  return {
    algorithm: 'lottery-v1',
    ...common,
    seedCommitment: row.seedCommitment!,
    commitmentPublishedAt: iso(row.commitmentPublishedAt),
    ...closed,
    serverSeed: row.serverSeed!,
    entropy: row.entropy ?? {},
    external: externalOf(row),
    weakSource: row.externalDeclaration.kind === 'none',
    seedHex: row.seedHex ?? '',
    ...result,
  };
}

/** A stored figure that no longer parses (edited in the database) yields a record the verifier rejects. */
function storedSources(figure: string | null): Rfc3797Source[] {
  try {
    return parseRfc3797Sources(figure ?? '');
  } catch {
    return [];
  }
}

function publicationOf(row: LotteryRow): LotteryPublication {
  const declaration = row.externalDeclaration;
  const record = recordOf(row);
  return {
    lotteryId: row.id,
    algorithm: row.algorithm as LotteryAlgorithm,
    status: row.status as LotteryStatus,
    subject: subjectOf(row),
    winnerCount: row.winnerCount,
    ...(row.seedCommitment === null ? {} : { seedCommitment: row.seedCommitment }),
    commitmentPublishedAt: iso(row.commitmentPublishedAt),
    external: {
      declaration,
      ...(row.externalValue === null ? {} : { value: row.externalValue }),
      ...(row.externalReference === null ? {} : { reference: row.externalReference }),
      ...(row.externalEnteredAt === null ? {} : { enteredAt: iso(row.externalEnteredAt) }),
      ...(declaration.kind === 'drand' ? { roundPublishedAt: iso(new Date(timeOfRound(declaration.round))) } : {}),
    },
    ...(row.candidatesHash === null ? {} : { candidatesHash: row.candidatesHash, candidateCount: row.candidates?.length ?? 0 }),
    ...(row.candidatesFixedAt === null ? {} : { registrationClosedAt: iso(row.candidatesFixedAt) }),
    witnesses: row.witnesses,
    invalidation: row.invalidationReason === null ? null : { reason: row.invalidationReason, at: iso(row.invalidatedAt ?? row.commitmentPublishedAt) },
    record,
  };
}

function summaryOf(row: LotteryRow): LotterySummary {
  return {
    lotteryId: row.id,
    algorithm: row.algorithm as LotteryAlgorithm,
    status: row.status as LotteryStatus,
    subject: subjectOf(row),
    externalKind: row.externalDeclaration.kind,
    winnerCount: row.winnerCount,
    candidateCount: row.candidates?.length ?? null,
    commitmentPublishedAt: iso(row.commitmentPublishedAt),
    drawnAt: row.drawnAt === null ? null : iso(row.drawnAt),
  };
}
