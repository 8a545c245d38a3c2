import { applyD1Migrations, env } from 'cloudflare:test';

// Runs before each test file: the file's isolated D1 gets the real migrations.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
