import { normaliseRule, isDigestMode, isTimeZone, type DigestMode, type Rule, type RuleInput } from './rules';

/** A user as given to `users add` or in a `users import` file. */
export interface UserInput {
  email: string;
  timezone?: string | null;
  digest?: string | null;
  quietHours?: string | null;
  rules?: RuleInput[];
}

export class UserInputError extends Error {
  override readonly name = 'UserInputError';
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** A user validated and normalised, ready to store. */
export interface CleanUser {
  email: string;
  timezone: string | null;
  digest: DigestMode | null;
  quietStart: number | null;
  quietEnd: number | null;
  rules: Rule[];
}

/** Validate one user (and its rules) before anything is written; the message says which field is wrong. */
export function cleanUser(u: UserInput, where = ''): CleanUser {
  const at = where ? `${where}: ` : '';
  if (typeof u !== 'object' || u === null || Array.isArray(u)) {
    throw new UserInputError(`${at}not a user object like {"email": "...", "rules": [...]}`);
  }
  if (u.rules !== undefined && !Array.isArray(u.rules)) {
    throw new UserInputError(`${at}rules must be an array of rules`);
  }
  const email = typeof u.email === 'string' ? u.email.trim() : '';
  if (!EMAIL.test(email)) throw new UserInputError(`${at}"${u.email}" is not an email address`);
  if (u.timezone && !isTimeZone(u.timezone))
    throw new UserInputError(`${at}unknown time zone "${u.timezone}"`);
  if (u.digest && !isDigestMode(u.digest)) {
    throw new UserInputError(`${at}digest must be instant, daily or weekly, not "${u.digest}"`);
  }
  let quietStart: number | null = null;
  let quietEnd: number | null = null;
  if (u.quietHours) {
    const m = /^(\d{1,2})-(\d{1,2})$/.exec(u.quietHours.trim());
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 23 || m[1] === m[2]) {
      throw new UserInputError(`${at}quiet hours must look like 22-7 (hours 0-23), not "${u.quietHours}"`);
    }
    quietStart = Number(m[1]);
    quietEnd = Number(m[2]);
  }
  const rules = (u.rules ?? []).map((r, i) => {
    try {
      return normaliseRule(r);
    } catch (err) {
      throw new UserInputError(`${at}rule ${i + 1}: ${(err as Error).message}`);
    }
  });
  return {
    email,
    timezone: u.timezone ?? null,
    digest: (u.digest as DigestMode | undefined) ?? null,
    quietStart,
    quietEnd,
    rules,
  };
}
