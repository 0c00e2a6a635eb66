import { DataSource } from 'typeorm';
import { SqlUserStore } from '../../src/auth/adapters/sql-user-store';
import { openDataSource } from '../../src/database/open-data-source';
import { sqlFor } from '../../src/database/sql-for';
import { EVERYONE, ownedBy } from '../../src/sessions/domain/session';
import { SqlTemplateStore } from '../../src/settings/adapters/sql-template-store';
import { TemplateDraft } from '../../src/settings/domain/template';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';

const { postgres } = externalServices();
const dialects: [string, () => Promise<ScratchDatabase>][] = [['sqlite', async () => scratchSqlite()]];
if (postgres) dialects.push(['postgres', () => scratchPostgres(postgres)]);

const at = new Date('2026-12-01T10:00:00.000Z');
const draft: TemplateDraft = {
  name: 'Tutor «Ünïcödé» 🙂',
  category: 'learning',
  systemPrompt: 'Answer in French.\n"quoted" \\ back',
  starterPrompts: ['Bonjour ✨', 'Correct me'],
  model: 'gpt-4o',
  temperature: 0.7,
  memory: { strategy: 'tokens', maxHistory: null, maxTokens: 4096 },
};

describe.each(dialects)('%s: SqlTemplateStore', (_dialect, scratch) => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let store: SqlTemplateStore;
  let users: SqlUserStore;

  beforeEach(async () => {
    db = await scratch();
    dataSource = await openDataSource(db.settings);
    const sql = sqlFor(dataSource);
    store = new SqlTemplateStore(sql);
    users = new SqlUserStore(sql);
    for (const id of ['ann', 'ben']) await users.create({ id, username: id, passwordHash: null, at });
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  it('should give back what was stored, nulls and unicode included', async () => {
    const created = await store.create('ann', 't1', draft, at);
    expect(created).toEqual({ id: 't1', ...draft, builtin: false });
    expect(await store.find(ownedBy('ann'), 't1')).toEqual(created);
    const bare = { ...draft, starterPrompts: [], model: null, temperature: null, memory: null };
    await store.create(null, 't2', bare, at);
    expect(await store.find(EVERYONE, 't2')).toEqual({ id: 't2', ...bare, builtin: false });
  });

  it("should show an owner only its own templates, and the scope without owner every one", async () => {
    await store.create('ann', 'a1', { ...draft, category: 'b', name: 'z' }, at);
    await store.create('ann', 'a2', { ...draft, category: 'a', name: 'y' }, at);
    await store.create('ben', 'b1', draft, at);
    expect((await store.list(ownedBy('ann'))).map((t) => t.id)).toEqual(['a2', 'a1']);
    expect((await store.list(ownedBy('ben'))).map((t) => t.id)).toEqual(['b1']);
    expect((await store.list(EVERYONE)).map((t) => t.id).sort()).toEqual(['a1', 'a2', 'b1']);
    expect(await store.find(ownedBy('ben'), 'a1')).toBeNull();
  });

  it("should change and delete only within the scope", async () => {
    await store.create('ann', 'a1', draft, at);
    const changed = { ...draft, name: 'Renamed', memory: null };
    expect(await store.update(ownedBy('ben'), 'a1', changed, at)).toBeNull();
    expect(await store.delete(ownedBy('ben'), 'a1')).toBe(false);
    expect(await store.find(EVERYONE, 'a1')).toEqual({ id: 'a1', ...draft, builtin: false });
    expect(await store.update(ownedBy('ann'), 'a1', changed, at)).toEqual({ id: 'a1', ...changed, builtin: false });
    expect(await store.find(ownedBy('ann'), 'a1')).toEqual({ id: 'a1', ...changed, builtin: false });
    expect(await store.delete(ownedBy('ann'), 'a1')).toBe(true);
    expect(await store.find(EVERYONE, 'a1')).toBeNull();
  });

  it('should delete the templates of a deleted user, and keep the others', async () => {
    await store.create('ben', 'b1', draft, at);
    await store.create('ann', 'a1', draft, at);
    await store.create(null, 'n1', draft, at);
    // ann is the first account, so the admin: make ben one too, or the last admin cannot go.
    await users.setRole('ben', 'admin');
    expect(await users.delete('ann')).toBe(true);
    expect((await store.list(EVERYONE)).map((t) => t.id).sort()).toEqual(['b1', 'n1']);
  });
});
