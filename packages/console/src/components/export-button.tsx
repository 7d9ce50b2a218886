import { useTranslate } from '@refinedev/core';
import { Button, Dropdown } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { gql } from '../providers/graphql';
import { downloadFile } from './api';
import { useAction } from './use-action';

/** The server's `exportList` of a list query with the filter on screen, then GET /files/:id. */
export function ExportButton({ list, filter, size }: { list: string; filter?: Record<string, unknown>; size?: 'small' | 'middle' }) {
  const t = useTranslate();
  const { run, pending } = useAction();
  const exportAs = (format: 'XLSX' | 'CSV') =>
    run(async () => {
      const data = await gql<{ exportList: { id: string; name: string } }>(
        'mutation($list: String!, $filter: JSON, $format: ExportFormat!) { exportList(list: $list, filter: $filter, format: $format) { id name } }',
        { list, filter: filter ?? null, format },
      );
      await downloadFile(data.exportList.id, data.exportList.name);
    });
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'XLSX', label: 'Excel (.xlsx)', onClick: () => void exportAs('XLSX') },
          { key: 'CSV', label: 'CSV', onClick: () => void exportAs('CSV') },
        ],
      }}
    >
      <Button icon={<DownloadOutlined />} size={size} loading={pending} data-testid={`export-${list}`}>
        {t('buttons.export')}
      </Button>
    </Dropdown>
  );
}
