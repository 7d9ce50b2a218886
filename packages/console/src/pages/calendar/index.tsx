import { useState } from 'react';
import { List } from '@refinedev/antd';
import { useCan, useTranslate } from '@refinedev/core';
import { Button, Col, DatePicker, Form, Input, Popconfirm, Row, Space, Table, Tag } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { showFieldErrors, thisYear, useGql, useRefreshAll } from '../../components/api';
import { DATE_FORMAT } from '../../components/format';
import { DateText, dateItemProps } from '../../components/formatted';
import { CALENDAR_KINDS, EnumSelect, YearInput } from '../../components/inputs';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';

interface Day {
  date: string;
  kind: string;
  name: string;
  source: string | null;
}

const KIND_COLOR: Record<string, string> = { HOLIDAY: 'red', DAY_OFF: 'orange', WORKING_DAY: 'blue' };

/** Holidays, days off and make-up Saturdays: the data behind every "N working days" deadline. */
export default function CalendarPage() {
  const t = useTranslate();
  const [year, setYear] = useState(thisYear());
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const [form] = Form.useForm<Day>();
  const { data: canEdit } = useCan({ resource: 'calendar', action: 'setCalendarDay' });
  const { data, isLoading } = useGql<{ calendarDays: Day[] }>(
    'calendarDays',
    'query($year: Int!) { calendarDays(year: $year) { date kind name source } }',
    { year },
  );

  const save = async () => {
    const values = await form.validateFields();
    const done = await run(async () => {
      try {
        return await gql('mutation($input: SetCalendarDayInput!) { setCalendarDay(input: $input) { date } }', { input: values });
      } catch (e) {
        showFieldErrors(form, e);
        throw e;
      }
    }, t('notifications.success'));
    if (done) {
      form.resetFields();
      await refresh();
    }
  };
  const remove = (date: string) =>
    run(async () => {
      await gql('mutation($date: Date!) { removeCalendarDay(date: $date) }', { date });
      await refresh();
    });

  return (
    <List
      title={t('calendar.title')}
      headerButtons={
        <YearInput value={year} onChange={(v) => v && setYear(v)} style={{ width: 110 }} aria-label={t('fundingAllocations.fields.year')} />
      }
    >
      {canEdit?.can && (
        <Form form={form} layout="vertical" style={{ marginBottom: 16 }} data-testid="calendar-form">
          <Row gutter={12} align="bottom">
            <Col xs={12} md={4}>
              <Form.Item name="date" label={t('calendar.fields.date')} rules={[{ required: true }]} {...dateItemProps}>
                <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} defaultPickerValue={dayjs(`${year}-01-01`)} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="kind" label={t('calendar.fields.kind')} rules={[{ required: true }]}>
                <EnumSelect enumName="CalendarDayKind" values={CALENDAR_KINDS} />
              </Form.Item>
            </Col>
            <Col xs={24} md={7}>
              <Form.Item name="name" label={t('calendar.fields.name')} rules={[{ required: true }]}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="source" label={t('calendar.fields.source')}>
                <Input maxLength={300} />
              </Form.Item>
            </Col>
            <Col xs={24} md={3}>
              <Form.Item>
                <Button type="primary" onClick={save} loading={pending} block>
                  {t('buttons.save')}
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      )}
      <Table<Day>
        rowKey="date"
        size="small"
        loading={isLoading}
        dataSource={data?.calendarDays ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('calendar.fields.date'),
            dataIndex: 'date',
            render: (v: string) => (
              <Space>
                <DateText value={v} />
                <span style={{ color: '#999' }}>{dayjs(v).format('dd')}</span>
              </Space>
            ),
          },
          {
            title: t('calendar.fields.kind'),
            dataIndex: 'kind',
            render: (v: string) => <Tag color={KIND_COLOR[v]}>{t(`enums.CalendarDayKind.${v}`)}</Tag>,
          },
          { title: t('calendar.fields.name'), dataIndex: 'name' },
          { title: t('calendar.fields.source'), dataIndex: 'source', render: (v) => v ?? '—' },
          ...(canEdit?.can
            ? [
                {
                  title: t('table.actions'),
                  render: (_: unknown, r: Day) => (
                    <Space>
                      <Button size="small" onClick={() => form.setFieldsValue(r)}>
                        {t('buttons.edit')}
                      </Button>
                      <Popconfirm title={t('buttons.confirm')} onConfirm={() => remove(r.date)}>
                        <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('buttons.remove')} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
    </List>
  );
}
