import { JSONSchema } from 'class-validator-jsonschema';
import { DeploymentDataDto } from './deployment-data.dto';

@JSONSchema({ description: 'An artifact was deployed to an environment.' })
export class DeploymentCompletedDto extends DeploymentDataDto {}
