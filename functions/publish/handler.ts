import { apiHandler } from '../http/api-handler';
import { coreDeps } from '../http/deps';

export const handler = apiHandler('publish', {}, coreDeps);
