import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isEmulatorUrl } from '../../../server/src/dialects/terraform/facts';

test('emulator endpoints: loopback, compose services, LocalStack domains; never a cloud host', () => {
  for (const url of ['http://localhost:4566', 'http://127.0.0.1:5000', 'http://[::1]:9000', 'http://0.0.0.0:4566', 'http://host.docker.internal:4566', 'http://localstack:4566', 'http://moto:5000', 'http://minio:9000', 'https://localhost.localstack.cloud:4566', 'http://s3.localhost:4566', 'http://emulator.local']) {
    assert.equal(isEmulatorUrl(url), true, url);
  }
  for (const url of ['https://s3.eu-west-1.amazonaws.com', 'https://sts.amazonaws.com', 'https://minio.example.com', 'localhost:4566', '', undefined]) assert.equal(isEmulatorUrl(url), false, String(url));
});
