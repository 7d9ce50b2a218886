import { Create, useForm } from '@refinedev/antd';
import { UserForm } from './form';

export default function UserCreate() {
  const { formProps, saveButtonProps } = useForm({ redirect: 'list' });
  return (
    <Create saveButtonProps={saveButtonProps}>
      <UserForm formProps={formProps} />
    </Create>
  );
}
