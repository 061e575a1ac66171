export type LotteryInputErrorCode =
  | 'invalid_server_seed'
  | 'invalid_candidate'
  | 'duplicate_uscc'
  | 'total_weight_too_large'
  | 'invalid_entropy'
  | 'unknown_entropy_uscc'
  | 'invalid_seed_input'
  | 'invalid_winner_count'
  | 'invalid_range'
  | 'invalid_rfc3797_source'
  | 'rfc3797_pool_too_large'
  | 'rfc3797_weighted_candidates'
  | 'invalid_external_source'
  | 'commitment_mismatch'
  | 'record_does_not_verify';

/** Thrown when draw inputs break the lottery contract; `code` is stable for callers to map. */
export class LotteryInputError extends Error {
  constructor(
    readonly code: LotteryInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LotteryInputError';
  }
}
