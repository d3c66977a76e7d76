import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contentTypeOf, dashboardDir, isApiPath, resolveAsset } from './dashboard-assets';
import { demoCustomersRequested } from './demo-seeder';

describe('dashboard assets', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-assets-'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'export {}');
  fs.writeFileSync(path.join(os.tmpdir(), 'outside.txt'), 'secret');
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(path.join(os.tmpdir(), 'outside.txt'), { force: true });
  });

  it('serves built files, hashed assets as immutable', () => {
    expect(resolveAsset(root, '/assets/index-abc123.js')).toEqual({ file: path.join(root, 'assets', 'index-abc123.js'), immutable: true });
    expect(resolveAsset(root, '/index.html')).toEqual({ file: path.join(root, 'index.html'), immutable: false });
    expect(contentTypeOf('x/index-abc123.js')).toBe('text/javascript; charset=utf-8');
  });

  it('names no file for page paths, folders, missing files or paths that leave the root', () => {
    for (const urlPath of [
      '/',
      '/customers/c-1',
      '/assets',
      '/assets/missing.js',
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/%2e%2e/%2e%2e/outside.txt',
      '/%E0%A4%A',
    ]) {
      expect(resolveAsset(root, urlPath)).toBeNull();
    }
  });

  it('tells API paths from page paths', () => {
    expect(['/api/v1/x', '/api', '/health', '/v1/batch', '/metrics'].map(isApiPath)).toEqual([true, true, true, true, true]);
    expect(['/', '/customers', '/touchpoints', '/apiary', '/healthy'].map(isApiPath)).toEqual([false, false, false, false, false]);
  });

  it('finds dist/dashboard at the repository root from source and from the build', () => {
    const repo = path.resolve(__dirname, '../../../..');
    expect(dashboardDir()).toBe(path.join(repo, 'dist', 'dashboard'));
    expect(dashboardDir(path.join(repo, 'dist', 'apps', 'server', 'src', 'dashboard'))).toBe(path.join(repo, 'dist', 'dashboard'));
  });
});

describe('JOURNEYLINE_DEMO_CUSTOMERS', () => {
  it('is a whole number of customers, or nothing', () => {
    expect(demoCustomersRequested({})).toBeNull();
    expect(demoCustomersRequested({ JOURNEYLINE_DEMO_CUSTOMERS: ' ' })).toBeNull();
    expect(demoCustomersRequested({ JOURNEYLINE_DEMO_CUSTOMERS: '5000' })).toBe(5000);
    expect(() => demoCustomersRequested({ JOURNEYLINE_DEMO_CUSTOMERS: 'lots' })).toThrow(/whole number/);
    expect(() => demoCustomersRequested({ JOURNEYLINE_DEMO_CUSTOMERS: '0' })).toThrow(/whole number/);
  });
});
