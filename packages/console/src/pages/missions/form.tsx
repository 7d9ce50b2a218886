import { useState } from 'react';
import { useTranslate } from '@refinedev/core';
import { useSelect } from '@refinedev/antd';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Typography,
  type FormInstance,
  type SelectProps,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { showFieldErrors } from '../../components/api';
import { DATE_FORMAT } from '../../components/format';
import { DateText, dateItemProps } from '../../components/formatted';
import { ComponentSelect, EnumSelect, MEMBER_ROLES } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { useAction } from '../../components/use-action';
import type { ApiError } from '../../providers/graphql';

export interface OverlapMission {
  id: string;
  title: string;
  startDate: string;
  endDate: string;
  leadUnit: { id: string; name: string } | null;
}

export interface MissionValues {
  title: string;
  planId?: string | null;
  leadUnitId: string;
  decisionRef?: string | null;
  startDate: string;
  endDate: string;
  targetUnitIds: string[];
  componentIds?: string[];
  members: { name: string; position?: string; organizationId?: string; role: string }[];
  overlapJustification?: string;
}

function PlanSelect(props: { value?: string; onChange?: (v: string) => void }) {
  const { selectProps } = useSelect<{ id: string; title: string; year: number }>({
    resource: 'monitoringPlans',
    optionLabel: (p) => `${p.year} · ${p.title}`,
    optionValue: 'id',
    pagination: { mode: 'off' },
  });
  return <Select {...(selectProps as SelectProps)} allowClear {...props} />;
}

/** The member editor: exactly one head, each with a role and an organization. */
function MemberEditor() {
  const t = useTranslate();
  return (
    <Form.List name="members">
      {(fields, { add, remove }) => (
        <Card
          size="small"
          title={t('missions.fields.members')}
          extra={
            <Button size="small" icon={<PlusOutlined />} onClick={() => add({ role: 'MEMBER' })} data-testid="add-member">
              {t('missions.members.add')}
            </Button>
          }
          style={{ marginBottom: 16 }}
        >
          {fields.map((field) => (
            <Row gutter={8} key={field.key} align="top">
              <Col xs={24} md={6}>
                <Form.Item name={[field.name, 'name']} rules={[{ required: true, message: t('missions.members.nameRequired') }]}>
                  <Input placeholder={t('missions.members.name')} id={`member-${field.name}-name`} />
                </Form.Item>
              </Col>
              <Col xs={24} md={5}>
                <Form.Item name={[field.name, 'position']}>
                  <Input placeholder={t('missions.members.position')} />
                </Form.Item>
              </Col>
              <Col xs={24} md={7}>
                <Form.Item name={[field.name, 'organizationId']}>
                  <UnitSelect placeholder={t('missions.members.organization')} />
                </Form.Item>
              </Col>
              <Col xs={18} md={4}>
                <Form.Item name={[field.name, 'role']} rules={[{ required: true }]}>
                  <EnumSelect enumName="MemberRole" values={MEMBER_ROLES} allowClear={false} id={`member-${field.name}-role`} />
                </Form.Item>
              </Col>
              <Col xs={6} md={2}>
                <Button icon={<DeleteOutlined />} danger type="text" onClick={() => remove(field.name)} aria-label={t('buttons.remove')} />
              </Col>
            </Row>
          ))}
          {!fields.length && <Typography.Text type="secondary">{t('missions.members.empty')}</Typography.Text>}
        </Card>
      )}
    </Form.List>
  );
}

/**
 * createMission / updateMission. A MISSION_OVERLAP refusal lists the missions visiting the same units on
 * shared days, and offers to save again with a recorded justification.
 */
export function MissionForm({
  form,
  onSave,
  saveLabel,
  initialValues,
}: {
  form: FormInstance<MissionValues>;
  onSave: (values: MissionValues) => Promise<void>;
  saveLabel: string;
  initialValues?: Partial<MissionValues>;
}) {
  const t = useTranslate();
  const { run, pending } = useAction();
  const [overlap, setOverlap] = useState<{ missions: OverlapMission[] } | null>(null);
  const [justification, setJustification] = useState('');

  const save = async (extra: Partial<MissionValues> = {}) => {
    const values = await form.validateFields();
    await run(async () => {
      try {
        await onSave({ ...values, ...extra });
        setOverlap(null);
      } catch (e) {
        const err = e as ApiError;
        if (err.extensions?.rule === 'MISSION_OVERLAP') {
          setOverlap({ missions: err.extensions.missions ?? [] });
          return;
        }
        showFieldErrors(form, e);
        throw e;
      }
    });
  };

  return (
    <Form form={form} layout="vertical" initialValues={initialValues}>
      <Row gutter={16}>
        <Col xs={24} md={16}>
          <Form.Item name="title" label={t('missions.fields.title')} rules={[{ required: true }]}>
            <Input maxLength={300} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="decisionRef" label={t('missions.fields.decisionRef')}>
            <Input maxLength={200} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="leadUnitId" label={t('missions.fields.leadUnit')} rules={[{ required: true }]}>
            <UnitSelect />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="planId" label={t('missions.fields.plan')}>
            <PlanSelect />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="startDate" label={t('missions.fields.startDate')} rules={[{ required: true }]} {...dateItemProps}>
            <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="endDate" label={t('missions.fields.endDate')} rules={[{ required: true }]} {...dateItemProps}>
            <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="targetUnitIds" label={t('missions.fields.targetUnits')} rules={[{ required: true }]}>
            <UnitSelect mode="multiple" />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="componentIds" label={t('missions.fields.components')}>
            <ComponentSelect mode="multiple" />
          </Form.Item>
        </Col>
      </Row>
      <MemberEditor />
      {overlap && (
        <Alert
          type="warning"
          showIcon
          data-testid="mission-overlap"
          style={{ marginBottom: 16 }}
          message={t('missions.overlap.title')}
          description={
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text>{t('missions.overlap.explain')}</Typography.Text>
              <Table<OverlapMission>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={overlap.missions}
                columns={[
                  {
                    title: t('missions.fields.title'),
                    dataIndex: 'title',
                    render: (v, r) => (
                      <a href={`/missions/show/${r.id}`} target="_blank" rel="noreferrer">
                        {v}
                      </a>
                    ),
                  },
                  { title: t('missions.fields.startDate'), dataIndex: 'startDate', render: (v) => <DateText value={v} /> },
                  { title: t('missions.fields.endDate'), dataIndex: 'endDate', render: (v) => <DateText value={v} /> },
                  { title: t('missions.fields.leadUnit'), dataIndex: ['leadUnit', 'name'] },
                ]}
              />
              <Input.TextArea
                rows={2}
                value={justification}
                onChange={(e) => setJustification(e.target.value)}
                placeholder={t('missions.overlap.placeholder')}
                data-testid="overlap-justification"
              />
              <Button
                type="primary"
                disabled={!justification.trim()}
                loading={pending}
                onClick={() => save({ overlapJustification: justification.trim() })}
              >
                {t('missions.overlap.saveJustified')}
              </Button>
            </Space>
          }
        />
      )}
      <Button type="primary" onClick={() => save()} loading={pending} data-testid="mission-save">
        {saveLabel}
      </Button>
    </Form>
  );
}
