import { useSelect } from '@refinedev/antd';
import type { CrudFilter } from '@refinedev/core';
import { Select, type SelectProps } from 'antd';

interface UnitOption {
  id: string;
  code: string;
  name: string;
  kind: string;
}

/** A searchable unit picker ("Tam Đường" finds by name or code, ignoring diacritics server-side). */
export function UnitSelect({ filters = [], value, onChange, ...rest }: { filters?: CrudFilter[] } & SelectProps) {
  const { selectProps } = useSelect<UnitOption>({
    resource: 'units',
    optionLabel: (u) => `${u.name} (${u.code})`,
    optionValue: 'id',
    filters,
    defaultValue: typeof value === 'string' ? value : undefined,
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 30, mode: 'server' },
    onSearch: (text) => [
      {
        operator: 'or',
        value: [
          { field: 'name', operator: 'contains', value: text },
          { field: 'code', operator: 'contains', value: text },
        ],
      },
    ],
    debounce: 300,
  });
  return <Select {...selectProps} allowClear showSearch value={value} onChange={onChange} style={{ width: '100%' }} {...rest} />;
}
