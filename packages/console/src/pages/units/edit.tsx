import { Edit, useForm } from '@refinedev/antd';
import { UnitForm } from './form';

export default function UnitEdit() {
  const { formProps, saveButtonProps } = useForm({ redirect: 'show' });
  return (
    <Edit saveButtonProps={saveButtonProps}>
      <UnitForm formProps={formProps} editing />
    </Edit>
  );
}
