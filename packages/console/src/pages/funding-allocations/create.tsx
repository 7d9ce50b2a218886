import { Create, useForm } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Col, Form, Input, Row } from 'antd';
import { ComponentSelect, EnumSelect, FUNDING_SOURCES, MoneyInput, YearInput } from '../../components/inputs';
import { UnitSelect } from '../../components/unit-select';
import { thisYear } from '../../components/api';

/** createFundingAllocation; later changes go through revisions on the allocation's page. */
export default function AllocationCreate() {
  const t = useTranslate();
  const { formProps, saveButtonProps } = useForm({ resource: 'fundingAllocations', redirect: 'show' });
  return (
    <Create resource="fundingAllocations" saveButtonProps={saveButtonProps}>
      <Form {...formProps} layout="vertical" initialValues={{ year: thisYear() }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="componentId" label={t('fundingAllocations.fields.component')} rules={[{ required: true }]}>
              <ComponentSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="unitId" label={t('fundingAllocations.fields.unit')} rules={[{ required: true }]}>
              <UnitSelect />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="year" label={t('fundingAllocations.fields.year')} rules={[{ required: true }]}>
              <YearInput />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="source" label={t('fundingAllocations.fields.source')} rules={[{ required: true }]}>
              <EnumSelect enumName="FundingSource" values={FUNDING_SOURCES} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="decisionRef" label={t('fundingAllocations.fields.decisionRef')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="plannedAmount" label={t('fundingAllocations.fields.plannedAmount')} rules={[{ required: true }]}>
              <MoneyInput />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="allocatedAmount" label={t('fundingAllocations.fields.allocatedAmount')} rules={[{ required: true }]}>
              <MoneyInput />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Create>
  );
}
