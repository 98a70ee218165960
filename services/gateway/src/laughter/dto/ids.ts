import { BadRequestException, type PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Job ids are `day:<user>:<date>:<trigger>:<start>:<end>[:run]` or `day#<sha256 prefix>` (message-ids.ts). */
const JOB_ID = /^[A-Za-z0-9._@:#-]{1,200}$/;

/** A laugh id (`{id}`): a UUID, else 400 — the original app answered "Invalid detection ID format". */
export class LaughIdPipe implements PipeTransform<string, string> {
  constructor(private readonly message = 'id must be a UUID') {}
  transform(value: string): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw new BadRequestException(this.message);
    return value.toLowerCase();
  }
}

export class JobIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !JOB_ID.test(value)) throw new BadRequestException('jobId is not a job id');
    return value;
  }
}
