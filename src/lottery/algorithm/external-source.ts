import { QUICKNET_CHAIN_INFO, verifyQuicknetBeacon, type DrandBeacon } from './drand.js';
import { LotteryInputError } from './errors.js';
import { hasLineBreak } from './text.js';

/** Declared when the seed is committed, before anyone can know the value. */
export type ExternalSourceDeclaration =
  | { kind: 'none' }
  /** A public figure named in advance, e.g. a numbered welfare-lottery draw; staff enter it later. */
  | { kind: 'manual'; description: string }
  | { kind: 'drand'; chainHash: string; round: number };

export interface ExternalSourceValue {
  declaration: ExternalSourceDeclaration;
  /** The string fed into the seed: '' for none, the figure as published for manual, beacon randomness for drand. */
  value: string;
  /** Where a manual figure was published (URL or bulletin reference). */
  reference?: string;
  /** The verified beacon behind a drand value, kept so anyone can re-check its signature offline. */
  beacon?: DrandBeacon;
}

/** A draw without an external source relies on the operator not having ground the seed. */
export function isWeakSource(declaration: ExternalSourceDeclaration): boolean {
  return declaration.kind === 'none';
}

export function declareDrandRound(round: number): ExternalSourceDeclaration {
  return { kind: 'drand', chainHash: QUICKNET_CHAIN_INFO.chainHash, round };
}

/** Throws DrandVerificationError unless the beacon is the declared quicknet round and verifies. */
export function externalFromBeacon(declaration: ExternalSourceDeclaration, beacon: DrandBeacon): ExternalSourceValue {
  if (declaration.kind !== 'drand' || declaration.round !== beacon.round || declaration.chainHash !== QUICKNET_CHAIN_INFO.chainHash) {
    throw new LotteryInputError('invalid_external_source', 'beacon does not match the declared drand round');
  }
  verifyQuicknetBeacon(beacon);
  return { declaration, value: beacon.randomness, beacon: { round: beacon.round, signature: beacon.signature, randomness: beacon.randomness } };
}

export function externalFromManualFigure(
  declaration: ExternalSourceDeclaration,
  figure: string,
  reference?: string,
): ExternalSourceValue {
  if (declaration.kind !== 'manual') {
    throw new LotteryInputError('invalid_external_source', 'a manual figure needs a manual declaration');
  }
  if (figure.length === 0 || hasLineBreak(figure)) {
    throw new LotteryInputError('invalid_external_source', 'the published figure must be one non-empty line');
  }
  return reference === undefined ? { declaration, value: figure } : { declaration, value: figure, reference };
}

export const NO_EXTERNAL_SOURCE: ExternalSourceValue = Object.freeze({
  declaration: Object.freeze({ kind: 'none' as const }),
  value: '',
});
