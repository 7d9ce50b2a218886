import { useState } from 'react';
import { useGetIdentity, useTranslate } from '@refinedev/core';
import { Card, Col, Descriptions, List as AntList, Progress, Row, Segmented, Statistic, Table, Typography } from 'antd';
import { Link } from 'react-router';
import type { Me } from '../../providers/auth-provider';
import { RoleTag } from '../../components/status';
import { formatRate, thisYear, useGql } from '../../components/api';
import { DateText, Money } from '../../components/formatted';
import { FundingChart, useFundingSummary } from '../funding-summary';
import { useCompleteness } from '../completeness';
import { Achievement, useProgress } from '../indicators/show';

interface Overdue {
  reportingObligations: {
    totalCount: number;
    nodes: { id: string; title: string; dueDate: string; daysLate: number | null; submitter: { name: string } }[];
  };
  recommendations: {
    totalCount: number;
    nodes: { id: string; content: string; dueDate: string | null; addressee: { name: string }; mission: { id: string } }[];
  };
}

const OVERDUE = `{
  reportingObligations(filter: { status: { eq: OVERDUE } }, orderBy: [{ field: DUE_DATE, direction: ASC }], limit: 5) {
    totalCount nodes { id title dueDate daysLate submitter { name } }
  }
  recommendations(filter: { overdue: true }, orderBy: [{ field: DUE_DATE, direction: ASC }], limit: 5) {
    totalCount nodes { id content dueDate addressee { name } mission { id } }
  }
}`;

function FundingCard() {
  const t = useTranslate();
  const byYear = useFundingSummary(undefined, ['YEAR']);
  const years = (byYear.data?.fundingSummary ?? [])
    .map((r) => r.year ?? 0)
    .sort((a, b) => a - b)
    .slice(-4);
  const [picked, setYear] = useState<number | undefined>();
  // The latest year with funds until the user picks one (a new year starts empty).
  const year = picked ?? years[years.length - 1] ?? thisYear();
  const byProject = useFundingSummary({ year: { eq: year } }, ['PROJECT']);
  return (
    <Card
      title={t('dashboard.funding')}
      extra={
        <Segmented
          size="small"
          value={year}
          onChange={(v) => setYear(Number(v))}
          options={years.map((y) => ({ label: String(y), value: y }))}
        />
      }
      data-testid="dashboard-funding"
    >
      <FundingChart rows={byProject.data?.fundingSummary ?? []} height={240} />
      <Table
        rowKey="year"
        size="small"
        pagination={false}
        dataSource={byYear.data?.fundingSummary ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('fundingAllocations.fields.year'), dataIndex: 'year' },
          {
            title: t('fundingAllocations.fields.allocatedAmount'),
            dataIndex: 'allocatedAmount',
            align: 'right',
            render: (v) => <Money value={v} />,
          },
          {
            title: t('fundingAllocations.fields.disbursedAmount'),
            dataIndex: 'disbursedAmount',
            align: 'right',
            render: (v) => <Money value={v} />,
          },
          {
            title: t('fundingAllocations.fields.disbursementRate'),
            dataIndex: 'disbursementRate',
            align: 'right',
            render: (v) => formatRate(v),
          },
        ]}
      />
    </Card>
  );
}

function CompletenessCard() {
  const t = useTranslate();
  // The latest year with reports already due (early in a year nothing is due yet).
  const byYear = useCompleteness({}, ['YEAR']);
  const due = (byYear.data?.reportingCompleteness ?? [])
    .filter((r) => r.expected > 0 && (r.year ?? 0) <= thisYear())
    .map((r) => r.year ?? 0);
  const year = due.length ? Math.max(...due) : thisYear();
  const { data } = useCompleteness({ year }, ['TYPE']);
  const rows = data?.reportingCompleteness ?? [];
  return (
    <Card
      title={t('dashboard.completeness', { year })}
      extra={<Link to="/reporting/completeness">{t('dashboard.more')}</Link>}
      data-testid="dashboard-completeness"
    >
      {rows.length === 0 && <Typography.Text type="secondary">{t('completeness.empty')}</Typography.Text>}
      {rows.map((r) => (
        <div key={r.type ?? ''} style={{ marginBottom: 8 }}>
          <Typography.Text>{t(`enums.ReportType.${r.type}`)}</Typography.Text>{' '}
          <Typography.Text type="secondary">
            ({r.actual}/{r.expected}, {t('completeness.onTime')} {r.onTime})
          </Typography.Text>
          <Progress
            percent={Number(r.reportingRate ?? 0) * 100}
            success={{ percent: Number(r.onTimeRate ?? 0) * 100 }}
            format={() => formatRate(r.reportingRate)}
            size="small"
          />
        </div>
      ))}
    </Card>
  );
}

function OverdueCard() {
  const t = useTranslate();
  const { data } = useGql<Overdue>('dashboardOverdue', OVERDUE);
  return (
    <Card title={t('dashboard.overdue')} data-testid="dashboard-overdue">
      <Row gutter={16}>
        <Col span={12}>
          <Statistic
            title={t('dashboard.overdueReports')}
            value={data?.reportingObligations.totalCount ?? 0}
            valueStyle={{ color: data?.reportingObligations.totalCount ? '#cf1322' : undefined }}
          />
        </Col>
        <Col span={12}>
          <Statistic
            title={t('dashboard.overdueRecommendations')}
            value={data?.recommendations.totalCount ?? 0}
            valueStyle={{ color: data?.recommendations.totalCount ? '#cf1322' : undefined }}
          />
        </Col>
      </Row>
      <AntList
        size="small"
        dataSource={data?.reportingObligations.nodes ?? []}
        renderItem={(o) => (
          <AntList.Item>
            <Link to={`/reports/edit/${o.id}`}>{o.title}</Link> · {o.submitter.name} · <DateText value={o.dueDate} />
          </AntList.Item>
        )}
      />
      <AntList
        size="small"
        dataSource={data?.recommendations.nodes ?? []}
        renderItem={(r) => (
          <AntList.Item>
            <Link to={`/missions/show/${r.mission.id}`}>{r.content.slice(0, 80)}</Link> · {r.addressee.name} ·{' '}
            <DateText value={r.dueDate} />
          </AntList.Item>
        )}
      />
    </Card>
  );
}

function IndicatorCard() {
  const t = useTranslate();
  const { data } = useProgress({}, []);
  const rows = (data?.indicatorProgress ?? []).filter((r) => r.target !== null || r.actual !== null).slice(0, 8);
  return (
    <Card title={t('dashboard.indicators')} extra={<Link to="/indicators">{t('dashboard.more')}</Link>} data-testid="dashboard-indicators">
      {rows.length === 0 && <Typography.Text type="secondary">{t('table.empty')}</Typography.Text>}
      {rows.map((r) => (
        <div key={r.indicator.id} style={{ marginBottom: 8 }}>
          <Link to={`/indicators/show/${r.indicator.id}`}>
            {r.indicator.code} · {r.indicator.name}
          </Link>
          <Achievement value={r.achievement} />
        </div>
      ))}
    </Card>
  );
}

export default function HomePage() {
  const t = useTranslate();
  const { data: me } = useGetIdentity<Me>();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Card size="small">
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t('pages.home.title', { name: me?.displayName ?? '' })}
          </Typography.Title>
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label={t('pages.home.role')}>{me && <RoleTag role={me.role} />}</Descriptions.Item>
            <Descriptions.Item label={t('pages.home.unit')}>{me?.unit.name}</Descriptions.Item>
          </Descriptions>
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        <FundingCard />
      </Col>
      <Col xs={24} xl={10}>
        <CompletenessCard />
      </Col>
      <Col xs={24} xl={12}>
        <OverdueCard />
      </Col>
      <Col xs={24} xl={12}>
        <IndicatorCard />
      </Col>
    </Row>
  );
}
