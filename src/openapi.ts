import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { loadConfig } from './config/load-config';
import { openApiDocument, setupApp } from './setup-app';

/** Writes the OpenAPI document of the built service to a file (the web client's types come from it). */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node dist/openapi.js <output.json>');
  const config = loadConfig({ ...process.env, DATABASE_URL: 'sqlite::memory:', LLM_PROVIDER: 'offline' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger: ['error'], bodyParser: false });
  setupApp(app, config);
  await app.init();
  writeFileSync(out, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
