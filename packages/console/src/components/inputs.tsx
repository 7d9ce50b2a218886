import { useSelect } from '@refinedev/antd';
import { useTranslate, type CrudFilter } from '@refinedev/core';
import { InputNumber, Select, type InputNumberProps, type SelectProps } from 'antd';

/** Whole VND typed with dot grouping and held as our `Money` string (exact, never a float). */
export function MoneyInput(props: InputNumberProps<string>) {
  return (
    <InputNumber<string>
      stringMode
      precision={0}
      style={{ width: '100%' }}
      addonAfter="₫"
      formatter={(v) => (v === undefined || v === null || v === '' ? '' : String(v).replace(/\B(?=(\d{3})+(?!\d))/g, '.'))}
      parser={(v) => (v ?? '').replace(/[^\d-]/g, '')}
      {...props}
    />
  );
}

/** One of a GraphQL enum's values, labelled from `enums.<Enum>.<VALUE>`. */
export function EnumSelect({ enumName, values, ...rest }: { enumName: string; values: string[] } & SelectProps) {
  const t = useTranslate();
  return <Select allowClear options={values.map((v) => ({ value: v, label: t(`enums.${enumName}.${v}`, v) }))} {...rest} />;
}

interface ComponentOption {
  id: string;
  code: string;
  name: string;
}

/** A project / sub-project picker, labelled `DA3.TDA1 · name`. */
export function ComponentSelect({ filters = [], value, onChange, ...rest }: { filters?: CrudFilter[] } & SelectProps) {
  const { selectProps } = useSelect<ComponentOption>({
    resource: 'programComponents',
    optionLabel: (c) => `${c.code} · ${c.name}`,
    optionValue: 'id',
    filters,
    sorters: [{ field: 'code', order: 'asc' }],
    pagination: { mode: 'off' },
    onSearch: (text) => [
      {
        operator: 'or',
        value: [
          { field: 'code', operator: 'contains', value: text },
          { field: 'name', operator: 'contains', value: text },
        ],
      },
    ],
  });
  return <Select {...selectProps} allowClear showSearch value={value} onChange={onChange} style={{ width: '100%' }} {...rest} />;
}

export const FUNDING_SOURCES = ['CENTRAL_INVESTMENT', 'CENTRAL_RECURRENT', 'LOCAL_BUDGET', 'INTEGRATED', 'POLICY_CREDIT', 'MOBILIZED'];
export const MISSION_STATUSES = ['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'];
export const MEMBER_ROLES = ['HEAD', 'DEPUTY', 'MEMBER', 'SECRETARY'];
export const FINDING_KINDS = ['ACHIEVEMENT', 'DIFFICULTY', 'SHORTCOMING', 'VIOLATION'];
export const RECOMMENDATION_STATUSES = ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'REJECTED'];
export const REPORT_TYPES = [
  'MONITORING_MISSION',
  'MONITORING_SEMIANNUAL',
  'MONITORING_ANNUAL',
  'MONITORING_ADHOC',
  'EVALUATION_BASELINE',
  'EVALUATION_MIDTERM',
  'EVALUATION_ANNUAL',
  'EVALUATION_FINAL',
  'EVALUATION_ADHOC',
];
export const OBLIGATION_STATUSES = ['PENDING', 'OVERDUE', 'SUBMITTED', 'RETURNED', 'ACCEPTED', 'CANCELLED'];
export const CALENDAR_KINDS = ['HOLIDAY', 'DAY_OFF', 'WORKING_DAY'];
export const PERIODS = ['YEAR', 'H1', 'H2'];

/** A year between the program's first and a few years ahead. */
export function YearInput(props: InputNumberProps<number>) {
  return <InputNumber<number> min={2000} max={2100} precision={0} style={{ width: '100%' }} {...props} />;
}
