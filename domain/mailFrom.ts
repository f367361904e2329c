/**
 * The domain of a MAIL_FROM value: `CapitolScope <alerts@capitolscope.org>` or
 * `alerts@capitolscope.org` → `capitolscope.org`. Message-IDs are made at it, and relays refuse a
 * sender without one, so configuration refuses such a MAIL_FROM at start.
 */
export function mailFromDomain(mailFrom: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(mailFrom);
  const address = (angle ? angle[1]! : mailFrom).trim();
  const at = address.lastIndexOf('@');
  const domain =
    at >= 0
      ? address
          .slice(at + 1)
          .trim()
          .toLowerCase()
      : '';
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(domain)) {
    throw new Error(
      `MAIL_FROM must contain an address with a domain (alerts@example.org), got ${JSON.stringify(mailFrom)}`,
    );
  }
  return domain;
}
