import { JSONSchema } from 'class-validator-jsonschema';
import { ChangeDataDto } from './change-data.dto';

@JSONSchema({ description: 'A change (pull/merge request) was opened.' })
export class ChangeOpenedDto extends ChangeDataDto {}
