import { z } from 'zod';
import { text } from './text.js';

const booleanFlag = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((value) => value === 'on' || value === 'true' || value === '1');

const postgresUrl = text()
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL');

const hexKey = text().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (32 bytes)');

/** `ocds-zjcs-` is a placeholder: a real deployment registers its own prefix (docs/ocds.md). */
const DEFAULT_OCDS_PREFIX = 'ocds-zjcs-';

/** Every environment variable the marketplace reads, documented in README.md. */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: text().min(1).default('0.0.0.0'),
  DATA_DIR: text().min(1).default('./data'),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: text().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: booleanFlag.default(true),
  ADMIN_USERNAME: text().min(3).max(64).optional(),
  ADMIN_PASSWORD: text().min(12, 'must be at least 12 characters').optional(),
  SESSION_SECRET: text().min(32, 'must be at least 32 characters').optional(),
  SUBMISSION_KEY: hexKey.optional(),
  AUDIT_SIGNING_KEY: hexKey.optional(),
  TRUST_PROXY: booleanFlag.default(false),
  PUBLIC_BASE_URL: text()
    .regex(/^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/, 'must be an http:// or https:// URL without query, e.g. https://zjcs.yantai.gov.cn')
    .optional(),
  OCDS_PREFIX: text().regex(/^ocds-[a-z0-9]{4,6}-$/, 'must be an OCDS prefix such as ocds-abc123- (ocds-, the registered letters and digits, a hyphen)').default(DEFAULT_OCDS_PREFIX),
  BODY_LIMIT: text().regex(/^\d+(b|kb|mb)$/, 'must look like 100kb or 1mb').default('100kb'),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
  UPLOADS_PER_HOUR: z.coerce.number().int().min(1).max(100000).default(60),
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  RUN_JOBS_IN_WEB: booleanFlag.default(true),
  PASSWORD_HASH_PROFILE: z.enum(['standard', 'test']).default('standard'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(20),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10000).default(30),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  NOTIFY_SENDERS: text()
    .regex(/^(outbox|smtp|sms)(,(outbox|smtp|sms))*$/, 'must be a comma-separated list of outbox, smtp, sms')
    .default('outbox'),
  SMTP_URL: text().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  SMTP_FROM: text().min(3).optional(),
  SMS_GATEWAY_URL: text().regex(/^https?:\/\//, 'must be an http:// or https:// URL').optional(),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface Config {
  env: Environment['NODE_ENV'];
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databasePoolSize: number;
  redisUrl?: string;
  logLevel: Environment['LOG_LEVEL'];
  /** The only source of absolute URLs (feeds, OCDS, notifications, printed documents). */
  publicBaseUrl: string;
  ocdsPrefix: string;
  demoData: boolean;
  admin?: { username: string; password: string };
  sessionSecret?: string;
  submissionKey?: string;
  /** The Ed25519 seed signing audit checkpoints, hex; never stored in the database. */
  auditSigningKey?: string;
  trustProxy: boolean;
  bodyLimit: string;
  /** Largest accepted file upload, in bytes. */
  uploadMaxBytes: number;
  /** Files one account may upload in any rolling hour. */
  uploadsPerHour: number;
  sweepIntervalSeconds: number;
  runJobsInWeb: boolean;
  passwordHashProfile: 'standard' | 'test';
  session: { idleMinutes: number; absoluteHours: number };
  loginThrottle: { maxFailures: number; maxFailuresPerAccount: number; maxFailuresPerAddress: number; lockMinutes: number };
  notify: { senders: ('outbox' | 'smtp' | 'sms')[]; smtpUrl?: string; smtpFrom?: string; smsGatewayUrl?: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((problem) => `  ${problem.variable}: ${problem.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; throws a ConfigError naming each bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  const env = parsed.data;
  if ((env.ADMIN_USERNAME === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
    const missing = env.ADMIN_USERNAME === undefined ? 'ADMIN_USERNAME' : 'ADMIN_PASSWORD';
    throw new ConfigError([
      { variable: missing, message: 'ADMIN_USERNAME and ADMIN_PASSWORD must be set together' },
    ]);
  }
  if (env.PASSWORD_HASH_PROFILE === 'test' && env.NODE_ENV !== 'test') {
    throw new ConfigError([{ variable: 'PASSWORD_HASH_PROFILE', message: "'test' is allowed only with NODE_ENV=test" }]);
  }
  const senders = [...new Set(env.NOTIFY_SENDERS.split(','))] as Config['notify']['senders'];
  if (senders.includes('smtp') && (!env.SMTP_URL || !env.SMTP_FROM)) {
    throw new ConfigError([{ variable: env.SMTP_URL ? 'SMTP_FROM' : 'SMTP_URL', message: 'is required when NOTIFY_SENDERS includes smtp' }]);
  }
  if (senders.includes('sms') && !env.SMS_GATEWAY_URL) {
    throw new ConfigError([{ variable: 'SMS_GATEWAY_URL', message: 'is required when NOTIFY_SENDERS includes sms' }]);
  }
  if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
    throw new ConfigError([{ variable: 'SESSION_SECRET', message: 'is required in production' }]);
  }
  if (env.NODE_ENV === 'production' && !env.PUBLIC_BASE_URL) {
    throw new ConfigError([{ variable: 'PUBLIC_BASE_URL', message: 'is required in production: feed ids, OCDS URIs and links in notifications are built from it' }]);
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    ocdsPrefix: env.OCDS_PREFIX,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL,
    logLevel: env.LOG_LEVEL,
    demoData: env.DEMO_DATA && env.NODE_ENV !== 'production',
    admin:
      env.ADMIN_USERNAME && env.ADMIN_PASSWORD
        ? { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD }
        : undefined,
    sessionSecret: env.SESSION_SECRET,
    submissionKey: env.SUBMISSION_KEY,
    auditSigningKey: env.AUDIT_SIGNING_KEY,
    trustProxy: env.TRUST_PROXY,
    bodyLimit: env.BODY_LIMIT,
    uploadMaxBytes: env.UPLOAD_MAX_BYTES,
    uploadsPerHour: env.UPLOADS_PER_HOUR,
    sweepIntervalSeconds: env.SWEEP_INTERVAL_SECONDS,
    runJobsInWeb: env.RUN_JOBS_IN_WEB,
    passwordHashProfile: env.PASSWORD_HASH_PROFILE,
    session: { idleMinutes: env.SESSION_IDLE_MINUTES, absoluteHours: env.SESSION_ABSOLUTE_HOURS },
    loginThrottle: {
      maxFailures: env.LOGIN_MAX_FAILURES,
      maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      lockMinutes: env.LOGIN_LOCK_MINUTES,
    },
    notify: { senders, smtpUrl: env.SMTP_URL, smtpFrom: env.SMTP_FROM, smsGatewayUrl: env.SMS_GATEWAY_URL },
  };
}
