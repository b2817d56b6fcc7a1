/** The benchmark areas, in the order `npm run bench` runs them. */
import { activation } from './activation';
import { budget } from './budget';
import { bundle } from './bundle';
import { detection } from './detection';
import type { Area } from './lib/types';
import { panel } from './panel';
import { scale } from './scale';
import { soak } from './soak';
import { status } from './status';

export const AREAS: Record<string, Area> = { bundle, activation, status, detection, scale, budget, soak, panel };
