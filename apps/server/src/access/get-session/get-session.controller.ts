import { Controller, Get } from '@nestjs/common';
import type { Principal as Who } from '@journeyline/access';
import { Principal } from '../principal.decorator';
import { SignedIn } from '../requires.decorator';
import { sessionAnswer, type SessionAnswer } from '../session-answer';

/** GET /api/v1/session: who this request is signed in as (any valid key or session); 401 otherwise. The dashboard asks it first. */
@Controller('api/v1/session')
@SignedIn()
export class GetSessionController {
  @Get()
  get(@Principal() principal: Who): SessionAnswer {
    return sessionAnswer(principal);
  }
}
