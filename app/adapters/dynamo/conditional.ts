/** True when a DynamoDB write lost its condition (duplicate, stale version, already decided). */
export function isConditionalFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
