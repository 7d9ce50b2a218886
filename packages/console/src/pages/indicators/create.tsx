import { Create, useForm } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Col, Form, Input, Row } from 'antd';
import { ComponentSelect, EnumSelect } from '../../components/inputs';

export default function IndicatorCreate() {
  const t = useTranslate();
  const { formProps, saveButtonProps } = useForm({ resource: 'indicators', redirect: 'show' });
  return (
    <Create resource="indicators" saveButtonProps={saveButtonProps}>
      <Form {...formProps} layout="vertical" initialValues={{ measure: 'NUMBER', direction: 'INCREASE', aggregation: 'SUM' }}>
        <Row gutter={16}>
          <Col xs={24} md={6}>
            <Form.Item name="code" label={t('indicators.fields.code')} rules={[{ required: true }]}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} md={18}>
            <Form.Item name="name" label={t('indicators.fields.name')} rules={[{ required: true }]}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="unitOfMeasure" label={t('indicators.fields.unitOfMeasure')}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="measure" label={t('indicators.fields.measure')} rules={[{ required: true }]}>
              <EnumSelect enumName="Measure" values={['NUMBER', 'PERCENT', 'QUALITATIVE']} allowClear={false} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="direction" label={t('indicators.fields.direction')} rules={[{ required: true }]}>
              <EnumSelect enumName="Direction" values={['INCREASE', 'DECREASE']} allowClear={false} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="aggregation" label={t('indicators.fields.aggregation')} rules={[{ required: true }]}>
              <EnumSelect enumName="Aggregation" values={['SUM', 'AVERAGE', 'RATIO', 'LAST']} allowClear={false} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="componentId" label={t('indicators.fields.component')}>
              <ComponentSelect />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Create>
  );
}
