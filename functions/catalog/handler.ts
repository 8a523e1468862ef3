import { z } from 'zod';
import { routes } from '../../lib/routes';
import { env } from '../env';
import { apiHandler } from '../http/api-handler';
import { coreDeps } from '../http/deps';
import { parseWith } from '../http/validation';
import { catalogOperations } from './operations';

export const handler = apiHandler(
  'catalog',
  {
    async health(ctx) {
      parseWith(z.object({}).strict(), ctx.query, 'query');
      return {
        body: {
          status: 'ok',
          service: 'socle',
          version: env().SOCLE_VERSION,
          apiVersions: [...new Set(routes.map((r) => r.path.split('/')[1]))],
        },
      };
    },
    ...catalogOperations,
  },
  coreDeps,
);
