/**
 * What a client sees when the database hiccups: a 503 problem asking to try again later,
 * never a bare 500. The errors come from the driver itself where they can be made cheaply
 * (a database that is not there, a connection whose answers no longer match its requests).
 */
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import mongoose from 'mongoose';
import { errorHandler } from '../src/shared/error-handler';
import { freePort } from './support/child-server';
import { expectProblem } from './support/fixtures';
import { service } from './support/hooks';
import type { ApiResponse } from './support/client';

const { MongoClient, MongoNetworkError, MongoServerError } = mongoose.mongo;

/** The service's answer to a request whose handler failed with `error`. */
async function answerTo(error: unknown): Promise<ApiResponse> {
  const app = express();
  app.get('/', () => {
    throw error;
  });
  app.use(errorHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return { status: res.status, body: await res.json(), headers: res.headers };
  } finally {
    server.close();
  }
}

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the database operation to fail');
}

describe('database hiccups are answered 503', () => {
  it('no database to reach (server selection times out)', async () => {
    const client = new MongoClient(`mongodb://127.0.0.1:${await freePort()}/`, { serverSelectionTimeoutMS: 300 });
    try {
      const res = await answerTo(await failureOf(() => client.db('x').collection('y').findOne({})));
      expectProblem(res, 503);
      expect(res.body.detail).to.match(/数据库暂不可用/);
    } finally {
      await client.close();
    }
  });

  it('an answer that does not fit its request (FerretDB answering an unacknowledged write)', async function () {
    if (service().database.kind !== 'ferretdb') this.skip();
    // One connection, so the find is sent where FerretDB's stray answer to the w: 0 delete waits.
    const client = await new MongoClient(service().database.uri, { maxPoolSize: 1 }).connect();
    try {
      const collection = client.db(mongoose.connection.name).collection('hiccup_probe');
      await collection.deleteMany({}, { writeConcern: { w: 0 } });
      const error = await failureOf(() => collection.findOne({}));
      expect(error, 'FerretDB no longer answers w: 0 writes; see README, the embedded database').to.be.instanceOf(mongoose.mongo.MongoUnexpectedServerResponseError);
      expectProblem(await answerTo(error), 503);
    } finally {
      await client.close();
    }
  });

  it('a connection cut, a wait for a connection in vain, a lock SQLite waited for in vain', async () => {
    const waitQueue = Object.assign(new Error('Timed out while checking out a connection from connection pool'), { name: 'MongoWaitQueueTimeoutError' });
    const busy = new MongoServerError({ ok: 0, code: 1, codeName: 'InternalError', errmsg: '[collection.go:173] database is locked (5) (SQLITE_BUSY)' });
    for (const error of [new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'), waitQueue, busy]) {
      expectProblem(await answerTo(error), 503);
    }
  });

  it('but a bad query or a bug stays a 500, and a duplicate key is not taken for a hiccup', async () => {
    const duplicate = new MongoServerError({ ok: 0, code: 11000, errmsg: 'E11000 duplicate key error' });
    for (const error of [duplicate, new MongoServerError({ ok: 0, code: 2, errmsg: 'unknown operator: $foo' }), new TypeError("Cannot read properties of undefined (reading 'centralBudget')")]) {
      expectProblem(await answerTo(error), 500);
    }
  });
});
