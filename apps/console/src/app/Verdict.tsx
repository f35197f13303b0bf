/** "Verified", or loudly not, with the reason: the page's one verdict style. */
export function VerdictBadge({ verified, reason }: { verified: boolean; reason?: string }) {
  if (verified) return <span className="verdict verdict-ok">Verified</span>;
  return (
    <span className="verdict verdict-bad" role="alert">
      NOT verified{reason ? `: ${reason}` : ''}
    </span>
  );
}
