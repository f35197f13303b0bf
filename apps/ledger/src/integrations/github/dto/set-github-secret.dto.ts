import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class SetGithubSecretDto {
  @ApiPropertyOptional({
    description: 'the secret to use (at least 32 characters); omit it to have a strong one generated',
    minLength: 32,
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'secret must be at least 32 characters; omit it to have one generated' })
  @MaxLength(256)
  @Matches(/^[\x21-\x7e]+$/, { message: 'secret must be printable ASCII without spaces' })
  secret?: string;
}
