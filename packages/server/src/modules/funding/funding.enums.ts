import { registerEnumType } from 'type-graphql';

/** Where the money comes from (DOMAIN.md §3). */
export enum FundingSource {
  CENTRAL_INVESTMENT = 'CENTRAL_INVESTMENT',
  CENTRAL_RECURRENT = 'CENTRAL_RECURRENT',
  LOCAL_BUDGET = 'LOCAL_BUDGET',
  INTEGRATED = 'INTEGRATED',
  POLICY_CREDIT = 'POLICY_CREDIT',
  MOBILIZED = 'MOBILIZED',
}
registerEnumType(FundingSource, { name: 'FundingSource' });

/** Keys a funding summary can group by. */
export enum FundingDimension {
  YEAR = 'YEAR',
  SOURCE = 'SOURCE',
  UNIT = 'UNIT',
  PROJECT = 'PROJECT',
  SUB_PROJECT = 'SUB_PROJECT',
}
registerEnumType(FundingDimension, {
  name: 'FundingDimension',
  valuesConfig: {
    YEAR: { description: "the allocation's year" },
    UNIT: { description: 'the allocation unit, or its ancestor at unitLevel' },
    PROJECT: { description: 'sub-projects roll up to their project' },
    SUB_PROJECT: { description: 'the sub-project; null for money allocated to a project itself' },
  },
});
