import { Create, useForm, useSelect } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Col, Form, Input, Row, Select } from 'antd';
import { useSearchParams } from 'react-router';

export default function ComponentCreate() {
  const t = useTranslate();
  const [params] = useSearchParams();
  const { formProps, saveButtonProps, form } = useForm({ redirect: 'show' });
  const programId = Form.useWatch('programId', form) ?? params.get('programId') ?? undefined;
  const { selectProps: programSelect } = useSelect({
    resource: 'programs',
    optionLabel: (p: any) => `${p.code} – ${p.name}`,
    optionValue: (p: any) => p.id,
  });
  const { selectProps: parentSelect } = useSelect({
    resource: 'programComponents',
    optionLabel: (c: any) => `${c.code} – ${c.name}`,
    optionValue: (c: any) => c.id,
    filters: [
      { field: 'programId', operator: 'eq', value: programId },
      { field: 'kind', operator: 'eq', value: 'PROJECT' },
    ],
    queryOptions: { enabled: !!programId },
  });
  return (
    <Create saveButtonProps={saveButtonProps}>
      <Form {...formProps} layout="vertical" initialValues={{ kind: 'PROJECT', programId: params.get('programId') ?? undefined }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="programId" label={t('programComponents.fields.programId')} rules={[{ required: true }]}>
              <Select {...programSelect} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="parentId" label={t('programComponents.fields.parentId')}>
              <Select {...parentSelect} allowClear />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="code" label={t('programComponents.fields.code')} rules={[{ required: true }]}>
              <Input placeholder="DA3.TDA1" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="kind" label={t('programComponents.fields.kind')} rules={[{ required: true }]}>
              <Select options={['PROJECT', 'SUB_PROJECT'].map((k) => ({ value: k, label: t(`enums.ComponentKind.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="name" label={t('programComponents.fields.name')} rules={[{ required: true }]}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Create>
  );
}
