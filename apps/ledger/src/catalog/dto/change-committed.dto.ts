import { JSONSchema } from 'class-validator-jsonschema';
import { ChangeDataDto } from './change-data.dto';

@JSONSchema({ description: 'Commits were added to a change; `commits` lists the new ones.' })
export class ChangeCommittedDto extends ChangeDataDto {}
