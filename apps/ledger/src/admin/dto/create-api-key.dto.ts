import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from '../../auth/principal';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'agent-gateway (prod)' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  // eslint-disable-next-line no-control-regex -- U+0000 is what is refused: PostgreSQL text cannot hold it
  @Matches(/^[^\u0000]*$/, { message: 'name must not contain U+0000 (NUL)' })
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'producer keys only: every event source must start with this', example: 'urn:acme:agent-gateway' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  // eslint-disable-next-line no-control-regex -- as for name
  @Matches(/^[^\s\u0000]+$/, { message: 'sourcePrefix must not contain spaces or U+0000 (NUL)' })
  sourcePrefix?: string;
}
