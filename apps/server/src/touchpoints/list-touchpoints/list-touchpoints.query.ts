import { Query } from '@nestjs/cqrs';
import type { CatalogItem } from '@journeyline/projections';

/** The touchpoint catalog: registered touchpoints and those seen in events but not registered (`new`). */
export class ListTouchpointsQuery extends Query<{ items: CatalogItem[] }> {}
