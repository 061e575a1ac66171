import { QUICKNET_CHAIN_INFO, checkQuicknetBeacon, timeOfRound } from './drand.js';
import { entropyLines, entropyProblem } from './entropy.js';
import { isWeakSource } from './external-source.js';
import { drawUsccOrder } from './lottery-v1.js';
import type { LotteryV1Record } from './record.js';
import { deriveSeedHex } from './seed.js';
import { sha256Hex } from './text.js';
import { compareLists, fail } from './verification.js';
import { checkCandidates, checkNotAfter, checkWinners } from './verify-shared.js';

/** Runs the checks in contract order and throws MismatchFound at the first failure. */
export function checkLotteryV1Record(record: LotteryV1Record): void {
  checkCommitment(record);
  checkCandidates(record.candidates, record.candidatesHash);
  checkEntropy(record);
  checkExternalSource(record);
  const seedHex = checkSeed(record);
  const order = drawUsccOrder(record.candidates, seedHex);
  compareLists('order', order, record.order);
  checkWinners(order, record.winnerCount, record.winners);
}

function checkCommitment(record: LotteryV1Record): void {
  const commitment = sha256Hex(record.serverSeed);
  if (commitment !== record.seedCommitment) {
    fail({
      check: 'commitment',
      field: 'seedCommitment',
      expected: commitment,
      actual: record.seedCommitment,
      message: 'sha256(serverSeed) does not equal the published seedCommitment',
    });
  }
  const committed = { field: 'commitmentPublishedAt', value: record.commitmentPublishedAt };
  if (record.registrationClosedAt !== undefined) {
    checkNotAfter(committed, { field: 'registrationClosedAt', value: record.registrationClosedAt }, 'commitment');
  }
  checkNotAfter(committed, { field: 'drawnAt', value: record.drawnAt }, 'commitment');
}

function checkEntropy(record: LotteryV1Record): void {
  const known = new Set(record.candidates.map((candidate) => candidate.uscc));
  for (const [uscc, value] of Object.entries(record.entropy)) {
    const field = `entropy.${uscc}`;
    if (!known.has(uscc)) {
      fail({ check: 'entropy', field, expected: null, actual: uscc, message: `entropy is recorded for ${uscc}, which is not a candidate` });
    }
    const problem = entropyProblem(value);
    if (problem !== null) {
      fail({ check: 'entropy', field, expected: value.normalize('NFC'), actual: value, message: `entropy of ${uscc}: ${problem}` });
    }
  }
}

function checkExternalSource(record: LotteryV1Record): void {
  const { declaration, value, beacon } = record.external;
  const weak = isWeakSource(declaration);
  if (record.weakSource !== weak) {
    fail({
      check: 'seed',
      field: 'weakSource',
      expected: weak,
      actual: record.weakSource,
      message: 'weakSource must be true exactly when the external source is none',
    });
  }
  if (declaration.kind === 'none') {
    if (value !== '') fail({ check: 'seed', field: 'external.value', expected: '', actual: value, message: 'external source none must have an empty value' });
    return;
  }
  if (declaration.kind === 'manual') {
    if (value === '') fail({ check: 'seed', field: 'external.value', expected: null, actual: value, message: 'the declared public figure has not been entered' });
    return;
  }
  if (declaration.chainHash !== QUICKNET_CHAIN_INFO.chainHash) {
    fail({
      check: 'seed',
      field: 'external.declaration.chainHash',
      expected: QUICKNET_CHAIN_INFO.chainHash,
      actual: declaration.chainHash,
      message: 'only the drand quicknet chain is supported',
    });
  }
  if (!beacon) fail({ check: 'seed', field: 'external.beacon', expected: null, actual: null, message: 'a drand source needs the beacon in the record' });
  if (beacon.round !== declaration.round) {
    fail({
      check: 'seed',
      field: 'external.beacon.round',
      expected: declaration.round,
      actual: beacon.round,
      message: 'the beacon is not the declared round',
    });
  }
  const beaconCheck = checkQuicknetBeacon(beacon);
  if (!beaconCheck.ok) fail({ check: 'seed', field: 'external.beacon', expected: null, actual: beacon.signature, message: beaconCheck.error });
  if (value !== beacon.randomness) {
    fail({ check: 'seed', field: 'external.value', expected: beacon.randomness, actual: value, message: 'external value must be the beacon randomness' });
  }
  checkRoundWasFuture(record, declaration.round);
}

/** The declared round must not have been published when the seed was committed or the list closed. */
function checkRoundWasFuture(record: LotteryV1Record, round: number): void {
  const published = new Date(timeOfRound(round)).toISOString();
  const deadlines = [{ field: 'commitmentPublishedAt', value: record.commitmentPublishedAt }];
  if (record.registrationClosedAt !== undefined) deadlines.push({ field: 'registrationClosedAt', value: record.registrationClosedAt });
  for (const deadline of deadlines) {
    if (timeOfRound(round) > Date.parse(deadline.value)) continue;
    fail({
      check: 'seed',
      field: 'external.declaration.round',
      expected: `a round published after ${deadline.value}`,
      actual: `round ${round}, published ${published}`,
      message: `drand round ${round} was already public at ${deadline.field}`,
    });
  }
}

function checkSeed(record: LotteryV1Record): string {
  const seedHex = deriveSeedHex({
    lotteryId: record.lotteryId,
    candidatesHash: record.candidatesHash,
    serverSeed: record.serverSeed,
    external: record.external.value,
    entropyLines: entropyLines(record.candidates, record.entropy),
  });
  if (seedHex !== record.seedHex) {
    fail({ check: 'seed', field: 'seedHex', expected: seedHex, actual: record.seedHex, message: 'seedHex does not follow from the recorded inputs' });
  }
  return seedHex;
}
