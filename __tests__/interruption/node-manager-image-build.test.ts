/** The image build the cluster stack runs at apply, executed with recording stand-ins for aws and docker. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_MANAGER_BUILD_SCRIPT } from '../../constructs/interruption/node-manager-image-build';
import { only, synthPlatform } from '../support/synth';

const URL = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/spot-ready-node-manager';

function runBuild(tagExists: boolean, dockerFails = false) {
  const bin = mkdtempSync(join(tmpdir(), 'fake-bin-'));
  const log = join(bin, 'calls.log');
  const fake = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${log}"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  fake('aws', `case "$2" in describe-images) exit ${tagExists ? 0 : 254};; get-login-password) echo token;; esac`);
  fake('docker', `cat > /dev/null; exit ${dockerFails ? 1 : 0}`);
  const env = {
    PATH: `${bin}:/usr/bin:/bin`, REPOSITORY_URL: URL, REGISTRY: URL.split('/')[0], REPOSITORY_NAME: 'spot-ready-node-manager',
    IMAGE_TAG: '0.1.0', AWS_REGION: 'eu-west-1', PLATFORMS: 'linux/amd64,linux/arm64', BUILD_CONTEXT: '/src',
  };
  const run = spawnSync('/bin/sh', ['-c', NODE_MANAGER_BUILD_SCRIPT], { encoding: 'utf8', env });
  let calls: string[] = [];
  try {
    calls = readFileSync(log, 'utf8').trim().split('\n');
  } catch {
    calls = [];
  }
  return { status: run.status, calls };
}

describe('node-manager image build', () => {
  it('skips the build when the tag is already in the repository', () => {
    const { status, calls } = runBuild(true);
    expect(status).toBe(0);
    expect(calls).toEqual(['aws ecr describe-images --region eu-west-1 --repository-name spot-ready-node-manager --image-ids imageTag=0.1.0']);
  });

  it('logs in to the registry, then builds both platforms and pushes the tag', () => {
    const { status, calls } = runBuild(false);
    expect(status).toBe(0);
    // The login is a pipe: its two commands start together, in either order.
    expect(calls.slice(1, 3).sort()).toEqual([`docker login --username AWS --password-stdin ${URL.split('/')[0]}`, 'aws ecr get-login-password --region eu-west-1'].sort());
    expect(calls.slice(3)).toEqual([`docker buildx build --platform linux/amd64,linux/arm64 --provenance=false -f /src/images/node-manager/Dockerfile -t ${URL}:0.1.0 --push /src`]);
  });

  it('fails the apply when docker fails', () => {
    expect(runBuild(false, true).status).not.toBe(0);
  });

  it('is declared in the cluster stack for our repository and tag, and left out with an image of your own', () => {
    const { cluster } = synthPlatform({ nodeManagerImageTag: '0.2.0' });
    const build = only(cluster, 'terraform_data');
    expect(build.triggers_replace).toEqual([expect.stringMatching(/^\$\{aws_ecr_repository\..*\.repository_url\}$/), '0.2.0']);
    expect(build.provisioner[0]['local-exec'].environment).toMatchObject({ IMAGE_TAG: '0.2.0', REPOSITORY_NAME: expect.stringContaining('trimprefix') });
    expect(synthPlatform({ nodeManagerImage: 'ghcr.io/me/node-manager:1' }).cluster.resource?.terraform_data).toBeUndefined();
    expect(synthPlatform({ nodeManagerImageBuild: false }).cluster.resource?.terraform_data).toBeUndefined();
  });
});
