import { Create, useForm } from '@refinedev/antd';
import { UnitForm } from './form';

export default function UnitCreate() {
  const { formProps, saveButtonProps } = useForm({ redirect: 'show' });
  return (
    <Create saveButtonProps={saveButtonProps}>
      <UnitForm formProps={formProps} />
    </Create>
  );
}
