import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { mergeMap, type Observable } from 'rxjs';
import { PersonalData } from '@journeyline/privacy';

/**
 * Personal fields stay sealed in the log and the read models; every answer is opened here, on its
 * way out, wherever in it a sealed value sits (a name in the customer list, a comment, a field of a
 * raw event). A customer who was erased has no key left: their values read as null.
 */
@Injectable()
export class RevealPersonalDataInterceptor implements NestInterceptor {
  constructor(private readonly personal: PersonalData) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(mergeMap((answer: unknown) => this.personal.reveal(answer)));
  }
}
