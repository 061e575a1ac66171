import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const VERIFY_PAGE_ENTRY = fileURLToPath(new URL('./verify-page.ts', import.meta.url));

let cachedBundle: Promise<string> | undefined;

/** The in-browser verifier as one minified IIFE (served at /assets/lottery-verify.js), built once per process. */
export function buildVerifierBundle(): Promise<string> {
  cachedBundle ??= bundleVerifyPage().catch((error: unknown) => {
    cachedBundle = undefined;
    throw error;
  });
  return cachedBundle;
}

async function bundleVerifyPage(): Promise<string> {
  const result = await build({
    entryPoints: [VERIFY_PAGE_ENTRY],
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for the lottery verifier');
  return output.text;
}
