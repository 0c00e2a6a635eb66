import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';
import { StoreHealth } from '../domain/store-health';

@Injectable()
export class SqlStoreHealth extends StoreHealth {
  constructor(private readonly sql: Sql) {
    super();
  }

  async check(): Promise<{ dialect: string }> {
    await this.sql.get('SELECT 1 AS ok');
    return { dialect: this.sql.dialect };
  }
}
