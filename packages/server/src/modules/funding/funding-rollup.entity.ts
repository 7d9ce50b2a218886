import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { FundingSource } from './funding.enums';

/**
 * The funding ledger summed per province and per district (units of level 0 and 1), year, source and
 * component: what national and province summaries read instead of scanning every allocation line
 * (issue 11: national fundingSummary under 100 ms at a million lines). Kept exact by statement-level
 * triggers on `funding_allocation` in the same transaction as every write (migration
 * Migration20261126010000_funding_rollup); rebuilt when a unit moves. Never written by the application.
 *
 * `direct` rows hold the lines of the unit itself; the others, the lines of the units below it.
 */
@Entity({ tableName: 'funding_rollup' })
export class FundingRollup {
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  unitId!: string;

  @PrimaryKey({ type: 'boolean' })
  direct!: boolean;

  /** The unit's level (0 or 1), so a summary reads only the rows of the level it needs. */
  @Index()
  @Property({ type: 'smallint' })
  level!: number;

  @PrimaryKey({ type: 'integer', autoincrement: false })
  year!: number;

  @Enum({ items: () => FundingSource, nativeEnumName: 'funding_source', primary: true })
  source!: FundingSource;

  @PrimaryKey({ type: 'bigint', autoincrement: false })
  componentId!: string;

  @Property({ type: 'numeric', precision: 30, scale: 0 })
  plannedAmount!: string;

  @Property({ type: 'numeric', precision: 30, scale: 0 })
  allocatedAmount!: string;

  @Property({ type: 'numeric', precision: 30, scale: 0 })
  disbursedAmount!: string;

  /** Live allocation lines summed here; a row at 0 holds no line. */
  @Property({ type: 'integer' })
  lines!: number;
}
