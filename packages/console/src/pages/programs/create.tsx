import { Create, useForm } from '@refinedev/antd';
import { ProgramForm } from './form';

export default function ProgramCreate() {
  const { formProps, saveButtonProps } = useForm({ redirect: 'show' });
  return (
    <Create saveButtonProps={saveButtonProps}>
      <ProgramForm formProps={formProps} />
    </Create>
  );
}
