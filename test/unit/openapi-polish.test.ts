import { describe, expect, it } from 'vitest';
import { exampleFor, subjectOf } from '../../src/http/openapi-examples.js';
import { polishDocument } from '../../src/http/openapi-polish.js';

const problemRef = { $ref: '#/components/schemas/Problem' };

describe('examples built from schemas', () => {
  const doc = {
    components: {
      schemas: {
        Agency: { type: 'object', properties: { code: { type: 'string', pattern: '^[0-9]{4}$' }, kind: { type: 'string', enum: ['ministry', 'department'] } } },
        Node: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } },
      },
    },
  };

  it.each([
    [{ type: 'string', pattern: '^[1-9][0-9]{3}(Q[1-4])?$' }, '2026Q1'],
    [{ type: 'string', pattern: '^[1-9][0-9]{3}$' }, '2026'],
    [{ type: 'string', format: 'date-time' }, '2026-04-10T08:30:00.000Z'],
    [{ type: 'integer', minimum: 1, maximum: 5 }, 1],
    [{ type: ['string', 'null'], enum: ['a', 'b', null] }, 'a'],
    [{ anyOf: [{ type: 'null' }, { type: 'boolean' }] }, false],
    [{ type: 'string', examples: ['given'] }, 'given'],
    [{ type: 'array', items: { type: 'number', minimum: 10 } }, [2026]],
  ])('%j -> %j', (schema, expected) => {
    expect(exampleFor(doc, schema)).toEqual(expected);
  });

  it('uses the hints of the schema in hand and stops at recursion', () => {
    expect(exampleFor(doc, { $ref: '#/components/schemas/Agency' })).toEqual({ code: '3201', kind: 'department' });
    expect(exampleFor(doc, { $ref: '#/components/schemas/Node' })).toEqual({ id: expect.any(String), children: [] });
  });

  it.each([['createAgency', 'Agency'], ['listAgencies', 'Agency'], ['putMeasurement', 'Measurement'], ['getPlanTree', 'PlanTree']])(
    'the subject of %s is %s', (id, subject) => expect(subjectOf(id)).toBe(subject),
  );
});

describe('polishing the generated document', () => {
  const generated = () => ({
    openapi: '3.1.0',
    tags: [{ name: 'things', description: 'Things' }, { name: 'unused', description: 'Nobody' }],
    components: {
      schemas: {
        Problem: { type: 'object', properties: { type: { type: 'string' } } },
        Thing: { type: 'object', properties: { any: { anyOf: [{}, { type: 'null' }] } } },
        ThingInput: { type: 'object' },
      },
    },
    paths: {
      '/things': {
        post: {
          operationId: 'createThing', tags: ['things'], security: [{ bearerAuth: [] }],
          requestBody: { content: { 'application/json': { schema: { anyOf: [{ type: 'object', properties: { items: { type: 'array' } } }, { type: 'string' }] } } } },
          responses: {
            200: { description: 'Default Response', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            404: { description: 'Not found, or outside your scope (`/problems/not-found`)', content: { 'application/json': { schema: problemRef } } },
            503: { description: 'Custom', content: { 'application/json': { schema: problemRef } } },
          },
        },
      },
    },
  });

  it('drops unused schemas and tags, shares problem answers, and documents the CSV body and headers', () => {
    const doc: any = polishDocument(generated(), new Map([['POST /things', { csvHeader: 'a,b', idempotent: true }]]));
    expect(Object.keys(doc.components.schemas)).toEqual(['Problem', 'Thing']);
    expect(doc.components.schemas.Thing.properties.any).toEqual({});
    expect(doc.tags).toEqual([{ name: 'things', description: 'Things' }]);
    const op = doc.paths['/things'].post;
    expect(op.security).toEqual([{ oauth2: [] }]);
    expect(op.requestBody.content['application/json'].schema).toEqual({ type: 'object', properties: { items: { type: 'array' } } });
    expect(op.requestBody.content['text/csv'].example).toBe('a,b\n,\n');
    expect(op.parameters).toEqual([{ $ref: '#/components/parameters/IdempotencyKey' }]);
    expect(op.responses[404]).toEqual({ $ref: '#/components/responses/NotFound' });
    expect(Object.keys(op.responses[503].content)).toEqual(['application/problem+json']);
    expect(op.responses[200].description).toBe('Success');
    expect(op.responses[200].content['application/json'].example).toEqual({ any: null });
    expect(doc.components.responses.NotFound.content['application/problem+json'].example).toMatchObject({ type: '/problems/not-found', status: 404 });
  });
});
