import { useTranslate } from '@refinedev/core';
import { Timeline, Typography } from 'antd';
import { formatDateTime } from '../../components/format';
import { StatusTag } from '../missions/list';

export interface ReportEvent {
  status: string;
  at: string;
  reason: string | null;
  actor: { id: string; displayName: string } | null;
}

/** A report's events, oldest first: draft, submissions, returns with their reason, acceptance. */
export function ReportHistory({ events }: { events: ReportEvent[] }) {
  const t = useTranslate();
  return (
    <Timeline
      data-testid="report-history"
      items={events.map((e) => ({
        color: e.status === 'ACCEPTED' ? 'green' : e.status === 'RETURNED' ? 'red' : e.status === 'SUBMITTED' ? 'blue' : 'gray',
        children: (
          <div>
            <StatusTag status={e.status} enumName="ReportStatus" /> {formatDateTime(e.at)}
            {e.actor && <Typography.Text type="secondary"> · {e.actor.displayName}</Typography.Text>}
            {e.reason && (
              <div>
                <Typography.Text type="danger">
                  {t('reports.fields.returnReason')}: {e.reason}
                </Typography.Text>
              </div>
            )}
          </div>
        ),
      }))}
    />
  );
}
