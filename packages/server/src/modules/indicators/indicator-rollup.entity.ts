import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Indicator values rolled up per province and per district (units of level 0 and 1), indicator and year:
 * what indicatorProgress reads for a province or national question instead of pivoting every commune's
 * values (issue 11). Kept exact by statement-level triggers on `indicator_value`, in the writer's own
 * transaction (migration Migration20261126011000_indicator_rollup); rebuilt when a unit moves or an
 * indicator's aggregation changes. Never written by the application.
 *
 * A leaf is one unit's figures for an indicator and year, its periods already picked as indicatorProgress
 * picks them (the YEAR value, else H1 + H2 for a SUM indicator, else H2, else H1). `direct` rows hold the
 * leaf of the unit itself; the others, the leaves of the units below it. Sums are kept with the count of
 * values they add, so an empty sum stays NULL, as in the query it replaces.
 */
@Entity({ tableName: 'indicator_rollup' })
export class IndicatorRollup {
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  unitId!: string;

  @PrimaryKey({ type: 'bigint', autoincrement: false })
  indicatorId!: string;

  @PrimaryKey({ type: 'boolean' })
  direct!: boolean;

  @PrimaryKey({ type: 'integer', autoincrement: false })
  year!: number;

  /** The unit's level (0 or 1). */
  @Property({ type: 'smallint' })
  level!: number;

  /** Units with at least one live value for the indicator and year; a row at 0 stands for nothing. */
  @Property({ type: 'integer' })
  leaves!: number;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  valueSum?: string | null;

  @Property({ type: 'integer' })
  valueCount!: number;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  numeratorSum?: string | null;

  @Property({ type: 'integer' })
  numeratorCount!: number;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  denominatorSum?: string | null;

  @Property({ type: 'integer' })
  denominatorCount!: number;
}
