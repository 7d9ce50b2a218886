import { Edit, useForm } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Form, Input } from 'antd';

export default function ComponentEdit() {
  const t = useTranslate();
  const { formProps, saveButtonProps } = useForm({ redirect: 'show' });
  return (
    <Edit saveButtonProps={saveButtonProps}>
      <Form {...formProps} layout="vertical">
        <Form.Item name="version" hidden>
          <Input />
        </Form.Item>
        <Form.Item name="code" label={t('programComponents.fields.code')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="name" label={t('programComponents.fields.name')} rules={[{ required: true }]}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Edit>
  );
}
