import { Module } from '@nestjs/common';
import { ApiDocsController } from './api-docs.controller';
import { ApiDocument } from './api-document';

/** The OpenAPI document, generated from the routes and their DTOs, and Swagger UI to browse it. */
@Module({ controllers: [ApiDocsController], providers: [ApiDocument], exports: [ApiDocument] })
export class DocsModule {}
