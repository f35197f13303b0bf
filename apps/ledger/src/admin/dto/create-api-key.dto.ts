import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from '../../auth/principal';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'agent-gateway (prod)' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'producer keys only: every event source must start with this', example: 'urn:acme:agent-gateway' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  @Matches(/^\S+$/, { message: 'sourcePrefix must not contain spaces' })
  sourcePrefix?: string;
}
