import { useTranslate } from '@refinedev/core';
import { Col, Form, Input, InputNumber, Row, type FormProps } from 'antd';

export function ProgramForm({ formProps, editing = false }: { formProps: FormProps; editing?: boolean }) {
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
          <Form.Item name="code" label={t('programs.fields.code')} rules={[{ required: true }]}>
            <Input maxLength={64} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="name" label={t('programs.fields.name')} rules={[{ required: true }]}>
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name="startYear" label={t('programs.fields.startYear')} rules={[{ required: true }]}>
            <InputNumber min={2000} max={2100} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name="endYear" label={t('programs.fields.endYear')} rules={[{ required: true }]}>
            <InputNumber min={2000} max={2100} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="decisionRef" label={t('programs.fields.decisionRef')}>
            <Input maxLength={200} />
          </Form.Item>
        </Col>
      </Row>
    </Form>
  );
}
