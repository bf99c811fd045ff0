import { formatDuration } from './duration.js';
import type { ProbeOptions } from './options.js';
import type { ProbeSteps } from './report.js';

/** A certificate this close to expiry deserves a warning even though it still verifies. */
const EXPIRY_WARNING_DAYS = 14;

/** What a user should know besides the verdict. */
export function collectNotes(steps: ProbeSteps, options: ProbeOptions): string[] {
  const notes: string[] = [];
  const { tls, hold, upgrade } = steps;
  if (tls.verificationError && options.insecure) {
    notes.push(`--insecure: the certificate did not verify (${tls.verificationError.message}); a browser would refuse this connection`);
  }
  if (tls.certificate && tls.certificate.daysRemaining < EXPIRY_WARNING_DAYS && !tls.verificationError) {
    notes.push(`the TLS certificate expires in ${tls.certificate.daysRemaining} days (${tls.certificate.validTo})`);
  }
  if (hold.interrupted) {
    notes.push(`the hold was interrupted after ${formatDuration(hold.heldMs ?? 0)} of ${formatDuration(hold.requestedMs)}: longer timeouts were not measured`);
  }
  if (hold.pingsSent > 0 && hold.pongsReceived === 0) notes.push("the server answered none of the probe's pings");
  if (upgrade.status === 'ok' && options.url.protocol === 'ws:' && options.origin.startsWith('https:')) {
    notes.push('a page served over https:// cannot open a ws:// URL (mixed content): browsers block it before sending anything');
  }
  return notes;
}
