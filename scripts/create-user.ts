/**
 * Creates a staff or admin account from the shell:
 *   npm run create-user -- --role staff --username wang --password '…' [--name '王科员']
 * The password may also come from the CREATE_USER_PASSWORD environment variable.
 */
import { parseArgs } from 'node:util';
import { createStaffUser } from '../src/auth/service.js';
import { createUserSchema } from '../src/auth/schemas.js';
import { closePlatform, createPlatform } from '../src/platform/bootstrap.js';
import { ConfigError, loadConfig } from '../src/platform/config.js';
import { AppError } from '../src/platform/errors.js';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
  },
});

const input = createUserSchema.safeParse({
  role: values.role,
  username: values.username,
  password: values.password ?? process.env.CREATE_USER_PASSWORD,
  displayName: values.name,
});
if (!input.success) {
  for (const issue of input.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
  console.error("usage: npm run create-user -- --role staff|admin --username NAME --password '…' [--name DISPLAY]");
  process.exit(2);
}

try {
  const deps = await createPlatform(loadConfig({ ...process.env, LOG_LEVEL: 'warn' }));
  const user = await createStaffUser(deps, 'system:cli', input.data);
  console.log(`created ${user.role} ${user.username} (id ${user.id})`);
  await closePlatform(deps);
} catch (error) {
  if (error instanceof AppError || error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
