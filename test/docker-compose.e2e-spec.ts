import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { loadConfig } from '@journeyline/platform';
import { loadWorkerConfig } from '../apps/worker/src/config/worker-config';

/**
 * docker-compose.yml, the Dockerfile and .dockerignore, checked without Docker (no engine runs
 * here): the file parses, every service is where the README says, healthy before its dependants
 * start, keeps its data in a declared volume, publishes its ports on 127.0.0.1, and the app
 * containers get only variables Journeyline reads, with values it accepts.
 */
const root = path.resolve(__dirname, '..');
const composeText = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
const document = parseDocument(composeText, { prettyErrors: true });

interface Service {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; start_period?: string };
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}
const compose = document.toJS() as Compose;
const { services } = compose;

/** The variables `load` reads, by watching it read them. */
function variablesRead(load: (env: Record<string, string | undefined>) => unknown, env: Record<string, string>): Set<string> {
  const read = new Set<string>();
  load(new Proxy(env, { get: (target, name) => (typeof name === 'string' && read.add(name), target[name as string]) }));
  return read;
}

/** The `# NAME: value` lines under a service's `environment:` (the documented alternatives). */
function commentedEnvironment(service: string): Record<string, string>[] {
  const block = composeText.split(/\n {2}(?=\S)/).find((part) => part.startsWith(`${service}:`)) ?? '';
  const lines = [...block.matchAll(/^ {6}# ([A-Z][A-Z0-9_]+): (\S+)$/gm)];
  const alternatives: Record<string, string>[] = [];
  for (const [, name, value] of lines) {
    if (name === 'JOURNEYLINE_STORE' || alternatives.length === 0) alternatives.push({});
    alternatives[alternatives.length - 1][name] = value;
  }
  return alternatives;
}

describe('docker-compose.yml', () => {
  it('is valid YAML without warnings', () => {
    expect(document.errors).toEqual([]);
    expect(document.warnings).toEqual([]);
  });

  it('runs KurrentDB, Kafka, PostgreSQL 16, the server and the worker', () => {
    expect(Object.keys(services).sort()).toEqual(['kafka', 'kurrentdb', 'postgres', 'server', 'worker']);
    expect(services.kurrentdb.image).toMatch(/^(docker\.kurrent\.io\/kurrent-latest\/kurrentdb|eventstore\/eventstore):[\w.-]+$/);
    expect(services.kafka.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    expect(services.postgres.image).toMatch(/^postgres:16(\.|$|-)/);
    for (const app of ['server', 'worker']) {
      expect(services[app].build).toBe('.');
      expect(services[app].image).toBe('journeyline:local');
    }
  });

  it('runs KurrentDB as one insecure node and Kafka in KRaft mode', () => {
    expect(services.kurrentdb.environment).toMatchObject({ KURRENTDB_CLUSTER_SIZE: '1', KURRENTDB_INSECURE: 'true' });
    const kafka = services.kafka.environment!;
    expect(kafka.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(kafka.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${kafka.KAFKA_NODE_ID}@kafka:9093`);
    expect(kafka.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (const listener of kafka.KAFKA_ADVERTISED_LISTENERS.split(',')) {
      expect(kafka.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP.split(',').map((p) => p.split(':')[0])).toContain(listener.split(':')[0]);
    }
  });

  it.each(['kurrentdb', 'kafka', 'postgres', 'server', 'worker'])('gives %s a health check', (name) => {
    const check = services[name].healthcheck;
    expect(check?.test[0]).toMatch(/^CMD(-SHELL)?$/);
    expect(check?.test.slice(1).join(' ')).not.toBe('');
    expect(check?.retries).toBeGreaterThan(0);
  });

  it('starts the server and the worker only once the stores they use are healthy', () => {
    expect(services.server.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, kurrentdb: { condition: 'service_healthy' } });
    expect(services.worker.depends_on).toMatchObject({
      kafka: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
      kurrentdb: { condition: 'service_healthy' },
    });
  });

  it('keeps every stateful service in a named volume, and declares every volume it names', () => {
    const mounts = Object.entries(services).flatMap(([name, service]) =>
      (service.volumes ?? []).map((v) => ({ name, source: v.split(':')[0], target: v.split(':')[1] })),
    );
    expect(mounts).toEqual(
      expect.arrayContaining([
        { name: 'kurrentdb', source: 'kurrentdb-data', target: '/var/lib/kurrentdb' },
        { name: 'kafka', source: 'kafka-data', target: services.kafka.environment!.KAFKA_LOG_DIRS },
        { name: 'postgres', source: 'postgres-data', target: '/var/lib/postgresql/data' },
        { name: 'server', source: 'journeyline-data', target: services.server.environment!.JOURNEYLINE_DATA_DIR },
      ]),
    );
    for (const { source } of mounts) {
      expect(source).toMatch(/^[a-z][a-z0-9-]*$/); // named, not a host path
      expect(Object.keys(compose.volumes)).toContain(source);
    }
  });

  it('publishes the server and the stores on 127.0.0.1 only', () => {
    const published = (name: string) => (services[name].ports ?? []).map((p) => p.split(':'));
    expect(published('server')).toEqual([['127.0.0.1', '3000', services.server.environment!.PORT]]);
    expect(published('kurrentdb')).toEqual([['127.0.0.1', '2113', '2113']]);
    expect(published('postgres')).toEqual([['127.0.0.1', '5432', '5432']]);
    expect(published('kafka')).toEqual([['127.0.0.1', '9094', '9094']]);
    expect(services.kafka.environment!.KAFKA_ADVERTISED_LISTENERS).toContain('EXTERNAL://127.0.0.1:9094');
  });

  describe('the server', () => {
    const env = services.server.environment!;

    it('gets only variables the configuration reads, with values it accepts', () => {
      const read = variablesRead(loadConfig, env);
      expect(Object.keys(env).filter((name) => !read.has(name))).toEqual([]);
      expect(loadConfig(env)).toMatchObject({ host: '0.0.0.0', port: 3000, store: 'postgres', dataDir: '/data' });
    });

    it('stores events in the compose PostgreSQL by default', () => {
      const url = new URL(env.JOURNEYLINE_STORE_URL);
      const postgres = services.postgres.environment!;
      expect(url.hostname).toBe('postgres');
      expect(decodeURIComponent(url.username)).toBe(postgres.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${postgres.POSTGRES_DB}`);
    });

    it('documents KurrentDB as the alternative store, in a form the configuration accepts', () => {
      const [alternative] = commentedEnvironment('server');
      expect(alternative).toEqual({ JOURNEYLINE_STORE: 'kurrentdb', JOURNEYLINE_STORE_URL: 'esdb://kurrentdb:2113?tls=false' });
      expect(loadConfig({ ...env, ...alternative })).toMatchObject({ store: 'kurrentdb', storeUrl: 'esdb://kurrentdb:2113?tls=false' });
    });

    it('runs npm start on the built image', () => {
      expect(services.server.command).toEqual(['npm', 'start', '--ignore-scripts']);
    });
  });

  describe('the worker', () => {
    const env = services.worker.environment!;

    it('gets only variables the worker configuration reads, with values it accepts', () => {
      const read = variablesRead(loadWorkerConfig, env);
      expect(Object.keys(env).filter((name) => !read.has(name))).toEqual([]);
      expect(loadWorkerConfig(env)).toMatchObject({ kafka: { brokers: ['kafka:9092'] }, journeyline: { store: 'postgres' } });
    });

    it('uses the store the server uses, and the broker Kafka advertises inside the network', () => {
      const server = services.server.environment!;
      expect([env.JOURNEYLINE_STORE, env.JOURNEYLINE_STORE_URL]).toEqual([server.JOURNEYLINE_STORE, server.JOURNEYLINE_STORE_URL]);
      expect(commentedEnvironment('worker')).toEqual(commentedEnvironment('server'));
      expect(services.kafka.environment!.KAFKA_ADVERTISED_LISTENERS.split(',')).toContain(`INTERNAL://${env.KAFKA_BROKERS}`);
      expect(services.worker.healthcheck?.test.join(' ')).toContain(`:${env.WORKER_PORT}/health`);
    });

    const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    (scripts.worker ? it : it.skip)(
      scripts.worker ? 'runs npm run worker, which package.json defines' : 'runs npm run worker — skipped: package.json has no "worker" script yet',
      () => {
        expect(services.worker.command).toEqual(['npm', 'run', 'worker']);
        expect(scripts.worker).toBeDefined();
      },
    );
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));

  it('builds on node 20 with npm install (the lock pins versions) and npm run build, and runs npm start', () => {
    expect(instructions[0]).toMatch(/^FROM node:20(-[a-z]+)?$/);
    const runs = instructions.filter((line) => line.startsWith('RUN ')).join('\n');
    expect(runs).toMatch(/npm install\b/);
    expect(runs).toMatch(/npm run build\b/);
    expect(instructions.at(-1)).toBe('CMD ["npm", "start", "--ignore-scripts"]');
    expect(dockerfile.indexOf('COPY package.json package-lock.json')).toBeLessThan(dockerfile.indexOf('COPY . .'));
  });

  it('runs as the unprivileged node user, listening on every interface', () => {
    expect(instructions).toContain('USER node');
    expect(dockerfile).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('uses only scripts package.json defines', () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.build).toBeDefined();
    expect(scripts.start).toBeDefined();
  });

  it('leaves host builds, dependencies and data out of the build context', () => {
    const ignored = fs
      .readFileSync(path.join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.git', '*.db']));
  });
});
