import { ApiProperty } from '@nestjs/swagger';

export class InclusionProofDto {
  @ApiProperty({ description: 'RFC 9162 leaf index (= sequence)' }) leafIndex!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ type: [String], description: 'sibling hashes, standard base64, leaf to root' }) hashes!: string[];
}

/** Documentation shape of a receipt (OpenAPI); the value itself is core's `Receipt`. */
export class ReceiptDto {
  @ApiProperty() id!: string;
  @ApiProperty() sequence!: number;
  @ApiProperty({ description: 'RFC 6962 leaf hash of the entry bytes, base64' }) leafHash!: string;
  @ApiProperty({ description: 'SHA-256(previous chain hash ‖ leaf hash), base64' }) chainHash!: string;
  @ApiProperty({ description: 'RFC 3339 commit time: with your event, tenant, sequence and key id it rebuilds the entry bytes' })
  recordedAt!: string;
  @ApiProperty({ description: 'C2SP signed-note checkpoint the proof leads to' }) checkpoint!: string;
  @ApiProperty({ type: InclusionProofDto }) inclusionProof!: InclusionProofDto;
}
