import { pickLanguage, VERIFY_MESSAGES } from './messages.js';
import { describeOutcome, verifyRecordText, type VerifyReport } from './verify-report.js';
import { webCryptoAgrees } from './web-crypto-check.js';

// Browser entry bundled to /assets/lottery-verify.js; the public lottery page embeds the record as
// <script type="application/json" id="lottery-record"> and an empty #verify-result element.

function show(target: HTMLElement, report: VerifyReport): void {
  target.textContent = report.text;
  target.setAttribute('data-status', report.status);
}

async function verifyThisPage(): Promise<void> {
  const target = document.getElementById('verify-result');
  if (!target) return;
  const language = pickLanguage(document.documentElement.lang);
  const outcome = verifyRecordText(document.getElementById('lottery-record')?.textContent);
  const report = describeOutcome(outcome, language);
  const subtle = globalThis.crypto?.subtle;
  if (outcome.kind === 'verified' && subtle && !(await webCryptoAgrees(subtle, outcome.record))) {
    show(target, { status: 'mismatch', text: VERIFY_MESSAGES[language].webCryptoDisagrees });
    return;
  }
  show(target, report);
}

function start(): void {
  verifyThisPage().catch((error: unknown) => {
    const target = document.getElementById('verify-result');
    if (target) show(target, { status: 'mismatch', text: error instanceof Error ? error.message : String(error) });
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
