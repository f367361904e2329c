import type { Config } from '../domain/config';
import type { Db } from '../store/db';
import type { Logger } from '../ops/logger';

/** What activities are built from: production passes real remote services, tests real local ones. */
export interface ActivityDeps {
  config: Config;
  db: Db;
  logger: Logger;
}
