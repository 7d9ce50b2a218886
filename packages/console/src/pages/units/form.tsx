import { useTranslate } from '@refinedev/core';
import { Col, DatePicker, Form, Input, Row, Select, type FormProps } from 'antd';
import { UnitSelect } from '../../components/unit-select';
import { DATE_FORMAT } from '../../components/format';
import { dateItemProps } from '../../components/formatted';

const KINDS = ['PROVINCE', 'DISTRICT', 'COMMUNE', 'AGENCY'];

/** The fields of createUnit / updateUnit; server field errors land on the item of the same name. */
export function UnitForm({ formProps, editing = false }: { formProps: FormProps; editing?: boolean }) {
  const t = useTranslate();
  return (
    <Form {...formProps} layout="vertical">
      {editing && (
        <Form.Item name="version" hidden>
          <Input />
        </Form.Item>
      )}
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="code" label={t('units.fields.code')} rules={[{ required: true }]}>
            <Input maxLength={64} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="name" label={t('units.fields.name')} rules={[{ required: true }]}>
            <Input maxLength={300} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="kind" label={t('units.fields.kind')} rules={[{ required: true }]}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`enums.UnitKind.${k}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="parentId" label={t('units.fields.parentId')}>
            <UnitSelect placeholder={t('units.placeholders.parent')} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="validFrom" label={t('units.fields.validFrom')} {...dateItemProps}>
            <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="validTo" label={t('units.fields.validTo')} {...dateItemProps}>
            <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} placeholder={t('common.openEnded')} />
          </Form.Item>
        </Col>
      </Row>
    </Form>
  );
}
