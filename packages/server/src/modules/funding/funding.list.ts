import { defineList, SortDirection } from '../../graphql/list';
import { Disbursement, FundingAllocation } from './funding.entity';
import { FundingSource } from './funding.enums';

export const allocationList = defineList({
  name: 'FundingAllocation',
  entity: FundingAllocation,
  gqlType: () => FundingAllocation,
  table: 'funding_allocation',
  unitLink: { column: 't.unit_id' },
  // What FundingAllocationResolver's field resolvers read (graphql/projection.ts).
  fieldColumns: { disbursementRate: ['disbursed_amount', 'allocated_amount'], revisions: [], disbursements: [] },
  fields: {
    id: { kind: 'id', column: 't.id' },
    componentId: { kind: 'id', column: 't.component_id' },
    unitId: { kind: 'id', column: 't.unit_id' },
    year: { kind: 'int', column: 't.year' },
    source: { kind: 'enum', column: 't.source', enumType: FundingSource, enumName: 'FundingSource' },
    plannedAmount: { kind: 'money', column: 't.planned_amount' },
    allocatedAmount: { kind: 'money', column: 't.allocated_amount' },
    disbursedAmount: { kind: 'money', column: 't.disbursed_amount' },
    decisionRef: { kind: 'string', column: 't.decision_ref' },
    createdAt: { kind: 'datetime', column: 't.created_at' },
  },
  sort: {
    YEAR: { column: 't.year' },
    SOURCE: { column: 't.source' },
    PLANNED_AMOUNT: { column: 't.planned_amount' },
    ALLOCATED_AMOUNT: { column: 't.allocated_amount' },
    DISBURSED_AMOUNT: { column: 't.disbursed_amount' },
    CREATED_AT: { column: 't.created_at' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'YEAR', direction: SortDirection.ASC }],
});

export const disbursementList = defineList({
  name: 'Disbursement',
  entity: Disbursement,
  gqlType: () => Disbursement,
  table: 'disbursement',
  unitLink: { column: 't.unit_id' },
  fields: {
    id: { kind: 'id', column: 't.id' },
    allocationId: { kind: 'id', column: 't.allocation_id' },
    unitId: { kind: 'id', column: 't.unit_id' },
    date: { kind: 'date', column: 't.date' },
    amount: { kind: 'money', column: 't.amount' },
    reference: { kind: 'string', column: 't.reference' },
    createdAt: { kind: 'datetime', column: 't.created_at' },
  },
  sort: {
    DATE: { column: 't.date' },
    AMOUNT: { column: 't.amount' },
    CREATED_AT: { column: 't.created_at' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'DATE', direction: SortDirection.ASC }],
});
