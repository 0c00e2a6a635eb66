import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  boundHostFiles,
  ComposeFile,
  ComposeService,
  composeEnv,
  configIntDefault,
  dependsOn,
  DOCKER,
  DockerStage,
  envNamesReadByConfig,
  healthcheckCommand,
  healthRoutes,
  instructionsOf,
  K8S_DIR,
  k8sManifestFiles,
  K8sObject,
  k8sObjects,
  namedVolumeSources,
  NginxDirective,
  nginxFind,
  parseDockerfile,
  parseNginx,
  quantity,
  readRepoFile,
  readYaml,
  stageEnv,
} from '../support/container-files';

// No Docker engine or cluster runs where these tests run: the files are parsed and checked against
// the service's own sources (its config reader, its health routes), not built or started.

/**
 * Variables that later issues of the roadmap introduce (accounts with JWTs, the bind address, trusting
 * the load balancer's X-Forwarded-For). The container files set them already; load-config.ts does
 * not read them yet. Once it does, drop them from here.
 */
const UPCOMING_ENV = ['AUTH_MODE', 'JWT_SECRET', 'HOST'];
/** Read by Node and Express themselves, not by our config. */
const RUNTIME_ENV = ['NODE_ENV'];
/** What a deployment must keep out of a ConfigMap and in a Secret. */
const SECRET_ENV = ['DATABASE_URL', 'JWT_SECRET', 'OPENAI_API_KEY'];

const knownEnv = new Set([...envNamesReadByConfig(), ...UPCOMING_ENV]);
const unknownEnv = (names: string[]) => names.filter((name) => !knownEnv.has(name));
const routes = healthRoutes();

describe('the service sources these tests read', () => {
  it('should find the variables load-config.ts reads and the health routes', () => {
    expect([...envNamesReadByConfig()]).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'REDIS_URL', 'LLM_PROVIDER', 'SHUTDOWN_GRACE_MS']));
    expect(routes).toEqual({ '': '/api/health', live: '/api/health/live', ready: '/api/health/ready' });
  });
});

describe('docker/Dockerfile', () => {
  const stages = parseDockerfile(readRepoFile('docker', 'Dockerfile'));
  const final = stages[stages.length - 1];
  const build = stages.find((stage) => stage.name && final.instructions.some((i) => i.keyword === 'COPY' && i.args.includes(`--from=${stage.name}`)));
  const copiesFromBuild = (stage: DockerStage) => instructionsOf(stage, 'COPY').filter((args) => args.includes(`--from=${build?.name}`));

  it('should build in one stage and run in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    // better-sqlite3's native addon is compiled in the build stage: it must run on the same base.
    expect(final.from).toBe(build!.from);
  });

  it('should build the server and the web client, and copy both into the runtime image', () => {
    const runs = instructionsOf(build!, 'RUN').join(' && ');
    // `npm run build` alone builds both; `build:server` and the client's own build are its halves.
    expect(runs).toMatch(/npm run build:server|npm run build(?![\w:-])/);
    expect(runs).toMatch(/npm --prefix client run build|npm run build:client|npm run build(?![\w:-])/);
    const workdir = instructionsOf(final, 'WORKDIR').at(-1);
    const targets = copiesFromBuild(final).map((args) => args.split(' ').at(-1)!.replace(/^\.\//, `${workdir}/`).replace(/\/$/, ''));
    // src/web-client.ts serves <dist>/../client/dist unless CLIENT_DIR says otherwise.
    expect(targets).toEqual(expect.arrayContaining([`${workdir}/dist`, `${workdir}/client/dist`, `${workdir}/node_modules`]));
    expect(stageEnv(final).CLIENT_DIR).toBeUndefined();
  });

  it('should run as a numeric non-root user, so that Kubernetes can verify runAsNonRoot', () => {
    const user = instructionsOf(final, 'USER').at(-1);
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user!.split(':')[0])).toBeGreaterThan(0);
  });

  it('should listen on all interfaces on the port it exposes, and check its liveness there', () => {
    const env = stageEnv(final);
    expect(env.HOST).toBe('0.0.0.0');
    expect(instructionsOf(final, 'EXPOSE')).toEqual([env.PORT]);
    const healthcheck = instructionsOf(final, 'HEALTHCHECK').join(' ');
    expect(healthcheck).toContain(routes.live);
    expect(healthcheck).toMatch(/--timeout=\d+s/);
  });

  it('should set only variables the service reads', () => {
    const names = Object.keys(stageEnv(final)).filter((name) => !RUNTIME_ENV.includes(name));
    expect(unknownEnv(names)).toEqual([]);
  });

  it('should keep secrets and build output out of the build context', () => {
    // `**/`: .dockerignore patterns are anchored at the context root, and docker/.env holds compose's secrets.
    const ignored = readRepoFile('.dockerignore').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['**/.env', 'node_modules', 'client/node_modules', 'dist', 'client/dist']));
  });
});

describe('docker/compose.yaml (two replicas behind nginx, PostgreSQL, Redis)', () => {
  const compose = readYaml<ComposeFile>('docker', 'compose.yaml');
  const services = Object.entries(compose.services);
  const named = (test: (s: ComposeService) => boolean) => services.filter(([, service]) => test(service));
  const sole = (image: RegExp): [string, ComposeService] => {
    const found = named((s) => image.test(s.image ?? ''));
    if (found.length !== 1) throw new Error(`compose.yaml: expected one service with an image matching ${image}, found ${found.length}`);
    return found[0];
  };
  const apps = named((s) => typeof s.build === 'object' && s.build.dockerfile === 'docker/Dockerfile');
  const [lbName, lb] = sole(/^nginx:/);
  const [pgName, postgres] = sole(/^postgres:/);
  const [redisName, redis] = sole(/^redis:/);
  const dockerfilePort = stageEnv(parseDockerfile(readRepoFile('docker', 'Dockerfile')).at(-1)!).PORT;

  it('should run the service as two replicas', () => {
    const replicas = apps.reduce((sum, [, service]) => sum + (service.deploy?.replicas ?? 1), 0);
    expect(replicas).toBe(2);
  });

  it('should give every container a health check', () => {
    for (const [name, service] of services) expect([name, healthcheckCommand(service)]).toEqual([name, expect.stringMatching(/\S/)]);
    expect(healthcheckCommand(postgres)).toMatch(/\bpg_isready\b/);
    expect(healthcheckCommand(redis)).toMatch(/\bredis-cli\b.*\bping\b/);
    for (const [, app] of apps) expect(healthcheckCommand(app)).toContain(`:${dockerfilePort}${routes.ready}`);
  });

  it('should start each container only once what it needs is healthy', () => {
    for (const [, app] of apps) expect(dependsOn(app)).toEqual({ [pgName]: 'service_healthy', [redisName]: 'service_healthy' });
    expect(dependsOn(lb)).toEqual(Object.fromEntries(apps.map(([name]) => [name, 'service_healthy'])));
    for (const [name, service] of services) {
      for (const [dependency, condition] of Object.entries(dependsOn(service))) {
        expect([name, dependency, condition]).toEqual([name, dependency, 'service_healthy']);
      }
    }
  });

  it('should point the replicas at the shared PostgreSQL and Redis, trusting the load balancer', () => {
    for (const [, app] of apps) {
      const env = composeEnv(app);
      expect(new URL(env.DATABASE_URL).protocol).toBe('postgres:');
      expect(new URL(env.DATABASE_URL).hostname).toBe(pgName);
      expect(env.REDIS_URL).toBe(`redis://${redisName}:6379`);
      expect(env).toMatchObject({ HOST: '0.0.0.0', AUTH_MODE: 'jwt', TRUST_PROXY: '1' });
      // A secret comes from the environment of `docker compose`, never from the file itself.
      expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?[^}]*\}$/);
      expect(env.PORT ?? dockerfilePort).toBe(dockerfilePort);
    }
  });

  it('should leave the cap on connections per client address to the load balancer', () => {
    for (const [, app] of apps) expect(composeEnv(app).MAX_CONNECTIONS_PER_IP).toBe('0');
  });

  it('should set only variables the service reads', () => {
    for (const [name, app] of apps) expect([name, unknownEnv(Object.keys(composeEnv(app)))]).toEqual([name, []]);
  });

  it('should keep PostgreSQL on a named volume, and declare every named volume it uses', () => {
    expect(namedVolumeSources(postgres)).toHaveLength(1);
    expect(postgres.volumes).toEqual([`${namedVolumeSources(postgres)[0]}:/var/lib/postgresql/data`]);
    const used = new Set(services.flatMap(([, service]) => namedVolumeSources(service)));
    expect(new Set(Object.keys(compose.volumes ?? {}))).toEqual(used);
  });

  it('should publish only the load balancer', () => {
    expect(services.filter(([, service]) => service.ports?.length).map(([name]) => name)).toEqual([lbName]);
  });

  describe('the load balancer configuration', () => {
    const [mount] = boundHostFiles(lb, DOCKER);
    const config = parseNginx(readFileSync(mount.source, 'utf8'));
    const http = nginxFind(config, 'http')[0]?.block;
    const upstreams = nginxFind(http, 'upstream');
    const servers = nginxFind(http, 'server').flatMap((server) => server.block ?? []);
    const locations = nginxFind(servers, 'location');
    const serverLevel = (name: string) => nginxFind(servers, name);
    /** A directive as it applies inside a location: nginx inherits it only when the location does not set its own. */
    const effective = (location: NginxDirective, name: string) => {
      const own = nginxFind(location.block, name);
      return own.length > 0 ? own : serverLevel(name);
    };
    const streamLocation = locations.find((location) => location.args.at(-1) === '/api/generate/stream');

    it('should replace nginx.conf as a whole, read-only', () => {
      expect(mount.target).toBe('/etc/nginx/nginx.conf');
      expect(lb.volumes).toEqual([expect.stringMatching(/:ro$/)]);
    });

    it('should spread requests over the replicas at the service port', () => {
      expect(upstreams).toHaveLength(1);
      const targets = nginxFind(upstreams[0].block, 'server').map((server) => server.args[0]);
      const expected = apps.map(([name]) => `${name}:${dockerfilePort}`);
      expect(targets).toEqual(expected);
      for (const location of locations.filter((l) => nginxFind(l.block, 'proxy_pass').length > 0)) {
        expect(nginxFind(location.block, 'proxy_pass')[0].args).toEqual([`http://${upstreams[0].args[0]}`]);
      }
    });

    it('should find replicas again when Docker gives them new addresses', () => {
      expect(nginxFind(http, 'resolver')[0]?.args[0]).toBe('127.0.0.11');
      expect(nginxFind(upstreams[0].block, 'zone')).toHaveLength(1);
      for (const server of nginxFind(upstreams[0].block, 'server')) expect(server.args).toContain('resolve');
    });

    it('should answer its own health check without asking a replica', () => {
      const path = /https?:\/\/[^/\s]+(\/\S*)/.exec(healthcheckCommand(lb))?.[1];
      const location = locations.find((l) => l.args.join(' ') === `= ${path}`);
      expect(nginxFind(location?.block, 'return')[0]?.args[0]).toBe('200');
    });

    it('should stream server-sent events unbuffered', () => {
      expect(streamLocation).toBeDefined();
      expect(nginxFind(streamLocation!.block, 'proxy_buffering').map((d) => d.args)).toEqual([['off']]);
      expect(nginxFind(streamLocation!.block, 'proxy_pass')).toHaveLength(1);
    });

    it('should pass the client address and keep connections to the replicas alive', () => {
      for (const location of locations.filter((l) => nginxFind(l.block, 'proxy_pass').length > 0)) {
        const headers = effective(location, 'proxy_set_header').map((d) => d.args);
        expect(headers).toEqual(expect.arrayContaining([['X-Forwarded-For', '$proxy_add_x_forwarded_for'], ['Host', '$host'], ['Connection', '']]));
        expect(effective(location, 'proxy_http_version').map((d) => d.args)).toEqual([['1.1']]);
      }
    });

    it('should cap connections per client address, answering 429 over the cap', () => {
      const [zone] = nginxFind(http, 'limit_conn_zone');
      expect(zone?.args[0]).toBe('$binary_remote_addr');
      const zoneName = /^zone=([^:]+):/.exec(zone.args[1])?.[1];
      expect(serverLevel('limit_conn').map((d) => d.args[0])).toEqual([zoneName]);
      expect(Number(serverLevel('limit_conn')[0].args[1])).toBeGreaterThan(0);
      expect(serverLevel('limit_conn_status').map((d) => d.args)).toEqual([['429']]);
    });

    it('should drop idle upstream connections before the replicas do', () => {
      const [app] = apps.map(([, service]) => composeEnv(service));
      const replicaIdleMs = Number(app.HTTP_KEEP_ALIVE_TIMEOUT_MS ?? configIntDefault('HTTP_KEEP_ALIVE_TIMEOUT_MS'));
      const idle = nginxFind(upstreams[0].block, 'keepalive_timeout')[0]?.args[0];
      expect(Number(/^(\d+)s$/.exec(idle)?.[1]) * 1000).toBeLessThan(replicaIdleMs);
    });

    it('should wait long enough for a model call and its retry, and bound the rest', () => {
      const seconds = (value: string) => Number(/^(\d+)s$/.exec(value)?.[1]);
      const modelCallSeconds = (configIntDefault('LLM_TIMEOUT_MS') / 1000) * (1 + configIntDefault('LLM_MAX_RETRIES'));
      for (const location of locations.filter((l) => nginxFind(l.block, 'proxy_pass').length > 0)) {
        expect(seconds(effective(location, 'proxy_read_timeout')[0]?.args[0])).toBeGreaterThan(modelCallSeconds);
        expect(seconds(effective(location, 'proxy_connect_timeout')[0]?.args[0])).toBeLessThanOrEqual(10);
      }
    });
  });
});

describe('docker/compose.sqlite.yaml (one container, SQLite)', () => {
  const compose = readYaml<ComposeFile>('docker', 'compose.sqlite.yaml');
  const services = Object.values(compose.services);

  it('should run one replica on a SQLite file kept on a named volume', () => {
    expect(services).toHaveLength(1);
    const [app] = services;
    expect(app.deploy?.replicas ?? 1).toBe(1);
    const env = composeEnv(app);
    const path = env.DATABASE_URL.replace(/^sqlite:/, '');
    expect(env.DATABASE_URL).toMatch(/^sqlite:\//);
    const [volume] = namedVolumeSources(app);
    expect(Object.keys(compose.volumes ?? {})).toEqual([volume]);
    const mount = (app.volumes as string[]).find((m) => m.startsWith(`${volume}:`))!.split(':')[1];
    expect(path.startsWith(`${mount}/`)).toBe(true);
    expect(healthcheckCommand(app)).toContain(routes.ready);
    expect(unknownEnv(Object.keys(env))).toEqual([]);
  });
});

describe('docker/k8s', () => {
  const objects = k8sObjects();
  const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);
  const one = (kind: string): K8sObject => {
    const found = ofKind(kind);
    if (found.length !== 1) throw new Error(`docker/k8s: expected one ${kind}, found ${found.length}`);
    return found[0];
  };
  const deployment = one('Deployment');
  const service = one('Service');
  const configMap = one('ConfigMap');
  const secret = one('Secret');
  const pdb = one('PodDisruptionBudget');
  const pod = deployment.spec.template.spec;
  const podLabels: Record<string, string> = deployment.spec.template.metadata.labels;
  const [container] = pod.containers;
  const final = parseDockerfile(readRepoFile('docker', 'Dockerfile')).at(-1)!;
  const selects = (selector: Record<string, string>) => Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => podLabels[key] === value);

  it('should hold a Deployment, a Service, a ConfigMap, a Secret and a PodDisruptionBudget, each listed by the kustomization', () => {
    expect(objects.map((object) => object.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Secret', 'Service']);
    const kustomization = readYaml<{ kind: string; resources: string[] }>('docker', 'k8s', 'kustomization.yaml');
    expect(kustomization.kind).toBe('Kustomization');
    expect([...kustomization.resources].sort()).toEqual(k8sManifestFiles());
    for (const file of kustomization.resources) expect(existsSync(join(K8S_DIR, file))).toBe(true);
  });

  it('should let the kustomization set the image the Deployment runs', () => {
    const kustomization = readYaml<{ images: { name: string }[] }>('docker', 'k8s', 'kustomization.yaml');
    expect(kustomization.images.map((image) => image.name)).toEqual([container.image.split(':')[0]]);
  });

  it('should label every object as part of the same app', () => {
    const name = podLabels['app.kubernetes.io/name'];
    expect(name).toBeTruthy();
    for (const object of objects) expect([object.kind, object.metadata.labels?.['app.kubernetes.io/name']]).toEqual([object.kind, name]);
  });

  it('should run at least two replicas, replaced one at a time without losing capacity', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(selects(deployment.spec.selector.matchLabels)).toBe(true);
    expect(deployment.spec.strategy).toMatchObject({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
  });

  it('should serve on the port the image exposes, under a name the Service targets', () => {
    expect(pod.containers).toHaveLength(1);
    const [port] = container.ports;
    expect(String(port.containerPort)).toBe(instructionsOf(final, 'EXPOSE')[0]);
    expect(port.name).toBe('http');
    expect(service.spec.ports).toHaveLength(1);
    expect(service.spec.ports[0].targetPort).toBe(port.name);
    expect(service.spec.ports[0].name).toBe(port.name);
    expect(selects(service.spec.selector)).toBe(true);
  });

  it('should probe liveness, readiness and start-up on the health routes and the container port', () => {
    const portNames = new Set(container.ports.flatMap((p: { name: string; containerPort: number }) => [p.name, p.containerPort]));
    const probes = { livenessProbe: routes.live, readinessProbe: routes.ready, startupProbe: routes.live };
    for (const [probe, path] of Object.entries(probes)) {
      expect([probe, container[probe]?.httpGet?.path]).toEqual([probe, path]);
      expect([probe, portNames.has(container[probe].httpGet.port)]).toEqual([probe, true]);
      expect(container[probe].timeoutSeconds).toBeGreaterThanOrEqual(1);
    }
  });

  it('should run as the image user, non-root, read-only, unprivileged, with no capabilities', () => {
    const context = { ...pod.securityContext, ...container.securityContext };
    const user = instructionsOf(final, 'USER').at(-1)!.split(':')[0];
    expect(context).toMatchObject({ runAsNonRoot: true, runAsUser: Number(user), allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(context.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext.capabilities.drop).toEqual(['ALL']);
    expect(container.securityContext.capabilities.add).toBeUndefined();
    const tmp = container.volumeMounts.find((mount: { mountPath: string }) => mount.mountPath === '/tmp');
    expect(pod.volumes.find((volume: { name: string }) => volume.name === tmp?.name)).toMatchObject({ emptyDir: expect.any(Object) });
  });

  it('should request and cap CPU and memory, within the 512 MiB the defaults are sized for', () => {
    const { requests, limits } = container.resources;
    expect(requests).toEqual({ cpu: expect.anything(), memory: expect.anything() });
    expect(limits.memory).toBeDefined();
    expect(quantity(requests.memory)).toBeLessThanOrEqual(quantity(limits.memory));
    expect(quantity(limits.memory)).toBeLessThanOrEqual(quantity('512Mi'));
    if (limits.cpu !== undefined) expect(quantity(requests.cpu)).toBeLessThanOrEqual(quantity(limits.cpu));
  });

  it('should leave time to drain: preStop, then SIGTERM with SHUTDOWN_GRACE_MS, within the grace period', () => {
    const preStop = container.lifecycle?.preStop;
    const preStopSeconds = Number(preStop?.sleep?.seconds ?? (preStop?.exec?.command?.[0] === 'sleep' ? preStop.exec.command[1] : NaN));
    expect(preStopSeconds).toBeGreaterThanOrEqual(5);
    const graceMs = Number(configMap.data.SHUTDOWN_GRACE_MS ?? configIntDefault('SHUTDOWN_GRACE_MS'));
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds + graceMs / 1000);
  });

  it('should take settings from the ConfigMap and the credentials from the Secret', () => {
    expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
    for (const name of SECRET_ENV) expect(configMap.data[name]).toBeUndefined();
    const fromSecret = Object.fromEntries(
      (container.env ?? []).map((variable: any) => [variable.name, variable.valueFrom?.secretKeyRef]),
    );
    for (const name of SECRET_ENV) expect([name, fromSecret[name]]).toEqual([name, { name: secret.metadata.name, key: expect.any(String) }]);
    for (const ref of Object.values<{ key: string } | undefined>(fromSecret)) expect(Object.keys(secret.stringData)).toContain(ref?.key);
  });

  it('should ship the Secret with placeholders, as stringData, saying to replace them', () => {
    expect(secret.type).toBe('Opaque');
    expect(secret.data).toBeUndefined();
    expect(readFileSync(join(K8S_DIR, 'secret.yaml'), 'utf8')).toMatch(/#.*replace/i);
    expect(new URL(secret.stringData.DATABASE_URL).protocol).toBe('postgres:');
  });

  it('should configure the replicas for several instances behind an ingress', () => {
    expect(configMap.data).toMatchObject({ HOST: '0.0.0.0', AUTH_MODE: 'jwt', TRUST_PROXY: '1', MAX_CONNECTIONS_PER_IP: '0' });
    expect(new URL(configMap.data.REDIS_URL).protocol).toBe('redis:');
    for (const value of Object.values(configMap.data)) expect(typeof value).toBe('string');
  });

  it('should set only variables the service reads', () => {
    const names = [...Object.keys(configMap.data), ...(container.env ?? []).map((variable: { name: string }) => variable.name)];
    expect(unknownEnv(names)).toEqual([]);
  });

  it('should keep one pod up through voluntary disruptions', () => {
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
  });
});
